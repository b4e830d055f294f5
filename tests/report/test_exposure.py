"""Leases and circular exposure in the report: exposure table, tracking view, own vs lease."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Rectangle

import sd_model
from optimization.coupling.case_tables import planning_horizon
from optimization.coupling.compare import Comparison, compare
from optimization.report import (
    ReportFiles,
    committed_payments,
    exposure_table,
    own_vs_lease,
    tracking_view,
    write_report,
)
from optimization.report.lease_figures import leased_by_year
from sd_model import Scenario, metrics


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG from its header [px]."""
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


@pytest.fixture(scope="module")
def leases() -> Scenario:
    return sd_model.load_scenario("cloud_leases")


@pytest.fixture(scope="module")
def leased(leases: Scenario) -> Comparison:
    return compare(leases, cases=("announced", "optimal"))


@pytest.fixture(scope="module")
def leased_report(
    leased: Comparison, leases: Scenario, tmp_path_factory: pytest.TempPathFactory
) -> ReportFiles:
    return write_report(leased, tmp_path_factory.mktemp("leases") / "report", scenario=leases)


def test_the_exposure_table_is_the_lessor_and_vendor_exposure_of_each_case(
    leased: Comparison, leases: Scenario, leased_report: ReportFiles
) -> None:
    csv = pd.read_csv(leased_report.tables["exposure.csv"])
    assert set(csv["case"]) == {"announced", "optimal"}
    announced = leased.cases[0].simulation
    expected = metrics.lessor_exposure(planning_horizon(announced, leases), leases)
    rows = csv.loc[(csv["case"] == "announced") & (csv["kind"] == "lessor")].set_index("company")
    assert list(rows.index) == [lessor.id for lessor in leases.lessors]
    for column in ("payments_busd", "take_or_pay_idle_busd", "payments_to_lab_revenue"):
        assert rows[column].to_numpy() == pytest.approx(expected[column].to_numpy())
    assert list(rows["measure"]) == list(expected["measure"])
    vendors = csv.loc[(csv["case"] == "optimal") & (csv["kind"] == "vendor")].set_index("company")
    optimal = planning_horizon(leased.cases[1].simulation, leases)
    sales = metrics.vendor_exposure(optimal, leases)["sales_busd"]
    assert vendors["sales_busd"].to_numpy() == pytest.approx(sales.to_numpy())
    # the table covers the planning horizon, which ends with the simulation or before it
    whole = metrics.lessor_exposure(announced, leases)["payments_busd"]
    grid = leases.periods
    if grid.count("lp") < grid.count("sd"):
        assert whole.sum() > expected["payments_busd"].sum()
    else:
        assert whole.sum() == pytest.approx(expected["payments_busd"].sum())


def test_both_pages_show_the_exposure_table(
    leased_report: ReportFiles, leased: Comparison, leases: Scenario
) -> None:
    summary = leased_report.summary.read_text(encoding="utf-8")
    html = leased_report.html.read_text(encoding="utf-8")
    paid = exposure_table(leased, leases).set_index(["case", "company"])["payments_busd"]
    oracle = f"{paid['announced', 'oracle']:,.1f}"
    for page in (summary, html):
        assert "Circular exposure" in page
        assert "take-or-pay on idle [$B]" in page
        assert "oracle (lessor)" in page and "nvidia (vendor)" in page
        assert oracle in page
        assert "tables/exposure.csv" in page


def test_the_lease_figures_are_drawn_at_the_report_size(leased_report: ReportFiles) -> None:
    for name in ("tracking_view", "committed_payments", "own_vs_lease"):
        assert png_size(leased_report.figures[name]) == (1200, 700)
    assert "own_vs_lease" not in leased_report.skipped
    summary = leased_report.summary.read_text(encoding="utf-8")
    assert "figures/tracking_view.png" in summary
    assert "figures/own_vs_lease.png" in summary


def test_the_tracking_view_has_three_panels_one_line_per_case(
    leased: Comparison, leases: Scenario
) -> None:
    figure = tracking_view(leased, leases)
    assert figure is not None
    panels = figure.axes
    assert len(panels) == 3
    for axes in panels:
        labels = [line.get_label() for line in axes.get_lines()]
        assert {"announced", "optimal"} <= set(labels)
    share = metrics.revenue_mix(leased.cases[0].simulation)["usage_linked_share"]
    line = next(li for li in panels[2].get_lines() if li.get_label() == "announced")
    assert np.asarray(line.get_ydata(), dtype=float) == pytest.approx(share.to_numpy())


def test_committed_payments_per_year_match_the_metric(
    leased: Comparison, leased_report: ReportFiles
) -> None:
    assert committed_payments(leased) is not None
    csv = pd.read_csv(leased_report.tables["committed_payments.csv"])
    yearly = metrics.committed_payments_to_revenue(leased.cases[0].simulation)
    mine = csv.loc[csv["case"] == "announced"].set_index("year")
    assert mine["committed_busd"].to_numpy() == pytest.approx(yearly["committed_busd"].to_numpy())
    assert mine["lease_minimum_busd"].sum() > 0


def test_leased_gw_by_year_per_lessor(leased: Comparison, leases: Scenario) -> None:
    table = leased_by_year(leased.cases[0])  # the announced case has no plan: simulated
    assert set(table["lessor"]) == {lessor.id for lessor in leases.lessors}
    assert (table["used_gw"] >= -1e-9).all() and (table["idle_gw"] >= -1e-9).all()
    assert (table["used_gw"] + table["idle_gw"]).max() > 1.0
    assert own_vs_lease(leased, leases) is not None


def test_without_lessors_the_vendors_remain_and_own_vs_lease_is_one_sentence(
    report: ReportFiles, comparison: Comparison, scenario: Scenario
) -> None:
    assert not scenario.lessors
    csv = pd.read_csv(report.tables["exposure.csv"])
    assert set(csv["kind"]) == {"vendor"}
    assert set(csv["case"]) == set(comparison.names)
    assert {"sales_busd", "financed_share", "equity_lookthrough"} <= set(csv.columns)
    for page in (report.summary, report.html):
        text = page.read_text(encoding="utf-8")
        assert "Circular exposure" in text and "(vendor)" in text
        assert "take-or-pay on idle" not in text
    assert png_size(report.figures["committed_payments"]) == (1200, 700)
    assert report.skipped == {}
    # no case leases: the bars would repeat the owned IT, so the report says so in a sentence
    assert report.replaced["own_vs_lease"].startswith("No case leases capacity")
    assert "own_vs_lease" not in report.figures
    figure = own_vs_lease(comparison, scenario)  # still drawable on request
    assert figure is not None and "no case leases capacity" in figure.get_suptitle()
    bars = [p for p in figure.axes[0].patches if isinstance(p, Rectangle) and p.get_height() > 0]
    assert bars  # the owned IT


def test_without_the_scenario_the_exposure_table_is_explained(
    simulated_only_report: ReportFiles,
) -> None:
    assert "exposure.csv" not in simulated_only_report.tables
    summary = simulated_only_report.summary.read_text(encoding="utf-8")
    assert "The exposure table needs the scenario" in summary
    assert "tracking_view" in {*simulated_only_report.figures, *simulated_only_report.replaced}
