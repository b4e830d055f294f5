"""Acceptance on the bundled reference scenario (skipped until it loads)."""

from __future__ import annotations

import pytest

from optimization import PlanningModel, optimize
from optimization.lp.marginal import STEP_GW
from optimization.testing import check_plan, recompute_objective
from sd_model import Scenario, load_scenario


@pytest.fixture(scope="module")
def reference() -> Scenario:
    try:
        return load_scenario("reference")
    except Exception as err:  # pragma: no cover - depends on the bundled data
        pytest.skip(f"reference scenario not loadable: {err}")


def test_optimal_beats_announced_and_announced_is_diagnosed(reference: Scenario) -> None:
    optimal = optimize(reference)
    announced = optimize(reference, mode="announced_timing")
    assert optimal.objective <= announced.objective + 1e-6
    assert check_plan(optimal, reference) == []
    assert check_plan(announced, reference, fixed_timing=True) == []
    assert optimal.objective == pytest.approx(recompute_objective(optimal, reference), rel=1e-7)
    assert announced.diagnosis, "the announced timing should need some relaxation"
    assert announced.binding_limits


def test_resolve_after_budget_change_matches_a_rebuild(reference: Scenario) -> None:
    # speed is measured in benchmarks/bench_lp.py, not here (shared, noisy machines)
    model = PlanningModel(reference)
    model.solve()
    change = {"financing.starting_cash_busd": reference.financing.starting_cash_busd * 0.5}
    again = model.resolve(change)
    fresh = optimize(reference.with_overrides(change))
    assert again.objective == pytest.approx(fresh.objective, rel=1e-7)


def test_the_optimal_plan_earns_pays_and_breaks_no_limit(reference: Scenario) -> None:
    plan = optimize(reference)
    assert plan.cash["revenue_busd"].gt(0).all()  # revenue reaches cash in every period
    assert plan.penalty_busd == pytest.approx(0.0, abs=1e-6)
    assert plan.npv_busd == pytest.approx(-plan.objective, rel=1e-9)
    # no connection is bought for nothing: new connection <= PUE x peak IT + 0.05 GW
    sites = plan.sites.groupby("site").agg(it=("it_gw", "max"), connected=("connected_gw", "max"))
    start = {s.id: s.interconnected_gw_at_start for s in reference.sites}
    new = sites["connected"] - sites.index.map(start)
    assert (new <= reference.pue * sites["it"] + 0.05).all(), new.to_dict()
    # contracted clean energy stays within the load's need plus the hedge allowance
    mix = plan.power_mix
    allowance = 1 + reference.policy.ppa_hedge_allowance
    assert (mix["clean_ppa_gw"] <= allowance * mix["load_gw"] + 1e-6).all()


def test_the_reported_limit_values_hold_when_the_limit_is_relaxed(reference: Scenario) -> None:
    model = PlanningModel(reference)
    plan = model.solve()
    worth = plan.limit_values["value_busd_per_gw"] > 1e-3  # 0: useless or forbidden relaxations
    limits = plan.limit_values.loc[plan.limit_values["verified"] & worth]
    top = limits.sort_values("value_busd_per_gw", ascending=False).head(5)
    frames = reference.frames("lp")
    tables = {"sites": frames.sites, "ppa_options": frames.ppa_options}
    for key, value in zip(top["scenario_key"], top["value_busd_per_gw"], strict=True):
        table, row, field = key.split(".")[0], key.split(".")[1], key.rsplit(".", 1)[1]
        now = float(tables[table][field].loc[row])
        # a fresh build, not the warm model: the value is what the relaxation is worth ...
        relaxed = optimize(reference.with_overrides({key: now + STEP_GW}))
        gain = (plan.objective - relaxed.objective) / STEP_GW
        assert gain == pytest.approx(value, rel=0.15, abs=1e-3), key
        if value < 0.5:
            continue
        # ... and a large one holds for a smaller step too (not a kink at the step)
        half = optimize(reference.with_overrides({key: now + STEP_GW / 2}))
        gain = (plan.objective - half.objective) / (STEP_GW / 2)
        assert gain == pytest.approx(value, rel=0.15), key
