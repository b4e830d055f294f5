"""Compile a Pyomo model to HiGHS arrays, and track where its mutable parameters land."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

__all__ = ["CompiledLp", "ParameterTracker", "column_bounds", "compile_model", "model_structure"]


@dataclass
class CompiledLp:
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

    def same_shape(self, other: CompiledLp) -> bool:
        """Whether ``other`` has the same columns, rows and sparsity pattern."""
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


def _standard_form_compiler() -> Any:
    """Pyomo's standard-form compiler, without its import of all of scipy.

    Pyomo hooks the import of scipy: whoever imports it first, Pyomo's
    callback then also imports ``scipy.stats``, ``integrate`` and ``spatial``
    (about 1 s, ten times the reference LP's whole solve). The compiler
    needs only ``scipy.sparse``, so it is imported with the hook set aside
    and handed to the compiler as its first use would (private attributes of
    Pyomo 6.8-6.10; with any other layout the compiler takes its usual path).
    """
    import numpy as np
    from pyomo.common import dependencies
    from pyomo.repn.plugins import standard_form

    impl = getattr(standard_form, "_LinearStandardFormCompiler_impl", None)
    hooks = getattr(getattr(dependencies, "DeferredImportCallbackFinder", None), "_callbacks", None)
    if impl is not None and getattr(impl, "_to_vector", 0) is None and isinstance(hooks, dict):
        saved = {name: hooks.pop(name) for name in ("scipy", "scipy.sparse") if name in hooks}
        try:
            import scipy.sparse
        finally:
            hooks.update(saved)  # a later use of Pyomo's scipy still runs the callback
        impl._to_vector = np.fromiter
        impl._csc_matrix = scipy.sparse.csc_array
        impl._csr_matrix = scipy.sparse.csr_array
    return standard_form.LinearStandardFormCompiler()


def compile_model(m: Any) -> CompiledLp:
    """Compile ``m`` to HiGHS arrays (fixed variables kept as fixed columns)."""
    import numpy as np
    import pyomo.environ as pyo

    inf = float("inf")
    fixed = [v for v in m.component_data_objects(pyo.Var, descend_into=True) if v.fixed]
    for v in fixed:
        v.unfix()  # compile fixed variables as columns; their bounds pin them below
    try:
        repn = _standard_form_compiler().write(m, mixed_form=True, set_sense=None)
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
    col_lower, col_upper = column_bounds(columns)
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
    return CompiledLp(
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


def column_bounds(columns: list[Any]) -> tuple[Any, Any]:
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


class ParameterTracker:
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

    def __init__(self, m: Any, lp: CompiledLp | None) -> None:
        self.model = m
        if m is None or lp is None:
            return
        import pyomo.environ as pyo

        self.structure = model_structure(m)
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
        if m is not self.model or model_structure(m) != self.structure:
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

    def recompiled(self, m: Any, old: CompiledLp) -> CompiledLp | None:
        """``old`` updated for changed parameters, bounds and fixings (``None``: recompile)."""
        if not self._unchanged_structure(m):
            return None
        values = [p.value for p in self.params]
        changed = [
            id(p)
            for p, a, b in zip(self.params, values, self.values, strict=True)
            if a is not b and a != b
        ]
        col_lower, col_upper = column_bounds(old.columns)
        lp = CompiledLp(
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

    def _recompile_parts(self, lp: CompiledLp, rows: list[int], objective: bool) -> bool:
        """Recompile ``rows`` (and the objective) of ``lp`` in place; False on a shape change.

        Long because the objective and row updates share the column map and the fixings.
        """
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


def model_structure(m: Any) -> tuple[tuple[int, int, bool], ...]:
    """Which constraint, variable, parameter, expression and objective components ``m`` has."""
    import pyomo.environ as pyo

    return tuple(
        (id(c), len(c), c.active)
        for c in m.component_objects(
            (pyo.Constraint, pyo.Var, pyo.Param, pyo.Expression, pyo.Objective, pyo.Block),
            descend_into=True,
        )
    )
