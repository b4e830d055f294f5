"""Read sweep parameters from text: ``KEY=uniform(0.3,0.9)``, ``KEY=choice(8,12,16)``, ...

Forms: ``uniform(low,high)``, ``normal(mean,sd[,low,high])``,
``lognormal(median,sigma)``, ``triangular(low,mode,high)``,
``choice(v1,v2,...)`` and ``grid(v1,v2,...)`` (grid values may be labels such
as periods).
"""

from __future__ import annotations

import re

from optimization.sweeps.distributions import (
    Choice,
    Grid,
    LogNormal,
    Normal,
    Parameter,
    Triangular,
    Uniform,
)

__all__ = ["parse_parameter", "parse_parameters"]

_FORM = re.compile(r"^\s*([a-z]+)\s*\((.*)\)\s*$")
_ARITY = {"uniform": (2,), "normal": (2, 4), "lognormal": (2,), "triangular": (3,)}


def parse_parameter(text: str) -> Parameter:
    """Parse one distribution or grid.

    Raises
    ------
    ValueError
        With the accepted forms, if ``text`` is not one of them.

    Examples
    --------
    >>> parse_parameter("uniform(0.3, 0.9)")
    Uniform(low=0.3, high=0.9)
    >>> parse_parameter("grid(2027Q3, 2028Q1)")
    Grid(values=('2027Q3', '2028Q1'))
    """
    match = _FORM.match(text)
    if match is None:
        raise ValueError(f"expected a form like uniform(0.3,0.9) or choice(8,12,16), got {text!r}")
    name, body = match.group(1), [part.strip() for part in match.group(2).split(",")]
    if name == "grid":
        return Grid(tuple(_number_or_label(part) for part in body))
    numbers = [_number(part, text) for part in body]
    if name == "choice":
        return Choice(tuple(numbers))
    if name not in _ARITY:
        raise ValueError(
            f"unknown distribution {name!r}; expected uniform, normal, lognormal, triangular, "
            "choice or grid"
        )
    if len(numbers) not in _ARITY[name]:
        counts = " or ".join(str(n) for n in _ARITY[name])
        raise ValueError(f"{name} takes {counts} numbers, got {len(numbers)} in {text!r}")
    law: Parameter = {
        "uniform": Uniform,
        "normal": Normal,
        "lognormal": LogNormal,
        "triangular": Triangular,
    }[name](*numbers)
    return law


def parse_parameters(items: list[str]) -> dict[str, Parameter]:
    """Parse ``KEY=FORM`` strings into ``{key: parameter}``."""
    parameters: dict[str, Parameter] = {}
    for item in items:
        key, sep, form = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"expected KEY=DISTRIBUTION, got {item!r}")
        parameters[key.strip()] = parse_parameter(form)
    return parameters


def _number(part: str, text: str) -> float:
    try:
        return float(part)
    except ValueError:
        raise ValueError(f"expected a number, got {part!r} in {text!r}") from None


def _number_or_label(part: str) -> float | str:
    try:
        return float(part)
    except ValueError:
        return part
