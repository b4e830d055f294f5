"""The report's section "The circular loop under stress": present with balance sheets, its
numbers those of the stress test, and a stated reason without them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import sd_model
from optimization.cli.main import EXIT_BAD_INPUT, main
from optimization.coupling.compare import Comparison, compare
from optimization.report import ReportFiles, write_report
from optimization.report.loop_section import (
    TITLE,
    LoopSection,
    loop_absence,
    loop_or_reason,
    loop_section,
)
from sd_model import Scenario
from sd_model.stress import STANDARD_STRESS, StressTest, stress_test, year_ends


@pytest.fixture(scope="module")
def leases() -> Scenario:
    return sd_model.load_scenario("cloud_leases")


@pytest.fixture(scope="module")
def section(leases: Scenario) -> LoopSection:
    return loop_section(leases)


@pytest.fixture(scope="module")
def direct(leases: Scenario) -> StressTest:
    """The stress test run on its own, as `gwplan stress --standard` runs it."""
    return stress_test(leases, list(STANDARD_STRESS))


@pytest.fixture(scope="module")
def leases_report(
    leases: Scenario, section: LoopSection, tmp_path_factory: pytest.TempPathFactory
) -> ReportFiles:
    comparison = compare(leases, cases=("announced",))
    folder = tmp_path_factory.mktemp("loop") / "report"
    return write_report(comparison, folder, scenario=leases, loop=section)


def test_the_standard_stress_is_a_demand_shortfall_and_a_financing_freeze() -> None:
    keys = {text.split("=")[0] for text in STANDARD_STRESS}
    assert keys == {
        "demand.revenue_busd_per_gw_year_at_start",
        "financing.debt_capacity_busd",
        "vendors.*.financing_busd_per_gw",
    }
    assert all(text.endswith("@2027Q1") for text in STANDARD_STRESS)


def test_the_numbers_are_the_stress_tests(section: LoopSection, direct: StressTest) -> None:
    answer = section.answer
    assert answer.first_breach == {c: direct.first_breach(c) for c in ("base", "stress")}
    summary = direct.summary().set_index("party")
    for case in ("base", "stress"):
        assert answer.missed_busd[case] == pytest.approx(summary.loc["lab", f"missed_{case}_busd"])
    others = summary.drop(index="lab")
    stressed = others.loc[others["first_breach_stress"] != "", "first_breach_stress"]
    assert answer.first_counterparty["stress"] == (stressed.idxmin(), stressed.min())
    assert answer.period == "2030Q4"
    buildout = year_ends(direct.buildout()).set_index("period")
    for case in ("base", "stress"):
        expected = buildout.loc["2030Q4", f"delivered_gw_{case}"]
        assert answer.delivered_gw[case] == pytest.approx(expected)
    holdings = direct.holdings()
    at_end = holdings[holdings["period"] == "2030Q4"]
    assert np.allclose(
        answer.holdings["lost_busd"].to_numpy(), at_end["lost_busd"].to_numpy(), equal_nan=True
    )


def test_the_cloud_leases_answer(section: LoopSection) -> None:
    """The stress makes Oracle breach earlier and slows deliveries (the investor's question)."""
    answer = section.answer
    stress, base = answer.first_counterparty["stress"], answer.first_counterparty["base"]
    assert stress is not None and base is not None
    assert stress[0] == "oracle" and stress[1] < base[1]
    assert answer.missed_busd["stress"] > answer.missed_busd["base"]
    assert answer.delivered_gw["stress"] < answer.delivered_gw["base"]
    warrant = answer.holdings[answer.holdings["instrument"] == "warrant"]
    assert (warrant["lost_busd"] > 0).all()


def test_the_report_carries_the_section(leases_report: ReportFiles, section: LoopSection) -> None:
    summary = leases_report.summary.read_text(encoding="utf-8")
    assert f"## {TITLE}" in summary
    for sentence in section.sentences:
        assert f"- {sentence}" in summary
    page = leases_report.html.read_text(encoding="utf-8")
    assert '<h2 id="loop">' in page and "data:image/png;base64," in page
    png = leases_report.figures["loop_liquidity"]
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert {"loop_parties.csv", "loop_summary.csv", "loop_holdings.csv"} <= set(
        leases_report.tables
    )


def test_without_balance_sheets_the_report_says_why(report: ReportFiles) -> None:
    """The tiny scenario has no counterparties.csv: a heading and the reason, no figure."""
    summary = report.summary.read_text(encoding="utf-8")
    assert f"## {TITLE}" in summary
    assert "no counterparties.csv" in summary
    assert "loop_liquidity" not in report.figures
    assert not any(name.startswith("loop_") for name in report.tables)


def test_the_section_can_be_left_out(
    simulated_only: Comparison, scenario: Scenario, tmp_path: Path
) -> None:
    files = write_report(simulated_only, tmp_path / "r", scenario=scenario, loop=False)
    assert TITLE not in files.summary.read_text(encoding="utf-8")


def test_a_lab_row_alone_is_no_balance_sheet(scenario: Scenario) -> None:
    assert loop_absence(None) is not None
    assert loop_absence(scenario) is not None
    assert loop_or_reason(scenario)[0] is None


def test_a_stress_off_the_horizon_is_a_reason_not_an_error(leases: Scenario) -> None:
    late = ["demand.revenue_busd_per_gw_year_at_start=x0.6@2040Q1"]
    section, reason = loop_or_reason(leases, late)
    assert section is None and "2040Q1" in reason and "not on the simulated horizon" in reason


def test_stress_standard_equals_the_explicit_shocks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stress", "cloud_leases", "--standard", "--json"]) == 0
    standard = json.loads(capsys.readouterr().out)
    explicit = ["stress", "cloud_leases", "--json"]
    for shock in STANDARD_STRESS:
        explicit += ["--shock", shock]
    assert main(explicit) == 0
    assert json.loads(capsys.readouterr().out)["summary"] == standard["summary"]
    assert standard["shocks"] == list(STANDARD_STRESS)


def test_stress_without_a_shock_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stress", "cloud_leases"]) == EXIT_BAD_INPUT
    assert "--standard" in capsys.readouterr().err
