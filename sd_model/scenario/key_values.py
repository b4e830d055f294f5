"""Check a single value for a scenario key without building a scenario.

Sweeps set thousands of sampled values; validating each by re-validating a
whole scenario would cost milliseconds apiece. `check_value` validates one
value against the type and bounds of the field its key addresses (e.g.
``regions.PJM.interconnection_lead_quarters`` must be an integer >= 0), in
microseconds. Rules that tie several fields together are left to the
scenario's own validation.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from sd_model.scenario.definition import Scenario
from sd_model.scenario.errors import explain
from sd_model.scenario.field_bounds import number_problem
from sd_model.scenario.io import SECTIONS
from sd_model.scenario.keys import TABLE_ROW_KEYS
from sd_model.scenario.tables import TABLES

__all__ = ["check_value", "field_description", "is_integer_key", "is_number_key"]

_TABLES: dict[str, type[BaseModel]] = {
    name: spec.model for name, spec in TABLES.items() if name in TABLE_ROW_KEYS
}


def check_value(key: str, value: Any) -> str | None:
    """What is wrong with ``value`` for the field ``key`` addresses, or None if it fits.

    Examples
    --------
    >>> check_value("regions.PJM.interconnection_lead_quarters", -2)
    'greater than or equal to 0'
    >>> check_value("demand.demand_growth_per_year", 0.4) is None
    True
    """
    adapter = _adapter(_field_path(key))
    if adapter is None:
        return "an existing scenario key"
    if isinstance(value, bool) and is_number_key(key):
        return "a number, not true/false"
    try:
        validated = adapter.validate_python(value)
    except ValidationError as error:
        return explain(error.errors()[0]["msg"])
    return number_problem(_field_path(key)[1], validated)


def _field_path(key: str) -> tuple[str, str, bool]:
    """(owner, field, is_mapping_entry) of a key, e.g. ``("financing", "x_by_year", True)``."""
    parts = key.split(".")
    if parts[0] in TABLE_ROW_KEYS:
        return (parts[0], parts[-1], False) if len(parts) == 3 else ("", "", False)
    if parts[0] in SECTIONS:
        if len(parts) == 2:
            return parts[0], parts[1], False
        if len(parts) == 3:
            return parts[0], parts[1], True
        return "", "", False
    return ("", parts[0], False) if len(parts) == 1 else ("", "", False)


@cache
def _adapter(path: tuple[str, str, bool]) -> TypeAdapter[Any] | None:
    owner, name, entry = path
    model: type[BaseModel] = _TABLES.get(owner) or SECTIONS.get(owner) or Scenario
    info = model.model_fields.get(name)
    if info is None or (owner in _TABLES and name in TABLE_ROW_KEYS[owner]):
        return None
    annotation = info.annotation
    if entry:  # one entry of a by-year mapping: validate against the mapping's value type
        args = typing.get_args(annotation)
        return TypeAdapter(args[1]) if len(args) == 2 else None
    return TypeAdapter(Annotated[annotation, info])  # type: ignore[arg-type]


def field_description(key: str) -> str:
    """The description of the field ``key`` addresses ("" when it has none or is unknown)."""
    owner, name, _ = _field_path(key)
    model: type[BaseModel] = _TABLES.get(owner) or SECTIONS.get(owner) or Scenario
    info = model.model_fields.get(name)
    return (info.description or "") if info is not None else ""


def is_number_key(key: str) -> bool:
    """Whether ``key`` addresses a numeric field (float or integer)."""
    return _base_type(key) in (int, float)


def is_integer_key(key: str) -> bool:
    """Whether ``key`` addresses a whole-number field (e.g. a lead time in quarters)."""
    return _base_type(key) is int


def _base_type(key: str) -> Any:
    owner, name, entry = _field_path(key)
    model: type[BaseModel] = _TABLES.get(owner) or SECTIONS.get(owner) or Scenario
    info = model.model_fields.get(name)
    if info is None:
        return None
    annotation = typing.get_args(info.annotation)[1] if entry else info.annotation
    while typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return _base_type_of(args[0])
    return annotation


def _base_type_of(annotation: Any) -> Any:
    while typing.get_origin(annotation) is Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation
