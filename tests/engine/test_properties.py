"""Properties that hold for any parameters: non-negativity and conservation of material."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from sd_model.engine import DelaySemantics, Method, Model

rates = st.floats(0.0, 50.0)
levels = st.floats(0.0, 20.0)


@settings(max_examples=40, deadline=None)
@given(initial=levels, inflow=rates, demand=rates, spill=rates, dt=st.sampled_from([0.25, 1.0]))
def test_non_negative_stock_never_goes_negative_and_conserves(
    initial: float, inflow: float, demand: float, spill: float, dt: float
) -> None:
    m = Model()
    m.stock("tank", initial, non_negative=True)
    m.stock("served", 0.0)
    m.flow("filling", lambda time: inflow * (time < 3), to_stock="tank")
    m.flow(
        "serving", lambda time: demand * (1 + np.sin(time)), from_stock="tank", to_stock="served"
    )
    m.flow("spilling", spill, from_stock="tank")
    m.stock("spilled", 0.0)
    m.flow("collecting", "spilling", to_stock="spilled")
    frame = m.run(stop=8.0, dt=dt)
    assert (frame["tank"] >= 0).all()
    assert (frame["serving"] <= demand * (1 + np.sin(frame.index.to_numpy())) + 1e-12).all()
    filled = initial + dt * frame["filling"].iloc[:-1].sum()
    total = frame["tank"] + frame["served"] + frame["spilled"]
    assert_allclose(total.iloc[-1], filled, rtol=1e-9, atol=1e-9)


@pytest.mark.filterwarnings("ignore::sd_model.engine.StepWarning")  # short stages are the point
@settings(max_examples=30, deadline=None)
@given(
    order=st.integers(1, 6),
    delay=st.floats(0.5, 6.0),
    pulse_size=rates,
    method=st.sampled_from(["euler", "rk4"]),
    semantics=st.sampled_from(["delay3", "delay_n"]),
)
def test_material_delay_conserves_what_enters(
    order: int, delay: float, pulse_size: float, method: Method, semantics: DelaySemantics
) -> None:
    m = Model()
    m.stock("source", 100.0)
    m.flow(
        "shipping", lambda source, time: pulse_size * source / 100 * (time < 2), from_stock="source"
    )
    m.aux("delay_time", lambda time: delay * (1.0 + 0.5 * (time > 1.0)))  # changes in transit
    m.delay(
        "arriving",
        "shipping",
        "delay_time",
        order=order,
        initial=0.0,
        semantics=semantics,
        to_stock="sink",
    )
    m.stock("sink", 0.0)
    stages = [f"arriving.stage{i}" for i in range(1, order + 1)]
    frame = m.run(stop=10.0, dt=0.125, method=method, variables=["source", "sink", *stages])
    in_transit = frame[stages].sum(axis=1)
    assert_allclose(frame["source"] + in_transit + frame["sink"], 100.0, rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(lag=st.floats(0.25, 4.0), rate=rates, method=st.sampled_from(["euler", "rk4"]))
def test_fixed_delay_delivers_exactly_what_left_upstream(
    lag: float, rate: float, method: Method
) -> None:
    dt = 0.25
    m = Model()
    m.stock("upstream", 50.0, non_negative=True)
    m.flow(
        "sending",
        lambda upstream, time: rate * np.cos(time) ** 2 * upstream / 50,
        from_stock="upstream",
    )
    m.fixed_delay("transit", "sending", lag, initial=0.0, to_stock="downstream")
    m.stock("downstream", 0.0)
    frame = m.run(stop=12.0, dt=dt, method=method)
    steps = int(np.floor(lag / dt + 0.5))
    sent = 50.0 - frame["upstream"].to_numpy()
    arrived = frame["downstream"].to_numpy()
    # what arrived by t left upstream by t - lag (rounded to whole steps)
    assert_allclose(arrived[steps:], sent[:-steps], rtol=1e-12, atol=1e-12)
    assert (frame["upstream"] >= 0).all()
