"""The one module that knows the solver: HiGHS through Pyomo's persistent interface.

`SolverSession` keeps one HiGHS instance per model (Pyomo's
``pyomo.contrib.solver`` 'highs' interface, measured in
``shared/research/pyomo-highs-report.md`` as the fastest persistent route):
the first `SolverSession.solve` transfers the model; later solves push only
changed mutable parameters and variable bounds/fixings, and HiGHS
warm-starts from the previous basis.
"""

from __future__ import annotations

import enum
import io
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "SolveOptions",
    "SolveResult",
    "SolverNotAvailableError",
    "SolverSession",
    "SolverStatus",
    "highs_available",
]

Method = Literal["simplex", "ipm", "choose"]


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
        ``"simplex"`` (dual simplex; best for warm re-solves), ``"ipm"``
        (interior point with crossover) or ``"choose"``.
    presolve
        Run HiGHS presolve.
    log_to_console
        Echo the HiGHS log while solving (it is captured in any case).
    extra
        Further HiGHS options by name (e.g. ``{"primal_feasibility_tolerance": 1e-8}``).
    """

    time_limit_s: float | None = None
    threads: int | None = None
    method: Method = "simplex"
    presolve: bool = True
    log_to_console: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)


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


class SolverSession:
    """A persistent HiGHS instance attached to one Pyomo model.

    Parameters
    ----------
    options
        Solver options for every solve of the session.

    Raises
    ------
    SolverNotAvailableError
        If ``highspy`` is not installed.
    """

    def __init__(self, options: SolveOptions | None = None) -> None:
        if not highs_available():
            raise SolverNotAvailableError(
                "HiGHS is not available: install it with `pip install highspy` "
                "(gwplan solves its LP with HiGHS)"
            )
        from pyomo.contrib.solver.solvers.highs import Highs

        self.options = options or SolveOptions()
        self._opt = Highs(treat_fixed_vars_as_params=False)
        updates = self._opt.config.auto_updates
        updates.check_for_new_or_removed_constraints = False
        updates.check_for_new_or_removed_vars = False
        updates.check_for_new_or_removed_params = False
        updates.check_for_new_objective = False
        updates.update_constraints = False
        updates.update_named_expressions = False
        updates.update_objective = False
        self._model: Any = None

    def solve(self, m: Any, duals_of: Iterable[Any] = ()) -> SolveResult:
        """Solve ``m`` (transfer on first use, update afterwards) and load the solution.

        Parameters
        ----------
        m
            The model; a new model replaces the attached one.
        duals_of
            Indexed constraints whose duals to return (keyed by ConstraintData).
        """
        from pyomo.common.tee import capture_output
        from pyomo.contrib.solver.common.results import TerminationCondition

        if self.options.threads is not None:
            # HiGHS keeps one global thread pool per process; resize it for this session
            import highspy

            highspy.Highs.resetGlobalScheduler(True)
        tick = time.perf_counter()
        chatter = io.StringIO()  # HiGHS warns on zero-valued mutable coefficients
        with capture_output(chatter, capture_fd=True):
            first = m is not self._model
            if first:
                self._opt.set_instance(m)
                self._model = m
            transfer = time.perf_counter() - tick
            results = self._opt.solve(
                m,
                load_solutions=False,
                raise_exception_on_nonoptimal_result=False,
                time_limit=self.options.time_limit_s,
                threads=self.options.threads,
                solver_options=self._highs_options(),
            )
        timer = results.timing_info.timer
        if not first and timer is not None:  # re-solve: the update happens inside solve()
            transfer = float(timer.timers["update"].total_time) if "update" in timer.timers else 0.0
        log = chatter.getvalue() + str(results.solver_log or "")
        if self.options.log_to_console:
            print(log)
        status = _STATUS.get(results.termination_condition, SolverStatus.UNKNOWN)
        if results.termination_condition == TerminationCondition.convergenceCriteriaSatisfied:
            status = SolverStatus.OPTIMAL
        tick = time.perf_counter()
        duals: dict[Any, float] = {}
        if status == SolverStatus.OPTIMAL:
            results.solution_loader.load_vars()
            cons = [c for con in duals_of for c in con.values()]
            if cons:
                duals = dict(results.solution_loader.get_duals(cons))
        load = time.perf_counter() - tick
        extra = results.extra_info
        return SolveResult(
            status=status,
            objective=results.incumbent_objective,
            bound=results.objective_bound,
            transfer_s=transfer,
            solver_s=float(results.timing_info.highs_time),
            load_s=load,
            iterations=int(getattr(extra, "simplex_iteration_count", 0) or 0)
            + int(getattr(extra, "ipm_iteration_count", 0) or 0),
            log=log,
            duals=duals,
        )

    def _highs_options(self) -> dict[str, Any]:
        opts = self.options
        return {
            "solver": opts.method,
            "presolve": "on" if opts.presolve else "off",
            **dict(opts.extra),
        }


def _status_table() -> dict[Any, SolverStatus]:
    try:
        from pyomo.contrib.solver.common.results import TerminationCondition as Tc
    except ImportError:  # pragma: no cover - pyomo is a hard dependency
        return {}
    return {
        Tc.convergenceCriteriaSatisfied: SolverStatus.OPTIMAL,
        Tc.provenInfeasible: SolverStatus.INFEASIBLE,
        Tc.locallyInfeasible: SolverStatus.INFEASIBLE,
        Tc.unbounded: SolverStatus.UNBOUNDED,
        Tc.infeasibleOrUnbounded: SolverStatus.INFEASIBLE_OR_UNBOUNDED,
        Tc.maxTimeLimit: SolverStatus.TIME_LIMIT,
        Tc.iterationLimit: SolverStatus.ITERATION_LIMIT,
        Tc.error: SolverStatus.ERROR,
    }


_STATUS = _status_table()
