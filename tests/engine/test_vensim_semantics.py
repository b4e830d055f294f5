"""Vensim's rules for delays, checked on cases computed by hand from its documentation.

- DELAY FIXED: "the minimum delay time is TIME STEP"; only the initial delay
  time is used.
- DELAY N: the output depends only on delay times of previous steps; the
  order is lowered so that ``order * dt <= delay time``.
- Orders may be constant model variables.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sd_model.engine import DelaySemantics, Method, Model, ModelError, StepWarning, step


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


def doubling_delay(semantics: DelaySemantics) -> Model:
    """Order-2 delay holding 2 per stage (initial outflow 1), no input; its time doubles at 1."""
    m = Model()
    m.aux("lead", lambda time, dt: 4.0 + step(time, 4.0, 1.0, dt))
    m.delay("out", 0.0, "lead", order=2, initial=1.0, semantics=semantics)
    return m


def test_delay_n_stages_drain_with_the_delay_time_their_material_entered_with() -> None:
    # By hand (dt = 1, D_0 = 4, D_k = 8 for k >= 1; stage j uses D_{k-j} / 2 in step k):
    # step 0: times (2, 2), outflows (1, 1), contents (2, 2) -> (1, 2);
    # step 1: times (2, 2), outflows (0.5, 1) -> (0.5, 1.5);
    # step 2: times (4, 2), outflows (0.125, 0.75) -> (0.375, 0.875);
    # step 3: times (4, 4), output 0.875 / 4.
    frame = doubling_delay("delay_n").run(stop=3.0, dt=1.0)
    assert list(frame["out"]) == [1.0, 1.0, 0.75, 0.21875]
    assert list(frame["lead"]) == [4.0, 8.0, 8.0, 8.0]  # the output lags the change by a step


def test_delay_n_output_depends_only_on_earlier_delay_times() -> None:
    # Vensim: DELAY N's output "depends only on the values delay time had in
    # previous Time Steps"; for order 1 it is content / D_{k-1}, while DELAY1
    # divides by the current D_k. Content 4 at time 0 (initial outflow 1, D_0 = 4).
    outs = {}
    for semantics in ("delay3", "delay_n"):
        m = Model()
        m.aux("lead", lambda time, dt: 4.0 + step(time, 4.0, 1.0, dt))
        m.delay("out", 0.0, "lead", initial=1.0, semantics=semantics)
        outs[semantics] = list(m.run(stop=2.0, dt=1.0)["out"])
    assert outs["delay_n"] == [1.0, 3.0 / 4.0, (3.0 - 0.75) / 8.0]
    assert outs["delay3"] == [1.0, 3.0 / 8.0, (3.0 - 0.375) / 8.0]


def test_delay3_stages_all_use_the_current_delay_time() -> None:
    # DELAY3 (Vensim's equations): from step 1 every stage drains at content / 4.
    # step 0: outflows (1, 1) -> (1, 2); step 1: (0.25, 0.5) -> (0.75, 1.75);
    # step 2: (0.1875, 0.4375) -> (0.5625, 1.5); step 3: 1.5 / 4.
    out = doubling_delay("delay3").run(stop=3.0, dt=1.0)["out"]
    assert list(out) == [1.0, 0.5, 0.4375, 0.375]


def test_delay_n_and_delay3_agree_while_the_delay_time_is_constant() -> None:
    frames = []
    for semantics in ("delay3", "delay_n"):
        m = Model()
        m.aux("inflow", lambda time: 1.0 + time * (5.0 - time))
        m.delay("out", "inflow", 2.0, order=4, semantics=semantics)
        frames.append(m.run(stop=10.0, dt=0.25, method="rk4")["out"].to_numpy())
    assert (frames[0] == frames[1]).all()


@pytest.mark.parametrize("method", ["euler", "rk4"])
def test_delay_n_conserves_material_when_its_delay_time_varies(method: Method) -> None:
    m = Model()
    m.stock("source", 50.0)
    m.aux("lead", lambda time: 2.0 + 1.5 * np.sin(time))
    m.delay(
        "moving",
        lambda source: 0.2 * source,
        "lead",
        order=4,
        semantics="delay_n",
        initial=0.0,
        from_stock="source",
        to_stock="sink",
    )
    m.stock("sink", 0.0)
    stages = [f"moving.stage{i}" for i in range(1, 5)]
    frame = m.run(stop=12.0, dt=0.125, method=method, variables=["source", "sink", *stages])
    total = frame["source"] + frame["sink"] + frame[stages].sum(axis=1)
    assert_allclose(total, 50.0, rtol=1e-12)


def square_wave_delay(order: int, semantics: DelaySemantics) -> Model:
    m = Model()
    m.aux("inflow", lambda time: -1.0 + 5.0 * (np.sin(3.0 * time) > 0))  # -1 or 4
    m.delay("out", "inflow", 1.0, order=order, semantics=semantics)
    return m


def test_delay_n_lowers_its_order_so_that_stages_last_a_step() -> None:
    # Vensim: "delay time must be bigger than order * TIME STEP [...] Vensim will
    # issue a warning and automatically reduce the order". 1.0 / 0.25 -> 4 stages.
    with pytest.warns(StepWarning, match="order lowered from 10 to 4"):
        lowered = square_wave_delay(10, "delay_n").run(stop=10.0, dt=0.25)
    plain = square_wave_delay(4, "delay_n").run(stop=10.0, dt=0.25)
    assert (lowered["out"] == plain["out"]).all()
    assert lowered["out"].between(-1.0, 4.0).all()  # no Euler overshoot


def test_delay3_with_stages_shorter_than_dt_warns_once() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = square_wave_delay(10, "delay3").run(stop=10.0, dt=0.25)
    assert [str(w.message).split(";")[0] for w in caught] == [
        "delay 'out': order 10 * dt = 2.5 exceeds its delay time 1"
    ]
    assert caught[0].category is StepWarning
    assert caught[0].filename == __file__  # points at the run, not into the engine
    assert not frame["out"].between(-1.0, 4.0).all()  # what the warning is about


def test_smooth_and_trend_with_stages_shorter_than_dt_warn() -> None:
    m = Model()
    m.aux("signal", lambda time: time)
    m.smooth("fast", "signal", 0.2, order=3)  # stages of 1/15 < dt
    m.smooth("fine", "signal", 0.3, order=3)  # 3 * 0.1 == 0.3 up to round-off: no warning
    m.trend("growth", "signal", 0.05)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m.run(stop=1.0, dt=0.1)
    assert sorted(str(w.message).split(";")[0] for w in caught) == [
        "smooth 'fast': order 3 * dt = 0.3 exceeds its smoothing time 0.2",
        "trend 'growth': order 1 * dt = 0.1 exceeds its average time 0.05",
    ]


def test_orders_may_be_constants_read_by_value() -> None:
    def run(order: int | float | str) -> list[float]:
        m = Model()
        m.constant("stages", 2.0)
        m.aux("inflow", lambda time: time)
        m.delay("late", "inflow", 3.0, order=order, semantics="delay_n")
        m.smooth("calm", "inflow", 3.0, order=order)
        return [*m.run(stop=6.0, dt=0.5)["late"], *m.run(stop=6.0, dt=0.5)["calm"]]

    assert run("stages") == run(2) == run(2.0)


def test_non_integer_or_unknown_orders_are_clear_errors() -> None:
    m = Model()
    m.constant("half", 2.5)
    m.constant("pair", [1.0, 2.0])
    m.aux("inflow", lambda time: time)
    with pytest.raises(
        ModelError, match=r"order of 'a' must be a positive integer, got 2\.5 \(constant 'half'\)"
    ):
        m.delay("a", "inflow", 3.0, order="half")
    with pytest.raises(ModelError, match=r"constant 'pair', which must be one number"):
        m.smooth("b", "inflow", 3.0, order="pair")
    with pytest.raises(ModelError, match="'inflow' is not a constant"):
        m.smooth("c", "inflow", 3.0, order="inflow")
    with pytest.raises(ModelError, match=r"positive integer, got 1\.5"):
        m.delay("d", "inflow", 3.0, order=1.5)


def test_a_constant_setting_an_order_cannot_be_set_per_run() -> None:
    m = Model()
    m.constant("stages", 3)
    m.delay("late", 1.0, 3.0, order="stages")
    m.simulator(params={"stages": 3.0})  # the declared value is fine
    with pytest.raises(ModelError, match="'stages' is the order of 'late'"):
        m.simulator(params={"stages": [2.0, 3.0]})


def test_delay_n_batch_equals_single_runs() -> None:
    m = Model()
    m.constant("swing", 1.0)
    m.aux("lead", lambda time, swing: 2.0 + swing * np.sin(time))
    m.aux("inflow", lambda time: 1.0 + time)
    m.delay("late", "inflow", "lead", order=3, semantics="delay_n")
    swings = [0.5, 1.0, 1.5]
    batch = m.run(stop=8.0, dt=0.25, params={"swing": swings})["late"].to_numpy().reshape(3, -1)
    for i, swing in enumerate(swings):
        single = m.run(stop=8.0, dt=0.25, params={"swing": swing})["late"].to_numpy()
        assert (batch[i] == single).all()


def test_delay_n_lowers_its_order_per_sample_so_a_batch_gives_its_single_runs() -> None:
    # dt = 0.5: a delay time of 1.0 at the start allows 2 stages, 3.0 the declared 4.
    def model(order: int | str) -> Model:
        m = Model()
        m.constant("base", 1.0)
        m.constant("stages", 4)
        m.aux("lead", lambda time, base: base * (1.0 + 0.3 * np.sin(time)))
        m.aux("inflow", lambda time: 1.0 + time * (4.0 - time))
        m.delay("late", "inflow", "lead", order=order, semantics="delay_n")
        return m

    with pytest.warns(StepWarning, match="order lowered from 4 to 2 to 4 by sample"):
        batch = model("stages").run(stop=6.0, dt=0.5, params={"base": [1.0, 3.0]})["late"]
    rows = batch.to_numpy().reshape(2, -1)
    with pytest.warns(StepWarning, match="order lowered from 4 to 2 "):
        short = model("stages").run(stop=6.0, dt=0.5, params={"base": 1.0})["late"]
    long = model("stages").run(stop=6.0, dt=0.5, params={"base": 3.0})["late"]
    assert (rows[0] == short.to_numpy()).all() and (rows[1] == long.to_numpy()).all()
    order_two = model(2).run(stop=6.0, dt=0.5)["late"]  # what lowering to 2 stands for
    assert (order_two.to_numpy() == short.to_numpy()).all()


def test_unknown_delay_semantics_is_a_clear_error_that_declares_nothing() -> None:
    m = Model()
    with pytest.raises(ModelError, match="must be 'delay3' or 'delay_n', not 'delayn'"):
        m.delay("late", 1.0, 3.0, semantics="delayn")  # type: ignore[arg-type]
    m.delay("late", 1.0, 3.0, semantics="delay_n")  # the name is still free
    assert list(m.run(stop=1.0, dt=0.5)["late"]) == [1.0, 1.0, 1.0]
