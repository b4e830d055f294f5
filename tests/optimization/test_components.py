"""Hand-solvable LPs: one limit binds and the objective equals the hand computation.

Defaults of `hand_scenario`: 4 quarters, no discounting, one ready 1 GW site,
flat demand of 1 GW worth $0.25B per GW-quarter, every cost zero.
"""

from __future__ import annotations

from typing import Any

import pytest

from optimization import InfeasibleError, Mode, Plan, optimize
from optimization.testing import check_plan, recompute_objective
from sd_model.testing import hand_scenario

Q = 0.25  # value of 1 GW of compute for one quarter [$B]
HOURS = 8766.0 / 4  # hours in a quarter: 365.25 days a year


def _solve(mode: Mode = "optimal", **kwargs: Any) -> Plan:
    scenario = hand_scenario(**kwargs)
    plan = optimize(scenario, mode=mode)
    assert plan.status.value == "optimal"
    assert plan.objective == pytest.approx(plan.objective_terms.sum(), abs=1e-9)
    assert plan.objective == pytest.approx(recompute_objective(plan, scenario), abs=1e-7)
    assert check_plan(plan, scenario, fixed_timing=mode != "optimal") == []
    return plan


def test_everything_slack_costs_nothing() -> None:
    plan = _solve()
    assert plan.objective == pytest.approx(0.0, abs=1e-9)
    assert plan.diagnosis == ()


def test_site_max_binds() -> None:
    plan = _solve(demand={"compute_demand_gw_at_start": 2.0})
    assert plan.objective == pytest.approx(4 * Q * 1.0)
    assert plan.sites["it_gw"].max() == pytest.approx(1.0)
    limits = plan.limit_values.set_index(["limit", "key"])["value_busd_per_gw"]
    assert limits["site_max", "A"] == pytest.approx(4 * Q)


def test_shell_lead_time_delays_energization() -> None:
    plan = _solve(
        site={
            "shell_ready_gw_at_start": 0.0,
            "shell_lead_quarters": 2,
            "shell_capex_busd_per_gw": 0.4,
        },
        costs={"shell_life_years": 1.0},
    )
    # shells started in 2026Q1 are ready in 2026Q3; no book value left after one year
    assert plan.objective == pytest.approx(2 * Q + 0.4)
    assert list(plan.energized.query("new_gw > 1e-9")["period"]) == ["2026Q3"]


def test_vendor_ramp_binds() -> None:
    plan = _solve(vendor={"max_delivery_gw_per_period": 0.25})
    assert plan.objective == pytest.approx(Q * (0.75 + 0.5 + 0.25))
    assert plan.deliveries["delivered_gw"].tolist() == pytest.approx([0.25] * 4)


def test_vendor_earliest_delivery() -> None:
    plan = _solve(vendor={"earliest_delivery_period": "2026Q3"})
    assert plan.objective == pytest.approx(2 * Q)


def test_binding_contract_shortfall_is_diagnosed_and_strict_raises() -> None:
    kwargs: dict[str, Any] = {"vendor": {"contract_total_gw": 2.0, "binding_gw": 2.0}}
    plan = _solve(**kwargs)
    assert plan.objective == pytest.approx(200.0)  # 1 GW short at the default price
    assert plan.diagnosis == ("v: 1.00 GW of the binding contract cannot be energized by 2026Q4",)
    with pytest.raises(InfeasibleError) as err:
        optimize(hand_scenario(**kwargs), strict=True)
    assert err.value.diagnosis == plan.diagnosis
    assert "cannot be energized by 2026Q4" in str(err.value)


def test_interconnection_lead_time() -> None:
    plan = _solve(
        region={"interconnection_lead_quarters": 2}, site={"interconnected_gw_at_start": 0.0}
    )
    assert plan.objective == pytest.approx(2 * Q)
    assert plan.sites["connected_gw"].tolist() == pytest.approx([0, 0, 1, 1])


def test_headroom_binds_and_its_value() -> None:
    plan = _solve(headroom_gw=0.5, site={"interconnected_gw_at_start": 0.0})
    assert plan.objective == pytest.approx(4 * Q * 0.5)
    step = plan.regions["headroom_step_value_busd_per_gw"].tolist()
    assert step[0] == pytest.approx(4 * Q)  # 1 GW more for the whole horizon
    assert any("R headroom binds" in line for line in plan.binding_limits)


def test_headroom_slack_in_announced_timing_names_the_region() -> None:
    plan = _solve(
        mode="announced_timing",
        headroom_gw=0.5,
        site={"interconnected_gw_at_start": 0.0},
        announced=(("2026Q1", "v", "A", 1.0),),
    )
    # relaxing headroom (20 $B/GW-quarter) is cheaper than stranding (30)
    assert plan.objective == pytest.approx(4 * 20 * 0.5)
    assert plan.diagnosis == (
        "R needs 0.50 GW more headroom in 2026Q1 (short in 4 periods, 2026Q1–2026Q4)",
    )


