"""Rolling horizon: plan a window, execute a year in the simulation, re-plan from its state."""

from __future__ import annotations

import pandas as pd
import pytest

import sd_model
from optimization.coupling.rolling import RollingOptions, RollingResult, rolling_horizon, state_at
from tests.conftest import TINY


@pytest.fixture(scope="module")
def rolled() -> RollingResult:
    return rolling_horizon(sd_model.load_scenario(TINY))


def test_one_step_per_year_of_the_lp_horizon(rolled: RollingResult) -> None:
    table = rolled.table()
    assert list(table.index) == ["2026Q1", "2027Q1"]
    assert len(rolled.plans) == 2


def test_the_binding_contract_is_met_across_the_steps(rolled: RollingResult) -> None:
    # asic's 1 GW is binding by 2027Q4; the first plan delivers most of it in its second
    # year, so the second step must deliver it from the state the simulation reached.
    delivered = rolled.schedule.total_by_vendor()
    assert delivered["asic"] == pytest.approx(1.0, abs=1e-6)
    assert rolled.table()["executed_gw"].sum() == pytest.approx(rolled.schedule.total_gw())


def test_the_result_simulation_is_the_simulation_of_the_executed_decisions(
    rolled: RollingResult,
) -> None:
    scenario = sd_model.load_scenario(TINY)
    again = sd_model.simulate(scenario, decisions=rolled.decisions)
    pd.testing.assert_frame_equal(again, rolled.simulation)
    # every decision is exchanged, not only the deliveries: the simulation follows the plans'
    # grid requests and shells, so it differs from the deliveries' simulation
    assert "grid_requests" in rolled.decisions.fixed and "shell_starts" in rolled.decisions.fixed
    first_window = rolled.plans[0].decisions.grid_requests
    assert first_window is not None
    executed = rolled.decisions.grid_requests
    assert executed is not None
    early = first_window.loc[first_window["period"] < "2027Q1"]
    pd.testing.assert_frame_equal(
        executed.loc[executed["period"] < "2027Q1"].reset_index(drop=True),
        early.reset_index(drop=True),
    )


def test_state_at_restarts_the_scenario_from_the_simulated_state() -> None:
    scenario = sd_model.load_scenario(TINY)
    simulation = sd_model.simulate(scenario)
    state = state_at(scenario, simulation, "2027Q1", "2028Q4")
    row = simulation.loc[simulation["period"] == "2027Q1"].iloc[0]
    assert state.periods.start_period == "2027Q1"
    assert state.financing.starting_cash_busd == pytest.approx(max(row["cash_busd"], 0.0))
    assert state.site("TXA").energized_gw_at_start == pytest.approx(row["site_load_gw[TXA]"])
    gpu = state.vendor("gpu")
    assert gpu.contract_total_gw == pytest.approx(2.0 - row["delivered_cum_gw[gpu]"])
    assert gpu.earliest_delivery_period == "2027Q1"
    assert set(state.policy.ppa_coverage_target_by_year) == {2027}
    assert state.announced_schedule.frame["period"].min() >= "2027Q1"


def test_a_worse_world_than_planned_is_re_planned_from_what_happened() -> None:
    scenario = sd_model.load_scenario(TINY)
    slower = rolling_horizon(scenario, realization={"regions.*.interconnection_lead_quarters": 12})
    base = rolling_horizon(scenario)
    energized = "energized_total_gw"
    assert slower.simulation[energized].iloc[-1] < base.simulation[energized].iloc[-1]


def test_bad_window_is_rejected() -> None:
    with pytest.raises(ValueError, match="step_years"):
        RollingOptions(window_years=1, step_years=2)


def test_a_scenario_with_leases_rolls_and_couples() -> None:
    from optimization.coupling.fixed_point import couple

    scenario = sd_model.load_scenario("cloud_leases")
    state = state_at(scenario, sd_model.simulate(scenario), "2027Q1", "2031Q4")
    assert all(c.start_period >= "2027Q1" for c in state.lease_contracts)
    # AWS: 7 years from 2026Q1 with a 4-quarter ramp -> from 2027Q1 the full 7 years remain
    aws = next(c for c in state.lease_contracts if c.id == "aws_openai")
    assert (aws.term_years, aws.ramp_quarters) == (7.0, 0)
    azure = next(c for c in state.lease_contracts if c.id == "microsoft_azure")
    assert (azure.term_years, azure.ramp_quarters) == (8.0, 4)
    assert couple(scenario).iterations


def test_the_rolling_horizon_runs_on_the_reference() -> None:
    # the reference's announced schedule is scaled into each step's remaining contracts; the
    # scale factors once came out as text (pandas' string dtype) and the first step failed
    scenario = sd_model.load_scenario("reference")
    result = rolling_horizon(scenario)
    assert list(result.table().index)[:2] == ["2026Q1", "2027Q1"]
    assert "grid_requests" in result.decisions.fixed
