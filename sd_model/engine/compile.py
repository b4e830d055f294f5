"""Compile a model's declarations and a run's parameters into a :class:`Program`."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from numpy.typing import ArrayLike

from sd_model.engine.dims import Dimensions
from sd_model.engine.errors import ModelError
from sd_model.engine.graph import check_references, evaluation_order
from sd_model.engine.limits import limit_flows
from sd_model.engine.memory import StageTimes
from sd_model.engine.pipeline import Pipeline
from sd_model.engine.program import (
    ZERO,
    MemorySlot,
    PipelineSlot,
    Program,
    balances,
    euler_triples,
    plan_step,
)
from sd_model.engine.series import SeriesSpec, compact, compile_series
from sd_model.engine.variables import RESERVED_NAMES, Equation, Variable

_NODE_KINDS = ("aux", "flow", "series", "pipeline", "stage_time")


def compile_model(
    variables: Mapping[str, Variable], dims: Dimensions, params: Mapping[str, ArrayLike]
) -> Program:
    """Check a model, bind the run's parameters and lay out its evaluation.

    Long because the compile order (stocks, flows, auxiliaries) is easiest to follow in one place.

    Parameters
    ----------
    variables : mapping
        The model's declarations, in declaration order.
    dims : Dimensions
        The model's dimensions.
    params : mapping
        Run values overriding constants, input defaults and stock initial values;
        arrays with a leading sample axis make the run a batch.

    Returns
    -------
    Program
        Ready for a :class:`~sd_model.engine.simulator.Simulator`.
    """
    check_structure(variables)
    raw_values, samples, batch = _bind_values(variables, dims, params)
    base_values = {name: compact(arr, not batch) for name, arr in raw_values.items()}
    pipelines: list[tuple[str, Pipeline]] = []
    memories: dict[str, StageTimes] = {}  # delay time variable -> its DELAY N's memory
    equations = _runtime_equations(variables, dims, samples, batch, pipelines, memories)
    order = _order_fills_first(variables, {name: eq.args for name, eq in equations.items()})
    equations = limit_flows(order, variables, equations)
    dynamic = _time_varying(order, variables, equations)
    stocks = [n for n, v in variables.items() if v.kind == "stock"]
    constants = [n for n, v in variables.items() if v.kind in ("constant", "input")]
    base_names = [*RESERVED_NAMES, ZERO, *constants, *(n for n in order if n not in dynamic)]
    names = stocks + base_names + [n for n in order if n in dynamic]
    slot = {name: i for i, name in enumerate(names)}
    init_equations = dict(equations)
    fills, drains = _stock_flows(stocks, variables, slot)
    for name, var in variables.items():
        if var.kind in ("stock", "pipeline") and name not in raw_values:
            init_equations[name] = _required(var.equation, name)
    return Program(
        names=names,
        n_stocks=len(stocks),
        base_names=base_names,
        plan=[
            plan_step(equations[n].fn, [slot[a] for a in equations[n].args])
            for n in names
            if n in dynamic
        ],
        rates=balances(fills, drains, slot[ZERO]) if stocks else _no_stocks,
        triples=euler_triples(fills, drains, slot[ZERO]),
        pipelines=[
            PipelineSlot(
                pipe,
                name,
                slot[_required(variables[name].intake, name)],
                _required(variables[name].delay_time, name),
            )
            for name, pipe in pipelines
        ],
        memories=[
            MemorySlot(times, source, slot[source], pushed=source in dynamic)
            for source, times in memories.items()
        ],
        non_negative=[i for i, n in enumerate(stocks) if variables[n].non_negative],
        variables=variables,
        init_equations=init_equations,
        base_values=base_values,
        shapes=_shapes(variables, dims, samples),
        samples=samples,
        batch=batch,
        dims=dims,
    )


def check_structure(variables: Mapping[str, Variable]) -> None:
    """Raise ModelError for undefined names and for flows not properly attached."""
    reads = {n: v.equation.args for n, v in variables.items() if v.equation is not None}
    check_references(reads, [*variables, *RESERVED_NAMES])
    for name, var in variables.items():
        if var.kind not in ("flow", "pipeline"):
            continue
        ends = [s for s in (var.from_stock, var.to_stock) if s is not None]
        if not ends and var.kind == "flow":
            raise ModelError(f"flow '{name}' is attached to no stock; declare it as an aux")
        if var.from_stock is not None and var.from_stock == var.to_stock:
            raise ModelError(f"flow '{name}' drains and fills the same stock '{var.from_stock}'")
        for stock in ends:
            target = variables.get(stock)
            if target is None or target.kind != "stock":
                raise ModelError(f"flow '{name}' is attached to '{stock}', which is not a stock")
            if target.dims != var.dims:
                raise ModelError(
                    f"flow '{name}' has dims {var.dims} but stock '{stock}' has {target.dims}"
                )


def _bind_values(
    variables: Mapping[str, Variable], dims: Dimensions, params: Mapping[str, ArrayLike]
) -> tuple[dict[str, Any], int, bool]:
    """Layout of constants, inputs and array initial values; the run's sample count."""
    settable = {n for n, v in variables.items() if v.kind in ("constant", "input", "stock")}
    for name in params:
        if name not in settable:
            raise ModelError(f"'{name}' in params is not a constant, input or stock of the model")
    values: dict[str, Any] = {}
    sizes: dict[str, int] = {}
    for name, var in variables.items():
        spec = var.value
        if isinstance(spec, SeriesSpec) and spec.values.ndim == len(var.dims) + 2:
            sizes[name] = spec.values.shape[0]
        if var.kind in ("constant", "input") or (
            var.kind == "stock" and (name in params or var.equation is None)
        ):
            arr, has_samples = dims.to_layout(params.get(name, var.value), var.dims, name)
            values[name] = arr
            if has_samples:
                sizes[name] = arr.shape[0]
    if len(set(sizes.values())) > 1:
        listing = ", ".join(f"'{n}' has {k}" for n, k in sizes.items())
        raise ModelError(f"values disagree on the number of samples: {listing}")
    return values, next(iter(sizes.values()), 1), bool(sizes)


