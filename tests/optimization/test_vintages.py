"""Cost curves in the LP: vintages keep their perf/W, retire after their vendor's life, cost
their delivery year's price. Hand-solved on `sd_model.testing.hand_scenario` (no discounting,
one 1 GW site, $0.25B per GW-quarter of reference compute served)."""

from __future__ import annotations

from typing import Any

import pytest
from pyomo.core.expr.visitor import identify_variables

from optimization import Plan, optimize
from optimization.lp.model import build_model
from optimization.testing import check_plan, recompute_objective
from sd_model.testing import hand_scenario

Q = 0.25  # value of 1 GW of reference compute for one quarter [$B]


def _solve(**kwargs: Any) -> Plan:
    scenario = hand_scenario(quarters=8, **kwargs)
    plan = optimize(scenario)
    assert plan.status.value == "optimal"
    assert plan.objective == pytest.approx(recompute_objective(plan, scenario), abs=1e-7)
    assert check_plan(plan, scenario) == []
    return plan


def _revenue_per_gw(plan: Plan) -> list[float]:
    """Revenue per energized GW in each period [$B per GW-quarter]."""
    revenue = plan.cash["revenue_busd"].to_numpy()
    it = plan.sites.groupby("period", sort=False)["it_gw"].sum().to_numpy()
    return list(revenue / it)


def test_a_newer_generation_with_higher_perf_per_watt_earns_more_per_gw() -> None:
    # demand (3 reference GW) exceeds the 1 GW site, so every GW energized is used; a GW
    # delivered in 2027 serves 1.5 reference GW, one delivered in 2026 serves 1
    plan = _solve(
        vendor={"perf_per_watt_growth_per_year": 0.5, "useful_life_years": 1.0},
        demand={"compute_demand_gw_at_start": 3.0},
    )
    # the 2026Q1 vintage retires after one year (4 quarters) and 2027 hardware replaces it
    new = plan.energized.set_index("period")["new_gw"]
    assert new["2026Q1"] == pytest.approx(1.0)
    assert new["2027Q1"] == pytest.approx(1.0)
    assert plan.energized["gw"].tolist() == pytest.approx([1.0] * 8)  # one vintage at a time
    assert plan.sites["it_gw"].tolist() == pytest.approx([1.0] * 8)
    assert _revenue_per_gw(plan) == pytest.approx([Q] * 4 + [1.5 * Q] * 4)
    assert plan.demand["served_gw"].tolist() == pytest.approx([1.0] * 4 + [1.5] * 4)


def test_old_vintages_keep_their_perf_per_watt() -> None:
    # a 5-year life: the 2026 GW stays and keeps serving 1 reference GW in 2027, so the plan
    # earns 8 quarters x 1 GW (the newer generation has no room at the full site)
    plan = _solve(
        vendor={"perf_per_watt_growth_per_year": 0.5, "useful_life_years": 5.0},
        demand={"compute_demand_gw_at_start": 3.0},
    )
    assert _revenue_per_gw(plan) == pytest.approx([Q] * 8)


def test_capex_is_the_delivery_years_price() -> None:
    # capex halves per delivery year: 0.1 $B/GW in 2026, 0.05 in 2027; the one-year life makes
    # both vintages' book value zero at the end (no salvage)
    plan = _solve(
        vendor={
            "perf_per_watt_growth_per_year": 0.5,
            "useful_life_years": 1.0,
            "capex_busd_per_gw": 0.1,
            "capex_change_per_year": -0.5,
        },
        demand={"compute_demand_gw_at_start": 3.0},
    )
    assert plan.cash["it_capex_busd"].sum() == pytest.approx(0.1 + 0.05)
    assert plan.cash.set_index("period").at["2027Q1", "it_capex_busd"] == pytest.approx(0.05)
    assert plan.npv_busd == pytest.approx(4 * Q * 1.0 + 4 * Q * 1.5 - 0.15)


def test_flat_curves_build_the_lp_without_vintage_terms() -> None:
    # with every rate 0 the vendor's compute is p_v * vendor_it (the LP before vintages);
    # with a rising curve each older vintage still in service adds its energize terms
    flat = build_model(hand_scenario(quarters=8, vendor={"perf_per_watt_relative": 1.5}))
    rising = build_model(hand_scenario(quarters=8, vendor={"perf_per_watt_growth_per_year": 0.5}))
    for t in flat.T:
        variables = [x.name for x in identify_variables(flat.vendor_compute["v", t].expr)]
        assert variables == [f"vendor_it[v,{t}]"]
        assert flat.vendor_compute["v", t].expr.polynomial_degree() == 1
    # 2027Q1 (t = 4): the 2026 vintages (t = 0..3) serve 1, the current one 1.5; they enter
    # through deliveries and the stranded stock (the stranded terms telescope to the last one)
    late = {x.name for x in identify_variables(rising.vendor_compute["v", 4].expr)}
    assert late == {"vendor_it[v,4]", "stranded[v,3]"} | {f"deliver[v,{t}]" for t in range(4)}
