"""The counterparty loop's feedback: valuations, vendor financing cuts, the lab's stakes."""

from __future__ import annotations

from pathlib import Path

import pytest
from numpy.testing import assert_allclose

import sd_model
from sd_model import Scenario
from sd_model.scenario.sections import SimulationSettings
from tests.buildout.test_counterparties import (
    HALF_REVENUE,
    HEADER,
    QUIET,
    _run,
    _series,
    _two_party,
)

LAB_ROW = "lab,0,0,0,0,0,1,,0,0\n"


def _with_rows(folder: Path, rows: str, stakes: str = "") -> Scenario:
    """The two-party case with other ``counterparties.csv`` rows (and stakes)."""
    _two_party(folder)  # the lease tables and their sources
    (folder / "counterparties.csv").write_text(HEADER + LAB_ROW + rows)
    if stakes:
        (folder / "equity_stakes.csv").write_text("holder,company,share\n" + stakes)
        with (folder / "sources.csv").open("a") as sources:
            sources.write("equity_stakes,assumption,,test fixture\n")
    return sd_model.load_scenario(folder, QUIET)


def test_a_vendor_is_marked_down_while_the_lab_misses_payments(tiny_copy: Path) -> None:
    scenario = _with_rows(tiny_copy, "cloud,3,0,11.2,0,0,1,,0,0\ngpu,10,0,0,0,0,1,,0.5,0\n")
    frame = _run(scenario, HALF_REVENUE)
    # dt = decision time = 1 quarter: the factor reaches its target in one step;
    # missed share 1/6 in 2026Q4, 1/2 from 2027Q1 -> 1 - 0.5/6, then 1 - 0.5/2
    factor = _series(frame, "vendor_valuation_factor[gpu]", "2026Q3", "2027Q2")
    assert_allclose(factor, [1.0, 1.0, 1 - 0.5 / 6, 0.75])
    price = _series(frame, "share_price_usd[gpu]", "2027Q2", "2027Q2")
    before = _series(frame, "share_price_usd_before_stress[gpu]", "2027Q2", "2027Q2")
    assert_allclose(price, 0.75 * before)


def test_a_vendor_in_breach_cuts_its_financing(tiny_copy: Path) -> None:
    # gpu: no liquidity, debt service 4 $B a year, covenant 1 quarter -> in breach at once
    scenario = _with_rows(tiny_copy, "gpu,0,4,0,0,0,1,,0,0.5\n")
    frame = sd_model.simulate(scenario, counterparty_loop=True)
    assert (frame["vendor_breach[gpu]"] == 1.0).all()
    financed = frame["vendor_financing_by_vendor_busd_per_period[gpu]"].to_numpy()
    before = frame["vendor_financing_by_vendor_busd_per_period_before_stress[gpu]"].to_numpy()
    assert before.sum() > 0
    assert_allclose(financed, 0.5 * before)


def test_the_labs_stakes_count_in_its_liquidity(tiny_copy: Path) -> None:
    scenario = _with_rows(tiny_copy, "cloud,3,0,11.2,0,0,1,20,0,0\n", stakes="lab,cloud,0.1\n")
    frame = _run(scenario)
    share = (scenario.simulation or SimulationSettings()).warrant_liquidity_share
    extra = (frame["liquidity_busd"] - frame["liquidity_busd_before_stress"]).to_numpy()
    assert share > 0
    assert_allclose(extra, share * 0.1 * 20.0)  # the stake at its (unmarked) value
    assert float(frame["lab_stakes_value_busd"].iloc[0]) == pytest.approx(2.0)
