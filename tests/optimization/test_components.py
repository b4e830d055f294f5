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


def _forgone(plan: Plan) -> float:
    """Revenue forgone plus costs [$B]: the objective against serving all demand for free.

    The objective is cost minus revenue; adding the revenue of all demand gives
    the hand computations of these tests (the value of unserved compute plus costs).
    """
    full = Q * float(plan.demand["demand_gw"].sum())
    return plan.objective + (full if plan.objective_kind == "net_value" else 0.0)


def test_everything_slack_costs_nothing() -> None:
    # a token capex (written off in a year) makes buying hardware that serves nothing a loss
    plan = _solve(vendor={"capex_busd_per_gw": 0.04}, costs={"it_depreciation_years": 1.0})
    assert _forgone(plan) == pytest.approx(0.04)
    assert plan.npv_busd == pytest.approx(4 * Q - 0.04)
    assert plan.penalty_busd == 0.0
    assert plan.diagnosis == ()


def test_revenue_pays_for_growth() -> None:
    # no cash and no funding: only the revenue of the 0.5 GW running at the start can buy more
    plan = _solve(
        site={"energized_gw_at_start": 0.5},
        vendor={"capex_busd_per_gw": 0.5},
        financing={"starting_cash_busd": 0.0},
    )
    # period 1: 0.25 (0.5 + x) >= 0.5 x  ->  x = 0.5 GW, the site is full at once (and stays
    # full: new hardware replaces the start fleet as it retires, 1/400 a quarter over 100 years)
    assert plan.energized.query("new_gw > 1e-9")["period"].iloc[0] == "2026Q1"
    assert plan.sites["it_gw"].tolist() == pytest.approx([1.0] * 4)
    assert plan.cash["revenue_busd"].tolist() == pytest.approx([Q] * 4)
    assert plan.cash["cash_busd"].iloc[0] == pytest.approx(0.0, abs=1e-9)


def test_site_max_binds() -> None:
    # with the site's connection also at 1 GW, relaxing max_gw alone is worth nothing
    tight = _solve(demand={"compute_demand_gw_at_start": 2.0})
    tight_limits = tight.limit_values.set_index(["limit", "key"])
    assert tight_limits.at[("site_max", "A"), "scenario_key"] == "sites.A.max_gw"
    assert tight_limits.at[("site_max", "A"), "value_busd_per_gw"] == pytest.approx(0.0)
    plan = _solve(demand={"compute_demand_gw_at_start": 2.0}, site={"grid_limit_gw": 5.0})
    assert _forgone(plan) == pytest.approx(4 * Q * 1.0)
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
    assert _forgone(plan) == pytest.approx(2 * Q + 0.4)
    assert list(plan.energized.query("new_gw > 1e-9")["period"]) == ["2026Q3"]


def test_vendor_ramp_binds() -> None:
    plan = _solve(vendor={"max_delivery_gw_per_period": 0.25})
    assert _forgone(plan) == pytest.approx(Q * (0.75 + 0.5 + 0.25))
    assert plan.deliveries["delivered_gw"].tolist() == pytest.approx([0.25] * 4)


def test_vendor_earliest_delivery() -> None:
    plan = _solve(vendor={"earliest_delivery_period": "2026Q3"})
    assert _forgone(plan) == pytest.approx(2 * Q)


def test_binding_contract_shortfall_is_diagnosed_and_strict_raises() -> None:
    kwargs: dict[str, Any] = {"vendor": {"contract_total_gw": 2.0, "binding_gw": 2.0}}
    plan = _solve(**kwargs)
    assert _forgone(plan) == pytest.approx(200.0)  # 1 GW short at the default price
    assert plan.diagnosis == ("v: 1.00 GW of the binding contract cannot be energized by 2026Q4",)
    with pytest.raises(InfeasibleError) as err:
        optimize(hand_scenario(**kwargs), strict=True)
    assert err.value.diagnosis == plan.diagnosis
    assert "cannot be energized by 2026Q4" in str(err.value)


def test_interconnection_lead_time() -> None:
    plan = _solve(
        region={"interconnection_lead_quarters": 2}, site={"interconnected_gw_at_start": 0.0}
    )
    assert _forgone(plan) == pytest.approx(2 * Q)
    assert plan.sites["connected_gw"].tolist() == pytest.approx([0, 0, 1, 1])


