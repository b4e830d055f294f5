"""Declarations: what a model is made of, before it is compiled for a run.

A variable's equation is a plain Python function whose positional parameter
names are the names of the model variables it reads (``time`` and ``dt`` are
also available). The parameter list *is* the set of arrows into the variable
on a stock-and-flow diagram, so the engine knows every dependency without
parsing or executing anything.
"""

from __future__ import annotations

import inspect
import keyword
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sd_model.engine.errors import ModelError

Kind = Literal["constant", "input", "series", "stock", "flow", "aux", "pipeline", "stage_time"]

#: An equation: a function of named variables, a variable name, or a number.
EquationSpec = Callable[..., Any] | str | float

#: Names every equation may read besides the model variables.
RESERVED_NAMES = ("time", "dt")


@dataclass(frozen=True)
class Equation:
    """A function and the names of the variables passed to it, in order."""

    fn: Callable[..., Any]
    args: tuple[str, ...]


@dataclass(frozen=True)
class Variable:
    """One declared element of a model.

    Attributes
    ----------
    name : str
        Unique name; internal helpers of builtins are named ``owner.part``.
    kind : str
        One of ``constant``, ``input``, ``series``, ``stock``, ``flow``, ``aux``,
        ``pipeline``, ``stage_time`` (the time of one stage of a DELAY N, see
        :mod:`sd_model.engine.memory`).
    units : str
        Free-text units, recorded with the results.
    dims : tuple of str
        Model dimensions the variable varies along, in model order.
    doc : str
        Description.
    internal : bool
        True for the hidden stocks and flows that implement builtins.
    equation : Equation or None
        Value of an aux or flow; initial value of a stock; initial output of a
        pipeline.
    value : Any
        Raw value of a constant or input default; the table of a series.
    from_stock, to_stock : str or None
        Stocks a flow drains and fills.
    non_negative : bool
        Stock whose outflows are limited so that it never goes below zero.
    delay_time : str or None
        Pipeline and stage time: the variable holding the delay time.
    intake : str or None
        Pipeline: the hidden stock that accumulates its input over a step.
    stages : int
        Number of stages of the delay or smooth this variable times: on the
        auxiliary holding a stage time, and on a ``stage_time``; 0 elsewhere.
        A stage shorter than ``dt`` at the start is warned about.
    stage : int
        ``stage_time``: which stage (1 to ``stages``) it times.
    """

    name: str
    kind: Kind
    units: str = ""
    dims: tuple[str, ...] = ()
    doc: str = ""
    internal: bool = False
    equation: Equation | None = None
    value: Any = None
    from_stock: str | None = None
    to_stock: str | None = None
    non_negative: bool = False
    delay_time: str | None = None
    intake: str | None = None
    stages: int = 0
    stage: int = 0


def check_name(name: str) -> None:
    """Reject names that cannot be used as equation parameters."""
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ModelError(f"'{name}' is not a valid variable name (use a Python identifier)")
    if name in RESERVED_NAMES:
        raise ModelError(f"'{name}' is reserved for the simulation clock; choose another name")


def signature_args(fn: Callable[..., Any], owner: str) -> tuple[str, ...]:
    """Names of the variables ``fn`` reads: its positional parameters without defaults.

    Parameters with default values are left alone, so the usual
    ``lambda x, i=i: x[i]`` idiom for binding loop values works.
    """
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError) as exc:
        raise ModelError(
            f"cannot read the parameters of the equation of '{owner}': {exc}"
        ) from None
    names = []
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise ModelError(f"the equation of '{owner}' may not take *args or **kwargs")
        if p.default is not p.empty:
            continue
        if p.kind is p.KEYWORD_ONLY:
            raise ModelError(f"the equation of '{owner}' has a keyword-only parameter '{p.name}'")
        names.append(p.name)
    return tuple(names)


def identity(value: Any) -> Any:
    """Return ``value`` unchanged (an equation that copies another variable)."""
    return value


def constant_fn(value: float) -> Callable[[], float]:
    """Return a function of no variables that always returns ``value``."""

    def constant() -> float:
        return value

    return constant


def to_equation(spec: EquationSpec, owner: str) -> Equation:
    """Turn a user's equation (function, variable name or number) into an Equation."""
    if isinstance(spec, str):
        return Equation(identity, (spec,))
    if isinstance(spec, int | float):
        return Equation(constant_fn(float(spec)), ())
    if callable(spec):
        return Equation(spec, signature_args(spec, owner))
    raise ModelError(
        f"the equation of '{owner}' must be a function, a variable name or a number, "
        f"not {type(spec).__name__}"
    )


def then(eq: Equation, outer: Callable[..., Any], *extra: str) -> Equation:
    """Compose: ``outer(eq(...), *extra_values)``, reading ``eq.args`` then ``extra``."""
    n_inner = len(eq.args)
    inner = eq.fn

    def composed(*values: Any) -> Any:
        return outer(inner(*values[:n_inner]), *values[n_inner:])

    return Equation(composed, eq.args + extra)
