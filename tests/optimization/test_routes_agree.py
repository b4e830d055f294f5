"""Every solver route kept gives the same optimum on a small synthetic LP."""

from __future__ import annotations

import pytest

from optimization import SolveOptions, optimize
from sd_model.testing import synthetic_scenario

ROUTES = [
    SolveOptions(interface="matrix", method="simplex"),
    SolveOptions(interface="pyomo_persistent", method="simplex"),
    SolveOptions(interface="matrix", method="ipm"),
    SolveOptions(interface="matrix", method="ipm", extra={"run_crossover": "off"}),
]


@pytest.fixture(scope="module")
def reference_objective() -> float:
    return optimize(synthetic_scenario(8, 8, seed=0), options=ROUTES[0]).objective


@pytest.mark.parametrize("options", ROUTES[1:], ids=["persistent", "ipm", "ipm-no-crossover"])
def test_route_gives_the_same_objective(options: SolveOptions, reference_objective: float) -> None:
    plan = optimize(synthetic_scenario(8, 8, seed=0), options=options)
    assert plan.objective == pytest.approx(reference_objective, rel=1e-6)
