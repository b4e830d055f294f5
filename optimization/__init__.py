"""Decisions: the siting / PPA / timing linear program, its solve and its plan.

Examples
--------
>>> from sd_model import load_scenario
>>> from optimization import optimize, SolveOptions
>>> plan = optimize(load_scenario("tests/scenarios/tiny"), options=SolveOptions(time_limit_s=60))
>>> sorted(plan.objective_terms.index)[:3]
['budget_overrun', 'contract_shortfall', 'coverage_shortfall']
"""

from optimization.data import Mode, ModelData, ObjectiveKind, Penalties
from optimization.model import COMPONENTS, Component, build_model
from optimization.plan import Plan
from optimization.planning import (
    InfeasibleError,
    PlanningModel,
    RebuildRequiredError,
    SolveError,
    optimize,
)
from optimization.solve import SolveOptions, SolverNotAvailableError, SolverStatus

__all__ = [
    "COMPONENTS",
    "Component",
    "InfeasibleError",
    "Mode",
    "ModelData",
    "ObjectiveKind",
    "Penalties",
    "Plan",
    "PlanningModel",
    "RebuildRequiredError",
    "SolveError",
    "SolveOptions",
    "SolverNotAvailableError",
    "SolverStatus",
    "build_model",
    "optimize",
]
