"""optimize / PlanningModel on the tiny scenario: modes, strict, schedules, re-solves, duals."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import pytest

from optimization import (
    InfeasibleError,
    Plan,
    PlanningModel,
    RebuildRequiredError,
    SolveOptions,
    SolverStatus,
    build_model,
    optimize,
)
from optimization.solver.options import Interface
from optimization.testing import check_plan, recompute_objective
from sd_model import Scenario, Schedule, load_scenario
from sd_model.testing import hand_scenario


@pytest.fixture(scope="module")
def tiny() -> Scenario:
    return load_scenario("tests/scenarios/tiny")


def test_optimal_plan_is_consistent(tiny: Scenario) -> None:
    plan = optimize(tiny)
    assert plan.status is SolverStatus.OPTIMAL
    assert plan.objective == pytest.approx(plan.objective_terms.sum(), abs=1e-9)
    assert plan.objective == pytest.approx(recompute_objective(plan, tiny), abs=1e-7)
    assert check_plan(plan, tiny) == []
    assert set(plan.timings) >= {"build_s", "transfer_s", "solver_s", "load_s", "extract_s"}
    assert plan.gap == pytest.approx(0.0, abs=1e-9)
    assert "HiGHS" in plan.log


def test_to_schedule_round_trips_deliveries(tiny: Scenario) -> None:
    plan = optimize(tiny)
    schedule = plan.to_schedule()
    assert isinstance(schedule, Schedule)
    delivered = plan.deliveries.groupby("vendor")["delivered_gw"].sum()
    for vendor, gw in schedule.total_by_vendor().items():
        assert gw == pytest.approx(delivered[vendor])
    sited = schedule.frame.query("site != ''").groupby("site")["gw"].sum().to_dict()
    energized = plan.energized.groupby("site")["new_gw"].sum().to_dict()
    for site, gw in sited.items():
        assert gw == pytest.approx(energized[site])


def test_announced_timing_fixes_deliveries_and_costs_more(tiny: Scenario) -> None:
    optimal = optimize(tiny)
    announced = optimize(tiny, mode="announced_timing")
    assert optimal.objective <= announced.objective + 1e-9
    got = announced.deliveries.pivot_table(
        index="vendor", columns="period", values="delivered_gw", aggfunc="sum"
    )
    labels = tiny.periods.labels("lp")
    want = tiny.announced_schedule.by_vendor_period(list(got.index), labels)
    assert got.reindex(columns=labels).to_numpy() == pytest.approx(want)
    assert check_plan(announced, tiny, fixed_timing=True) == []
    assert announced.diagnosis  # the announced plan strands hardware in tiny
    assert any("stranded" in line or "binding contract" in line for line in announced.diagnosis)


def test_fixed_partial_schedule(tiny: Scenario) -> None:
    fixed = Schedule.from_records([("2027Q1", "gpu", "", 0.3)])
    plan = optimize(tiny, fixed=fixed)
    row = plan.deliveries.query("vendor == 'gpu' and period == '2027Q1'")
    assert float(row["delivered_gw"].iloc[0]) == pytest.approx(0.3)
    with pytest.raises(ValueError, match="before its earliest delivery"):
        optimize(tiny, fixed=Schedule.from_records([("2026Q1", "gpu", "", 0.3)]))


def test_strict_tiny_raises_with_diagnosis(tiny: Scenario) -> None:
    # the announced deliveries cannot all be energized by the binding deadline
    with pytest.raises(InfeasibleError) as err:
        optimize(tiny, mode="announced_timing", strict=True)
    assert err.value.elastic_plan is not None
    assert any("binding contract" in line for line in err.value.diagnosis)
    # the message also names what the broken limits conflict with
    binding = err.value.elastic_plan.binding_limits
    assert binding and binding[0] in str(err.value)
    assert "the limits that bind in that plan" in str(err.value)
    # and pairs the broken limits with the requirements that drive them (relaxed one at a time)
    conflicts = err.value.conflicts
    assert any(line.startswith("gpu's fixed delivery schedule needs") for line in conflicts)
    assert all(line in str(err.value) for line in conflicts)


def test_strict_feasible_hand_case_solves() -> None:
    plan = optimize(hand_scenario(), strict=True)
    assert plan.npv_busd == pytest.approx(1.0)  # 1 GW earning $1B a year, every cost zero
    assert plan.penalty_busd == 0.0


def test_value_objective_does_not_back_load(tiny: Scenario) -> None:
    def mean_period(plan_deliveries: pd.DataFrame) -> float:
        t = plan_deliveries["period"].map(tiny.periods.labels("lp").index)
        w = plan_deliveries["delivered_gw"]
        return float((t * w).sum() / w.sum())

    value = optimize(tiny)
    cost = optimize(tiny, objective="cost")
    # cost-only: take only the binding 1 GW of asic, at the last moment the ramp allows
    assert cost.deliveries["delivered_gw"].sum() == pytest.approx(1.0)
    assert value.deliveries["delivered_gw"].sum() >= 1.0 - 1e-9
    assert mean_period(value.deliveries) < mean_period(cost.deliveries)
    assert "unserved_demand" not in cost.objective_terms[cost.objective_terms != 0].index


def test_resolve_matches_a_fresh_build(tiny: Scenario) -> None:
    model = PlanningModel(tiny)
    base = model.solve()
    changes = {
        "financing.starting_cash_busd": 2.0,
        "headroom.ERCOT:2027Q1.headroom_gw": 0.8,
        "regions.PJM.wholesale_price_usd_per_mwh": 60.0,
        "ppa_options.ERCOT:solar.max_gw": 1.0,
    }
    again = model.resolve(changes)
    fresh = optimize(tiny.with_overrides(changes))
    assert again.objective == pytest.approx(fresh.objective, rel=1e-9, abs=1e-9)
    assert again.objective > base.objective
    assert again.timings["build_s"] == 0.0
    back = model.resolve({})
    assert back.objective == pytest.approx(base.objective, rel=1e-9, abs=1e-9)


def test_resolve_mode_switch(tiny: Scenario) -> None:
    model = PlanningModel(tiny)
    model.solve()
    announced = model.resolve(mode="announced_timing")
    assert announced.objective == pytest.approx(
        optimize(tiny, mode="announced_timing").objective, rel=1e-9
    )


def test_resolve_rejects_structural_changes(tiny: Scenario) -> None:
    model = PlanningModel(tiny)
    with pytest.raises(RebuildRequiredError, match="interconnection_lead_quarters"):
        model.resolve({"regions.PJM.interconnection_lead_quarters": 24})


def test_budget_dual_matches_finite_difference() -> None:
    scenario = hand_scenario(
        vendor={"capex_busd_per_gw": 2.0},
        financing={"starting_cash_busd": 0.0, "external_funding_busd_by_year": {2026: 4.0}},
    )
    model = PlanningModel(scenario)
    plan = model.solve()
    by_year = dict(
        zip(plan.budget_value["year"], plan.budget_value["value_busd_per_busd"], strict=True)
    )
    value = float(by_year[2026])
    delta = 0.01
    more = model.resolve({"financing.external_funding_busd_by_year.2026": 4.0 + delta})
    assert value == pytest.approx((plan.objective - more.objective) / delta, rel=1e-6)
    assert value > 0


def test_build_model_accepts_extra_components(tiny: Scenario) -> None:
    import pyomo.environ as pyo

    def no_txb(m: object, data: object) -> None:
        m.no_txb = pyo.Constraint(expr=m.it["TXB", 7] <= 0.0)  # type: ignore[attr-defined]

    m = build_model(tiny, extra_components=[no_txb])
    assert hasattr(m, "no_txb")
    plan = optimize(tiny, extra_components=[no_txb])
    assert plan.sites.query("site == 'TXB'")["it_gw"].max() == pytest.approx(0.0)


def test_solve_options_reach_highs(tiny: Scenario) -> None:
    plan = optimize(tiny, options=SolveOptions(method="ipm", threads=1, time_limit_s=30))
    assert plan.status is SolverStatus.OPTIMAL
    assert np.isfinite(plan.objective)


def test_interfaces_agree(tiny: Scenario) -> None:
    """The matrix route and Pyomo's persistent route solve the same LP."""
    changes = {"financing.starting_cash_busd": 2.0}
    plans = {}
    interfaces: tuple[Interface, ...] = ("matrix", "pyomo_persistent")
    for interface in interfaces:
        model = PlanningModel(tiny, options=SolveOptions(interface=interface))
        plans[interface] = (model.solve(), model.resolve(changes), model.resolve(mode="optimal"))
    for a, b in zip(plans["matrix"], plans["pyomo_persistent"], strict=True):
        assert a.objective == pytest.approx(b.objective, rel=1e-9, abs=1e-9)
    with pytest.raises(ValueError, match="interface"):
        PlanningModel(tiny, options=SolveOptions(interface="nope"))  # type: ignore[arg-type]


