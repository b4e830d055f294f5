"""The counterparty loop: off by default, a hand-computed two-party case, conservation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import sd_model
from sd_model import Scenario, Schedule
from sd_model.buildout import CASH_INFLOWS, CASH_OUTFLOWS
from sd_model.cascade import cascade_probability, cascade_sweep
from sd_model.stress import stress_test

HEADER = (
    "id,liquidity_busd_at_start,debt_service_busd_per_year,debt_service_busd_per_gw_year,"
    "cash_flow_from_others_busd_per_year,cost_share_of_lab_revenue,coverage_threshold_quarters,"
    "equity_value_busd_at_start,markdown_on_stress,cut_on_breach\n"
)
# The lab keeps one quarter of lease payments covered; the lessor starts with $3B,
# owes 11.2 $B per GW-year (2.8 a quarter on 1 GW) and must keep a quarter of it.
PARTIES = HEADER + "lab,0,0,0,0,0,1,,0,0\ncloud,3,0,11.2,0,0,1,,0,{cut}\n"
# Nothing but the lease and its revenue moves the lab's cash: no fleet, no funding.
QUIET = {
    "offsite_energized_gw_at_start": 0,
    "sites.*.energized_gw_at_start": 0,
    "sites.*.shell_ready_gw_at_start": 0,
    "sites.*.interconnected_gw_at_start": 0,
    "financing.external_funding_busd_by_year.2026": 0,
    "financing.external_funding_busd_by_year.2027": 0,
    "financing.starting_cash_busd": 4,
    "demand.compute_demand_gw_at_start": 1,
    "demand.demand_growth_per_year": 0,
    "demand.price_elasticity": 0,
    "demand.revenue_busd_per_gw_year_at_start": 12,
}
HALF_REVENUE = "demand.revenue_busd_per_gw_year_at_start=x0.5@2026Q3"


def _two_party(folder: Path, cut: float = 0.0) -> Scenario:
    """The lab and one lessor: 1 GW at 12 $B per GW-year from 2026Q1, revenue 12 per GW-year."""
    (folder / "lessors.csv").write_text("id,name\ncloud,Cloud Co\n")
    (folder / "lease_contracts.csv").write_text(
        "id,lessor,start_period,term_years,gw,ramp_quarters,price_busd_per_gw_year,"
        "take_or_pay_share\nc1,cloud,2026Q1,5,1,0,12,0.8\n"
    )
    (folder / "counterparties.csv").write_text(PARTIES.format(cut=cut))
    with (folder / "sources.csv").open("a") as sources:
        for table in ("lessors", "lease_contracts", "counterparties"):
            sources.write(f"{table},assumption,,test fixture\n")
    return sd_model.load_scenario(folder, QUIET)


def _series(frame: pd.DataFrame, name: str, first: str, last: str) -> np.ndarray:
    """The values of ``name`` from period ``first`` to ``last``."""
    periods = [str(p) for p in frame.index]
    return frame[name].to_numpy(dtype=np.float64)[periods.index(first) : periods.index(last) + 1]


def _at(frame: pd.DataFrame, name: str, period: str) -> float:
    return float(_series(frame, name, period, period)[0])


def _first(frame: pd.DataFrame, name: str) -> str:
    """The first period in which ``name`` is positive."""
    values = frame[name].to_numpy(dtype=np.float64)
    return str(frame.index[int(np.argmax(values > 0))])


def _run(scenario: Scenario, *shocks: str) -> pd.DataFrame:
    frame = sd_model.simulate(
        scenario, Schedule.empty(), counterparty_loop=True, shocks=shocks, dt_periods=1.0
    )
    return frame.set_index("period")


def test_the_loop_is_off_by_default_and_changes_nothing_then(tiny: Scenario) -> None:
    default = sd_model.simulate(tiny)
    assert not any(c.startswith(("lessor_liquidity", "lab_payment")) for c in default.columns)
    assert "counterparty_loop" not in default.attrs
    # on, with no lessors and no balance sheets, the lab's model is unchanged
    on = sd_model.simulate(tiny, counterparty_loop=True)
    pd.testing.assert_frame_equal(on[default.columns], default)


def test_a_revenue_shortfall_defers_a_lease_payment_and_breaks_the_lessor(
    tiny_copy: Path,
) -> None:
    frame = _run(_two_party(tiny_copy), HALF_REVENUE)
    # by hand: revenue 3 a quarter pays the lease (3) until 2026Q3, then 1.5; cash 4
    # covers the first short quarter, then the lab pays what its liquidity covers
    assert_allclose(
        _series(frame, "revenue_busd_per_period", "2026Q1", "2027Q2"), [3, 3, 1.5, 1.5, 1.5, 1.5]
    )
    assert_allclose(_series(frame, "cash_busd", "2026Q1", "2027Q2"), [4, 4, 4, 2.5, 1.5, 1.5])
    share = _series(frame, "lab_payment_share", "2026Q1", "2027Q2")
    assert_allclose(share, [1, 1, 1, 2.5 / 3, 0.5, 0.5])
    missed = "lessor_missed_busd_per_period[cloud]"
    assert _first(frame, missed) == "2026Q4"  # the first deferred payment
    assert _at(frame, missed, "2026Q4") == pytest.approx(0.5)
    # arrears: 0.5 deferred, then a quarter of it written off a quarter, 1.5 more deferred
    assert _at(frame, "lessor_arrears_busd[cloud]", "2027Q2") == pytest.approx(0.5 * 0.75 + 1.5)
    # the lessor: +3 - 2.8 a quarter, then +2.5 - 2.8 and +1.5 - 2.8: 2.0 < 2.8 in 2027Q2
    liquidity = _series(frame, "lessor_liquidity_busd[cloud]", "2026Q1", "2027Q2")
    assert_allclose(liquidity, [3.0, 3.2, 3.4, 3.6, 3.3, 2.0])
    assert _first(frame, "lessor_breach[cloud]") == "2027Q2"


def test_without_the_shortfall_nobody_misses_a_payment(tiny_copy: Path) -> None:
    frame = _run(_two_party(tiny_copy))
    assert (frame["lab_payment_share"] == 1.0).all()
    assert (frame["lessor_breach[cloud]"] == 0.0).all()


def test_a_lessor_in_breach_withholds_capacity(tiny_copy: Path) -> None:
    frame = _run(_two_party(tiny_copy, cut=0.5), HALF_REVENUE)
    assert_allclose(_series(frame, "leased_gw[cloud]", "2027Q1", "2027Q3"), [1.0, 0.5, 0.5])
    due = _at(frame, "lease_payment_due_busd_per_period", "2027Q2")
    assert due == pytest.approx(1.5)  # paid only for what it supplies


def test_every_missed_payment_is_revenue_a_lessor_does_not_get() -> None:
    cloud = sd_model.load_scenario("cloud_leases")  # defers payments from 2027
    run = sd_model.simulate(cloud, counterparty_loop=True, dt_periods=1.0)
    lessors = [lessor.id for lessor in cloud.lessors]
    end = {str(k): float(v) for k, v in run.iloc[-1].drop("period").items()}
    missed = sum(
        end[f"lessor_arrears_busd[{i}]"] + end[f"lessor_defaulted_cum_busd[{i}]"] for i in lessors
    )
    assert missed > 0  # the lab misses payments in this run (repayments: the two-party tests)
    for i in lessors:
        due, received = end[f"lessor_payment_cum_busd[{i}]"], end[f"lessor_received_cum_busd[{i}]"]
        shortfall = end[f"lessor_arrears_busd[{i}]"] + end[f"lessor_defaulted_cum_busd[{i}]"]
        assert due - received == pytest.approx(shortfall, rel=1e-9, abs=1e-9)
    # what left the lab's cash for leases is what the lessors received
    paid = run["lease_payment_busd_per_period"].iloc[:-1].sum()  # dt = 1: a flow per period
    assert paid == pytest.approx(sum(end[f"lessor_received_cum_busd[{i}]"] for i in lessors))
    # and the lab's missed payments are the lessors' missed revenue
    flows = run.iloc[:-1]
    per_lessor = sum(flows[f"lessor_missed_busd_per_period[{i}]"] for i in lessors)
    assert_allclose(flows["lab_missed_busd_per_period"], per_lessor)
    assert set(CASH_OUTFLOWS) <= set(run.columns) and set(CASH_INFLOWS) <= set(run.columns)


def test_the_stress_test_finds_the_first_breach(tiny_copy: Path) -> None:
    test = stress_test(
        _two_party(tiny_copy), [HALF_REVENUE], schedule=Schedule.empty(), dt_periods=1
    )
    assert test.first_breach("base") is None
    assert test.first_breach("stress") == ("lab", "2026Q4")
    cloud = test.summary().set_index("party").loc["cloud"].to_dict()
    assert cloud["first_breach_stress"] == "2027Q2"
    assert cloud["missed_stress_busd"] > cloud["missed_base_busd"]
    parties = test.parties()
    assert set(parties["party"]) == {"lab", "cloud", "gpu", "asic"}
    booked = parties["party"].isin(["lab", "cloud"]).to_numpy()
    liquidity = parties["liquidity_busd"].to_numpy(dtype=np.float64)
    assert np.isfinite(liquidity[booked]).all()
    assert np.isnan(liquidity[~booked]).all()  # vendors without a balance sheet


def test_a_sweep_over_shocks_gives_the_probability_of_a_cascade(tiny_copy: Path) -> None:
    scenario = _two_party(tiny_copy)
    draws = pd.DataFrame({"f": [1.0, 0.5, 0.9], "when": ["2026Q3"] * 3})
    runs = cascade_sweep(
        scenario,
        ["demand.revenue_busd_per_gw_year_at_start=x{f}@{when}"],
        draws,
        schedule=Schedule.empty(),
        dt_periods=1.0,
    )
    assert runs["shocks"].iloc[1] == HALF_REVENUE
    # at 0.9 the lab is 0.3 short a quarter: its cash 4 falls below one quarter's lease (3)
    # in 2027Q3; the lessor then gets ~2.7 against 2.8 of debt service, and its liquidity
    # (4.2 by then) stays above 2.8 to the end of the horizon: the lab misses, no cascade
    assert runs["cascade"].tolist() == [False, True, False]
    assert runs["lab_misses_from"].tolist() == ["", "2026Q4", "2027Q3"]
    assert runs["first_counterparty_period"].iloc[1] == "2027Q2"
    assert cascade_probability(runs) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="template variable"):
        cascade_sweep(scenario, ["demand.demand_growth_per_year={g}@2027Q1"], draws)
