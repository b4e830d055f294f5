"""Physical bounds of numeric scenario fields, and no booleans taken for numbers.

Pydantic reads ``true`` as 1.0 and accepts ``1e308`` GW or an infinite asset
life; the LP then fails deep inside the solver, or quietly optimizes
nonsense. Every numeric field must instead be finite and within a bound set
by its unit, read from the field name's unit suffix (``_gw``, ``_busd``,
``_years``, ...). The bounds are generous (a thousand GW, a hundred thousand
$B): they stop typing slips and overflows, not unusual scenarios.
"""

from __future__ import annotations

import math
import re
import types
import typing
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, ValidationInfo, field_validator

__all__ = ["CheckedNumbers", "bound_for", "is_numeric_field", "number_problem"]

# (pattern on the field name, largest magnitude, unit); the first match applies.
_BOUNDS: tuple[tuple[str, float, str], ...] = (
    (r"_usd_per_mwh$", 1e4, "$/MWh"),
    (r"busd_per_gw", 1e3, "$B per GW"),
    (r"busd", 1e5, "$B"),
    (r"_quarters$", 400.0, "quarters"),
    (r"_years$", 100.0, "years"),
    (r"_per_year$", 100.0, "per year"),
    (r"_per_gw$", 10.0, "per GW"),
    (r"(^|_)gw($|_)", 1e3, "GW"),
    (r"_usd($|_)", 1e6, "$"),
    (r"_million$", 1e6, "million"),
    (r"", 1e3, ""),
)


@cache
def bound_for(name: str) -> tuple[float, str]:
    """The largest magnitude a numeric field may take, and its unit, from its name.

    Examples
    --------
    >>> bound_for("max_gw")
    (1000.0, 'GW')
    >>> bound_for("it_depreciation_years")
    (100.0, 'years')
    """
    for pattern, bound, unit in _BOUNDS:
        if re.search(pattern, name):
            return bound, unit
    raise AssertionError("the last pattern matches every name")  # pragma: no cover


def number_problem(name: str, value: Any) -> str | None:
    """What is wrong with a validated number (or by-year mapping) of field ``name``, or None.

    Examples
    --------
    >>> number_problem("max_gw", 1e308)
    'a value of magnitude at most 1000 GW (a physical bound)'
    """
    values = value.values() if isinstance(value, dict) else [value]
    bound, unit = bound_for(name)
    unit = f" {unit}" if unit else ""
    for number in values:
        if isinstance(number, bool) or not isinstance(number, int | float):
            continue
        if not math.isfinite(number):
            return f"a finite number (at most {bound:g}{unit})"
        if abs(number) > bound:
            return f"a value of magnitude at most {bound:g}{unit} (a physical bound)"
    return None


def _has_bool(value: Any) -> bool:
    if isinstance(value, dict):
        return any(isinstance(v, bool) for v in value.values())
    return isinstance(value, bool)


@cache
def is_numeric_field(model: type[BaseModel], name: str) -> bool:
    """Whether field ``name`` holds a number, an optional number or a mapping to numbers."""
    info = model.model_fields.get(name)
    if info is None:
        return False
    return _numeric_annotation(info.annotation)


def _numeric_annotation(annotation: Any) -> bool:
    while typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    if annotation in (int, float):
        return True
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is dict and len(args) == 2:
        return _numeric_annotation(args[1])
    if origin in (typing.Union, types.UnionType):
        present = [a for a in args if a is not type(None)]
        return bool(present) and all(_numeric_annotation(a) for a in present)
    return False


class CheckedNumbers(BaseModel):
    """Base of scenario models: numeric fields reject booleans, non-finite and absurd values."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_booleans(cls, value: Any, info: ValidationInfo) -> Any:
        if (
            info.field_name is not None
            and is_numeric_field(cls, info.field_name)
            and _has_bool(value)
        ):
            raise ValueError("a number, not true/false")
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _within_bounds(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is not None and is_numeric_field(cls, info.field_name):
            problem = number_problem(info.field_name, value)
            if problem is not None:
                raise ValueError(problem)
        return value
