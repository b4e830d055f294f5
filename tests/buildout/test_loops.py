"""Each feedback loop switched off changes the run the way its polarity says."""

from __future__ import annotations

import pandas as pd
import pytest

import sd_model
from sd_model import Scenario
from sd_model.buildout import ALL_LOOPS, Loop
from tests.buildout.helpers import summed


@pytest.fixture(scope="module")
def reference() -> Scenario:
    return sd_model.load_scenario("reference")


@pytest.fixture(scope="module")
def base(reference: Scenario) -> pd.DataFrame:
    return sd_model.simulate(reference)


def without(scenario: Scenario, loop: Loop) -> pd.DataFrame:
    return sd_model.simulate(scenario, loops=ALL_LOOPS - {loop})


def test_the_budget_binds_in_the_reference(base: pd.DataFrame) -> None:
    assert base["budget_fraction"].min() < 0.5


def test_vendor_financing_off_lowers_cash_and_energized_gw(reference: Scenario) -> None:
    # the reference has no per-GW vendor money (Nvidia's is equity in the 2026 round)
    financed = reference.with_overrides(
        {"vendors.nvidia.financing_busd_per_gw": 10, "vendors.nvidia.financing_cap_busd": 100}
    )
    base = sd_model.simulate(financed)
    off = without(financed, "vendor_financing")
    assert (off["vendor_financing_busd_per_period"] == 0).all()
    assert off["cash_busd"].sum() < base["cash_busd"].sum()
    # (the lowest cash is no test: the budget rule spends the money on more deliveries)
    # sites retire what they run, so the extra deliveries find room only where there is
    # powered shell to spare: energized GW cannot be higher without the money, and what
    # the money buys beyond the room waits stranded
    assert off["energized_total_gw"].sum() <= base["energized_total_gw"].sum() + 1e-9
    assert summed(off, "delivered_cum_gw").iloc[-1] < summed(base, "delivered_cum_gw").iloc[-1]
    assert summed(off, "stranded_gw").sum() < summed(base, "stranded_gw").sum()


def test_share_price_response_off_removes_the_warrant_value_feedback(
    reference: Scenario, base: pd.DataFrame
) -> None:
    off = without(reference, "share_price_response")
    start = reference.vendor("amd").share_price_usd_at_start
    assert (off["share_price_usd[amd]"] == start).all()
    assert base["share_price_usd[amd]"].iloc[-1] > start
    assert off["warrant_value_busd[amd]"].iloc[-1] < base["warrant_value_busd[amd]"].iloc[-1]
    # the value fed the budget: less pledgeable value, fewer deliveries while it binds
    assert off["liquidity_busd"].sum() < base["liquidity_busd"].sum()
    assert summed(off, "delivered_cum_gw").iloc[-1] < summed(base, "delivered_cum_gw").iloc[-1]


def test_revenue_to_cash_off_starves_orders(reference: Scenario, base: pd.DataFrame) -> None:
    off = without(reference, "revenue_cash_orders")
    assert (off["revenue_to_cash_busd_per_period"] == 0).all()
    assert (off["revenue_busd_per_period"] > 0).any()
    assert summed(off, "delivered_cum_gw").iloc[-1] < summed(base, "delivered_cum_gw").iloc[-1]
    assert off["cash_busd"].min() < base["cash_busd"].min()


def test_overbuild_lowers_utilization_and_revenue_per_gw(tiny: Scenario) -> None:
    weak = tiny.with_overrides({"demand.demand_growth_per_year": -0.5})
    on = sd_model.simulate(weak)
    off = sd_model.simulate(weak, loops=ALL_LOOPS - {"overbuild_utilization"})
    assert on["utilization"].iloc[-1] < 0.5
    assert (off["utilization"][off["energized_total_gw"] > 0] == 1).all()
    assert on["revenue_busd_per_period"].sum() < off["revenue_busd_per_period"].sum()
    assert on["cash_busd"].iloc[-1] < off["cash_busd"].iloc[-1]


def test_power_shortfall_strands_hardware(reference: Scenario, base: pd.DataFrame) -> None:
    off = without(reference, "power_shortfall_stranding")
    early = base["period"] <= "2028Q4"
    assert summed(off, "stranded_gw")[early].sum() < summed(base, "stranded_gw")[early].sum()
    assert off["energized_total_gw"][early].sum() > base["energized_total_gw"][early].sum()
    assert off["idle_depreciation_busd_per_period"][early].sum() < (
        base["idle_depreciation_busd_per_period"][early].sum()
    )


def test_budget_limit_off_delivers_the_schedule_and_deepens_the_gap(
    reference: Scenario, base: pd.DataFrame
) -> None:
    off = without(reference, "budget_limited_ordering")
    assert (off["budget_fraction"] == 1).all()
    total = reference.announced_schedule.total_gw()
    assert summed(off, "delivered_cum_gw").iloc[-1] == pytest.approx(total)
    assert off["funding_gap_busd"].max() > base["funding_gap_busd"].max()


def test_unknown_loops_are_rejected(tiny: Scenario) -> None:
    with pytest.raises(ValueError, match="unknown loops"):
        sd_model.simulate(tiny, loops={"vendor_finance"})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="collection"):
        sd_model.simulate(tiny, loops="vendor_financing")  # type: ignore[arg-type]