def test_headroom_binds_and_its_value() -> None:
    plan = _solve(headroom_gw=0.5, site={"interconnected_gw_at_start": 0.0})
    assert _forgone(plan) == pytest.approx(4 * Q * 0.5)
    step = plan.regions["headroom_step_value_busd_per_gw"].tolist()
    assert step[0] == pytest.approx(4 * Q)  # 1 GW more for the whole horizon
    assert any("R headroom binds" in line for line in plan.binding_limits)


def test_announced_hardware_without_headroom_is_stranded_not_penalised() -> None:
    plan = _solve(
        mode="announced_timing",
        headroom_gw=0.5,
        site={"interconnected_gw_at_start": 0.0},
        announced=(("2026Q1", "v", "A", 1.0),),
    )
    # stranding is an outcome with a money cost (revenue not earned), not a priced violation;
    # breaking the headroom limit is: so half the delivery waits, and the plan says so
    assert _forgone(plan) == pytest.approx(4 * Q * 0.5)
    assert plan.penalty_busd == 0.0
    assert plan.diagnosis[0] == (
        "v: 0.50 GW delivered but not energized in 2026Q1 (stranded; 0.50 GW-years in all)"
    )
    assert plan.diagnosis[1].startswith(
        "demand exceeds what the plan serves in 4 periods, 2026Q1–2026Q4: 0.50 GW unserved "
        "in 2026Q4 (50% of demand); what binds most: R headroom binds"
    )


def test_grid_energy_and_pue() -> None:
    price = 100.0  # $/MWh -> 0.219 $B per GW-quarter, below the 0.25 value of compute
    plan = _solve(region={"wholesale_price_usd_per_mwh": price})
    assert _forgone(plan) == pytest.approx(4 * HOURS * price * 1e-6)
    # at PUE 1.2 the facility energy costs more than the compute is worth: serve nothing
    plan = _solve(
        region={"wholesale_price_usd_per_mwh": price}, pue=1.2, site={"grid_limit_gw": 1.2}
    )
    assert _forgone(plan) == pytest.approx(4 * Q)
    assert plan.sites["it_gw"].max() == pytest.approx(0.0)


def test_onsite_generation_powers_a_site_without_grid() -> None:
    plan = _solve(
        site={"interconnected_gw_at_start": 0.0, "grid_limit_gw": 0.0},
        onsite={"capex_busd_per_gw": 0.4, "availability_factor": 0.8, "life_years": 1.0},
    )
    assert _forgone(plan) == pytest.approx(0.4 / 0.8)
    assert plan.onsite["capacity_gw"].max() == pytest.approx(1.25)


def test_ppa_coverage_binds() -> None:
    market, strike = 20.0, 40.0
    plan = _solve(
        region={"wholesale_price_usd_per_mwh": market},
        ppa={"price_usd_per_mwh": strike, "capacity_factor": 0.25},
        coverage_by_year={2026: 0.5},
        policy={"clean_certificate_price_usd_per_mwh": 50.0},
    )
    # 0.5 GW of average clean supply = 2 GW nameplate at cf 0.25, settled at strike - market
    per_quarter = HOURS * 1e-6 * (market * 1.0 + 0.5 * (strike - market))
    assert _forgone(plan) == pytest.approx(4 * per_quarter)
    assert plan.ppa["online_gw"].tolist() == pytest.approx([2.0] * 4)


def test_a_target_that_costs_more_than_it_is_worth_is_met_with_certificates() -> None:
    market, strike, certificate = 20.0, 80.0, 30.0
    plan = _solve(
        region={"wholesale_price_usd_per_mwh": market},
        ppa={"price_usd_per_mwh": strike, "capacity_factor": 0.25},
        coverage_by_year={2026: 0.5},
        policy={"clean_certificate_price_usd_per_mwh": certificate},
    )
    # a PPA premium of 60 $/MWh costs more than a certificate at 30: no PPA, certificates
    assert plan.ppa["online_gw"].max() == pytest.approx(0.0)
    assert plan.power_mix["coverage_short_gw"].tolist() == pytest.approx([0.5] * 4)
    per_quarter = HOURS * 1e-6 * (market * 1.0 + 0.5 * certificate)
    assert _forgone(plan) == pytest.approx(4 * per_quarter)
    assert plan.penalty_busd == 0.0
    assert any("certificates make up the rest" in line for line in plan.diagnosis)


