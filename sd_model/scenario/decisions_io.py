"""Read and write `Decisions` as a folder of CSV files, one per table.

``deliveries.csv`` must be there; each other table (``shell_starts.csv``,
``grid_requests.csv``, ``onsite_builds.csv``, ``ppa_signings.csv``,
``lease_takeups.csv``, ``installs.csv``) is optional, and a missing one leaves that decision to
the simulation's rules. Writing is atomic and never touches files gwplan did
not write (`sd_model.output_folder`).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sd_model.output_folder import atomic_folder
from sd_model.scenario.bounded_csv import read_records
from sd_model.scenario.decisions import DECISION_COLUMNS, Decisions
from sd_model.scenario.errors import Problem, ScenarioError

if TYPE_CHECKING:
    from sd_model.scenario.definition import Scenario

__all__ = ["read_decisions", "write_decision_tables", "write_decisions"]


def write_decisions(
    decisions: Decisions, folder: str | os.PathLike[str], *, overwrite: bool = True
) -> Path:
    """Write every table present as ``<table>.csv`` into ``folder`` (replaced atomically).

    Raises
    ------
    OutputRefusedError
        If ``folder`` holds files gwplan did not write.
    """
    target = Path(folder)
    with atomic_folder(target, overwrite=overwrite) as staging:
        write_decision_tables(decisions, staging)
    return target


def write_decision_tables(decisions: Decisions, folder: Path) -> None:
    """Write the tables into ``folder`` (created) inside an output being staged."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in decisions.tables():
        frame.to_csv(folder / f"{name}.csv", index=False, float_format="%.9g")


def read_decisions(folder: str | os.PathLike[str], scenario: Scenario) -> Decisions:
    """Read a decisions folder and check it against ``scenario``.

    Raises
    ------
    ScenarioError
        Listing every problem with file, row, field and what was expected: a
        missing folder or ``deliveries.csv``, an unknown CSV, missing columns,
        numbers that are not numbers, unknown ids, periods off the grid,
        negative GW.
    """
    base = Path(folder)
    source = str(base)
    if not base.is_dir():
        raise ScenarioError([Problem(source, "a folder of decision CSVs")], source=source)
    problems: list[Problem] = []
    known = {f"{name}.csv" for name in DECISION_COLUMNS}
    for path in sorted(base.glob("*.csv")):
        if path.name not in known:
            expected = "one of the decision tables " + ", ".join(sorted(known))
            problems.append(Problem(str(path), expected))
    tables: dict[str, pd.DataFrame] = {}
    numbers: dict[str, list[int]] = {}
    for name in DECISION_COLUMNS:
        path = base / f"{name}.csv"
        if not path.is_file():
            if name == "deliveries":
                problems.append(Problem(str(path), "the deliveries table (it must be given)"))
            continue
        frame, found = _read_table(path, name)
        problems += found
        if frame is not None:
            tables[name], numbers[name] = frame, list(frame.attrs["rows"])
    if problems:
        raise ScenarioError(problems, source=source)
    decisions = Decisions(**tables)
    located = [
        Problem(
            str(base / p.where),
            p.expected,
            numbers[p.where.removesuffix(".csv")][p.row - 1] if p.row else p.row,
            p.field,
            p.value,
        )
        for p in decisions.check(scenario)
    ]
    if located:
        raise ScenarioError(located, source=source)
    return decisions


def _read_table(path: Path, name: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """One table as text keys and float values, or the problems found reading it."""
    records, problem = read_records(path)
    if problem is not None:
        return None, [problem]
    where = str(path)
    keys, value = DECISION_COLUMNS[name]
    wanted = [*keys, value]
    if not records:
        return None, [Problem(where, "a header line: " + ",".join(wanted), 0)]
    header = [h.strip() for h in records[0]]
    missing = [c for c in wanted if c not in header]
    if missing:
        expected = f"columns {','.join(wanted)} (missing {', '.join(missing)})"
        return None, [Problem(where, expected, 0)]
    problems: list[Problem] = []
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, record in enumerate(records[1:], start=1):
        if not any(cell.strip() for cell in record):
            continue  # a blank line
        if len(record) != len(header):
            expected = f"{len(header)} cells as in the header"
            problems.append(Problem(where, expected, number, None, len(record)))
            continue
        cells = dict(zip(header, record, strict=True))
        text = cells[value].strip()
        try:
            if not math.isfinite(float(text)):
                raise ValueError(text)
        except ValueError:
            problems.append(Problem(where, "a finite number >= 0", number, value, text))
            continue
        rows.append([cells[c].strip() for c in wanted])
        numbers.append(number)
    if problems:
        return None, problems
    frame = pd.DataFrame(rows, columns=wanted)
    frame[value] = frame[value].astype(float)
    frame.attrs["rows"] = numbers  # file row of each frame row (blank lines skipped)
    return frame, []
