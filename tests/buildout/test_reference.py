"""The reference scenario: the critical window of 2026-2028 and the calibrated start."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

import sd_model
from sd_model import Scenario
from tests.buildout.helpers import summed


@pytest.fixture(scope="module")
def reference() -> Scenario:
    return sd_model.load_scenario("reference")


@pytest.fixture(scope="module")
def result(reference: Scenario) -> pd.DataFrame:
    return sd_model.simulate(reference)


def test_accelerators_arrive_faster_than_powered_shells_in_2026_to_2028(
    reference: Scenario, record_property: Callable[[str, object], None]
) -> None:
    assert all(lease.site for lease in reference.lease_contracts)  # Oracle sites, leased
    result = sd_model.simulate(reference)
    stranded = summed(result, "stranded_gw").to_numpy()
    periods = result["period"].to_numpy()
    window = (periods >= "2026Q4") & (periods <= "2028Q4")
    assert (stranded[window] > 0.05).all()
    peak = float(stranded[window].max())
    peak_period = str(periods[window][stranded[window].argmax()])
    record_property("stranded_peak_gw_2026_2028", round(peak, 3))
    record_property("stranded_peak_period", peak_period)
    print(f"critical window: stranded GW peaks at {peak:.2f} GW in {peak_period}")
    assert peak > 1.0
    assert float(result["stranded_gw_periods"].iloc[0]) == 0


def test_the_start_is_calibrated_to_end_2025(result: pd.DataFrame, reference: Scenario) -> None:
    start = result.iloc[0]
    assert start["period"] == "2026Q1"
    assert start["energized_total_gw"] == pytest.approx(1.9)
    assert start["cash_busd"] == pytest.approx(reference.financing.starting_cash_busd)
    # revenue run-rate: 1.9 GW x 10.4 $B/GW-yr ~ 20 $B/yr (">$20B annualized at end-2025")
    assert 4 * start["revenue_busd_per_period"] == pytest.approx(1.9 * 10.4)


def test_orders_follow_the_announced_schedule(result: pd.DataFrame, reference: Scenario) -> None:
    for vendor, total in reference.announced_schedule.total_by_vendor().items():
        assert result[f"ordered_gw[{vendor}]"].iloc[-1] == pytest.approx(total)


def test_the_result_frame_has_labels_units_and_loops(result: pd.DataFrame) -> None:
    assert result.index.name == "time"
    assert list(result["period"].iloc[[0, -1]]) == ["2026Q1", "2034Q1"]
    assert result.attrs["units"]["cash_busd"] == "$B"
    assert result.attrs["time_units"] == "quarter"
    assert "vendor_financing" in result.attrs["loops"]
    assert not any("base" in c or "." in c for c in result.columns)
