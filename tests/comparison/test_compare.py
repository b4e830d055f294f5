"""Comparison of cases: every case measured by the same simulation, tables consistent."""

from __future__ import annotations

import pandas as pd
import pytest

import sd_model
from optimization.coupling.compare import Comparison, compare
from sd_model import Schedule
from tests.conftest import TINY


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    scenario = sd_model.load_scenario(TINY)
    user = Schedule.from_records([("2026Q4", "asic", "", 0.5), ("2027Q2", "gpu", "", 0.5)])
    return compare(scenario, schedules={"mine": user})


def test_cases_in_order_with_plans_where_the_lp_made_them(comparison: Comparison) -> None:
    assert comparison.names == ["announced", "announced_timing", "optimal", "mine"]
    assert [c.plan is not None for c in comparison.cases] == [False, True, True, False]


def test_metrics_table_has_a_column_per_case_and_lp_terms_only_for_plans(
    comparison: Comparison,
) -> None:
    table = comparison.metrics
    assert list(table.columns) == comparison.names
    assert table["announced"].isna()["lp_objective_busd"]
    optimal = comparison.cases[2].plan
    assert optimal is not None
    assert table.loc["lp_objective_busd", "optimal"] == pytest.approx(optimal.objective)
    for name in ("npv_cost_busd", "peak_stranded_gw", "min_cash_busd", "headroom_used_ERCOT_gw"):
        assert table.loc[name].notna().all(), name


def test_the_simulation_of_the_announced_case_is_the_plain_simulation(
    comparison: Comparison,
) -> None:
    direct = sd_model.simulate(sd_model.load_scenario(TINY))
    case = comparison.cases[0]
    pd.testing.assert_frame_equal(case.simulation, direct)


def test_optimal_is_no_worse_than_announced_timing_in_the_lp(comparison: Comparison) -> None:
    lp = comparison.metrics.loc["lp_objective_busd"]
    assert lp["optimal"] <= lp["announced_timing"] + 1e-6


def test_deliveries_table_holds_each_schedule_and_the_differences(comparison: Comparison) -> None:
    table = comparison.deliveries
    for case in comparison.cases:
        assert table[case.name].sum() == pytest.approx(case.schedule.total_gw())
    diff = table["mine - announced"]
    assert diff.to_numpy() == pytest.approx((table["mine"] - table["announced"]).to_numpy())


def test_year_end_and_site_tables_are_tidy(comparison: Comparison) -> None:
    years = comparison.by_year
    assert set(years["case"]) == set(comparison.names)
    assert set(years["year"]) == {2026, 2027, 2028}
    sites = comparison.site_gw
    assert set(sites.columns) == {"case", "year", "site", "region", "gw"}
    # the year-end site load is the simulation's value at the first boundary of the next year
    sim = comparison.cases[0].simulation
    row = sim.loc[sim["period"] == "2028Q1", "site_load_gw[TXA]"].iloc[0]
    pick = sites.query("case == 'announced' and year == 2027 and site == 'TXA'")["gw"].iloc[0]
    assert pick == pytest.approx(row)


def test_shadow_prices_and_findings_come_from_the_plans(comparison: Comparison) -> None:
    prices = comparison.shadow_prices
    assert set(prices["case"]) <= {"announced_timing", "optimal"}
    assert set(prices["limit"]) <= {"headroom", "budget", "site_max", "grid_limit", "ppa_max"}
    findings = comparison.findings
    assert set(findings["kind"]) <= {"diagnosis", "binding"}
    assert not findings.empty
