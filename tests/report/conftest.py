"""Comparisons of the tiny scenario, built once for the package, and a report of each."""

from __future__ import annotations

from pathlib import Path

import pytest

import sd_model
from optimization.coupling.compare import Comparison, compare
from optimization.report import ReportFiles, write_report
from sd_model import Scenario, Schedule
from tests.conftest import TINY


@pytest.fixture(scope="package")
def scenario() -> Scenario:
    return sd_model.load_scenario(TINY)


@pytest.fixture(scope="package")
def comparison(scenario: Scenario) -> Comparison:
    """Every built-in case, so every figure has data."""
    return compare(scenario, cases=("announced", "announced_timing", "optimal", "coupled"))


@pytest.fixture(scope="package")
def simulated_only(scenario: Scenario) -> Comparison:
    """No LP case: the announced schedule and a user schedule."""
    user = Schedule.from_records([("2026Q4", "asic", "", 0.5), ("2027Q2", "gpu", "", 0.5)])
    return compare(scenario, cases=("announced",), schedules={"mine": user})


@pytest.fixture(scope="package")
def report(
    comparison: Comparison, scenario: Scenario, tmp_path_factory: pytest.TempPathFactory
) -> ReportFiles:
    folder: Path = tmp_path_factory.mktemp("out") / "report"
    return write_report(comparison, folder, scenario=scenario, title="Tiny report")


@pytest.fixture(scope="package")
def simulated_only_report(
    simulated_only: Comparison, tmp_path_factory: pytest.TempPathFactory
) -> ReportFiles:
    """The report of the comparison without LP cases, written without the scenario."""
    folder: Path = tmp_path_factory.mktemp("out") / "report"
    return write_report(simulated_only, folder, title="the old report")
