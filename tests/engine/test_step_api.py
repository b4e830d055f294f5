"""The step API: initialize, advance, read state, set inputs for the next interval."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sd_model.engine import Model, ModelError, SimulationError
from tests.engine.factories import buildout_like, sample_params


def ordered_capacity() -> Model:
    m = Model({"vendor": ["amd", "nvidia"]}, time_units="quarter")
    m.input("orders_gw", 0.0, dims=("vendor",), units="GW/quarter")
    m.stock("on_order_gw", 0.0, dims=("vendor",), units="GW")
    m.flow("ordering", "orders_gw", to_stock="on_order_gw", dims=("vendor",))
    m.delay("deliveries", "ordering", 2.0, order=1, initial=0.0, dims=("vendor",))
    m.stock("delivered_gw", 0.0, dims=("vendor",), units="GW")
    m.flow("receiving", "deliveries", to_stock="delivered_gw", dims=("vendor",))
    return m


def test_advancing_in_pieces_equals_one_run() -> None:
    model, params = buildout_like(), sample_params(3)
    whole = model.run(stop=8.0, dt=0.25, method="rk4", params=params)
    sim = model.simulator(dt=0.25, method="rk4", params=params)
    sim.initialize()
    for t in (1.0, 2.5, 2.5, 8.0):
        sim.advance_to(t)
    assert sim.time == 8.0
    assert_allclose(sim.results(), whole, rtol=0, atol=0)


def test_inputs_are_held_for_the_next_interval() -> None:
    sim = ordered_capacity().simulator(dt=0.25)
    sim.initialize()
    sim.set_input("orders_gw", [1.0, 2.0])
    sim.advance_to(1.0)
    sim.set_input("orders_gw", [0.0, 0.0])
    sim.advance_to(3.0)
    state = sim.state
    assert set(state) == {"on_order_gw", "delivered_gw"}
    assert_allclose(state["on_order_gw"], [1.0, 2.0])
    frame = sim.results()
    assert_allclose(frame["ordering[nvidia]"].loc[0.75], 2.0)
    assert_allclose(frame["ordering[nvidia]"].loc[1.0], 0.0)
    delivered = sim.value("delivered_gw") + sim.value("deliveries.stage1")
    assert_allclose(delivered, [1.0, 2.0], rtol=1e-12)  # material conserved


def test_rolling_horizon_over_a_batch() -> None:
    sim = ordered_capacity().simulator(dt=0.25, params={"orders_gw": np.zeros((4, 2))})
    for year in range(3):
        gap = 5.0 - sim.state["delivered_gw"]  # (samples, vendor)
        sim.set_input("orders_gw", np.clip(gap, 0.0, None) / 4.0)
        sim.advance_to(float(year + 1))
    assert sim.state["delivered_gw"].shape == (4, 2)
    assert sim.samples == 4
    assert sim.results().index.names == ["sample", "time"]


def test_initialize_restarts_and_keeps_inputs() -> None:
    sim = ordered_capacity().simulator(dt=0.5)
    sim.set_input("orders_gw", [1.0, 1.0])
    sim.advance_to(2.0)
    first = sim.results()
    sim.initialize()
    assert sim.time == 0.0
    sim.advance_to(2.0)
    assert first.equals(sim.results())


def test_step_api_errors() -> None:
    sim = ordered_capacity().simulator(dt=0.5)
    with pytest.raises(ModelError, match="'delivered_gw' is not an input"):
        sim.set_input("delivered_gw", 1.0)
    with pytest.raises(ModelError, match="got a sample axis but the run is not a batch"):
        sim.set_input("orders_gw", np.ones((3, 2)))
    sim.advance_to(1.0)
    with pytest.raises(SimulationError, match="not a whole number of steps"):
        sim.advance_to(0.5)
    with pytest.raises(SimulationError, match="not a whole number of steps"):
        sim.advance_to(1.2)
    with pytest.raises(ModelError, match="not recorded"):
        sim.results(["deliveries.stage1"])


def test_value_shapes() -> None:
    single = ordered_capacity().simulator(dt=0.5)
    assert single.value("orders_gw").shape == (2,)
    m = Model()
    m.stock("level", 3.0)
    assert m.simulator().value("level").shape == ()
    assert float(m.simulator().value("level")) == 3.0