def test_matrix_resolve_after_shape_change_and_ranged_rows(tiny: Scenario) -> None:
    """A parameter that empties a coefficient changes the LP's shape: passed whole, warm."""
    import pyomo.environ as pyo

    def ranged(m: object, data: object) -> None:
        m.p_k = pyo.Param(mutable=True, initialize=1.0)  # type: ignore[attr-defined]
        m.cap_txb = pyo.Constraint(  # type: ignore[attr-defined]
            expr=pyo.inequality(0.0, m.p_k * m.it["TXB", 7], 0.5)  # type: ignore[attr-defined]
        )

    model = PlanningModel(tiny, extra_components=[ranged])
    base = model.solve()
    assert base.sites.query("site == 'TXB'")["it_gw"].iloc[7] <= 0.5 + 1e-9
    rows = len(model.session._backend._lp.rows)  # type: ignore[union-attr]
    m = model.model
    m.p_k = 0.0  # the row loses its only coefficient
    free = model.solve()
    assert len(model.session._backend._lp.rows) == rows - 1  # type: ignore[union-attr]
    m.p_k = 1.0
    again = model.solve()
    assert again.objective == pytest.approx(base.objective, rel=1e-9, abs=1e-9)
    assert free.objective <= base.objective + 1e-9
    fresh = optimize(tiny, extra_components=[ranged])
    assert fresh.objective == pytest.approx(base.objective, rel=1e-9, abs=1e-9)