def _runtime_equations(
    variables: Mapping[str, Variable],
    dims: Dimensions,
    samples: int,
    batch: bool,
    pipelines: list[tuple[str, Pipeline]],
    memories: dict[str, StageTimes],
) -> dict[str, Equation]:
    """The equation each auxiliary, flow, series, pipeline and stage time follows in a run."""
    equations: dict[str, Equation] = {}
    for name, var in variables.items():
        if var.kind in ("aux", "flow"):
            equations[name] = _required(var.equation, name)
        elif var.kind == "series":
            table, _ = compile_series(var.value, dims, var.dims, name, not batch)
            equations[name] = Equation(table, ("time", "dt"))
        elif var.kind == "pipeline":
            pipe = Pipeline(name, dims.full_shape(var.dims, samples))
            pipelines.append((name, pipe))
            equations[name] = Equation(_reader(pipe), ("time",))
        elif var.kind == "stage_time":
            source = _required(var.delay_time, name)
            times = memories.get(source)
            if times is None:
                times = memories[source] = StageTimes(name.split(".")[0], var.stages)
            equations[name] = Equation(partial(times.stage_time, var.stage), (source,))
    return equations


def _order_fills_first(
    variables: Mapping[str, Variable], deps: Mapping[str, tuple[str, ...]]
) -> list[str]:
    """Evaluation order; inflows of non-negative stocks before their outflows if possible.

    An outflow limited by a non-negative stock may then use what flows in
    during the same step. If these extra precedences would close a loop, the
    plain dependency order is used.
    """
    guarded = {n for n, v in variables.items() if v.kind == "stock" and v.non_negative}
    fills: dict[str, list[str]] = {stock: [] for stock in guarded}
    for name in deps:
        if variables[name].to_stock in guarded:
            fills[str(variables[name].to_stock)].append(name)
    extended = {
        name: (*reads, *fills.get(str(variables[name].from_stock), ()))
        for name, reads in deps.items()
    }
    try:
        return evaluation_order(extended)
    except ModelError:
        return evaluation_order(deps)


def _reader(pipe: Pipeline) -> Any:
    def pipeline_output(time: float) -> Any:
        return pipe.output()

    return pipeline_output


def _time_varying(
    order: list[str], variables: Mapping[str, Variable], equations: Mapping[str, Equation]
) -> set[str]:
    """Nodes that must be recomputed at every evaluation (the rest are computed once)."""
    varying = {n for n, v in variables.items() if v.kind in ("stock", "input")} | {"time"}
    for name in order:
        if any(arg in varying for arg in equations[name].args):
            varying.add(name)
    return varying & set(order)


def _stock_flows(
    stocks: list[str], variables: Mapping[str, Variable], slot: Mapping[str, int]
) -> tuple[list[list[int]], list[list[int]]]:
    """Slots of the flows filling and draining each stock, in declaration order."""
    fills: dict[str | None, list[int]] = {s: [] for s in stocks}
    drains: dict[str | None, list[int]] = {s: [] for s in stocks}
    for n, v in variables.items():
        if v.kind in _NODE_KINDS and v.to_stock in fills:
            fills[v.to_stock].append(slot[n])
        if v.kind == "flow" and v.from_stock in drains:
            drains[v.from_stock].append(slot[n])
    return list(fills.values()), list(drains.values())


def _shapes(
    variables: Mapping[str, Variable], dims: Dimensions, samples: int
) -> dict[str, tuple[int, ...]]:
    """Full engine shape of every variable (computed once per distinct dims)."""
    known: dict[tuple[str, ...], tuple[int, ...]] = {}
    shapes = {}
    for n, v in variables.items():
        shape = known.get(v.dims)
        if shape is None:
            shape = known[v.dims] = dims.full_shape(v.dims, samples)
        shapes[n] = shape
    return shapes


def _no_stocks(values: Any) -> list[Any]:
    return []


def _required(value: Any, owner: str) -> Any:
    if value is None:
        raise ModelError(f"'{owner}' is incomplete (internal declaration error)")
    return value
