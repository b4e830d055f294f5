"""Located problems for scenarios and entities built in code, like those of files.

``Vendor(...)`` or ``Scenario(...)`` called with a bad or missing value would
raise pydantic's raw `ValidationError` (input dumps, documentation links).
Entities and the scenario turn it into a `ScenarioError` whose problems name
the table, the row's id, the field, the value and what was expected, as a
file's problems name its file, row and field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from sd_model.scenario.errors import Problem, explain
from sd_model.scenario.keys import TABLE_ROW_KEYS

__all__ = ["entity_problems", "scenario_problems"]

_MISSING = "a value (this field has no default)"


def _expected(error: Mapping[str, Any]) -> tuple[str, Any]:
    """What was expected, and the value found (none for a missing field)."""
    if error["type"] == "missing":
        return _MISSING, None
    return explain(error["msg"]), error.get("input")


def _row_name(table: str, row: Any) -> str:
    """``sites 'ABI'`` for a row given with its id (a mapping), else the table's name."""
    columns = TABLE_ROW_KEYS.get(table, ())
    if isinstance(row, Mapping) and columns and all(c in row for c in columns):
        return f"{table} '{':'.join(str(row[c]) for c in columns)}'"
    return table


def entity_problems(
    table: str, kind: str, error: ValidationError, data: Mapping[str, Any]
) -> list[Problem]:
    """Problems of one entity (e.g. a `Vendor`) built in code.

    Parameters
    ----------
    table
        The scenario table the entity belongs to (``vendors``).
    kind
        The entity's class name (``Vendor``), for the message.
    error
        What pydantic found.
    data
        The keyword arguments given.
    """
    where = f"{kind} ({_row_name(table, data)})"
    problems = []
    for e in error.errors():
        expected, value = _expected(e)
        field = ".".join(str(p) for p in e["loc"]) or None
        problems.append(Problem(where, expected, None, field, value))
    return problems


def scenario_problems(error: ValidationError, data: Mapping[str, Any]) -> list[Problem]:
    """Problems of a `Scenario` built in code: table rows are numbered from 1, as in files."""
    problems = []
    for e in error.errors():
        expected, value = _expected(e)
        loc: Sequence[Any] = e["loc"]
        where, row, rest = "scenario", None, list(loc)
        if loc and str(loc[0]) in TABLE_ROW_KEYS and len(loc) > 1 and isinstance(loc[1], int):
            rows = data.get(str(loc[0])) or ()
            given = rows[loc[1]] if loc[1] < len(rows) else None
            where, row, rest = _row_name(str(loc[0]), given), loc[1] + 1, list(loc[2:])
        elif loc and len(loc) > 1:
            where, rest = str(loc[0]), list(loc[1:])
        field = ".".join(str(p) for p in rest) or None
        problems.append(Problem(where, expected, row, field, value))
    return problems
