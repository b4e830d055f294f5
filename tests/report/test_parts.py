"""The pieces: key metrics, site table, headline, figure functions (also from threads), styles."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from optimization.coupling.compare import Comparison
from optimization.report import (
    FIGURES,
    coupling_iterations,
    energized_capacity,
    key_metrics,
    render_figures,
    shadow_prices,
)
from optimization.report.catalog import Draw
from optimization.report.content import headline
from optimization.report.style import case_colors, period_years
from optimization.report.tables import (
    formatted_key_metrics,
    planning_periods,
    planning_timeseries,
    site_gw_wide,
)
from sd_model import Scenario


def cell(frame: pd.DataFrame, row: str, column: str) -> float:
    """One number of a table."""
    return float(frame[column].astype(float)[row])


def test_key_metrics_are_the_comparison_in_display_units(comparison: Comparison) -> None:
    table = key_metrics(comparison)
    metrics = comparison.metrics
    assert cell(table, "npv_cost_busd", "optimal") == pytest.approx(
        cell(metrics, "npv_cost_busd", "optimal")
    )
    assert cell(table, "ppa_coverage_at_end", "announced") == pytest.approx(
        100 * cell(metrics, "ppa_coverage_at_end", "announced")
    )
    coupled = comparison.timeseries.loc[comparison.timeseries["case"] == "coupled"]
    lp_periods = 8  # 2026Q1-2027Q4, then the end boundary 2028Q1
    peak = coupled["energized_gw"].iloc[: lp_periods + 1].max()
    assert cell(table, "peak_energized_gw", "coupled") == pytest.approx(peak)
    assert table["unit"]["stranded_gw_periods"] == "GW-quarters"
    assert math.isnan(cell(table, "lp_npv_busd", "announced"))


def test_metrics_cover_the_planning_horizon_with_or_without_the_scenario(
    comparison: Comparison, simulated_only: Comparison, scenario: Scenario
) -> None:
    with_plans = planning_periods(comparison)
    assert with_plans == planning_periods(comparison, scenario)
    assert with_plans[0] == "2026Q1" and with_plans[-1] == "2028Q1"
    assert planning_periods(simulated_only, scenario) == with_plans
    every = list(pd.unique(simulated_only.timeseries["period"]))
    assert planning_periods(simulated_only) == every  # no plan, no scenario: all of it
    energized_at_end = comparison.metrics.loc["energized_gw_at_end"]
    horizon = planning_timeseries(comparison)
    at_end = horizon.loc[horizon["period"] == "2028Q1"].set_index("case")["energized_gw"]
    np.testing.assert_allclose(at_end[comparison.names], energized_at_end[comparison.names])


def test_formatted_key_metrics_round_and_mark_missing_values(comparison: Comparison) -> None:
    table = formatted_key_metrics(comparison).set_index("metric")
    assert table.loc["LP net present value: revenue - cost (LP cases) [$B]", "announced"] == "—"
    penalty = "LP priced limit violations, not money (LP cases) [$B]"
    assert table.loc[penalty, "optimal"] == "0"
    cost = cell(comparison.metrics, "npv_cost_busd", "optimal")
    assert table.loc["Cost, discounted (NPV) [$B]", "optimal"] == f"{cost:,.1f}"


def test_site_table_has_a_column_per_case_and_differences(comparison: Comparison) -> None:
    wide = site_gw_wide(comparison)
    assert list(wide.columns[:3]) == ["year", "site", "region"]
    np.testing.assert_allclose(
        wide["optimal - announced"], wide["optimal"] - wide["announced"], atol=1e-12
    )
    long = comparison.site_gw.set_index(["case", "year", "site"])["gw"]
    row = wide.iloc[-1]
    assert row["coupled"] == pytest.approx(long[("coupled", row["year"], row["site"])])


def test_headline_says_when_a_case_simulates_like_an_earlier_one(
    comparison: Comparison,
) -> None:
    announced = comparison.timeseries.loc[comparison.timeseries["case"] == "announced"]
    doubled = replace(
        comparison,
        cases=(*comparison.cases, replace(comparison.cases[0], name="again")),
        timeseries=pd.concat([comparison.timeseries, announced.assign(case="again")]),
        metrics=comparison.metrics.assign(again=comparison.metrics["announced"]),
    )
    lines = {h.lead: h.text for h in headline(doubled)}
    assert lines["again"].startswith("simulates exactly like announced")
    assert "again vs announced" not in lines
    assert lines["optimal vs announced"].startswith("discounted cost")


@pytest.mark.parametrize("draw", [energized_capacity, shadow_prices, coupling_iterations])
def test_figure_functions_return_figures_of_the_report_size(
    draw: Draw, comparison: Comparison, scenario: Scenario
) -> None:
    figure = draw(comparison, scenario)
    assert isinstance(figure, Figure)
    assert [round(v) for v in figure.get_size_inches() * figure.dpi] == [1200, 700]


def test_lp_figures_are_skipped_without_lp_cases(simulated_only: Comparison) -> None:
    assert shadow_prices(simulated_only) is None
    assert coupling_iterations(simulated_only) is None
    lp_specs = tuple(s for s in FIGURES if s.name in ("shadow_prices", "coupling_iterations"))
    rendered = {r.spec.name: r for r in render_figures(simulated_only, specs=lp_specs)}
    assert rendered["shadow_prices"].png is None
    assert rendered["shadow_prices"].skipped == "no case in this comparison has an LP plan"


def test_figures_render_the_same_from_threads(simulated_only: Comparison) -> None:
    specs = tuple(s for s in FIGURES if s.name in ("cash_and_debt", "utilization"))
    alone = [r.png for r in render_figures(simulated_only, specs=specs)]
    with ThreadPoolExecutor(2) as pool:
        threaded = list(
            pool.map(lambda spec: render_figures(simulated_only, specs=(spec,))[0].png, specs)
        )
    assert threaded == alone


def test_case_colours_are_fixed_for_built_in_cases_and_distinct() -> None:
    first = case_colors(["announced", "optimal", "mine", "yours"])
    second = case_colors(["optimal", "yours", "mine", "announced"])
    assert first["announced"] == second["announced"] and first["optimal"] == second["optimal"]
    assert len(set(first.values())) == 4


def test_period_labels_become_fractional_years() -> None:
    np.testing.assert_allclose(
        period_years(["2026Q1", "2026Q3", "2027-07", "2028"]), [2026, 2026.5, 2027.5, 2028]
    )
