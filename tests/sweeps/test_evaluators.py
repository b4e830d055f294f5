"""Sweep evaluators: the vectorized simulation, the LP with warm re-solves, bad samples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sd_model
from optimization.coupling.case_tables import horizon_metrics
from optimization.lp.planning import optimize
from optimization.sweeps import PlanMetrics, SimulationMetrics, Uniform, sweep
from optimization.sweeps.evaluators import sample_errors, whole_numbers
from sd_model.scenario.key_values import check_value, is_integer_key
from tests.conftest import TINY


@pytest.fixture(scope="module")
def scenario() -> sd_model.Scenario:
    return sd_model.load_scenario(TINY)


def test_simulation_metrics_equal_single_runs_over_the_planning_horizon(
    scenario: sd_model.Scenario,
) -> None:
    inputs = pd.DataFrame(
        {
            "demand.demand_growth_per_year": [0.2, 0.9],
            "regions.*.interconnection_lead_quarters": [2, 10],
        },
        index=pd.Index([7, 8], name="sample"),
    )
    figures = SimulationMetrics()(scenario, inputs)
    assert list(figures.index) == [7, 8] and (figures["error"] == "").all()
    for i, (_, row) in enumerate(inputs.iterrows()):
        single = sd_model.simulate(scenario.with_overrides({str(k): v for k, v in row.items()}))
        expected = horizon_metrics(single, scenario)
        for name in ("peak_stranded_gw", "min_cash_busd", "delivered_gw", "revenue_busd"):
            assert figures[name].iloc[i] == pytest.approx(expected[name], rel=1e-9), name


def test_a_bad_sample_is_recorded_and_the_rest_are_simulated(scenario: sd_model.Scenario) -> None:
    inputs = pd.DataFrame({"pue": [1.2, 0.7, 1.3]})
    figures = SimulationMetrics()(scenario, inputs)
    assert figures["error"].tolist()[0] == "" and figures["error"].tolist()[2] == ""
    assert "pue=0.7: expected greater than or equal to 1" in figures["error"].iloc[1]
    assert np.isnan(figures["min_cash_busd"].iloc[1])
    assert not np.isnan(figures["min_cash_busd"].iloc[2])


def test_plan_metrics_match_fresh_solves(scenario: sd_model.Scenario) -> None:
    inputs = pd.DataFrame(
        {
            "financing.starting_cash_busd": [5.0, 40.0],
            "regions.ERCOT.interconnection_lead_quarters": [4, 6],
        }
    )
    figures = PlanMetrics()(scenario, inputs)
    assert (figures["error"] == "").all()
    for i, (_, row) in enumerate(inputs.iterrows()):
        fresh = optimize(scenario.with_overrides({str(k): v for k, v in row.items()}))
        assert figures["npv_busd"].iloc[i] == pytest.approx(fresh.npv_busd, rel=1e-6)


def test_integer_fields_are_rounded_before_they_are_checked(scenario: sd_model.Scenario) -> None:
    assert is_integer_key("regions.*.interconnection_lead_quarters")
    assert not is_integer_key("demand.demand_growth_per_year")
    table = whole_numbers(pd.DataFrame({"regions.*.interconnection_lead_quarters": [7.6, 8.2]}))
    assert table.iloc[:, 0].tolist() == [8, 8]
    assert sample_errors(table).tolist() == ["", ""]
    assert check_value("regions.PJM.interconnection_lead_quarters", 7.5) is not None


def test_an_sd_sweep_runs_every_sample_in_one_batch_per_chunk(scenario: sd_model.Scenario) -> None:
    # little demand: served compute, and so revenue, follows the sampled demand
    key = "demand.compute_demand_gw_at_start"
    table = sweep(
        scenario,
        {key: Uniform(0.05, 0.5)},
        samples=50,
        seed=3,
        evaluate=SimulationMetrics(),
        executor="inprocess",
        chunk_size=25,
    )
    assert len(table) == 50 and (table["error"] == "").all()
    assert table["revenue_busd"].corr(table[key]) > 0.9
