"""Decisions: the siting / PPA / timing linear program, its solve and its plan.

The names below are imported on first use (PEP 562), so that importing a
submodule such as the command line does not load Pyomo.

Examples
--------
>>> from sd_model import load_scenario
>>> from optimization import optimize, SolveOptions
>>> plan = optimize(load_scenario("tests/scenarios/tiny"), options=SolveOptions(time_limit_s=60))
>>> sorted(plan.term_kinds.unique())
['cash', 'noncash', 'penalty']
>>> plan.penalty_busd
0.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sd_model.lazy import lazy_exports

if TYPE_CHECKING:
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

#: Where each public name lives.
_HOME = {
    "COMPONENTS": "optimization.lp.model",
    "Component": "optimization.lp.model",
    "InfeasibleError": "optimization.lp.planning",
    "Mode": "optimization.lp.data",
    "ModelData": "optimization.lp.data",
    "ObjectiveKind": "optimization.lp.data",
    "Penalties": "optimization.lp.data",
    "Plan": "optimization.lp.plan",
    "PlanningModel": "optimization.lp.planning",
    "RebuildRequiredError": "optimization.lp.planning",
    "SolveError": "optimization.lp.planning",
    "SolveOptions": "optimization.solver",
    "SolverNotAvailableError": "optimization.solver",
    "SolverStatus": "optimization.solver",
    "build_model": "optimization.lp.model",
    "optimize": "optimization.lp.planning",
}

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


__getattr__, __dir__ = lazy_exports(__name__, _HOME, globals(), __all__)