def test_a_below_wholesale_ppa_is_not_signed_beyond_the_loads_need() -> None:
    market, strike = 60.0, 20.0  # a PPA that pays the lab 40 $/MWh: arbitrage if unbounded
    plan = _solve(
        region={"wholesale_price_usd_per_mwh": market},
        ppa={"price_usd_per_mwh": strike, "capacity_factor": 0.25, "max_gw": 100.0},
        policy={"ppa_hedge_allowance": 0.1},
    )
    # clean energy up to the 1 GW load's energy plus the 10 % hedge: 1.1 GW average, 4.4 nameplate
    assert plan.power_mix["clean_ppa_gw"].tolist() == pytest.approx([1.1] * 4)
    assert plan.ppa["online_gw"].max() == pytest.approx(4.4)


def test_a_connection_without_it_load_is_never_chosen() -> None:
    plan = _solve(
        site={"interconnected_gw_at_start": 0.0, "grid_limit_gw": 5.0},
        region={"capacity_price_usd_per_mwh": 10.0},
        costs={"interconnection_busd_per_gw": 0.1, "minimum_demand_share": 0.8},
    )
    assert plan.sites["connected_gw"].max() == pytest.approx(1.0)  # the load, not the limit
    # the request is paid once (book value after a year of a 100-year life left over)
    assert plan.objective_terms["interconnection"] == pytest.approx(0.1)


def test_ppas_do_not_relax_headroom() -> None:
    plan = _solve(headroom_gw=0.0, site={"interconnected_gw_at_start": 0.0}, ppa={})
    assert _forgone(plan) == pytest.approx(4 * Q)


def test_budget_limits_deliveries() -> None:
    plan = _solve(
        vendor={"capex_busd_per_gw": 2.0},
        financing={"starting_cash_busd": 0.0, "external_funding_busd_by_year": {2026: 2.0}},
    )
    # $0.5B funding per quarter plus the revenue of what runs pays 2 $B/GW:
    # 2 x1 = 0.5 + 0.25 x1, then 2 x2 = 0.5 + 0.25 (x1 + x2)
    x1 = 0.5 / 1.75
    x2 = (0.5 + 0.25 * x1) / 1.75
    assert plan.deliveries["delivered_gw"].tolist()[:2] == pytest.approx([x1, x2])
    assert plan.cash["cash_busd"].min() >= -1e-9
    assert any("2026 budget binds" in line for line in plan.binding_limits)


def test_budget_overrun_is_diagnosed() -> None:
    plan = _solve(
        vendor={"capex_busd_per_gw": 2.0, "binding_gw": 1.0, "deadline_period": "2026Q1"},
        financing={"starting_cash_busd": 0.0},
    )
    # 2 $B due in 2026Q1 against 0.25 of revenue: 1.75 $B emergency money at a 0.5 premium
    assert plan.cash["overrun_busd"].iloc[0] == pytest.approx(1.75)
    assert plan.objective_terms["emergency_funding_premium"] == pytest.approx(0.5 * 1.75)
    assert plan.penalty_busd == 0.0
    assert plan.diagnosis == (
        "cash would fall below zero: the plan raises emergency money at a premium "
        "(2026: $1.75B; in 2026Q1)",
    )


def test_debt_funds_facility_capex_up_to_loan_to_cost() -> None:
    site = {"shell_ready_gw_at_start": 0.0, "shell_capex_busd_per_gw": 0.5}
    costs = {"shell_life_years": 1.0}
    loan = {"debt_capacity_busd": 10.0, "debt_rate_per_year": 0.04}
    plan = _solve(
        site=site,
        costs=costs,
        financing={"starting_cash_busd": 0.0, "facility_debt_share": 1.0, **loan},
    )
    # the 0.5 $B shell is due in 2026Q1, when the site's revenue brings 0.25: borrow the rest,
    # repay it from the next quarters' revenue; interest (1 % a quarter) is paid in cash too
    debt = plan.cash["debt_busd"].to_numpy()
    assert debt[0] == pytest.approx(0.25 / 0.99)
    assert debt[-1] == pytest.approx(0.0)
    assert plan.objective_terms["interest"] == pytest.approx(0.01 * debt.sum())
    # with a 0.5 loan-to-cost, at most 0.25 of the shell can be debt
    plan = _solve(
        site=site,
        costs=costs,
        financing={"starting_cash_busd": 0.0, "facility_debt_share": 0.5, **loan},
        demand={"revenue_busd_per_gw_year_at_start": 0.8},
    )
    assert plan.cash["debt_busd"].max() == pytest.approx(0.25)
    # the rest of the shell and the quarter's interest come from emergency money
    assert plan.cash["overrun_busd"].iloc[0] == pytest.approx(0.5 - 0.2 - 0.25 + 0.01 * 0.25)
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