def test_matrix_duals_map_to_constraints(tiny: Scenario) -> None:
    """Duals come back keyed by constraint and agree in sign with the persistent route."""
    interfaces: tuple[Interface, ...] = ("matrix", "pyomo_persistent")
    plans = [optimize(tiny, options=SolveOptions(interface=i)) for i in interfaces]
    for plan in plans:
        assert plan.cash["cash_value_busd_per_busd"].ge(-1e-9).all()
        assert plan.regions["headroom_value_busd_per_gw"].ge(-1e-9).all()
        assert plan.demand["compute_value_busd_per_gw"].ge(-1e-9).all()  # capacity is worth


def test_resolve_reports_its_own_solver_time(tiny: Scenario) -> None:
    model = PlanningModel(tiny)
    first = model.solve()
    again = model.resolve({"financing.starting_cash_busd": 2.0})
    assert 0.0 <= again.timings["solver_s"] < first.timings["solver_s"] + 0.5


# Every kind of mutable parameter, one key each (rows' bounds, coefficients, costs, slack bounds).
_EVERY_MUTABLE = {
    "financing.starting_cash_busd": 3.0,
    "financing.external_funding_busd_by_year.2027": 2.0,
    "financing.debt_capacity_busd": 4.0,
    "financing.debt_rate_per_year": 0.2,
    "headroom.ERCOT:2027Q1.headroom_gw": 0.7,
    "regions.PJM.wholesale_price_usd_per_mwh": 70.0,
    "regions.PJM.capacity_price_usd_per_mwh": 15.0,  # from 0 a new coefficient recompiles
    "ppa_options.ERCOT:solar.price_usd_per_mwh": 90.0,
    "ppa_options.PJM:solar.max_gw": 0.3,
    "sites.TXA.max_gw": 0.8,
    "sites.PJA.grid_limit_gw": 0.3,
    "onsite_options.gas_recip.cost_usd_per_mwh": 120.0,
    "demand.compute_demand_gw_at_start": 1.4,
    "demand.demand_growth_per_year": 0.5,
    "demand.revenue_busd_per_gw_year_at_start": 6.0,
    "policy.ppa_coverage_target_by_year.2027": 0.7,
}


def _assert_same_plan(a: Plan, b: Plan, scenario: Scenario) -> None:
    """Same optimum (an LP may have several optimal plans: each must be consistent)."""
    assert a.objective == pytest.approx(b.objective, rel=1e-9, abs=1e-9)
    assert a.objective_terms.sum() == pytest.approx(a.objective, rel=1e-9, abs=1e-9)
    assert check_plan(a, scenario) == []


