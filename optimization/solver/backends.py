"""The two routes to HiGHS.

`MatrixBackend` passes compiled matrices and updates them in place;
`PersistentBackend` uses Pyomo's persistent interface (kept for comparison).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterable
from typing import Any

from optimization.solver.compile import CompiledLp, ParameterTracker, compile_model
from optimization.solver.options import AUTO_IPM_COLUMNS, SolveOptions, SolveResult, SolverStatus

__all__ = ["MatrixBackend", "PersistentBackend", "highs_options"]


def highs_options(opts: SolveOptions, *, columns: int = 0, cold: bool = True) -> dict[str, Any]:
    """HiGHS option names and values for ``opts`` (``columns``, ``cold``: resolve ``"auto"``)."""
    method = opts.method
    if method == "auto":
        method = "ipm" if cold and columns >= AUTO_IPM_COLUMNS else "simplex"
    return {
        "solver": method,
        "presolve": "on" if opts.presolve else "off",
        **dict(opts.extra),
    }


class MatrixBackend:
    """The default: standard-form compile, ``passModel``, in-place updates."""

    def __init__(self) -> None:
        import highspy
        from pyomo.common.tee import capture_output

        with capture_output(io.StringIO(), capture_fd=True):  # HiGHS prints a banner on creation
            self._highs = highspy.Highs()  # type: ignore[no-untyped-call]
        self._model: Any = None
        self._lp: CompiledLp | None = None
        self._row_of: dict[int, int] = {}
        self._tracker = ParameterTracker(None, None)

    def solve(self, m: Any, duals_of: Iterable[Any], options: SolveOptions) -> SolveResult:
        """Solve ``m`` and load its primal values; return duals of ``duals_of``.

        Long because compile, warm start, solve and read-back of one HiGHS call share state.
        """
        from pyomo.common.tee import capture_output

        h = self._highs
        tick = time.perf_counter()
        chatter = io.StringIO()
        with capture_output(chatter, capture_fd=True):
            old = self._lp if m is self._model else None
            lp = self._tracker.recompiled(m, old) if old is not None else None
            if lp is None:
                lp = compile_model(m)
            if old is not None and (lp.start is old.start or old.same_shape(lp)):
                self._update(old, lp)
            else:
                basis = self._mapped_basis(lp) if old is not None else None
                self._pass(lp)
                if basis is not None:
                    h.setBasis(basis)
            if lp is not old and (old is None or lp.start is not old.start):
                self._tracker = ParameterTracker(m, lp)  # a full compile: snapshot it
            self._model, self._lp = m, lp
            transfer = time.perf_counter() - tick
            h.setOptionValue("output_flag", True)
            h.setOptionValue("log_to_console", True)
            limit = options.time_limit_s
            h.setOptionValue("time_limit", float("inf") if limit is None else float(limit))
            if options.threads is not None:
                h.setOptionValue("threads", int(options.threads))
            cold = not h.getBasis().valid
            for key, val in highs_options(options, columns=len(lp.columns), cold=cold).items():
                h.setOptionValue(key, val)
            clock = h.getRunTime()  # cumulative over the instance's runs
            h.run()
            run_s = float(h.getRunTime()) - clock
        log = chatter.getvalue()
        model_status = h.getModelStatus()
        status = _HIGHS_STATUS.get(model_status.name, SolverStatus.UNKNOWN)
        info = h.getInfo()
        feasible = info.primal_solution_status == 2
        objective = float(info.objective_function_value) if feasible else None
        tick = time.perf_counter()
        duals: dict[Any, float] = {}
        if status == SolverStatus.OPTIMAL:
            sol = h.getSolution()
            for v, x in zip(lp.columns, sol.col_value, strict=True):
                if not v.fixed:
                    v.set_value(x, skip_validation=True)
            cons = [c for con in duals_of for c in con.values()]
            if cons and sol.dual_valid:
                row_dual = sol.row_dual
                row_of = self._row_of
                duals = {c: row_dual[row_of[id(c)]] for c in cons if id(c) in row_of}
        load = time.perf_counter() - tick
        return SolveResult(
            status=status,
            objective=objective,
            bound=objective if status == SolverStatus.OPTIMAL else None,
            transfer_s=transfer,
            solver_s=run_s,
            load_s=load,
            iterations=int(info.simplex_iteration_count) + max(int(info.ipm_iteration_count), 0),
            log=log,
            duals=duals,
        )

    def forget_basis(self) -> None:
        """Make the next solve start cold (keep the model, drop the basis and solution)."""
        self._highs.clearSolver()

    def _pass(self, lp: CompiledLp) -> None:
        import highspy

        model = highspy.HighsLp()
        model.num_col_, model.num_row_ = len(lp.columns), len(lp.rows)
        model.sense_ = highspy.ObjSense.kMaximize if lp.sense_max else highspy.ObjSense.kMinimize
        model.offset_ = lp.offset
        model.col_cost_ = lp.cost
        model.col_lower_, model.col_upper_ = lp.col_lower, lp.col_upper
        model.row_lower_, model.row_upper_ = lp.row_lower, lp.row_upper
        model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        model.a_matrix_.start_ = lp.start
        model.a_matrix_.index_ = lp.index
        model.a_matrix_.value_ = lp.value
        self._highs.passModel(model)
        self._row_of = {id(c): i for i, c in enumerate(lp.rows)}

    def _update(self, old: CompiledLp, new: CompiledLp) -> None:
        """Push what changed between two compiles of the same shape."""
        import numpy as np

        h = self._highs
        idx = np.flatnonzero(old.cost != new.cost).astype(np.int32)
        if len(idx):
            h.changeColsCost(len(idx), idx, new.cost[idx])
        if old.offset != new.offset:
            h.changeObjectiveOffset(new.offset)
        idx = np.flatnonzero(
            (old.col_lower != new.col_lower) | (old.col_upper != new.col_upper)
        ).astype(np.int32)
        if len(idx):
            h.changeColsBounds(len(idx), idx, new.col_lower[idx], new.col_upper[idx])
        idx = np.flatnonzero(
            (old.row_lower != new.row_lower) | (old.row_upper != new.row_upper)
        ).astype(np.int32)
        if len(idx):
            h.changeRowsBounds(len(idx), idx, new.row_lower[idx], new.row_upper[idx])  # type: ignore[attr-defined]
        changed = np.flatnonzero(old.value != new.value)
        if len(changed):
            cols = np.searchsorted(new.start, changed, side="right") - 1
            for k, j in zip(changed.tolist(), cols.tolist(), strict=True):
                h.changeCoeff(int(new.index[k]), j, float(new.value[k]))

    def _mapped_basis(self, new: CompiledLp) -> Any:
        """The current basis carried onto ``new`` by variable and constraint (alien)."""
        import highspy

        old = self._lp
        current = self._highs.getBasis()
        if old is None or not current.valid:
            return None
        col_old = {id(v): j for j, v in enumerate(old.columns)}
        row_old = {id(c): i for i, c in enumerate(old.rows)}
        lower, basic = highspy.HighsBasisStatus.kLower, highspy.HighsBasisStatus.kBasic
        col_status = current.col_status
        row_status = current.row_status
        basis = highspy.HighsBasis()
        basis.col_status = [
            col_status[col_old[id(v)]] if id(v) in col_old else lower for v in new.columns
        ]
        basis.row_status = [
            row_status[row_old[id(c)]] if id(c) in row_old else basic for c in new.rows
        ]
        basis.alien = True
        basis.valid = True
        return basis


class PersistentBackend:
    """Pyomo's ``contrib.solver`` 'highs' persistent interface (the previous route)."""

    def __init__(self) -> None:
        from pyomo.contrib.solver.solvers.highs import Highs

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

    def forget_basis(self) -> None:
        """Make the next solve start cold: the model is set up again."""
        self._model = None

    def solve(self, m: Any, duals_of: Iterable[Any], options: SolveOptions) -> SolveResult:
        """Solve ``m`` and load its primal values; return duals of ``duals_of``."""
        from pyomo.common.tee import capture_output
        from pyomo.contrib.solver.common.results import TerminationCondition

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
                time_limit=options.time_limit_s,
                threads=options.threads,
                solver_options=highs_options(options),
            )
        timer = results.timing_info.timer
        if not first and timer is not None:  # re-solve: the update happens inside solve()
            transfer = float(timer.timers["update"].total_time) if "update" in timer.timers else 0.0
        log = chatter.getvalue() + str(results.solver_log or "")
        status = STATUS.get(results.termination_condition, SolverStatus.UNKNOWN)
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


_HIGHS_STATUS = {
    "kOptimal": SolverStatus.OPTIMAL,
    "kInfeasible": SolverStatus.INFEASIBLE,
    "kUnbounded": SolverStatus.UNBOUNDED,
    "kUnboundedOrInfeasible": SolverStatus.INFEASIBLE_OR_UNBOUNDED,
    "kTimeLimit": SolverStatus.TIME_LIMIT,
    "kIterationLimit": SolverStatus.ITERATION_LIMIT,
    "kSolutionLimit": SolverStatus.ITERATION_LIMIT,
    "kLoadError": SolverStatus.ERROR,
    "kModelError": SolverStatus.ERROR,
    "kPresolveError": SolverStatus.ERROR,
    "kSolveError": SolverStatus.ERROR,
    "kPostsolveError": SolverStatus.ERROR,
    "kMemoryLimit": SolverStatus.ERROR,
}
"""HiGHS model status (by name) → `SolverStatus`; anything else is UNKNOWN."""


def status_table() -> dict[Any, SolverStatus]:
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


STATUS = status_table()
