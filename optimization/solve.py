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

import enum
import io
import operator
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
        ``"simplex"`` (dual simplex; best for warm re-solves), ``"ipm"``
        (interior point with crossover) or ``"choose"``.
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
    method: Method = "simplex"
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
        self._backend: _MatrixBackend | _PersistentBackend = (
            _MatrixBackend() if self.options.interface == "matrix" else _PersistentBackend()
        )

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


def _highs_options(opts: SolveOptions) -> dict[str, Any]:
    return {
        "solver": opts.method,
        "presolve": "on" if opts.presolve else "off",
        **dict(opts.extra),
    }


@dataclass
class _Lp:
    """One compiled LP: HiGHS arrays plus the column/row ↔ Pyomo maps."""

    columns: list[Any]  # VarData per column
    rows: list[Any]  # ConstraintData per row
    sense_max: bool
    offset: float
    cost: Any  # numpy arrays from here on
    col_lower: Any
    col_upper: Any
    row_lower: Any
    row_upper: Any
    start: Any
    index: Any
    value: Any

    def same_shape(self, other: _Lp) -> bool:
        import numpy as np

        return (
            self.sense_max == other.sense_max
            and len(self.columns) == len(other.columns)
            and len(self.rows) == len(other.rows)
            and all(map(operator.is_, self.columns, other.columns))
            and all(map(operator.is_, self.rows, other.rows))
            and np.array_equal(self.start, other.start)
            and np.array_equal(self.index, other.index)
        )


def _compile(m: Any) -> _Lp:
    """Compile ``m`` to HiGHS arrays (fixed variables kept as fixed columns)."""
    import numpy as np
    import pyomo.environ as pyo
    from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

    inf = float("inf")
    fixed = [v for v in m.component_data_objects(pyo.Var, descend_into=True) if v.fixed]
    for v in fixed:
        v.unfix()  # compile fixed variables as columns; their bounds pin them below
    try:
        repn = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None)
    finally:
        for v in fixed:
            v.fix()
    columns = list(repn.columns)
    n_cols = len(columns)
    if len(repn.objectives) > 1:
        raise ValueError("the model has more than one active objective")
    sense_max = bool(repn.objectives) and repn.objectives[0].sense == pyo.maximize
    cost = (
        np.asarray(repn.c.toarray(), dtype=float).ravel() if repn.objectives else np.zeros(n_cols)
    )
    offset = float(repn.c_offset[0]) if repn.objectives else 0.0
    col_lower, col_upper = _col_bounds(columns)
    a = repn.A
    rhs = np.asarray(repn.rhs, dtype=float)
    kinds = np.fromiter((r.bound_type for r in repn.rows), dtype=np.int8, count=len(repn.rows))
    row_lower = np.where(kinds <= 0, rhs, -inf)
    row_upper = np.where(kinds >= 0, rhs, inf)
    cons = [r.constraint for r in repn.rows]
    # a range constraint compiles to an upper row followed by a lower row: merge them
    pair = np.zeros(len(cons), dtype=bool)
    if len(cons) > 1:
        pair[1:] = (kinds[1:] == -1) & (kinds[:-1] == 1)
        pair[1:] &= np.fromiter(map(operator.is_, cons[1:], cons[:-1]), dtype=bool)
    if pair.any():
        first = np.flatnonzero(pair) - 1
        row_lower[first] = row_lower[first + 1]
        keep = ~pair
        a = a.tocsr()[keep].tocsc()
        row_lower, row_upper = row_lower[keep], row_upper[keep]
        cons = [c for c, k in zip(cons, keep, strict=True) if k]
    a = a.tocsc()
    a.sort_indices()
    return _Lp(
        columns=columns,
        rows=cons,
        sense_max=sense_max,
        offset=offset,
        cost=cost,
        col_lower=col_lower,
        col_upper=col_upper,
        row_lower=row_lower,
        row_upper=row_upper,
        start=a.indptr.astype(np.int32),
        index=a.indices.astype(np.int32),
        value=a.data.astype(float),
    )


