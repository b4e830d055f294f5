"""A vendor below its covenant makes only ``delivery_share_on_breach`` of the deliveries it owes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import sd_model
from sd_model.scenario.errors import ScenarioError

HEADER = (
    "id,liquidity_busd_at_start,debt_service_busd_per_year,debt_service_busd_per_gw_year,"
    "cash_flow_from_others_busd_per_year,cost_share_of_lab_revenue,coverage_threshold_quarters,"
    "equity_value_busd_at_start,markdown_on_stress,cut_on_breach"
)
# ASIC Co starts with no cash, owes $1B of debt service a quarter and keeps none of its
# sales (cost share 1): below its covenant (a quarter of debt service) from the start on.
ASIC_IN_BREACH = "asic,0,4,0,0,1,1,,0,0"
PERIODS = ["2026Q3", "2026Q4", "2027Q1", "2027Q2"]


def _deliveries(folder: Path, rows: str, header: str = HEADER) -> pd.DataFrame:
    (folder / "counterparties.csv").write_text(f"{header}\n{rows}\n")
    with (folder / "sources.csv").open("a") as sources:
        sources.write("counterparties,assumption,,test fixture\n")
    # ample cash: the budget rule defers nothing, only the breach does
    scenario = sd_model.load_scenario(folder, {"financing.starting_cash_busd": 1000})
    frame = sd_model.simulate(scenario, counterparty_loop=True, dt_periods=1.0)
    return frame.set_index("period")


def test_a_vendor_in_breach_delivers_its_share_and_owes_the_rest(tiny_copy: Path) -> None:
    header = f"{HEADER},delivery_share_on_breach"
    frame = _deliveries(tiny_copy, f"{ASIC_IN_BREACH},0.5", header)
    assert (frame.loc[PERIODS, "vendor_breach[asic]"] == 1.0).all()
    # by hand (schedule 0.25 GW in 2026Q3 and 2026Q4, catch-up over 2 quarters, dt 1 quarter):
    # 2026Q3: 0.5 x 0.25 = 0.125, owed 0.125
    # 2026Q4: 0.5 x (0.25 + 0.125 / 2) = 0.15625, owed 0.125 + 0.25 - 0.15625 = 0.21875
    # 2027Q1: 0.5 x 0.21875 / 2 = 0.0546875, owed 0.1640625
    # 2027Q2: 0.5 x 0.1640625 / 2 = 0.041015625
    delivered = frame.loc[PERIODS, "delivering_gw_per_period[asic]"].to_numpy(dtype=np.float64)
    assert_allclose(delivered, [0.125, 0.15625, 0.0546875, 0.041015625])
    owed = frame.loc["2027Q3", "on_order_gw[asic]"]
    assert owed == pytest.approx(0.1640625 - 0.041015625)
    # what is not delivered stays on order: nothing is lost
    total = frame["delivered_cum_gw[asic]"] + frame["on_order_gw[asic]"]
    assert total.loc["2028Q4"] == pytest.approx(0.5)


def test_by_default_a_vendor_in_breach_delivers_in_full(tiny_copy: Path) -> None:
    frame = _deliveries(tiny_copy, ASIC_IN_BREACH)  # no delivery_share_on_breach column
    assert (frame.loc[PERIODS, "vendor_breach[asic]"] == 1.0).all()
    delivered = frame.loc[PERIODS, "delivering_gw_per_period[asic]"].to_numpy(dtype=np.float64)
    assert_allclose(delivered, [0.25, 0.25, 0.0, 0.0], atol=1e-12)


def test_a_lessor_or_the_lab_cannot_slow_deliveries(tiny_copy: Path) -> None:
    header = f"{HEADER},delivery_share_on_breach"
    (tiny_copy / "counterparties.csv").write_text(f"{header}\nlab,0,0,0,0,0,1,,0,0,0.5\n")
    with pytest.raises(ScenarioError) as error:
        sd_model.load_scenario(tiny_copy)
    text = str(error.value)
    assert "counterparties" in text and "delivery_share_on_breach" in text
    assert "only a vendor delivers hardware" in text