def test_the_same_plan_on_monthly_and_quarterly_grids() -> None:
    # slacks are priced per GW-year, so the period length changes neither plan nor prices:
    # a 1 GW start load at PUE 1.6 on a 1 GW connection lacks 0.6 GW; the 0.5 GW of headroom
    # connects at once, so ~0.1 GW stays unpowered all year (240 $B per GW-year) on either grid
    kwargs: dict[str, Any] = {
        "pue": 1.6,
        "headroom_gw": 0.5,
        "site": {"energized_gw_at_start": 1.0, "max_gw": 1.5, "grid_limit_gw": 1.5},
        "vendor": {"capex_busd_per_gw": 0.4},
        "demand": {"compute_demand_gw_at_start": 1.3},
        "region": {"wholesale_price_usd_per_mwh": 40.0},
        "costs": {"interconnection_busd_per_gw": 0.1},
    }
    quarterly = _solve(**kwargs)
    monthly = optimize(hand_scenario(monthly=True, **kwargs))
    quarter_ends = monthly.sites.iloc[2::3]
    assert quarter_ends["it_gw"].tolist() == pytest.approx(quarterly.sites["it_gw"].tolist())
    # the start fleet retires in monthly rather than quarterly steps (over 100 years):
    # that, not the pricing, is the only difference, a few parts in a thousand
    assert monthly.npv_busd == pytest.approx(quarterly.npv_busd, rel=5e-3)
    assert monthly.penalty_busd == pytest.approx(quarterly.penalty_busd, rel=2e-2)
    unpowered = [1.6 * (1 - (t + 1) / 400) - 1.5 for t in range(4)]  # 0.1 GW less retirement
    assert quarterly.penalty_busd == pytest.approx(240 * 0.25 * sum(unpowered))


def test_load_at_the_start_beyond_the_connection_is_carried_not_infeasible() -> None:
    # 1 GW running at a PUE of 1.6 on a 1 GW connection: 0.6 GW facility has no supply
    # (less as the start fleet retires, 1/400 a quarter over its 100-year life)
    plan = _solve(pue=1.6, site={"energized_gw_at_start": 1.0, "grid_limit_gw": 1.0})
    left = [1 - (t + 1) / 400 for t in range(4)]
    assert plan.sites["unpowered_gw"].tolist() == pytest.approx([1.6 * x - 1.0 for x in left])
    assert "A: 0.60 GW of running load has no power supply in 2026Q1" in plan.diagnosis[0]


def test_a_connected_share_below_one_files_more_requests_and_pays_for_them() -> None:
    # A planner who expects a fifth of the queue to drop out files 1 / 0.8 GW per GW it needs.
    scenario = hand_scenario(
        site={"interconnected_gw_at_start": 0.0, "grid_limit_gw": 5.0},
        region={"interconnection_lead_quarters": 1},
        costs={"interconnection_busd_per_gw": 0.1},
    )
    shares = {"R": 0.8}
    plan = optimize(scenario, connection_share=shares)
    assert check_plan(plan, scenario, connection_share=shares) == []
    assert plan.sites["grid_request_gw"].sum() == pytest.approx(1.0 / 0.8)
    assert plan.sites["connected_gw"].max() == pytest.approx(1.0)
    assert plan.objective_terms["interconnection"] == pytest.approx(0.1 / 0.8)


def test_a_connected_share_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match=r"connection_share must lie in \(0, 1\]"):
        optimize(hand_scenario(), connection_share={"R": 0.0})
    with pytest.raises(ValueError, match="regions not in the scenario"):
        optimize(hand_scenario(), connection_share={"X": 0.5})
