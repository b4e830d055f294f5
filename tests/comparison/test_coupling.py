"""The LP <-> simulation fixed point: convergence, reporting, and the budget feedback."""

from __future__ import annotations

import pandas as pd
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
        "npv_busd",
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
    assert not any(
        key.startswith("financing")
        for key in implied_overrides(scenario, simulation, CouplingOptions())
    )


@pytest.mark.parametrize("bad", [{"damping": 0.0}, {"damping": 1.5}, {"max_iterations": 0}])
def test_bad_settings_are_rejected(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"damping|max_iterations"):
        CouplingOptions(**bad)  # type: ignore[arg-type]
