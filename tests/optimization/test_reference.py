"""Acceptance on the bundled reference scenario (skipped until it loads)."""

from __future__ import annotations

import pytest

from optimization import PlanningModel, optimize
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