def _col_bounds(columns: list[Any]) -> tuple[Any, Any]:
    """Column bounds (a fixed variable's bounds are its value)."""
    import numpy as np

    inf = float("inf")
    lower = np.empty(len(columns))
    upper = np.empty(len(columns))
    for j, v in enumerate(columns):
        if v.fixed:
            lower[j] = upper[j] = v.value
        else:
            lb, ub = v.bounds
            lower[j] = -inf if lb is None else lb
            upper[j] = inf if ub is None else ub
    return lower, upper


_KINDS: dict[type, int] = {}
"""Expression node class → 0 (no parameter below), 1 (expression: walk its args),
2 (named expression: walk its ``expr``, memoized), 3 (a parameter)."""


def _kind(e: Any) -> int:
    from pyomo.common.numeric_types import native_types

    cls = e.__class__
    if cls in native_types:
        kind = 0
    elif e.is_expression_type():
        kind = 2 if e.is_named_expression_type() else 1
    else:
        kind = 3 if e.is_parameter_type() else 0
    _KINDS[cls] = kind
    return kind


def _params_in(expr: Any, memo: dict[int, set[int]]) -> set[int]:
    """Ids of the mutable parameters in ``expr`` (named subexpressions memoized)."""
    found: set[int] = set()
    kinds = _KINDS
    stack = [expr]
    pop, push = stack.pop, stack.extend
    while stack:
        e = pop()
        kind = kinds.get(e.__class__)
        if kind is None:
            kind = _kind(e)
        if kind == 1:
            push(e.args)
        elif kind == 3:
            found.add(id(e))
        elif kind == 2:
            sub = memo.get(id(e))
            if sub is None:
                sub = memo[id(e)] = _params_in(e.expr, memo)
            found |= sub
    return found


