"""Reading and writing the CSV tables of a scenario folder, row by row.

Each row is validated by its entity model; every problem is collected with
the file, the data row (row 1 is the line after the header), the column, the
value and what was expected, so that a planner sees all of them at once.
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sd_model.scenario.bounded_csv import read_records
from sd_model.scenario.counterparties import Counterparty
from sd_model.scenario.definition import Source
from sd_model.scenario.entities import (
    EquityStake,
    HeadroomStep,
    Identifier,
    LeaseContract,
    Lessor,
    OnsiteOption,
    PPAOption,
    Region,
    Site,
    Vendor,
)
from sd_model.scenario.errors import Problem, explain
from sd_model.scenario.field_bounds import CheckedNumbers
from sd_model.scenario.milestones import VendorMilestone

__all__ = ["TABLES", "ScheduleRow", "TableRead", "TableSpec", "read_table", "write_table"]

LIST_SEPARATOR = ";"


class ScheduleRow(CheckedNumbers):
    """One row of ``announced_schedule.csv``."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    period: str = Field(min_length=1)
    vendor: Identifier
    site: str = ""
    gw: Annotated[float, Field(ge=0, allow_inf_nan=False)]


@dataclass(frozen=True)
class TableSpec:
    """How one scenario table is stored."""

    file: str
    model: type[BaseModel]
    required: bool = False
    list_columns: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        """Column names in file order (the model's fields)."""
        return list(self.model.model_fields)

    @property
    def required_columns(self) -> list[str]:
        """Columns without a default value."""
        return [n for n, f in self.model.model_fields.items() if f.is_required()]


TABLES: Mapping[str, TableSpec] = {
    "regions": TableSpec("regions.csv", Region, required=True),
    "headroom": TableSpec("region_headroom.csv", HeadroomStep),
    "sites": TableSpec("sites.csv", Site, required=True, list_columns=("onsite_option_ids",)),
    "vendors": TableSpec("vendors.csv", Vendor, required=True),
    "milestones": TableSpec("vendor_milestones.csv", VendorMilestone),
    "ppa_options": TableSpec("ppa_options.csv", PPAOption),
    "onsite_options": TableSpec("onsite_options.csv", OnsiteOption),
    "lessors": TableSpec("lessors.csv", Lessor),
    "lease_contracts": TableSpec("lease_contracts.csv", LeaseContract),
    "equity_stakes": TableSpec("equity_stakes.csv", EquityStake),
    "counterparties": TableSpec("counterparties.csv", Counterparty),
    "announced_schedule": TableSpec("announced_schedule.csv", ScheduleRow),
    "sources": TableSpec("sources.csv", Source),
}


@dataclass
class TableRead:
    """What reading one table gave: valid rows, their data-row numbers, problems."""

    rows: list[BaseModel]
    numbers: list[int]
    problems: list[Problem]


def read_table(path: Path, spec: TableSpec) -> TableRead:
    """Read and validate one CSV table.

    Returns
    -------
    TableRead
        The valid rows in file order with their data-row numbers (row 1 is the
        line after the header), and every problem found. When the header is
        wrong no rows are validated (the columns would be misread).
    """
    where = str(path)
    records, unreadable = read_records(path)
    if unreadable is not None:
        return TableRead([], [], [unreadable])
    if not records or not any(cell.strip() for cell in records[0]):
        return TableRead([], [], [Problem(where, f"a header row: {', '.join(spec.columns)}")])
    header = [cell.strip() for cell in records[0]]
    result = TableRead([], [], _header_problems(where, header, spec))
    if result.problems:
        return result
    for number, record in enumerate(records[1:], start=1):
        if not any(cell.strip() for cell in record):
            continue
        row, row_problems = _read_row(where, number, header, record, spec)
        result.problems += row_problems
        if row is not None:
            result.rows.append(row)
            result.numbers.append(number)
    return result


def _header_problems(where: str, header: list[str], spec: TableSpec) -> list[Problem]:
    problems = []
    for name in sorted({c for c in header if header.count(c) > 1}):
        problems.append(Problem(where, "each column once", 0, name, "duplicate column"))
    for name in header:
        retired: Mapping[str, str] = getattr(spec.model, "retired_fields", {})
        if name in retired:
            problems.append(Problem(where, retired[name], 0, name, "retired column"))
        elif name not in spec.model.model_fields:
            close = difflib.get_close_matches(name, spec.columns, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            expected = f"only the columns {', '.join(spec.columns)}{hint}"
            problems.append(Problem(where, expected, 0, name, "unknown column"))
    for name in spec.required_columns:
        if name not in header:
            problems.append(Problem(where, "this column in the header", 0, name, "missing column"))
    return problems


def _read_row(
    where: str, number: int, header: list[str], record: list[str], spec: TableSpec
) -> tuple[BaseModel | None, list[Problem]]:
    if len(record) != len(header):
        expected = f"{len(header)} cells like the header, found {len(record)}"
        return None, [Problem(where, expected, number)]
    raw: dict[str, Any] = {}
    problems = []
    for name, cell in zip(header, record, strict=True):
        text = cell.strip()
        if name in spec.list_columns:
            raw[name] = tuple(p.strip() for p in text.split(LIST_SEPARATOR) if p.strip())
        elif text:
            raw[name] = text
        elif name in spec.required_columns:
            problems.append(Problem(where, "a value (the cell is empty)", number, name, ""))
    if problems:
        return None, problems
    try:
        return spec.model.model_validate(raw), []
    except ValidationError as err:
        return None, [_row_problem(where, number, e) for e in err.errors()]


def _row_problem(where: str, number: int, error: Mapping[str, Any]) -> Problem:
    loc = error["loc"]
    field = str(loc[0]) if loc else None
    value = error.get("input") if loc else None
    return Problem(where, explain(error["msg"]), number, field, value)


def write_table(path: Path, spec: TableSpec, rows: Sequence[Mapping[str, Any]]) -> None:
    """Write rows (dicts of model fields) as a CSV table with the spec's columns."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(spec.columns)
        for row in rows:
            writer.writerow([_cell(row.get(c), c in spec.list_columns) for c in spec.columns])


def _cell(value: Any, is_list: bool) -> str:
    if is_list:
        return LIST_SEPARATOR.join(str(v) for v in value or ())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    return "" if value is None else str(value)