def test_grid_energy_and_pue() -> None:
    price = 100.0  # $/MWh -> 0.219 $B per GW-quarter, below the 0.25 value of compute
    plan = _solve(region={"energy_price_usd_per_mwh": price})
    assert plan.objective == pytest.approx(4 * HOURS * price * 1e-6)
    # at PUE 1.2 the facility energy costs more than the compute is worth: serve nothing
    plan = _solve(region={"energy_price_usd_per_mwh": price}, pue=1.2, site={"grid_limit_gw": 1.2})
    assert plan.objective == pytest.approx(4 * Q)
    assert plan.sites["it_gw"].max() == pytest.approx(0.0)


def test_onsite_generation_powers_a_site_without_grid() -> None:
    plan = _solve(
        site={"interconnected_gw_at_start": 0.0, "grid_limit_gw": 0.0},
        onsite={"capex_busd_per_gw": 0.4, "availability_factor": 0.8, "life_years": 1.0},
    )
    assert plan.objective == pytest.approx(0.4 / 0.8)
    assert plan.onsite["capacity_gw"].max() == pytest.approx(1.25)


def test_ppa_coverage_binds() -> None:
    market, strike = 20.0, 40.0
    plan = _solve(
        region={"energy_price_usd_per_mwh": market},
        ppa={"price_usd_per_mwh": strike, "capacity_factor": 0.25},
        coverage_by_year={2026: 0.5},
    )
    # 0.5 GW of average clean supply = 2 GW nameplate at cf 0.25, settled at strike - market
    per_quarter = HOURS * 1e-6 * (market * 1.0 + 0.5 * (strike - market))
    assert plan.objective == pytest.approx(4 * per_quarter)
    assert plan.ppa["online_gw"].tolist() == pytest.approx([2.0] * 4)


def test_ppas_do_not_relax_headroom() -> None:
    plan = _solve(headroom_gw=0.0, site={"interconnected_gw_at_start": 0.0}, ppa={})
    assert plan.objective == pytest.approx(4 * Q)


def test_budget_limits_deliveries() -> None:
    plan = _solve(
        vendor={"capex_busd_per_gw": 2.0},
        financing={"starting_cash_busd": 0.0, "external_funding_busd_by_year": {2026: 4.0}},
    )
    # $1B per quarter buys 0.5 GW per quarter; salvage leaves (4 - t) * 0.25 / 100 of capex
    capex = 2.0 * 0.5 * (1 / 100) + 2.0 * 0.5 * (0.75 / 100)
    assert plan.objective == pytest.approx(Q * 0.5 + capex)
    assert plan.cash["cash_busd"].min() >= -1e-9
    assert any("2026 budget binds" in line for line in plan.binding_limits)


def test_budget_overrun_is_diagnosed() -> None:
    plan = _solve(
        vendor={"capex_busd_per_gw": 2.0, "binding_gw": 1.0, "deadline_period": "2026Q1"},
        financing={"starting_cash_busd": 0.0},
    )
    assert plan.objective == pytest.approx(5.0 * 2.0 + 2.0 / 100)
    assert plan.diagnosis == ("the 2026 budget is short by $2B",)


def test_debt_funds_facility_capex_up_to_loan_to_cost() -> None:
    site = {"shell_ready_gw_at_start": 0.0, "shell_capex_busd_per_gw": 0.5}
    costs = {"shell_life_years": 1.0}
    debt = {"debt_capacity_busd": 10.0, "debt_rate_per_year": 0.0}
    plan = _solve(
        site=site,
        costs=costs,
        financing={"starting_cash_busd": 0.0, "facility_debt_share": 1.0, **debt},
    )
    assert plan.objective == pytest.approx(0.5)
    assert plan.cash["debt_busd"].tolist() == pytest.approx([0.5] * 4)
    # half of the shell can be debt-financed; the rest comes from cash
    plan = _solve(
        site=site,
        costs=costs,
        financing={"starting_cash_busd": 0.25, "facility_debt_share": 0.5, **debt},
    )
    assert plan.objective == pytest.approx(0.5)
    assert plan.cash["debt_busd"].max() == pytest.approx(0.25)
    # with a 4 %/yr rate, interest on the debt is a cost
    plan = _solve(
        site=site,
        costs=costs,
        financing={
            "starting_cash_busd": 1.0,
            "facility_debt_share": 1.0,
            "debt_capacity_busd": 10.0,
            "debt_rate_per_year": 0.04,
        },
    )
    assert plan.cash["debt_busd"].max() == pytest.approx(0.0)  # cash is cheaper than debt