class _Tracker:
    """Where a compiled model's mutable parameters land, for updates without a recompile.

    Made after each full compile: a snapshot of the model's structure (its
    components, every constraint's and named expression's expression and
    activity, the objective), of every mutable parameter's value and the
    column bounds. On the next solve of the same model, `recompiled` checks
    that only parameter values, variable bounds and fixings changed; then
    it recompiles only the rows (and the objective) holding a changed
    parameter and returns the updated LP. Anything else (a new or
    deactivated constraint, a replaced expression, a parameter in a
    constraint that is not a row, a coefficient becoming zero) returns
    ``None``: the caller recompiles the whole model, as before.

    The parameter → row map is built on the first update (one walk over the
    constraints, named subexpressions memoized).
    """

    def __init__(self, m: Any, lp: _Lp | None) -> None:
        self.model = m
        if m is None or lp is None:
            return
        import pyomo.environ as pyo

        self.structure = _structure(m)
        self.cons = list(m.component_data_objects(pyo.Constraint, descend_into=True))
        self.con_state = [(c._active, c._expr) for c in self.cons]
        self.exprs = list(m.component_data_objects(pyo.Expression, descend_into=True))
        self.expr_state = [e.expr for e in self.exprs]
        self.objs = list(m.component_data_objects(pyo.Objective, active=True, descend_into=True))
        self.obj_state = [(o.expr, o.sense) for o in self.objs]
        self.params = [
            p
            for p in m.component_data_objects(pyo.Param, descend_into=True)
            if p.parent_component().mutable
        ]
        self.values = [p.value for p in self.params]
        self.deps: dict[int, tuple[list[int], bool, bool]] | None = None
        self.csr: tuple[Any, Any, Any] | None = None

    def _unchanged_structure(self, m: Any) -> bool:
        if m is not self.model or _structure(m) != self.structure:
            return False
        cons_ok = all(
            c._active is a and c._expr is e
            for c, (a, e) in zip(self.cons, self.con_state, strict=True)
        )
        return (
            cons_ok
            and all(map(operator.is_, (e.expr for e in self.exprs), self.expr_state))
            and all(
                o.expr is e and o.sense == s
                for o, (e, s) in zip(self.objs, self.obj_state, strict=True)
            )
        )

    def _dependencies(self, row_of: dict[int, int]) -> dict[int, tuple[list[int], bool, bool]]:
        """id(param) → (rows holding it, in the objective, in a constraint that is no row)."""
        memo: dict[int, set[int]] = {}
        rows: dict[int, list[int]] = {}
        other: set[int] = set()
        for c in self.cons:
            if not c._active:
                continue
            found = _params_in(c._expr, memo)
            if not found:
                continue
            i = row_of.get(id(c))
            if i is None:
                other |= found
            else:
                for p in found:
                    rows.setdefault(p, []).append(i)
        in_obj: set[int] = set()
        for o in self.objs:
            in_obj |= _params_in(o.expr, memo)
        return {p: (rows.get(p, []), p in in_obj, p in other) for p in (set(rows) | in_obj | other)}

    def recompiled(self, m: Any, old: _Lp) -> _Lp | None:
        """``old`` updated for changed parameters, bounds and fixings (``None``: recompile)."""
        if not self._unchanged_structure(m):
            return None
        values = [p.value for p in self.params]
        changed = [
            id(p)
            for p, a, b in zip(self.params, values, self.values, strict=True)
            if a is not b and a != b
        ]
        col_lower, col_upper = _col_bounds(old.columns)
        lp = _Lp(
            columns=old.columns,
            rows=old.rows,
            sense_max=old.sense_max,
            offset=old.offset,
            cost=old.cost,
            col_lower=col_lower,
            col_upper=col_upper,
            row_lower=old.row_lower,
            row_upper=old.row_upper,
            start=old.start,
            index=old.index,
            value=old.value,
        )
        if changed:
            if self.deps is None:
                self.deps = self._dependencies({id(c): i for i, c in enumerate(old.rows)})
            rows: set[int] = set()
            objective = False
            for p in changed:
                dep = self.deps.get(p)
                if dep is None:
                    continue
                if dep[2]:
                    return None
                rows.update(dep[0])
                objective = objective or dep[1]
            if (rows or objective) and not self._recompile_parts(lp, sorted(rows), objective):
                return None
        self.values = values
        return lp

    def _recompile_parts(self, lp: _Lp, rows: list[int], objective: bool) -> bool:
        """Recompile ``rows`` (and the objective) of ``lp`` in place; False on a shape change."""
        import numpy as np
        from pyomo.common.numeric_types import value
        from pyomo.repn.linear import LinearRepnVisitor

        inf = float("inf")
        col_of = {id(v): j for j, v in enumerate(lp.columns)}
        fixed = [v for v in lp.columns if v.fixed]
        for v in fixed:
            v.unfix()  # compiled as columns, as in the full compile
        try:
            visitor = LinearRepnVisitor({})
            if objective:
                if len(self.objs) != 1:
                    return False
                repn = visitor.walk_expression(self.objs[0].expr)
                if repn.nonlinear is not None:
                    return False
                cost = np.zeros(len(lp.columns))
                for vid, coef in repn.linear.items():
                    j = col_of.get(vid)
                    if j is None:
                        return False
                    cost[j] = coef
                lp.cost, lp.offset = cost, float(repn.constant)
            if not rows:
                return True
            if self.csr is None:
                order = np.argsort(lp.index, kind="stable")
                ptr = np.zeros(len(lp.rows) + 1, dtype=np.int64)
                np.cumsum(np.bincount(lp.index, minlength=len(lp.rows)), out=ptr[1:])
                col_at = np.repeat(np.arange(len(lp.columns)), np.diff(lp.start))
                self.csr = (order, ptr, col_at)
            order, ptr, col_at = self.csr
            row_lower, row_upper, vals = lp.row_lower.copy(), lp.row_upper.copy(), lp.value.copy()
            for i in rows:
                lb, body, ub = lp.rows[i].to_bounded_expression()
                lb = None if lb is None else value(lb)
                ub = None if ub is None else value(ub)
                repn = visitor.walk_expression(body)
                if repn.nonlinear is not None or (lb is None and ub is None):
                    return False
                offset = repn.constant
                if offset.__class__ not in (int, float):
                    return False
                pos = order[ptr[i] : ptr[i + 1]]
                have = dict(zip(col_at[pos].tolist(), pos.tolist(), strict=True))
                if len(have) != len(repn.linear):
                    return False
                for vid, coef in repn.linear.items():
                    k = have.get(col_of.get(vid, -1))
                    if k is None or coef == 0:
                        return False
                    vals[k] = coef
                row_lower[i] = -inf if lb is None else lb - offset
                row_upper[i] = inf if ub is None else ub - offset
            lp.row_lower, lp.row_upper, lp.value = row_lower, row_upper, vals
            return True
        finally:
            for v in fixed:
                v.fix()


