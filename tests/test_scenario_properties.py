"""Property tests: a mutated scenario is either valid or a clear ScenarioError, never a crash."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sd_model
from sd_model import Scenario, ScenarioError
from sd_model.scenario.keys import iter_leaves
from tests.conftest import TINY, read_rows, write_rows

TABLE_FILES = [
    "regions.csv",
    "region_headroom.csv",
    "sites.csv",
    "vendors.csv",
    "ppa_options.csv",
    "onsite_options.csv",
    "announced_schedule.csv",
]
TRICKY = st.one_of(
    st.sampled_from(
        ["", "nan", "-inf", "-1", "0", "1e309", "abc", "2026Q5", "2031Q1", "ERCOT", "TXA", " ; "]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-10, 10**6).map(str),
    st.text(max_size=8),
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_valid_or_clear(folder: Path) -> None:
    try:
        loaded = sd_model.load_scenario(folder)
    except ScenarioError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.where and problem.expected
            assert str(problem)
    else:
        assert isinstance(loaded, Scenario)


@SETTINGS
@given(
    table=st.sampled_from(TABLE_FILES),
    row=st.integers(0, 5),
    column=st.integers(0, 20),
    value=TRICKY,
)
def test_a_mutated_table_cell_gives_a_scenario_or_a_clear_error(
    table: str, row: int, column: int, value: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(TINY, Path(tmp) / "tiny"))
        rows = read_rows(folder / table)
        r = row % len(rows)
        c = column % len(rows[r])
        rows[r][c] = value.replace("\x00", "")
        write_rows(folder / table, rows)
        assert_valid_or_clear(folder)


YAML_PATHS = [
    ("pue",),
    ("discount_rate_per_year",),
    ("periods", "start_period"),
    ("periods", "lp_end_period"),
    ("financing", "starting_cash_busd"),
    ("financing", "external_funding_busd_by_year"),
    ("demand", "demand_growth_per_year"),
    ("policy", "ppa_coverage_target_by_year"),
    ("costs", "it_depreciation_years"),
]
YAML_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 10**4),
    st.text(max_size=6),
    st.dictionaries(st.integers(1890, 2210), st.floats(-1, 2), max_size=3),
    st.lists(st.integers(), max_size=2),
)


@SETTINGS
@given(path=st.sampled_from(YAML_PATHS), value=YAML_VALUES)
def test_a_mutated_setting_gives_a_scenario_or_a_clear_error(
    path: tuple[str, ...], value: Any
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(TINY, Path(tmp) / "tiny"))
        data = yaml.safe_load((folder / "scenario.yaml").read_text())
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        (folder / "scenario.yaml").write_text(yaml.safe_dump(data))
        assert_valid_or_clear(folder)


TINY_KEYS = [key for key, _ in iter_leaves(sd_model.load_scenario(TINY).model_dump())]


@SETTINGS
@given(
    key=st.one_of(st.sampled_from(TINY_KEYS), st.text(max_size=12)),
    value=st.one_of(YAML_VALUES, TRICKY),
)
def test_any_override_gives_a_scenario_or_a_clear_error(key: str, value: Any) -> None:
    tiny = sd_model.load_scenario(TINY)
    try:
        changed = tiny.with_overrides({key: value})
    except ScenarioError as error:
        assert error.problems and all(p.field is not None for p in error.problems)
    else:
        assert isinstance(changed, Scenario)
