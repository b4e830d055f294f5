"""Every solver route kept gives the same optimum on a small synthetic LP."""

from __future__ import annotations

import pytest

from optimization import SolveOptions, optimize
from optimization.solver.backends import highs_options
from optimization.solver.options import AUTO_IPM_COLUMNS
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


@pytest.mark.parametrize(
    ("columns", "cold", "method"),
    [
        (AUTO_IPM_COLUMNS, True, "ipm"),
        (AUTO_IPM_COLUMNS - 1, True, "simplex"),
        (AUTO_IPM_COLUMNS, False, "simplex"),
    ],
)
def test_auto_takes_interior_point_only_for_a_cold_solve_of_a_large_lp(
    columns: int, cold: bool, method: str
) -> None:
    assert highs_options(SolveOptions(), columns=columns, cold=cold)["solver"] == method
