"""Vensim's rules for delays, checked on cases computed by hand from its documentation.

- DELAY FIXED: "the minimum delay time is TIME STEP"; only the initial delay
  time is used.
- DELAY N: the output depends only on delay times of previous steps; the
  order is lowered so that ``order * dt <= delay time``.
- Orders may be constant model variables.
"""

from __future__ import annotations

import pytest

from sd_model.engine import Model


def test_fixed_delay_of_zero_lasts_one_step() -> None:
    m = Model()
    m.aux("signal", lambda time: time * time)
    m.fixed_delay("late", "signal", 0.0, initial=-1.0)
    m.fixed_delay("late_too", "signal", 0.4, initial=-1.0)  # 0.4 steps -> one step
    frame = m.run(stop=4.0, dt=1.0)
    assert list(frame["late"]) == [-1.0, 0.0, 1.0, 4.0, 9.0]  # signal(t - 1)
    assert list(frame["late_too"]) == list(frame["late"])


def test_fixed_delay_reads_its_delay_time_once_even_if_it_reaches_zero() -> None:
    m = Model()
    m.aux("signal", lambda time: time)
    m.aux("lead", lambda time: max(2.0 - time, 0.0))  # 2 at the start, 0 from time 2
    m.fixed_delay("late", "signal", "lead", initial=0.0)
    frame = m.run(stop=5.0, dt=0.5)
    late = frame["late"]
    assert list(late.loc[[0.0, 1.5, 2.0, 5.0]]) == [0.0, 0.0, 0.0, 3.0]  # signal(t - 2)


def test_fixed_delay_of_zero_conserves_material_between_stocks() -> None:
    m = Model()
    m.stock("source", 10.0)
    m.stock("sink", 0.0)
    m.fixed_delay(
        "moving",
        lambda source: 0.5 * source,
        0.0,
        initial=0.0,
        from_stock="source",
        to_stock="sink",
    )
    frame = m.run(stop=6.0, dt=0.25, method="rk4")
    total = frame["source"] + frame["sink"] + frame["moving"] * 0.25  # one step in transit
    assert total.to_numpy() == pytest.approx(10.0, rel=1e-12)
