"""The LP <-> simulation fixed point: convergence, reporting, and the budget feedback."""

from __future__ import annotations

import pytest

import sd_model
from optimization.coupling.fixed_point import CouplingOptions, couple, implied_overrides
from sd_model.testing import hand_scenario
from tests.conftest import TINY


def test_converges_on_the_tiny_scenario_and_reports_each_iteration() -> None:
    result = couple(sd_model.load_scenario(TINY))
    assert result.converged and "converged in" in result.message
    table = result.table()
    assert list(table.columns) == [
        "residual_gw",
        "objective_busd",
        "funding_added_busd",
        "demand_growth_per_year",
    ]
    assert table["residual_gw"].iloc[-1] <= CouplingOptions().tolerance_gw


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


def test_the_budget_feedback_changes_the_plan_between_first_and_last_iteration() -> None:
    # The first LP sees the revenue of the announced 1 GW; each simulated plan earns
    # more, which the next iteration may spend, until all 4 GW are affordable.
    result = couple(budget_bound(), CouplingOptions(max_iterations=20))
    assert result.converged, result.message
    first = result.first_plan.deliveries["delivered_gw"].sum()
    last = result.plan.deliveries["delivered_gw"].sum()
    assert first < 3.5 and last == pytest.approx(4.0, abs=0.05)
    assert (
        result.table()["funding_added_busd"].iloc[-1] > result.table()["funding_added_busd"].iloc[0]
    )
    without = couple(budget_bound(), CouplingOptions(budget_feedback=False))
    assert without.plan.deliveries["delivered_gw"].sum() == pytest.approx(
        without.first_plan.deliveries["delivered_gw"].sum()
    )


def test_non_convergence_is_a_clear_message_not_an_exception() -> None:
    result = couple(
        sd_model.load_scenario(TINY),
        CouplingOptions(max_iterations=1, tolerance_gw=1e-12),
    )
    assert not result.converged
    assert "did not converge in 1 iterations" in result.message


def test_implied_overrides_add_net_revenue_to_funding() -> None:
    scenario = sd_model.load_scenario(TINY)
    simulation = sd_model.simulate(scenario)
    overrides = implied_overrides(scenario, simulation, CouplingOptions())
    frame = simulation.iloc[:-1]
    in_2026 = frame["period"].str.startswith("2026")
    net = (frame["revenue_busd_per_period"] - frame["offsite_lease_busd_per_period"])[in_2026]
    expected = max(10 + float(net.sum()), 0.0)
    assert overrides["financing.external_funding_busd_by_year.2026"] == pytest.approx(expected)
    assert "demand.demand_growth_per_year" in overrides


@pytest.mark.parametrize("bad", [{"damping": 0.0}, {"damping": 1.5}, {"max_iterations": 0}])
def test_bad_settings_are_rejected(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"damping|max_iterations"):
        CouplingOptions(**bad)  # type: ignore[arg-type]
