"""Decisions: the siting / PPA / timing linear program, its solve and its plan.

Examples
--------
>>> from sd_model import load_scenario
>>> from optimization import optimize, SolveOptions
>>> plan = optimize(load_scenario("tests/scenarios/tiny"), options=SolveOptions(time_limit_s=60))
>>> sorted(plan.objective_terms.index)[:3]
['budget_overrun', 'contract_shortfall', 'coverage_shortfall']
"""

from optimization.lp.data import Mode, ModelData, ObjectiveKind, Penalties
from optimization.lp.model import COMPONENTS, Component, build_model
from optimization.lp.plan import Plan
from optimization.lp.planning import (
    InfeasibleError,
    PlanningModel,
    RebuildRequiredError,
    SolveError,
    optimize,
)
from optimization.solver import SolveOptions, SolverNotAvailableError, SolverStatus

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