def _assert_lp_is_fresh(model: PlanningModel) -> None:
    """What HiGHS holds equals a fresh compile of the model as it stands now."""
    from optimization.solver.compile import compile_model

    backend: Any = model.session._backend
    held, fresh = backend._lp, compile_model(model.model)
    lp = backend._highs.getLp()
    for name in ("cost", "col_lower", "col_upper", "row_lower", "row_upper", "value"):
        np.testing.assert_allclose(getattr(held, name), getattr(fresh, name), rtol=1e-12)
    np.testing.assert_array_equal(held.index, fresh.index)
    np.testing.assert_allclose(lp.col_cost_, fresh.cost, rtol=1e-12)
    np.testing.assert_allclose(lp.col_lower_, fresh.col_lower, rtol=1e-12)
    np.testing.assert_allclose(lp.col_upper_, fresh.col_upper, rtol=1e-12)
    np.testing.assert_allclose(lp.row_lower_, fresh.row_lower, rtol=1e-12)
    np.testing.assert_allclose(lp.row_upper_, fresh.row_upper, rtol=1e-12)
    np.testing.assert_allclose(lp.a_matrix_.value_, fresh.value, rtol=1e-12)
    assert lp.offset_ == pytest.approx(fresh.offset, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("key", sorted(_EVERY_MUTABLE))
def test_matrix_resolve_updates_in_place_for_every_parameter(
    tiny: Scenario, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A parameter change updates only the rows and costs holding it; no recompile."""
    import optimization.solver.backends as solve_module

    model = PlanningModel(tiny)
    model.solve()
    compiles: list[object] = []
    real = solve_module.compile_model  # type: ignore[attr-defined]

    def counting(m: object) -> object:
        compiles.append(m)
        return real(m)

    monkeypatch.setattr(solve_module, "compile_model", counting)
    change = {key: _EVERY_MUTABLE[key]}
    again = model.resolve(change)
    assert compiles == [], f"{key} recompiled the model"
    _assert_lp_is_fresh(model)
    changed = tiny.with_overrides(change)
    _assert_same_plan(again, optimize(changed), changed)


def test_matrix_resolve_everything_at_once_strict_and_mode(tiny: Scenario) -> None:
    """All parameters together, then strict slack bounds and a mode switch, against fresh solves."""
    model = PlanningModel(tiny)
    base = model.solve()
    changed = tiny.with_overrides(_EVERY_MUTABLE)
    _assert_same_plan(model.resolve(_EVERY_MUTABLE), optimize(changed), changed)
    _assert_lp_is_fresh(model)
    announced = model.resolve(_EVERY_MUTABLE, mode="announced_timing")
    _assert_lp_is_fresh(model)
    assert announced.objective == pytest.approx(
        optimize(changed, mode="announced_timing").objective, rel=1e-9, abs=1e-9
    )
    _assert_same_plan(model.resolve({}, mode="optimal"), base, tiny)
    _assert_lp_is_fresh(model)
    model.resolve({}, mode="announced_timing")
    model.plan = dataclasses.replace(
        model.plan, strict=True
    )  # strict: slacks fixed through their bounds; the announced timing is infeasible
    model.model.p_slack_ub.set_value(0.0)
    with pytest.raises(InfeasibleError) as err:
        model.solve()
    with pytest.raises(InfeasibleError) as fresh:
        PlanningModel(tiny, strict=True, mode="announced_timing").solve()
    assert err.value.diagnosis == fresh.value.diagnosis
    model.plan = dataclasses.replace(model.plan, strict=False)
    model.model.p_slack_ub.set_value(float("inf"))
    again = model.resolve({}, mode="optimal")
    assert again.objective == pytest.approx(base.objective, rel=1e-9, abs=1e-9)
    _assert_lp_is_fresh(model)


def test_matrix_resolve_notices_structural_changes(tiny: Scenario) -> None:
    """A deactivated constraint or a new one is not a parameter change: the LP is recompiled."""
    import pyomo.environ as pyo

    model = PlanningModel(tiny)
    base = model.solve()
    m = model.model
    m.site_max["TXB"].deactivate()
    m.p_site_max["TXB"] = 0.1  # in a now inactive row
    loose = model.solve()
    assert loose.objective <= base.objective + 1e-9
    m.site_max["TXB"].activate()
    tight = model.solve()
    assert tight.sites.query("site == 'TXB'")["shell_ready_gw"].max() <= 0.1 + 1e-9
    m.cap = pyo.Constraint(expr=m.it["TXB", 7] <= 0.05)
    capped = model.solve()
    assert capped.sites.query("site == 'TXB'")["it_gw"].iloc[7] <= 0.05 + 1e-9
    m.p_site_max["TXB"] = float(model.data.sites["max_gw"].iloc[1])
    m.del_component(m.cap)
    assert model.solve().objective == pytest.approx(base.objective, rel=1e-9, abs=1e-9)
