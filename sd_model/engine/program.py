"""A model compiled for one run: value slots, evaluation plan and stock balances.

All values of one evaluation live in a flat list: the stocks first, then the
clock (``time``, ``dt``), constants, inputs and the auxiliaries that depend on
constants only (computed once), then the auxiliaries and flows that change
over time, appended in evaluation order. Each of the latter is one call of
its Python function on values picked from the list, which keeps the per-step
overhead to about 0.15 µs per variable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sd_model.engine.dims import Dimensions
from sd_model.engine.errors import EngineError, ModelError, SimulationError
from sd_model.engine.memory import StageTimes
from sd_model.engine.pipeline import Pipeline
from sd_model.engine.variables import Equation, Variable

Values = list[Any]
#: One step of the plan: function, argument picker, whether to unpack the picked tuple.
PlanStep = tuple[Callable[..., Any], Callable[[Values], Any], bool]


def plan_step(fn: Callable[..., Any], slots: Sequence[int]) -> PlanStep:
    """Build the call of ``fn`` on the values at ``slots``."""
    if len(slots) == 1:
        return fn, itemgetter(slots[0]), False
    return fn, itemgetter(*slots), True


#: Slot holding 0.0, standing in for a missing inflow or outflow.
ZERO = "<zero>"


def balances(
    fills: Sequence[Sequence[int]], drains: Sequence[Sequence[int]], zero: int
) -> Callable[[Values], Values]:
    """Net rate of change of every stock: its inflows minus its outflows.

    Flows are grouped in layers: layer ``j`` holds each stock's ``j``-th inflow
    and ``j``-th outflow (the zero slot where it has none), so the common case
    of one inflow and one outflow per stock costs two ``itemgetter`` calls and
    one list comprehension for all stocks together. Layers after the first
    hold only the stocks with that many flows.
    """
    depth = max([1, *(len(f) for f in fills), *(len(d) for d in drains)])
    into = [f[0] if f else zero for f in fills]
    out = [d[0] if d else zero for d in drains]
    first_in, first_out = _tuple_getter(into), _tuple_getter(out)
    # later layers: only the stocks with a j-th flow (adding 0 - 0 to whole arrays is not free)
    rest = []
    for j in range(1, depth):
        which = [
            i for i, (f, d) in enumerate(zip(fills, drains, strict=True)) if max(len(f), len(d)) > j
        ]
        into = [fills[i][j] if j < len(fills[i]) else zero for i in which]
        out = [drains[i][j] if j < len(drains[i]) else zero for i in which]
        rest.append((which, _tuple_getter(into), _tuple_getter(out)))

    def net_rates(values: Values) -> Values:
        total = [a - b for a, b in zip(first_in(values), first_out(values), strict=True)]
        for which, more_in, more_out in rest:
            for i, a, b in zip(which, more_in(values), more_out(values), strict=True):
                total[i] = total[i] + (a - b)
        return total

    return net_rates


def _tuple_getter(slots: Sequence[int]) -> Callable[[Values], tuple[Any, ...]]:
    if len(slots) == 1:
        only = slots[0]
        return lambda values: (values[only],)
    return itemgetter(*slots)


def euler_triples(
    fills: Sequence[Sequence[int]], drains: Sequence[Sequence[int]], zero: int
) -> Callable[[Values], tuple[Any, ...]] | None:
    """Getter of ``(stock, inflow, outflow)`` for every stock, in one flat tuple.

    Only when each stock has at most one inflow and one outflow (the zero slot
    standing in for a missing one), else None. Stock ``i`` is in slot ``i``.
    """
    if not fills or any(len(f) > 1 for f in fills) or any(len(d) > 1 for d in drains):
        return None
    slots = []
    for i, (f, d) in enumerate(zip(fills, drains, strict=True)):
        slots += [i, f[0] if f else zero, d[0] if d else zero]
    return itemgetter(*slots)


@dataclass
class PipelineSlot:
    """A fixed delay in a program: its buffer and where its input accumulates."""

    pipeline: Pipeline
    name: str
    intake: int
    delay_time: str


@dataclass
class MemorySlot:
    """A DELAY N in a program: its stage times and the slot of its delay time.

    ``pushed``: the delay time varies during the run, so it is remembered
    after every step (a constant one needs no memory).
    """

    times: StageTimes
    delay_time: str
    source: int
    pushed: bool


@dataclass
class Program:
    """Everything a :class:`~sd_model.engine.simulator.Simulator` needs to run.

    Attributes
    ----------
    names : list of str
        Name of the value in each slot.
    n_stocks : int
        Stocks occupy slots ``[0, n_stocks)``; the clock follows.
    base_names : list of str
        Names of the slots after the stocks that are not recomputed each
        evaluation (clock, constants, inputs, constant-only auxiliaries).
    plan : list
        The time-varying auxiliaries and flows, in evaluation order.
    rates : callable
        Net rate of change of every stock, from the slots.
    triples : callable or None
        Each stock with its inflow and outflow, when it has at most one of
        each (see :func:`euler_triples`): the fast Euler path.
    pipelines : list of PipelineSlot
        Fixed delays.
    memories : list of MemorySlot
        DELAY N stage times.
    non_negative : list of int
        Slots of the non-negative stocks.
    variables : mapping
        Declarations, for initial values and messages.
    init_equations : mapping
        Equation giving each stock, auxiliary and flow its value at the start.
    base_values : dict
        Values of constants and inputs, in the engine layout.
    shapes : dict
        Full engine shape of every variable.
    samples : int
        Number of samples N.
    batch : bool
        Whether values carry a sample axis (results indexed by sample and time).
    dims : Dimensions
        The model's dimensions.
    """

    names: list[str]
    n_stocks: int
    base_names: list[str]
    plan: list[PlanStep]
    rates: Callable[[Values], Values]
    triples: Callable[[Values], tuple[Any, ...]] | None
    pipelines: list[PipelineSlot]
    memories: list[MemorySlot]
    non_negative: list[int]
    variables: Mapping[str, Variable]
    init_equations: Mapping[str, Equation]
    base_values: dict[str, Any]
    shapes: dict[str, tuple[int, ...]]
    samples: int
    batch: bool
    dims: Dimensions

    def evaluate(self, base: Values, stocks: Values, time: float) -> Values:
        """All values at ``time`` given the stock values; ``base`` holds clock and constants."""
        values = stocks + base
        values[self.n_stocks] = time
        append = values.append
        try:
            for fn, pick, unpack in self.plan:
                append(fn(*pick(values)) if unpack else fn(pick(values)))
        except Exception as exc:
            raise self.failure(len(values), time, exc) from exc
        return values

    def failure(self, slot: int, time: float, exc: Exception) -> EngineError:
        """Wrap an exception raised by the equation of the variable at ``slot``."""
        var = self.variables[self.names[slot]]
        # internal helpers are reported under the builtin the user declared
        what = f"'{var.name.split('.')[0]}'" if var.internal else f"{var.kind} '{var.name}'"
        if isinstance(exc, EngineError):
            return type(exc)(f"{what} at time {time:g}: {exc}")
        return SimulationError(f"{what} failed at time {time:g}: {type(exc).__name__}: {exc}")

    def derivatives(self, values: Values) -> Values:
        """Net rate of change of every stock."""
        return self.rates(values)


class InitialValues:
    """Values at the start of a run, computed on demand in dependency order.

    Parameters
    ----------
    equations : mapping
        Initial value of each stock and value of each auxiliary or flow.
    known : dict
        Values already fixed: clock, constants, inputs, array initial values.
    """

    def __init__(self, equations: Mapping[str, Equation], known: dict[str, Any]) -> None:
        self.equations, self.known = equations, known

    def get(self, name: str, chain: tuple[str, ...] = ()) -> Any:
        """Value of ``name`` at the start; raise if initial values depend on each other."""
        if name in self.known:
            return self.known[name]
        if name in chain:
            loop = " -> ".join((*chain[chain.index(name) :], name))
            raise ModelError(f"initial values depend on each other in a loop: {loop}")
        eq = self.equations[name]
        args = [self.get(arg, (*chain, name)) for arg in eq.args]
        try:
            value = eq.fn(*args)
        except EngineError as exc:
            raise type(exc)(f"initial value of '{name}': {exc}") from exc
        except Exception as exc:
            raise SimulationError(
                f"computing the initial value of '{name}' failed: {type(exc).__name__}: {exc}"
            ) from exc
        self.known[name] = value
        return value
