"""Chains of first-order stages behind material delays and smooths.

A delay or smooth of order ``n`` is declared as ``n`` internal stocks
``name.stage1..n`` and the flows between them, so both integrators treat it
like the rest of the model. Two rules for the time of a stage, both Vensim's:

- ``"delay3"`` (DELAY1, DELAY3 and their I forms, for any order): every stage
  uses the current delay time, ``delay_time / n``.
- ``"delay_n"`` (DELAY N): stage ``j`` uses the delay time read ``j``
  steps earlier, and the order is lowered at the start so that ``order * dt`` does
  not exceed the delay time (see :mod:`sd_model.engine.memory`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from sd_model.engine.declarations import ModelBase
from sd_model.engine.errors import ModelError, SimulationError
from sd_model.engine.memory import drain
from sd_model.engine.variables import Equation, EquationSpec, Variable, identity, then, to_equation

#: Vensim function whose rule a material delay follows (see the module docstring).
DelaySemantics = Literal["delay3", "delay_n"]

#: An order: a whole number, or the name of a constant declared before.
Order = int | float | str


def resolve_order(m: ModelBase, order: Order, owner: str) -> int:
    """The whole number ``order`` stands for; a constant's name is read by value."""
    value: Any = order
    source = ""
    if isinstance(order, str):
        var = m.variables.get(order)
        if var is None or var.kind != "constant":
            raise ModelError(
                f"order of '{owner}' must be an integer or the name of a constant "
                f"declared before it; '{order}' is not a constant"
            )
        array = np.asarray(var.value, dtype=np.float64)
        if array.size != 1:
            raise ModelError(
                f"order of '{owner}' is constant '{order}', which must be one number, "
                f"not an array of shape {array.shape}"
            )
        value, source = float(array.flat[0]), f" (constant '{order}')"
        m._structural.setdefault(order, owner)
    whole = isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool
    )
    if not (whole and float(value).is_integer() and value >= 1):
        raise ModelError(f"order of '{owner}' must be a positive integer, got {value!r}{source}")
    return int(value)


@dataclass(frozen=True)
class Output:
    """What the user declared about a builtin's output."""

    units: str = ""
    doc: str = ""
    from_stock: str | None = None
    to_stock: str | None = None


def declare_delay(
    m: ModelBase,
    name: str,
    spec: tuple[EquationSpec, EquationSpec, EquationSpec | None],
    order: int,
    semantics: DelaySemantics,
    dims: tuple[str, ...],
    output: Output,
) -> str:
    """Declare a material delay: input flow, stages, stage times, output flow ``name``.

    ``spec`` is ``(input, delay_time, initial)``; ``initial`` None starts the
    stages in equilibrium with the input.
    """
    if semantics not in ("delay3", "delay_n"):  # checked before declaring anything
        raise ModelError(
            f"semantics of delay '{name}' must be 'delay3' or 'delay_n', not {semantics!r}"
        )
    input, delay_time, initial = spec
    m._internal(
        "flow",
        f"{name}.input",
        to_equation(input, name),
        dims,
        from_stock=output.from_stock,
        to_stock=f"{name}.stage1",
    )
    times = _stage_times(m, name, delay_time, order, semantics, dims)
    start = to_equation(initial, name) if initial is not None else copy(f"{name}.input")
    upstream = f"{name}.input"
    for i, time in enumerate(times, start=1):
        stage = m._internal("stock", f"{name}.stage{i}", then(start, _product, time), dims)
        last = i == order
        if semantics == "delay_n":
            out = Equation(drain, (stage, time, upstream))
        else:
            out = Equation(_ratio, (stage, time))
        upstream = m._declare(
            Variable(
                name if last else f"{name}.flow{i}",
                "flow",
                output.units if last else "",
                dims,
                output.doc if last else "",
                internal=not last,
                equation=out,
                from_stock=stage,
                to_stock=output.to_stock if last else f"{name}.stage{i + 1}",
            )
        )
    return name


def _stage_times(
    m: ModelBase,
    name: str,
    delay_time: EquationSpec,
    order: int,
    semantics: DelaySemantics,
    dims: tuple[str, ...],
) -> list[str]:
    """Declare the variables holding the time of each stage of a delay; return their names."""
    if semantics == "delay3":
        eq = then(to_equation(delay_time, name), stage_time(name, order))
        return [m._internal("aux", f"{name}.stage_time", eq, dims, stages=order)] * order
    eq = then(to_equation(delay_time, name), stage_time(name, 1))
    total = m._internal("aux", f"{name}.delay_time", eq, dims)
    return [
        m._declare(
            Variable(
                f"{name}.stage_time{i}",
                "stage_time",
                dims=dims,
                internal=True,
                delay_time=total,
                stages=order,
                stage=i,
            )
        )
        for i in range(1, order + 1)
    ]


def copy(name: str) -> Equation:
    """An equation that copies variable ``name``."""
    return Equation(identity, (name,))


def stage_time(owner: str, order: int) -> Callable[[Any], Any]:
    """Check a delay or smoothing time is positive; return the time of one stage."""

    def time_of_stage(total: Any) -> Any:
        bad = total <= 0 if type(total) is float else bool(np.any(np.asarray(total) <= 0))
        if bad:
            raise SimulationError(f"delay time of '{owner}' must be positive, got {np.min(total)}")
        return total / order

    return time_of_stage


def _product(a: Any, b: Any) -> Any:
    return a * b


def _ratio(level: Any, time: Any) -> Any:
    return level / time
