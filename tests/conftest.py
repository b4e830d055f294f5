"""Shared fixtures: the tiny scenario folder and helpers to corrupt copies of it."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import sd_model
from sd_model import Scenario

TINY = Path(__file__).parent / "scenarios" / "tiny"


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-expected``: rewrite the stored expectations instead of checking them."""
    parser.addoption(
        "--update-expected",
        action="store_true",
        default=False,
        help="rewrite tests/expected/*.json from the current code (see tests/test_expected.py)",
    )


@pytest.fixture
def tiny() -> Scenario:
    """The tiny scenario, loaded."""
    return sd_model.load_scenario(TINY)


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny scenario folder."""
    target = tmp_path / "tiny"
    shutil.copytree(TINY, target)
    return target


def read_rows(path: Path) -> list[list[str]]:
    """All lines of a CSV file, header first."""
    with path.open(newline="") as handle:
        return list(csv.reader(handle))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    """Write lines to a CSV file."""
    with path.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell of a CSV table; ``row`` counts data rows from 1."""
    rows = read_rows(path)
    rows[row][rows[0].index(column)] = value
    write_rows(path, rows)


CellSetter = Callable[[Path, int, str, str], None]
