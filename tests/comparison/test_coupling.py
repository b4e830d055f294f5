"""The LP <-> simulation fixed point: convergence, reporting, and the budget feedback."""

from __future__ import annotations

import pandas as pd
import pytest

import sd_model
from optimization.coupling.feedback import GridFeedback, grid_feedback, with_simulated_outlook
from optimization.coupling.fixed_point import (
    REGION_COLUMNS,
    CouplingOptions,
    couple,
    implied_overrides,
)
from sd_model.testing import hand_scenario
from tests.conftest import TINY


def test_converges_on_the_tiny_scenario_and_reports_each_iteration() -> None:
    result = couple(sd_model.load_scenario(TINY))
    assert result.converged and "converged in" in result.message
    table = result.table()
    assert list(table.columns) == [
        "residual_gw",
        "npv_busd",
        "funding_added_busd",
        "demand_growth_per_year",
    ]
    assert table["residual_gw"].iloc[-1] <= CouplingOptions().tolerance_gw
    regions = result.regions
    assert list(regions.columns) == REGION_COLUMNS
    assert len(regions) == len(table) * len(sd_model.load_scenario(TINY).regions)
    assert result.report_year == 2027  # the tiny LP ends in 2027: its last year stands for 2030
    assert result.decisions.fixed == (
        "deliveries",
        "shell_starts",
        "grid_requests",
        "onsite_builds",
        "ppa_signings",
        "lease_takeups",
        "installs",
    )


def budget_bound() -> sd_model.Scenario:
    """One site with room and power for 4 GW, hardware that pays back, little cash."""
    return hand_scenario(
        quarters=12,
        site={
            "max_gw": 4.0,
            "shell_ready_gw_at_start": 4.0,
            "interconnected_gw_at_start": 5.0,
            "grid_limit_gw": 5.0,
        },
        vendor={
            "contract_total_gw": 4.0,
            "capex_busd_per_gw": 4.0,
            "max_delivery_gw_per_period": 1.0,
        },
        financing={"starting_cash_busd": 3.0},
        demand={"compute_demand_gw_at_start": 4.0, "revenue_busd_per_gw_year_at_start": 4.0},
        announced=(("2026Q1", "v", "", 1.0),),
        costs={"it_depreciation_years": 5.0},
    )


def test_the_budget_feedback_passes_the_realised_revenue_gap() -> None:
    # The LP counts on the revenue of what it plans; the simulation realises the schedule's
    # revenue with its delays. The gap reaches the next iteration as a funding correction.
    result = couple(budget_bound(), CouplingOptions(max_iterations=20))
    assert result.converged, result.message
    added = result.table()["funding_added_busd"]
    assert added.iloc[0] == 0.0  # no previous plan: nothing to correct
    assert (added.iloc[1:] != 0.0).any()
    without = couple(budget_bound(), CouplingOptions(budget_feedback=False))
    assert (without.table()["funding_added_busd"] == 0.0).all()


def test_non_convergence_is_a_clear_message_not_an_exception() -> None:
    result = couple(
        sd_model.load_scenario(TINY),
        CouplingOptions(max_iterations=1, tolerance_gw=1e-12),
    )
    assert not result.converged
    assert "did not converge in 1 iterations" in result.message


def test_implied_overrides_add_the_revenue_gap_to_funding() -> None:
    scenario = sd_model.load_scenario(TINY)
    simulation = sd_model.simulate(scenario)
    planned = pd.Series({2026: 1.5, 2027: 4.0})  # what a plan counted on [$B]
    overrides = implied_overrides(scenario, simulation, CouplingOptions(), planned)
    frame = simulation.iloc[:-1]
    in_2026 = frame["period"].str.startswith("2026")
    realised = float(frame["revenue_busd_per_period"][in_2026].sum())
    expected = max(10 + realised - 1.5, 0.0)
    assert overrides["financing.external_funding_busd_by_year.2026"] == pytest.approx(expected)
    assert "demand.demand_growth_per_year" in overrides
    # with the coupling's outlook in the scenario, the demand path goes back year by year
    path = implied_overrides(with_simulated_outlook(scenario), simulation, CouplingOptions())
    assert path["demand.outlook"] == "simulated_by_coupling"
    demand = simulation["compute_demand_gw"].to_numpy()
    growth_2026 = (demand[4] / demand[0]) - 1  # four quarters of 2026
    key = "demand.outlooks.simulated_by_coupling.growth_by_year.2026"
    assert path[key] == pytest.approx(growth_2026)
    assert not any(
        key.startswith("financing")
        for key in implied_overrides(scenario, simulation, CouplingOptions())
    )


