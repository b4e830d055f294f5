"""Cost curves: perf/W and capex by vendor and delivery year, useful life per vendor."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sd_model
from sd_model import Scenario
from sd_model.engine import Model


@pytest.fixture(scope="module")
def reference() -> Scenario:
    return sd_model.load_scenario("reference")


def _at(result: pd.DataFrame, period: str, column: str) -> float:
    return float(result.loc[result["period"] == period, column].iloc[0])


def test_a_newer_generation_with_higher_perf_per_watt_earns_more_per_gw(
    reference: Scenario,
) -> None:
    # demand above capacity (the lab's plan), so every GW serves what it can
    base = sd_model.simulate(reference)
    newer = sd_model.simulate(
        reference.with_overrides({"vendors.broadcom.perf_per_watt_relative": 1.5})
    )
    for result in (base, newer):
        assert _at(result, "2030Q4", "utilization") == pytest.approx(1.0)

    def per_gw(result: pd.DataFrame) -> float:
        revenue = _at(result, "2030Q4", "revenue_busd_per_period")
        return revenue / _at(result, "2030Q4", "energized_total_gw")

    assert per_gw(newer) > per_gw(base) * 1.05
    assert newer["revenue_cum_busd"].iloc[-1] > base["revenue_cum_busd"].iloc[-1]


def test_perf_per_watt_rises_with_the_delivery_year_and_each_vintage_keeps_its_own(
    reference: Scenario,
) -> None:
    scenario = reference.with_overrides({"vendors.*.perf_per_watt_growth_per_year": 0.3})
    result = sd_model.simulate(scenario)
    assert _at(result, "2028Q1", "delivery_perf_per_watt[nvidia]") == pytest.approx(1.3**2)
    for vendor in ("nvidia", "amd", "broadcom"):
        compute = result[f"energized_compute_gw[{vendor}]"]
        gw = result[f"energized_gw[{vendor}]"]
        average = (compute / gw.where(gw > 1e-6)).dropna()
        newest = result.loc[average.index, f"delivery_perf_per_watt[{vendor}]"]
        # the fleet mixes vintages: never above the newest, above the first year once it ages
        assert (average <= newest + 1e-9).all()
        assert average.iloc[-1] > 1.0 + 1e-6
    # a fleet newer than the market's reference path earns more per physical GW over time
    early = _at(result, "2027Q4", "revenue_busd_per_period") / _at(
        result, "2027Q4", "energized_total_gw"
    )
    late = _at(result, "2030Q4", "revenue_busd_per_period") / _at(
        result, "2030Q4", "energized_total_gw"
    )
    assert late > early


def test_on_the_market_perf_path_the_price_follows_and_demand_stays_on_its_path(
    reference: Scenario,
) -> None:
    path = {
        f"demand.reference_perf_per_watt_by_year.{y}": 1.3 ** (y - 2026) for y in range(2026, 2035)
    }
    scenario = reference.with_overrides({"vendors.*.perf_per_watt_growth_per_year": 0.3, **path})
    result = sd_model.simulate(scenario)
    years = result["period"].str[:4].astype(int)
    market = np.array([scenario.demand.reference_perf_per_watt(int(y)) for y in years])
    start = reference.demand.revenue_busd_per_gw_year_at_start
    revenue = result["revenue_busd_per_gw_year"].to_numpy()
    np.testing.assert_allclose(revenue[:-1], (start / market)[:-1])  # the last row is the end
    # the fleet's older vintages lag the market path: its compute is dearer than the path's,
    # so demand sits below the reference path by the elasticity
    later = (years >= 2027).to_numpy()
    assert (result.loc[later, "compute_price_deviation"] > 1.0).all()
    assert (result.loc[later, "compute_demand_gw"] < result.loc[later, "reference_demand_gw"]).all()


def test_capex_per_gw_changes_with_the_delivery_year(reference: Scenario) -> None:
    scenario = reference.with_overrides({"vendors.nvidia.capex_change_per_year": -0.1})
    result = sd_model.simulate(scenario)
    assert _at(result, "2026Q3", "it_capex_busd_per_gw[nvidia]") == pytest.approx(35.0)
    assert _at(result, "2028Q3", "it_capex_busd_per_gw[nvidia]") == pytest.approx(35.0 * 0.81)
    amd = reference.vendor("amd").capex_busd_per_gw  # no trend of its own: flat
    assert _at(result, "2028Q3", "it_capex_busd_per_gw[amd]") == pytest.approx(amd)


def test_a_vendor_with_a_shorter_useful_life_retires_sooner(reference: Scenario) -> None:
    short = sd_model.simulate(reference.with_overrides({"vendors.amd.useful_life_years": 2.0}))
    base = sd_model.simulate(reference)
    assert _at(base, "2029Q1", "retired_gw[amd]") == pytest.approx(0.0, abs=1e-9)
    assert _at(short, "2029Q1", "retired_gw[amd]") > 0.05
    assert _at(short, "2029Q1", "retired_gw[nvidia]") == pytest.approx(0.0, abs=1e-9)
    # the compute of the retired GW leaves with them
    compute = _at(short, "2029Q1", "energized_compute_gw[amd]")
    assert compute == pytest.approx(_at(short, "2029Q1", "energized_gw[amd]"), rel=1e-6)


def test_usage_linked_revenue_follows_utilization(reference: Scenario) -> None:
    result = sd_model.simulate(reference.with_overrides({"demand.outlook": "bear"}))
    flows = result.iloc[:-1]
    share = flows["usage_linked_revenue_busd_per_period"] / flows["revenue_busd_per_period"]
    expected = reference.demand.usage_linked_revenue_share_at_start * flows["utilization"]
    np.testing.assert_allclose(share.to_numpy(), expected.to_numpy())
    assert share.min() < share.max() - 0.05  # it moves on the bundled data


def test_the_lp_can_read_perf_per_watt_by_vendor_and_period(reference: Scenario) -> None:
    frames = reference.with_overrides({"vendors.amd.perf_per_watt_growth_per_year": 0.5}).frames()
    curve = frames.delivery_perf_per_watt
    assert list(curve.columns) == ["nvidia", "amd", "broadcom"]
    assert curve.loc["2027Q2", "amd"] == pytest.approx(1.5)
    assert curve.loc["2027Q2", "nvidia"] == pytest.approx(1.0)


def test_a_stock_drained_by_a_separate_flow_keeps_its_other_flows() -> None:
    # why vintages.py drains its stock with a flow, not fixed_delay(from_stock=...)
    m = Model({"vendor": ("a",)})
    m.stock("s", 0.0, dims=("vendor",))
    m.flow("f", 1.0, to_stock="s", dims=("vendor",))
    m.fixed_delay("due", "f", 2.0, initial=0.0, dims=("vendor",))
    m.flow("out", "due", from_stock="s", dims=("vendor",))
    run = m.run(stop=4, dt=1.0)
    assert run["s[a]"].tolist() == [0.0, 1.0, 2.0, 2.0, 2.0]