def _structure(m: Any) -> tuple[tuple[int, int, bool], ...]:
    """Which constraint, variable, parameter, expression and objective components ``m`` has."""
    import pyomo.environ as pyo

    return tuple(
        (id(c), len(c), c.active)
        for c in m.component_objects(
            (pyo.Constraint, pyo.Var, pyo.Param, pyo.Expression, pyo.Objective, pyo.Block),
            descend_into=True,
        )
    )


class _MatrixBackend:
    """The default: standard-form compile, ``passModel``, in-place updates."""

    def __init__(self) -> None:
        import highspy
        from pyomo.common.tee import capture_output

        with capture_output(io.StringIO(), capture_fd=True):  # HiGHS prints a banner on creation
            self._highs = highspy.Highs()  # type: ignore[no-untyped-call]
        self._model: Any = None
        self._lp: _Lp | None = None
        self._row_of: dict[int, int] = {}
        self._tracker = _Tracker(None, None)

    def solve(self, m: Any, duals_of: Iterable[Any], options: SolveOptions) -> SolveResult:
        from pyomo.common.tee import capture_output

        h = self._highs
        tick = time.perf_counter()
        chatter = io.StringIO()
        with capture_output(chatter, capture_fd=True):
            old = self._lp if m is self._model else None
            lp = self._tracker.recompiled(m, old) if old is not None else None
            if lp is None:
                lp = _compile(m)
            if old is not None and (lp.start is old.start or old.same_shape(lp)):
                self._update(old, lp)
            else:
                basis = self._mapped_basis(lp) if old is not None else None
                self._pass(lp)
                if basis is not None:
                    h.setBasis(basis)
            if lp is not old and (old is None or lp.start is not old.start):
                self._tracker = _Tracker(m, lp)  # a full compile: snapshot it
            self._model, self._lp = m, lp
            transfer = time.perf_counter() - tick
            h.setOptionValue("output_flag", True)
            h.setOptionValue("log_to_console", True)
            limit = options.time_limit_s
            h.setOptionValue("time_limit", float("inf") if limit is None else float(limit))
            if options.threads is not None:
                h.setOptionValue("threads", int(options.threads))
            for key, val in _highs_options(options).items():
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

    def _pass(self, lp: _Lp) -> None:
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

    def _update(self, old: _Lp, new: _Lp) -> None:
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

    def _mapped_basis(self, new: _Lp) -> Any:
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


class _PersistentBackend:
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

    def solve(self, m: Any, duals_of: Iterable[Any], options: SolveOptions) -> SolveResult:
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
                solver_options=_highs_options(options),
            )
        timer = results.timing_info.timer
        if not first and timer is not None:  # re-solve: the update happens inside solve()
            transfer = float(timer.timers["update"].total_time) if "update" in timer.timers else 0.0
        log = chatter.getvalue() + str(results.solver_log or "")
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
