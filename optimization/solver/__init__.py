"""The only place that knows HiGHS: options and status, sessions, matrix compilation.

`SolverSession` (`session`) runs HiGHS on a Pyomo model through one of the two
routes in `backends`; `compile` turns a model into HiGHS arrays and tracks
where its mutable parameters land; `options` holds what callers see.
"""

from optimization.solver.options import (
    SolveOptions,
    SolveResult,
    SolverNotAvailableError,
    SolverStatus,
    highs_available,
)
from optimization.solver.session import SolverSession

__all__ = [
    "SolveOptions",
    "SolveResult",
    "SolverNotAvailableError",
    "SolverSession",
    "SolverStatus",
    "highs_available",
]
