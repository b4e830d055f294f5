"""Metrics: hand-checkable values on small runs, and batches give one value per sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sd_model
from sd_model import Scenario, metrics
from sd_model.buildout import ALL_LOOPS


@pytest.fixture(scope="module")
def tiny_result() -> pd.DataFrame:
    from tests.conftest import TINY

    return sd_model.simulate(sd_model.load_scenario(TINY))


def test_trajectories_keep_the_result_index(tiny_result: pd.DataFrame) -> None:
    for series in (
        metrics.utilization(tiny_result),
        metrics.ppa_coverage_ratio(tiny_result),
        metrics.stranded_gw(tiny_result),
    ):
        assert series.index.equals(tiny_result.index)
    versus = metrics.energized_vs_delivered(tiny_result)
    assert (versus["energized_gw"] <= versus["delivered_gw"] + 1e-9).all()
    assert ((versus["energized_share"] >= 0) & (versus["energized_share"] <= 1 + 1e-9)).all()


def test_revenue_mix_splits_revenue(tiny_result: pd.DataFrame) -> None:
    mix = metrics.revenue_mix(tiny_result)
    total = mix["usage_linked_busd_per_period"] + mix["other_busd_per_period"]
    assert np.allclose(total, tiny_result["revenue_busd_per_period"])
    assert np.allclose(mix["usage_linked_share"], 0.3)


def test_no_vendor_financing_means_no_vendor_share(tiny: Scenario) -> None:
    result = sd_model.simulate(tiny, loops=ALL_LOOPS - {"vendor_financing"})
    assert metrics.vendor_financed_share_of_capex(result) == 0.0
    assert 0 < metrics.vendor_financed_share_of_capex(sd_model.simulate(tiny)) < 1


def test_cost_per_mwh_is_the_delivered_price_when_only_the_grid_serves(tiny: Scenario) -> None:
    grid_only = tiny.with_overrides(
        {
            "sites.*.onsite_option_ids": [],
            "policy.ppa_coverage_target_by_year.2026": 0.0,
            "policy.ppa_coverage_target_by_year.2027": 0.0,
            "regions.PJM.wholesale_price_usd_per_mwh": 30.0,
            "regions.PJM.capacity_price_usd_per_mwh": 0.0,
        }
    )
    result = sd_model.simulate(grid_only)
    # delivered = wholesale 30 + capacity 0 + delivery 17.7 (tiny's regions.csv) in both regions
    assert metrics.cost_usd_per_mwh(result) == pytest.approx(47.7)


def test_mean_delay_is_the_energization_time_when_power_is_plentiful(tiny: Scenario) -> None:
    plenty = tiny.with_overrides(
        {
            "sites.*.max_gw": 100.0,
            "sites.*.shell_ready_gw_at_start": 100.0,
            "sites.*.interconnected_gw_at_start": 1000.0,
            "sites.*.grid_limit_gw": 1000.0,
        }
    )
    result = sd_model.simulate(plenty, loops=ALL_LOOPS - {"budget_limited_ordering"})
    # first-order delay of 1 quarter; hardware still waiting at the end biases it low
    assert metrics.mean_delivery_to_energization_periods(result) == pytest.approx(1.0, rel=0.15)
    assert metrics.stranded_gw_periods(result) > 0


def test_summary_of_a_batch_has_one_row_per_sample() -> None:
    reference = sd_model.load_scenario("reference")
    batch = sd_model.simulate(reference, samples={"demand.demand_growth_per_year": [0.1, 0.6]})
    table = metrics.summary(batch)
    assert isinstance(table, pd.DataFrame)
    assert list(table.index) == [0, 1]
    single = metrics.summary(sd_model.simulate(reference))
    assert isinstance(single, pd.Series)
    assert np.allclose(table.loc[1].to_numpy(), single.to_numpy())
    assert single["min_cash_busd"] == pytest.approx(-single["funding_gap_busd"])
    assert single["peak_stranded_gw"] > 0


def test_missing_variables_are_named(tiny: Scenario) -> None:
    result = sd_model.simulate(tiny, variables=["cash_busd"])
    with pytest.raises(KeyError, match="stranded_gw"):
        metrics.stranded_gw(result)
