"""Solver options, status and results: what callers of the solver see."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "AUTO_IPM_COLUMNS",
    "Interface",
    "Method",
    "SolveOptions",
    "SolveResult",
    "SolverNotAvailableError",
    "SolverStatus",
    "highs_available",
]

Method = Literal["auto", "simplex", "ipm", "choose"]

#: With ``method="auto"``, a cold solve of an LP with at least this many columns uses
#: interior point (with crossover): in HiGHS, 1.7x faster than dual simplex at 200 synthetic
#: sites x 20 quarters (43k columns), 6x at 1,000 (212k); slower at 100 sites (22k); the
#: same objective (``docs/performance.md``).
AUTO_IPM_COLUMNS = 40_000
Interface = Literal["matrix", "pyomo_persistent"]


class SolverNotAvailableError(RuntimeError):
    """HiGHS (the ``highspy`` package) cannot be imported."""


class SolverStatus(enum.Enum):
    """Outcome of a solve, independent of the solver's own codes."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    INFEASIBLE_OR_UNBOUNDED = "infeasible_or_unbounded"
    TIME_LIMIT = "time_limit"
    ITERATION_LIMIT = "iteration_limit"
    ERROR = "error"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SolveOptions:
    """How HiGHS is run.

    Attributes
    ----------
    time_limit_s
        Wall-clock limit for one solve [s]; ``None`` for none.
    threads
        HiGHS threads; ``None`` lets HiGHS choose. HiGHS's thread pool is
        per process, so setting it resets the pool before each solve.
    method
        ``"auto"`` (the default: dual simplex, but interior point with
        crossover for a cold solve of an LP with `AUTO_IPM_COLUMNS` columns
        or more; crossover ends at a vertex, so duals and warm re-solves are
        as with simplex), ``"simplex"`` (dual simplex; best for warm
        re-solves), ``"ipm"`` (interior point with crossover; add
        ``extra={"run_crossover": "off"}`` to skip crossover) or ``"choose"``
        (HiGHS decides).
    presolve
        Run HiGHS presolve.
    log_to_console
        Echo the HiGHS log while solving (it is captured in any case).
    extra
        Further HiGHS options by name (e.g. ``{"primal_feasibility_tolerance": 1e-8}``).
    interface
        ``"matrix"`` (default: Pyomo's standard-form compiler, matrices
        passed to HiGHS, changes pushed in place) or ``"pyomo_persistent"``
        (Pyomo's ``contrib.solver`` 'highs' persistent interface; slower
        transfer, kept for comparison).
    """

    time_limit_s: float | None = None
    threads: int | None = None
    method: Method = "auto"
    presolve: bool = True
    log_to_console: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)
    interface: Interface = "matrix"


@dataclass(frozen=True)
class SolveResult:
    """What one solve returned, with phase timings [s].

    ``transfer_s`` is the model hand-over on the first solve and the update
    of changed parameters on later ones; ``solver_s`` is HiGHS's own run
    time; ``load_s`` is loading primal values and duals back into Pyomo.
    """

    status: SolverStatus
    objective: float | None
    bound: float | None
    transfer_s: float
    solver_s: float
    load_s: float
    iterations: int
    log: str
    duals: dict[Any, float]

    @property
    def gap(self) -> float | None:
        """Relative gap between objective and bound (0 for an optimal LP)."""
        if self.objective is None or self.bound is None:
            return None
        return abs(self.objective - self.bound) / max(1.0, abs(self.objective))


def highs_available() -> bool:
    """Whether HiGHS can be used."""
    try:
        import highspy  # noqa: F401
    except ImportError:
        return False
    return True
