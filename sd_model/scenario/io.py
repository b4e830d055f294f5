"""Load and save scenarios: a folder of ``scenario.yaml`` + CSV tables.

This is the only module of `sd_model` that touches files. Loading collects
every problem it can find and raises one `ScenarioError` listing them, each
naming the file, row, field and value; saving writes to a temporary folder
and renames it into place, so a failed save never leaves half a scenario.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from sd_model.output_folder import atomic_folder
from sd_model.scenario.catalog import (
    SETTINGS_FILE,
    ScenarioInfo,
    bundled_scenarios_dir,
    list_scenarios,
)
from sd_model.scenario.checks import check_schedule
from sd_model.scenario.definition import Scenario, Source
from sd_model.scenario.errors import Problem, ScenarioError, explain
from sd_model.scenario.field_bounds import is_numeric_field
from sd_model.scenario.folder_check import misspelt_files
from sd_model.scenario.periods import PeriodGrid
from sd_model.scenario.safe_yaml import read_yaml_file, yaml_problem
from sd_model.scenario.schedule import Schedule
from sd_model.scenario.sections import (
    CostAssumptions,
    Demand,
    Financing,
    Policy,
    SimulationSettings,
)
from sd_model.scenario.tables import TABLES, read_table, write_table

__all__ = [
    "ScenarioInfo",
    "atomic_folder",
    "bundled_scenarios_dir",
    "list_scenarios",
    "load_scenario",
    "load_schedule",
    "save_scenario",
]

SECTIONS: Mapping[str, type[BaseModel]] = {
    "periods": PeriodGrid,
    "financing": Financing,
    "demand": Demand,
    "policy": Policy,
    "costs": CostAssumptions,
    "simulation": SimulationSettings,
}
SCALARS = (
    "name",
    "description",
    "pue",
    "discount_rate_per_year",
    "offsite_energized_gw_at_start",
    "perspective",
)
YAML_KEYS = (*SCALARS, *SECTIONS, "extends", "overrides")


def load_scenario(
    name_or_path: str | os.PathLike[str], overrides: Mapping[str, Any] | None = None
) -> Scenario:
    """Load a bundled scenario by name, or a scenario folder by path.

    Parameters
    ----------
    name_or_path
        ``"reference"`` (see `list_scenarios`) or a folder holding
        ``scenario.yaml`` and the CSV tables (see docs/scenario-format.md).
    overrides
        ``{key: value}`` applied after loading, as `Scenario.with_overrides`.

    Raises
    ------
    ScenarioError
        Listing every problem found, each with file, row, field and value.

    Examples
    --------
    >>> s = load_scenario("reference", {"financing.debt_rate_per_year": 0.09})
    >>> s.financing.debt_rate_per_year
    0.09
    """
    folder = _resolve(name_or_path, base=Path.cwd())
    raw = _read_folder(folder, chain=())
    scenario = _build(raw, source=str(folder))
    for where, block in [*raw.overrides, ("overrides", dict(overrides or {}))]:
        scenario = _apply(scenario, block, where)
    return scenario


def load_schedule(path: str | os.PathLike[str], scenario: Scenario) -> Schedule:
    """Read a schedule CSV (``period, vendor, site, gw``) and check it against ``scenario``.

    Raises
    ------
    ScenarioError
        Listing every problem (file, row, field, value): a missing file or
        column, bad numbers, unknown vendors or sites, periods off the grid,
        or totals above a vendor's contract.
    """
    file = Path(path)
    if not file.is_file():
        raise ScenarioError([Problem(str(file), "an existing CSV file: period, vendor, site, gw")])
    read = read_table(file, TABLES["announced_schedule"])
    if read.problems:
        raise ScenarioError(read.problems, source=str(file))
    rows = [r.model_dump() for r in read.rows]
    schedule = Schedule(pd.DataFrame(rows, columns=["period", "vendor", "site", "gw"]))
    problems = check_schedule(scenario, schedule, where=str(file))
    if problems:
        located = [
            Problem(
                p.where, p.expected, read.numbers[p.row - 1] if p.row else None, p.field, p.value
            )
            for p in problems
        ]
        raise ScenarioError(located, source=str(file))
    return schedule


# -- reading ----------------------------------------------------------------
@dataclass
class _Raw:
    settings: dict[str, Any] = field(default_factory=dict)
    setting_files: dict[str, str] = field(default_factory=dict)
    tables: dict[str, list[BaseModel]] = field(default_factory=dict)
    table_files: dict[str, str] = field(default_factory=dict)
    row_numbers: dict[str, list[int]] = field(default_factory=dict)
    settings_unreadable: bool = False
    sources: dict[str, Source] = field(default_factory=dict)
    overrides: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _resolve(name_or_path: str | os.PathLike[str], base: Path) -> Path:
    text = os.fspath(name_or_path)
    path = Path(text) if Path(text).is_absolute() else base / text
    if path.is_dir():
        return path
    bundled = bundled_scenarios_dir()
    if os.sep not in text and "/" not in text and (bundled / text).is_dir():
        return bundled / text
    names = ", ".join(i.name for i in list_scenarios())
    raise ScenarioError([Problem(text, f"a scenario folder, or a bundled scenario name ({names})")])


def _read_folder(folder: Path, chain: tuple[Path, ...]) -> _Raw:
    if folder.resolve() in chain:
        cycle = " -> ".join(str(p) for p in (*chain, folder))
        raise ScenarioError(
            [Problem(str(folder / SETTINGS_FILE), f"no cycle of extends ({cycle})")]
        )
    settings_path = folder / SETTINGS_FILE
    settings, problems = _read_yaml(settings_path)
    raw = _Raw(problems=problems)
    parent = settings.pop("extends", None)
    if parent is not None:
        try:
            raw = _read_folder(_resolve(str(parent), base=folder), (*chain, folder.resolve()))
        except ScenarioError as err:
            raise ScenarioError(err.problems, source=str(folder)) from None
        raw.problems += problems
    raw.settings_unreadable |= any(p.field is None for p in problems)
    raw.problems += misspelt_files(folder, [SETTINGS_FILE, *(s.file for s in TABLES.values())])
    _merge_settings(raw, settings, str(settings_path))
    _read_tables(raw, folder, inherited=parent is not None)
    return raw


def _read_yaml(path: Path) -> tuple[dict[str, Any], list[Problem]]:
    if not path.is_file():
        return {}, [Problem(str(path), "this file (every scenario folder has one)")]
    try:
        data = read_yaml_file(path)
    except yaml.YAMLError as err:
        return {}, [yaml_problem(path, err)]
    if not isinstance(data, dict):
        return {}, [Problem(str(path), "a mapping of settings (key: value)", value=data)]
    problems = [
        Problem(
            str(path), f"one of the keys {', '.join(YAML_KEYS)}", field=str(k), value="unknown key"
        )
        for k in data
        if k not in YAML_KEYS
    ]
    return {k: v for k, v in data.items() if k in YAML_KEYS}, problems


def _merge_settings(raw: _Raw, settings: dict[str, Any], where: str) -> None:
    overrides = settings.pop("overrides", None) or {}
    if not isinstance(overrides, dict):
        raw.problems.append(Problem(where, "a mapping of key: value", field="overrides"))
    elif overrides:
        raw.overrides.append((where, overrides))
    for key, value in settings.items():
        previous = raw.settings.get(key)
        if key in SECTIONS and isinstance(previous, dict) and isinstance(value, dict):
            raw.settings[key] = {**previous, **value}
        else:
            raw.settings[key] = value
        raw.setting_files[key] = where


def _read_tables(raw: _Raw, folder: Path, inherited: bool) -> None:
    for table, spec in TABLES.items():
        path = folder / spec.file
        if not path.is_file():
            if spec.required and not inherited:
                raw.problems.append(Problem(str(path), "this file (a required table)"))
            continue
        read = read_table(path, spec)
        raw.problems += read.problems
        if spec.required and not read.rows and not read.problems:
            raw.problems.append(Problem(str(path), f"at least one data row (no {table} found)"))
        if table == "sources":
            raw.sources.update({row.key: row for row in read.rows if isinstance(row, Source)})
        else:
            if inherited:  # the parent's sources describe rows this table replaces
                raw.sources = {
                    k: v
                    for k, v in raw.sources.items()
                    if k != table and not k.startswith(table + ".")
                }
            raw.tables[table] = read.rows
            raw.table_files[table] = str(path)
            raw.row_numbers[table] = read.numbers


# -- building ---------------------------------------------------------------
def _build(raw: _Raw, source: str) -> Scenario:
    sections = _validated_settings(raw)
    if raw.problems:
        raise ScenarioError(raw.problems, source=source)
    schedule_rows = [r.model_dump() for r in raw.tables.get("announced_schedule", [])]
    schedule = Schedule(pd.DataFrame(schedule_rows, columns=["period", "vendor", "site", "gw"]))
    tables = {k: tuple(v) for k, v in raw.tables.items() if k != "announced_schedule"}
    try:
        return Scenario(
            **sections,
            **tables,
            announced_schedule=schedule,
            sources=tuple(raw.sources.values()),
        )
    except ScenarioError as err:
        files = {**raw.table_files, "scenario": raw.setting_files.get("periods", SETTINGS_FILE)}
        located = [
            Problem(files.get(p.where, p.where), p.expected, _file_row(raw, p), p.field, p.value)
            for p in err.problems
        ]
        raise ScenarioError(located, source=source) from None


def _file_row(raw: _Raw, problem: Problem) -> int | None:
    """Data-row number in the file of a problem located by position in its table."""
    numbers = raw.row_numbers.get(problem.where)
    if problem.row is None or not numbers:
        return problem.row
    return numbers[problem.row - 1]


def _validated_settings(raw: _Raw) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in (*SCALARS, *SECTIONS):
        where = raw.setting_files.get(key, SETTINGS_FILE)
        if key not in raw.settings:
            if not raw.settings_unreadable and key in (
                "name",
                "periods",
                "financing",
                "demand",
                "costs",
                "pue",
                "discount_rate_per_year",
            ):
                raw.problems.append(Problem(where, "this setting", field=key, value="missing"))
            continue
        if isinstance(raw.settings[key], bool) and is_numeric_field(Scenario, key):
            # The adapter below would read true as 1.0 (sections check this in CheckedNumbers).
            raw.problems.append(Problem(where, "a number, not true/false", None, key, True))
            continue
        adapter = _adapter(key)
        try:
            values[key] = adapter.validate_python(raw.settings[key])
        except ValidationError as err:
            for e in err.errors():
                path = ".".join(str(p) for p in (key, *e["loc"]))
                raw.problems.append(Problem(where, explain(e["msg"]), None, path, e.get("input")))
    return values


def _adapter(key: str) -> TypeAdapter[Any]:
    if key in SECTIONS:
        return TypeAdapter(SECTIONS[key])
    info = Scenario.model_fields[key]
    return TypeAdapter(Annotated[info.annotation, info])  # type: ignore[arg-type]


def _apply(scenario: Scenario, block: Mapping[str, Any], where: str) -> Scenario:
    if not block:
        return scenario
    try:
        return scenario.with_overrides(block, note=f"override in {where}")
    except ScenarioError as err:
        located = [Problem(where, p.expected, p.row, p.field, p.value) for p in err.problems]
        raise ScenarioError(located, source=scenario.name) from None


# -- saving -----------------------------------------------------------------
def save_scenario(
    scenario: Scenario, folder: str | os.PathLike[str], *, overwrite: bool = False
) -> Path:
    """Write ``scenario`` as a self-contained folder (no ``extends``), atomically.

    Raises
    ------
    FileExistsError
        If ``folder`` exists and ``overwrite`` is false, or holds files
        gwplan did not write (`sd_model.output_folder.OutputRefusedError`).
    """
    with atomic_folder(folder, overwrite=overwrite) as staging:
        _write_folder(scenario, staging)
    return Path(folder)


def _write_folder(scenario: Scenario, folder: Path) -> None:
    data = scenario.model_dump(exclude={"announced_schedule", "sources"})
    settings = {k: data[k] for k in (*SCALARS, *SECTIONS) if data[k] is not None}
    (folder / SETTINGS_FILE).write_text(
        yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    for table, spec in TABLES.items():
        if table == "announced_schedule":
            rows = scenario.announced_schedule.to_records()
        elif table == "sources":
            rows = [s.model_dump() for s in scenario.sources]
        else:
            rows = data[table]
        write_table(folder / spec.file, spec, rows)
