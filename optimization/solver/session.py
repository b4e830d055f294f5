"""The one module that knows the solver: HiGHS, fed as matrices, kept per model.

`SolverSession` keeps one ``highspy.Highs`` instance per model. The first
`SolverSession.solve` compiles the model with Pyomo's
``LinearStandardFormCompiler`` (mixed form: one row per constraint, ranges
as row bounds) and hands the CSC matrices to HiGHS with ``passModel`` —
several times faster than Pyomo's persistent interfaces (measured in
``shared/research/pyomo-highs-report.md`` and ``benchmarks/bench_lp.py``).
Fixed variables stay columns with equal bounds, so fixing and unfixing keeps
the LP's shape. Later solves of the same model recompile it (mutable
parameters land in bounds, costs and coefficients wherever Pyomo put them)
and push only what changed (``changeColsCost``, ``changeColsBounds``,
``changeRowsBounds``, ``changeCoeff``), so HiGHS keeps its basis and
warm-starts. If the LP's shape changed, it is passed whole and the old basis
is mapped onto it by variable and constraint.

``SolveOptions(interface="pyomo_persistent")`` selects Pyomo's
``contrib.solver`` 'highs' persistent interface instead (the previous route,
kept for comparison).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from optimization.solver.backends import MatrixBackend, PersistentBackend
from optimization.solver.options import (
    SolveOptions,
    SolveResult,
    SolverNotAvailableError,
    highs_available,
)

__all__ = ["SolverSession"]


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
        self.options = options or SolveOptions()
        if self.options.interface not in ("matrix", "pyomo_persistent"):
            raise ValueError(
                f"interface must be 'matrix' or 'pyomo_persistent', got {self.options.interface!r}"
            )
        self._backend: MatrixBackend | PersistentBackend = (
            MatrixBackend() if self.options.interface == "matrix" else PersistentBackend()
        )

    def forget_basis(self) -> None:
        """Make the next solve start cold, as a new session would (the model stays attached).

        A warm start may end at another optimal vertex of a degenerate LP;
        a caller that reuses one session for independent problems calls this
        between them so each gets the plan a fresh session gives.
        """
        self._backend.forget_basis()

    def solve(self, m: Any, duals_of: Iterable[Any] = ()) -> SolveResult:
        """Solve ``m`` (transfer on first use, update afterwards) and load the solution.

        Parameters
        ----------
        m
            The model; a new model replaces the attached one.
        duals_of
            Indexed constraints whose duals to return (keyed by ConstraintData).
        """
        if self.options.threads is not None:
            # HiGHS keeps one global thread pool per process; resize it for this session
            import highspy

            highspy.Highs.resetGlobalScheduler(True)
        result = self._backend.solve(m, duals_of, self.options)
        if self.options.log_to_console:
            print(result.log)
        return result