@pytest.mark.parametrize("bad", [{"damping": 0.0}, {"damping": 1.5}, {"max_iterations": 0}])
def test_bad_settings_are_rejected(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"damping|max_iterations"):
        CouplingOptions(**bad)  # type: ignore[arg-type]


def attrition_bound(**region: float) -> sd_model.Scenario:
    """A site that needs a 1 GW grid connection, in a region where half the queue drops out."""
    return hand_scenario(
        quarters=12,
        region={"interconnection_lead_quarters": 1, "queue_attrition_fraction": 0.5, **region},
        site={"interconnected_gw_at_start": 0.0, "grid_limit_gw": 5.0, "max_gw": 2.0},
        vendor={"contract_total_gw": 1.0},
        costs={"interconnection_busd_per_gw": 0.1},
    )


def test_the_realised_attrition_makes_the_lp_file_proportionally_more() -> None:
    # The simulation drops half of every request; told so, the LP files 2 GW for the 1 GW it
    # needs and the simulation of its decisions energizes the whole 1 GW, not half of it.
    informed = couple(attrition_bound())
    blind = couple(attrition_bound(), CouplingOptions(grid_feedback=False))
    assert informed.converged and blind.converged
    assert informed.regions["connection_share"].iloc[-1] == pytest.approx(0.5, abs=1e-3)
    assert (blind.regions["connection_share"] == 1.0).all()
    assert informed.plan.sites["grid_request_gw"].sum() == pytest.approx(2.0, rel=1e-3)
    assert blind.plan.sites["grid_request_gw"].sum() == pytest.approx(1.0)
    last, last_blind = informed.regions.iloc[-1], blind.regions.iloc[-1]
    assert last["lp_energized_gw"] == pytest.approx(1.0)
    assert last["simulated_energized_gw"] == pytest.approx(1.0, abs=1e-3)
    assert last_blind["simulated_energized_gw"] == pytest.approx(0.5, abs=1e-3)


def test_a_longer_realised_queue_becomes_the_lps_effective_lead() -> None:
    # The world's queue takes 4 quarters, the planner believes 1: the feedback measures the
    # extra 3 quarters, and an effective lead never shortens from one iteration to the next.
    planner = attrition_bound()
    world = planner.with_overrides({"regions.R.interconnection_lead_quarters": 4})
    result = couple(world)
    simulation = sd_model.simulate(world, decisions=result.decisions)
    feedback = grid_feedback(simulation, planner)
    assert feedback.lead_quarters["R"] == 4
    assert feedback.lead_overrides(planner) == {"regions.R.interconnection_lead_quarters": 4}
    longer = GridFeedback({"R": 6}, {"R": 1.0})
    assert grid_feedback(simulation, planner, longer).lead_quarters["R"] == 6


def test_the_reference_converges_with_the_full_decisions_and_grid_feedback() -> None:
    scenario = sd_model.load_scenario("reference")
    result = couple(scenario)
    assert result.converged, result.message
    assert len(result.iterations) <= CouplingOptions().max_iterations
    regions = result.regions
    assert set(regions["region"]) == {r.id for r in scenario.regions}
    # ERCOT, where the plan connects, passes back a derate and a longer lead
    ercot = regions.loc[regions["region"] == "ERCOT"].iloc[-1]
    assert 0.5 < ercot["connection_share"] < 1.0
    assert ercot["effective_lead_quarters"] >= ercot["lead_quarters"]
