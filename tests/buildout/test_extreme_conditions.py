"""Extreme conditions: no power, unlimited power, no demand, no money."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import sd_model
from sd_model import Scenario
from sd_model.buildout import ALL_LOOPS
from tests.buildout.helpers import first_order_delay, summed, with_settings


def test_no_headroom_and_no_onsite_energizes_nothing_beyond_the_start(tiny: Scenario) -> None:
    scenario = tiny.with_overrides(
        {
            "headroom.*.headroom_gw": 0.0,
            "sites.*.onsite_option_ids": [],
            "sites.TXA.interconnected_gw_at_start": 0.24,  # exactly the load at the start
        }
    )
    frame = sd_model.simulate(scenario)
    energized = frame["energized_total_gw"]
    assert (energized <= energized.iloc[0] + 1e-9).all()
    stranded = summed(frame, "stranded_gw")
    delivered = summed(frame, "delivered_cum_gw")
    assert delivered.iloc[-1] > 1.0
    # only the load that retires at the start's site can be replaced
    replaced = tiny.site("TXA").energized_gw_at_start
    assert (stranded >= delivered - replaced - 1e-9).all()
    assert stranded.iloc[-1] == pytest.approx(delivered.iloc[-1], abs=replaced)
    assert (np.diff(stranded) >= -replaced).all()


def test_unlimited_power_and_shells_energize_deliveries_after_the_delay(tiny: Scenario) -> None:
    scenario = tiny.with_overrides(
        {
            "sites.*.max_gw": 100.0,
            "sites.*.shell_ready_gw_at_start": 100.0,
            "sites.*.interconnected_gw_at_start": 1000.0,
            "sites.*.grid_limit_gw": 1000.0,
        }
    )
    dt = 0.25
    frame = sd_model.simulate(
        scenario, loops=ALL_LOOPS - {"budget_limited_ordering"}, dt_periods=dt
    )
    scheduled = summed(frame, "scheduled_delivery_gw_per_period").to_numpy()[:-1]
    per_step = np.repeat(scheduled, round(1 / dt))
    expected = first_order_delay(per_step, tau=1.0, dt=dt)[:: round(1 / dt)]
    assert_allclose(summed(frame, "stranded_gw"), expected, atol=1e-12)
    energized_new = summed(frame, "energized_gw") - frame["energized_gw[installed]"]
    retired_new = summed(frame, "retired_gw") - frame["retired_gw[installed]"]
    assert_allclose(energized_new + retired_new + expected, summed(frame, "delivered_cum_gw"))


def test_zero_demand_gives_zero_utilization_and_revenue(tiny: Scenario) -> None:
    frame = sd_model.simulate(tiny.with_overrides({"demand.compute_demand_gw_at_start": 0.0}))
    assert (frame["utilization"] == 0).all()
    assert (frame["revenue_busd_per_period"] == 0).all()
    assert (frame["served_compute_gw"] == 0).all()
    assert (frame["energized_total_gw"] > 0).all()


def test_without_funding_or_credit_orders_stop_when_cash_runs_out(tiny: Scenario) -> None:
    broke = tiny.with_overrides(
        {
            "financing.external_funding_busd_by_year.2026": 0.0,
            "financing.external_funding_busd_by_year.2027": 0.0,
            "financing.debt_capacity_busd": 0.0,
            "financing.starting_cash_busd": 5.0,
        }
    )
    frame = sd_model.simulate(with_settings(broke, warrant_liquidity_share=0.0))
    out_of_cash = frame["cash_busd"] <= 1e-3
    assert out_of_cash.any()
    assert (frame.loc[out_of_cash, "budget_fraction"] == 0).all()
    assert (summed(frame, "delivering_gw_per_period")[out_of_cash] == 0).all()
    assert summed(frame, "deferred_gw").iloc[-1] > 0.5
    assert (frame["debt_busd"] == 0).all()
    ordered = summed(frame, "ordered_gw") - frame["ordered_gw[installed]"]
    assert summed(frame, "delivered_cum_gw").iloc[-1] < ordered.iloc[-1] - 0.5
