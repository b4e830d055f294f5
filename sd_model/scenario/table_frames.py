"""A scenario's tables as pandas DataFrames, and a table replaced by a DataFrame.

`table_frame` gives one table as it is stored (the CSV's columns, one row
per entity, indexed by the row key); `with_table` builds a new, validated
scenario whose table is a DataFrame of that form, so a table can be edited
with pandas (``frame.loc["ABI", "max_gw"] = 2``) or built from another tool's
data. Problems are reported like a file's: table, row (from 1), field, value.
For the numbers the models read (per-period series, unit-suffixed), see
`Scenario.frames` (`sd_model.frames.ScenarioFrames`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from pydantic import ValidationError

from sd_model.scenario.code_built import scenario_problems
from sd_model.scenario.errors import Problem, ScenarioError
from sd_model.scenario.keys import TABLE_ROW_KEYS
from sd_model.scenario.tables import TABLES

if TYPE_CHECKING:
    from sd_model.scenario.definition import Scenario

__all__ = ["TABLE_NAMES", "table_frame", "with_table"]

TABLE_NAMES: tuple[str, ...] = tuple(TABLE_ROW_KEYS)


def _check_name(name: str) -> None:
    if name not in TABLE_ROW_KEYS:
        problem = Problem("tables", f"one of {', '.join(TABLE_NAMES)}", field="name", value=name)
        raise ScenarioError([problem])


def table_frame(scenario: Scenario, name: str) -> pd.DataFrame:
    """One table of ``scenario`` as a DataFrame, indexed by its row key.

    Examples
    --------
    >>> import sd_model
    >>> sites = sd_model.load_scenario("reference").table("sites")
    >>> sites.loc["MIL", "region"], float(sites.loc["MIL", "max_gw"])
    ('ERCOT', 1.0)
    """
    _check_name(name)
    columns = list(TABLES[name].model.model_fields)
    frame = pd.DataFrame([row.model_dump() for row in getattr(scenario, name)], columns=columns)
    keys = TABLE_ROW_KEYS[name]
    labels: list[str] = [":".join(map(str, row)) for row in frame[list(keys)].itertuples(False)]
    return frame.drop(columns=list(keys)).set_index(pd.Index(labels, name=":".join(keys)))


def _plain(value: Any) -> Any:
    """A DataFrame cell as the Python value the model expects (NaN: not given)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, list | np.ndarray):
        return tuple(value)
    return value


def _rows(name: str, frame: pd.DataFrame) -> list[dict[str, Any]]:
    keys = TABLE_ROW_KEYS[name]
    if frame.empty:
        return []
    data = frame.reset_index() if not set(keys) <= set(frame.columns) else frame
    if len(keys) == 1 and keys[0] not in data.columns and "index" in data.columns:
        data = data.rename(columns={"index": keys[0]})
    if len(keys) > 1 and not set(keys) <= set(data.columns) and ":".join(keys) in data.columns:
        split = data[":".join(keys)].astype(str).str.split(":", n=len(keys) - 1, expand=True)
        data = data.drop(columns=":".join(keys)).assign(
            **dict(zip(keys, split.T.values, strict=True))
        )
    rows = []
    for record in data.to_dict(orient="records"):
        row = {}
        for column, value in record.items():
            cell = _plain(value)
            if isinstance(cell, float) and math.isnan(cell):
                continue  # an empty cell: the field's default, or a 'missing' problem
            row[str(column)] = cell
        rows.append(row)
    return rows


def with_table(scenario: Scenario, name: str, frame: pd.DataFrame, note: str = "") -> Scenario:
    """A new scenario whose table ``name`` is ``frame`` (the form `table_frame` gives).

    The row key may be the index (as `table_frame` gives it) or columns. The
    table's rows in the sources table are replaced by one ``override`` row
    for the whole table (``note`` says why).

    Raises
    ------
    ScenarioError
        Naming table, row (from 1), field, value and what was expected, for
        every problem; cross-table problems (a site in an unknown region) too.
    """
    from sd_model.scenario.definition import Scenario, Source

    _check_name(name)
    data = scenario.model_dump()
    data[name] = _rows(name, frame)
    kept = [s for s in scenario.sources if s.key != name and not s.key.startswith(name + ".")]
    reason = note or "table replaced in code (Scenario.with_table)"
    data["sources"] = [*kept, Source(key=name, kind="override", reference="override", note=reason)]
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(scenario_problems(error, data), scenario.name) from None
