"""Demand without double counting: a reference path, a price response on its deviation only."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sd_model
from optimization.lp.planning import PlanningModel
from optimization.sweeps.evaluators import SimulationMetrics
from sd_model import Scenario, ScenarioError, metrics
from sd_model.frames import reference_demand_gw

OUTLOOKS = ("lab_plan", "goldman", "mckinsey", "bear")


@pytest.fixture(scope="module")
def reference() -> Scenario:
    return sd_model.load_scenario("reference")


@pytest.mark.parametrize("outlook", OUTLOOKS)
def test_on_its_reference_price_path_demand_is_the_reference_path(
    reference: Scenario, outlook: str
) -> None:
    # every vendor at the reference perf/W: the price never leaves its path, so a
    # large elasticity must change nothing (growth and elasticity do not double count)
    scenario = reference.with_overrides({"demand.outlook": outlook, "demand.price_elasticity": 0.8})
    result = sd_model.simulate(scenario)
    expected = reference_demand_gw(scenario, len(result) - 1)
    np.testing.assert_allclose(result["compute_demand_gw"].to_numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(
        result["compute_demand_gw"].to_numpy()[:-1],
        scenario.frames("sd").compute_demand_gw.to_numpy(),
        rtol=1e-12,
    )


def test_outlook_growth_compounds_by_calendar_year(reference: Scenario) -> None:
    frames = reference.with_overrides({"demand.outlook": "goldman"}).frames("sd")
    demand = frames.compute_demand_gw
    start = reference.demand.compute_demand_gw_at_start
    assert demand["2027Q1"] == pytest.approx(start * 1.107)
    assert demand["2029Q1"] == pytest.approx(start * 1.107**2 * 1.209)


def test_price_below_its_path_raises_demand_by_the_elasticity(reference: Scenario) -> None:
    faster = reference.with_overrides(
        {"vendors.*.perf_per_watt_relative": 1.5, "demand.price_elasticity": 0.2}
    )
    result = sd_model.simulate(faster)
    ref = reference_demand_gw(faster, len(result) - 1)
    deviation = result["compute_price_deviation"].to_numpy()
    assert deviation.min() < 1.0  # the newer fleet makes compute cheaper than the path
    np.testing.assert_allclose(
        result["compute_demand_gw"].to_numpy(), ref * deviation**-0.2, rtol=1e-9
    )


@pytest.mark.parametrize("outlook", ["mckinsey", "bear"])
def test_utilization_falls_below_one_when_demand_is_below_capacity(
    reference: Scenario, outlook: str
) -> None:
    result = sd_model.simulate(reference.with_overrides({"demand.outlook": outlook}))
    short = result["compute_demand_gw"] < result["effective_capacity_gw"] - 1e-6
    assert short.any()
    np.testing.assert_allclose(
        result.loc[short, "served_compute_gw"], result.loc[short, "compute_demand_gw"]
    )
    assert (result.loc[short, "utilization"] < 1.0).all()
    figures = metrics.summary(result)
    assert figures["mean_utilization"] < 0.95
    assert figures["idle_gw_peak"] > 0.5
    assert figures["revenue_shortfall_busd"] > 0.0


def test_a_lower_outlook_lowers_utilization_and_raises_idle_gw(reference: Scenario) -> None:
    def figures(outlook: str) -> pd.Series:
        run = sd_model.simulate(reference.with_overrides({"demand.outlook": outlook}))
        summary = metrics.summary(run)
        assert isinstance(summary, pd.Series)
        return summary

    high, low = figures("lab_plan"), figures("bear")
    assert low["mean_utilization"] < high["mean_utilization"]
    assert low["idle_gw_mean"] > high["idle_gw_mean"]
    assert low["revenue_busd"] < high["revenue_busd"]


def test_the_lp_meets_the_selected_outlook(reference: Scenario) -> None:
    model = PlanningModel(reference)
    model.resolve({"demand.outlook": "bear"})
    lp = [model.model.p_demand[t].value for t in range(reference.periods.count("lp"))]
    frames = reference.with_overrides({"demand.outlook": "bear"}).frames("lp")
    np.testing.assert_allclose(lp, frames.compute_demand_gw.to_numpy())


def test_an_unknown_outlook_is_named_with_the_known_ones(reference: Scenario) -> None:
    with pytest.raises(ScenarioError) as caught:
        reference.with_overrides({"demand.outlook": "tulips"})
    message = str(caught.value)
    assert "demand.outlook" in message and "'tulips'" in message
    assert "bear, goldman, lab_plan, mckinsey" in message


def test_the_outlook_is_sweepable_in_a_simulation_batch(reference: Scenario) -> None:
    inputs = pd.DataFrame(
        {"demand.outlook": ["bear", "lab_plan", "bear"], "demand.price_elasticity": [0.1, 0.1, 0.3]}
    )
    figures = SimulationMetrics()(reference, inputs)
    assert (figures["error"] == "").all()
    utilization = figures["mean_utilization"].to_numpy(dtype=float)
    assert utilization[0] < utilization[1]
    # on the reference price path the elasticity changes nothing
    assert utilization[0] == pytest.approx(utilization[2])


def test_sampling_the_constant_growth_under_an_outlook_is_refused(reference: Scenario) -> None:
    scenario = reference.with_overrides({"demand.outlook": "mckinsey"})
    with pytest.raises(ValueError, match=r"sweep demand\.outlook instead"):
        sd_model.simulate(scenario, samples={"demand.demand_growth_per_year": [0.2, 0.4]})


def test_a_batch_samples_the_constant_growth_without_an_outlook(reference: Scenario) -> None:
    batch = sd_model.simulate(reference, samples={"demand.demand_growth_per_year": [0.2, 0.4]})
    single = sd_model.simulate(reference.with_overrides({"demand.demand_growth_per_year": 0.4}))
    second = batch.xs(1, level="sample")["compute_demand_gw"].to_numpy(dtype=float)
    np.testing.assert_allclose(second, single["compute_demand_gw"].to_numpy(dtype=float))
