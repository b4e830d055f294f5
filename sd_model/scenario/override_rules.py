"""The rules that tie fields together, checked for one set of overrides, quickly.

`Scenario.with_overrides` re-validates a whole scenario (milliseconds); a
sweep of thousands of samples needs the same verdict faster. This module
re-validates only the rows and sections the overrides touch, with their own
models (``shell_ready_gw_at_start <= max_gw``, ``binding_gw <=
contract_total_gw``, ...), then runs the scenario's cross-table checks
(`sd_model.scenario.checks.check_scenario`) on a scenario assembled without
re-validating the rest. It accepts and rejects exactly what
`Scenario.with_overrides` does for keys of `sd_model.keys`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from sd_model.scenario.checks import check_scenario
from sd_model.scenario.definition import Scenario
from sd_model.scenario.errors import explain
from sd_model.scenario.key_values import check_value
from sd_model.scenario.keys import TABLE_ROW_KEYS, set_value
from sd_model.scenario.periods import PeriodGrid
from sd_model.scenario.sections import (
    CostAssumptions,
    Demand,
    Financing,
    Policy,
    SimulationSettings,
)

__all__ = ["override_problems"]

_SECTIONS: Mapping[str, type[BaseModel]] = {
    "periods": PeriodGrid,
    "financing": Financing,
    "demand": Demand,
    "policy": Policy,
    "costs": CostAssumptions,
    "simulation": SimulationSettings,
}


def override_problems(scenario: Scenario, overrides: Mapping[str, Any]) -> list[str]:
    """What the overrides break, in words ('' items never); empty when the result is valid.

    Examples
    --------
    >>> from sd_model import load_scenario
    >>> override_problems(load_scenario("reference"), {"sites.MIL.max_gw": 0.1})
    ['sites.MIL: shell_ready_gw_at_start <= max_gw, got 0.15 > 0.1']
    """
    tops = {key.split(".", 1)[0] for key in overrides}
    data = {top: _dump(scenario, top) for top in tops}
    try:
        for key, value in overrides.items():
            set_value(data, key, value)
    except KeyError as error:
        return [f"{key}: expected {error.args[0]}"]
    update: dict[str, Any] = {}
    problems: list[str] = []
    for top, value in data.items():
        found = _validate(scenario, top, value, _touched_rows(overrides, top), update)
        problems += found
    if problems:
        return problems
    fields = {name: getattr(scenario, name) for name in Scenario.model_fields}
    assembled = Scenario.model_construct(**(fields | update))
    return [f"{p.where}: {str(p).split(' — ', 1)[-1]}" for p in check_scenario(assembled)]


def _dump(scenario: Scenario, top: str) -> Any:
    value = getattr(scenario, top, None)
    if isinstance(value, tuple):
        return [row.model_dump() for row in value]
    if isinstance(value, BaseModel):
        return value.model_dump()
    return copy.deepcopy(value)


def _touched_rows(overrides: Mapping[str, Any], table: str) -> set[str] | None:
    """Row keys of ``table`` that the overrides address (None: every row, for ``*``)."""
    rows = {key.split(".")[1] for key in overrides if key.startswith(table + ".")}
    return None if "*" in rows else rows


def _validate(
    scenario: Scenario, top: str, value: Any, rows: set[str] | None, update: dict[str, Any]
) -> list[str]:
    """Validate the new ``value`` of ``top`` into ``update``; return its problems."""
    if top in TABLE_ROW_KEYS:
        original = getattr(scenario, top)
        model = type(original[0])
        validated, problems = [], []
        for old, row in zip(original, value, strict=True):
            key = ":".join(str(row[c]) for c in TABLE_ROW_KEYS[top])
            if rows is not None and key not in rows:
                validated.append(old)
                continue
            try:
                validated.append(model.model_validate(row))
            except ValidationError as error:
                problems += [_describe(f"{top}.{key}", e) for e in error.errors()]
        update[top] = tuple(validated)
        return problems
    if top in _SECTIONS:
        try:
            update[top] = _SECTIONS[top].model_validate(value)
        except ValidationError as error:
            return [_describe(top, e) for e in error.errors()]
        return []
    problem = check_value(top, value)
    update[top] = value
    return [] if problem is None else [f"{top}: {problem}"]


def _describe(top: str, error: Any) -> str:
    location = ".".join(str(part) for part in (top, *error["loc"]))
    return f"{location}: {explain(error['msg'])}"
