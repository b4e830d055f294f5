"""Leased capacity, lease payments with take-or-pay, and the circular-exposure metrics."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import sd_model
from sd_model import Scenario, metrics
from sd_model.buildout import ALL_LOOPS, CASH_INFLOWS, CASH_OUTFLOWS, INSTALLED
from sd_model.frames import lease_profile_gw
from tests.test_leases import LEASES, STAKES

LESSORS = "id,name,capacity_target_gw,other_revenue_busd_per_year\ncloud,Cloud Co,5,20\n"


def _with_leases(folder: Path, leases: str = LEASES, lessors: str = LESSORS) -> Scenario:
    (folder / "lessors.csv").write_text(lessors)
    (folder / "lease_contracts.csv").write_text(leases)
    (folder / "equity_stakes.csv").write_text(STAKES)
    with (folder / "sources.csv").open("a") as sources:
        for table in ("lessors", "lease_contracts", "equity_stakes"):
            sources.write(f"{table},assumption,,test fixture\n")
    return sd_model.load_scenario(folder)


@pytest.fixture
def leased(tiny_copy: Path) -> Scenario:
    """The tiny scenario with one committed lease (c1: 0.5 GW from 2027Q1) and one option."""
    return _with_leases(tiny_copy)


def test_a_lease_ramps_and_ends_as_its_terms_say() -> None:
    # starts at period 1, ramps over 2 periods, held until 5: exact period averages
    assert_allclose(lease_profile_gw(1.0, 2.0, 5.0, 2.0, 6), [0, 0.5, 1.5, 2, 2, 0])
    assert_allclose(lease_profile_gw(-1.0, 0.0, 2.5, 1.0, 4), [1, 1, 0.5, 0])


def test_committed_leases_add_capacity_and_options_do_not(leased: Scenario) -> None:
    frame = sd_model.simulate(leased)
    leased_gw = frame["leased_gw[cloud]"]
    periods = frame["period"]
    assert (leased_gw[periods < "2027Q1"] == 0).all()  # c2 is an option: not counted
    # c1: 0.5 GW from 2027Q1, ramp 4 quarters -> mean of the first quarter 0.5 x 1/8
    assert leased_gw[periods == "2027Q1"].item() == pytest.approx(0.0625)
    assert leased_gw[periods == "2028Q1"].item() == pytest.approx(0.5)
    perf = {v.id: v.perf_per_watt_relative for v in leased.vendors} | {INSTALLED: 1.0}
    owned = sum(frame[f"energized_gw[{v}]"] * p for v, p in perf.items())
    assert_allclose(frame["effective_capacity_gw"], owned + leased_gw)  # leased at perf/W 1
    assert_allclose(frame["capacity_total_gw"], frame["energized_total_gw"] + leased_gw)


def test_idle_leased_capacity_still_pays_the_take_or_pay_share(leased: Scenario) -> None:
    weak = leased.with_overrides({"demand.demand_growth_per_year": -0.5})
    frame = sd_model.simulate(weak)
    u, gw = frame["utilization"], frame["leased_gw[cloud]"]
    price, top = 13.0, 0.8
    assert_allclose(frame["lease_minimum_busd_per_period[cloud]"], top * price * gw / 4)
    expected = (u + top * (1 - u)) * price * gw / 4
    assert_allclose(frame["lessor_payment_busd_per_period[cloud]"], expected)
    assert_allclose(frame["lease_idle_gw[cloud]"], (1 - u) * gw)
    idle = frame["lessor_take_or_pay_idle_busd_per_period[cloud]"]
    assert_allclose(idle, (1 - u) * top * price * gw / 4)
    assert (idle[gw > 0] > 0).all()  # demand fell short: idle capacity pays
    assert_allclose(frame["lease_payment_busd_per_period"], expected)


def test_cash_balance_holds_with_lease_payments(leased: Scenario) -> None:
    frame = sd_model.simulate(leased, dt_periods=1.0)
    assert "lease_payment_busd_per_period" in CASH_OUTFLOWS
    assert frame["lease_payment_busd_per_period"].sum() > 0
    net = frame[list(CASH_INFLOWS)].sum(axis=1) - frame[list(CASH_OUTFLOWS)].sum(axis=1)
    assert_allclose(np.diff(frame["cash_busd"]), net.to_numpy()[:-1], atol=1e-12)
    change = frame["cash_busd"] - frame["cash_busd"].iloc[0]
    cumulative = frame["cash_inflows_cum_busd"] - frame["cash_outflows_cum_busd"]
    assert_allclose(change, cumulative, atol=1e-9)
    assert_allclose(
        frame["lease_payment_cum_busd"].iloc[-1],
        frame["lease_payment_busd_per_period"].iloc[:-1].sum(),  # the last row is the end
    )


def test_without_leases_nothing_is_leased_or_paid(tiny: Scenario) -> None:
    frame = sd_model.simulate(tiny)
    for name in ("leased_total_gw", "lease_payment_busd_per_period", "take_or_pay_idle_cum_busd"):
        assert (frame[name] == 0).all()
    assert not any(c.startswith("leased_gw[") for c in frame.columns)
    assert metrics.lessor_exposure(frame, tiny).empty
    assert metrics.summary(frame)["lease_payments_busd"] == 0


def test_a_lease_running_at_the_start_is_part_of_the_offsite_fleet(tiny_copy: Path) -> None:
    running = LEASES.replace("c1,cloud,ERCOT,,2027Q1,5,0.5,4,", "c1,cloud,,,2026Q1,5,0.3,0,")
    scenario = _with_leases(tiny_copy, running)
    frame = sd_model.simulate(scenario)
    plain = sd_model.simulate(sd_model.load_scenario("tests/scenarios/tiny"))
    start, before = frame.iloc[0], plain.iloc[0]
    assert start["offsite_load_gw"] == pytest.approx(before["offsite_load_gw"] - 0.3)
    assert start["capacity_total_gw"] == pytest.approx(before["energized_total_gw"])


def test_lessor_exposure_uses_revenue_when_known_and_capacity_otherwise(
    leased: Scenario, tiny_copy: Path
) -> None:
    frame = sd_model.simulate(leased)
    row = metrics.lessor_exposure(frame, leased).loc["cloud"]
    paid = frame["lessor_payment_busd_per_period[cloud]"].iloc[:-1].sum()
    years = (len(frame) - 1) / 4
    assert row["measure"] == "revenue"
    assert row["payments_busd"] == pytest.approx(paid)
    assert row["revenue_share"] == pytest.approx(paid / (paid + 20 * years))
    revenue = frame["revenue_busd_per_period"].iloc[:-1].sum()
    assert row["payments_to_lab_revenue"] == pytest.approx(paid / revenue)
    # the vendor 'gpu' holds 7 % of the lessor: its equity exposure looks through
    vendors = metrics.vendor_exposure(frame, leased)
    assert vendors.loc["gpu", "equity_lookthrough"] == pytest.approx(0.07 * row["revenue_share"])
    sales = frame["vendor_sales_cum_busd[gpu]"].iloc[-1]
    assert vendors.loc["gpu", "sales_busd"] == pytest.approx(sales)
    capex = leased.vendor("gpu").capex_busd_per_gw
    assert sales == pytest.approx(frame["delivered_cum_gw[gpu]"].iloc[-1] * capex)
    unknown = leased.with_overrides({"lessors.cloud.other_revenue_busd_per_year": None})
    capacity = metrics.lessor_exposure(sd_model.simulate(unknown), unknown).loc["cloud"]
    assert capacity["measure"] == "capacity"
    assert capacity["revenue_share"] == pytest.approx(0.5 / 5)


@pytest.fixture(scope="module")
def halved() -> dict[str, tuple[Scenario, pd.DataFrame]]:
    """The cloud_leases variant (the reference with its leases) at its demand growth g and g / 2."""
    reference = sd_model.load_scenario("cloud_leases")
    g = reference.demand.demand_growth_per_year
    runs = {}
    for label, growth in (("g", g), ("g/2", g / 2)):
        scenario = reference.with_overrides({"demand.demand_growth_per_year": growth})
        runs[label] = (scenario, sd_model.simulate(scenario))
    return runs


def test_halving_demand_growth_raises_every_lessors_exposure(
    halved: dict[str, tuple[Scenario, pd.DataFrame]],
) -> None:
    (scenario, base), (_, slow) = halved["g"], halved["g/2"]
    assert scenario.lease_contracts, "the variant lists its leases"
    before = metrics.lessor_exposure(base, scenario)
    after = metrics.lessor_exposure(slow, scenario)
    assert len(before) == len(scenario.lessors)
    committed = {c.lessor for c in scenario.lease_contracts if c.committed}
    columns = ["payments_to_lab_revenue", "idle_share", "take_or_pay_idle_busd"]
    rows = sorted(committed)
    # the lessor's income claims more of the lab's revenue, more of it on idle capacity
    rises = after.loc[rows, columns].astype(float) > before.loc[rows, columns].astype(float)
    assert rises.to_numpy().all(), rises
    print(pd.concat({"g": before, "g/2": after}, axis=1).round(3).T.to_string())


def test_halving_demand_growth_raises_the_labs_committed_payments_to_revenue(
    halved: dict[str, tuple[Scenario, pd.DataFrame]],
) -> None:
    base, slow = halved["g"][1], halved["g/2"][1]
    before = metrics.committed_payments_to_revenue(base)["ratio"]
    after = metrics.committed_payments_to_revenue(slow)["ratio"]
    assert (after >= before - 1e-12).all()
    peak = "lab_committed_payments_to_revenue_peak"
    assert metrics.summary(slow)[peak] > metrics.summary(base)[peak]
    assert (
        metrics.summary(slow)["lease_payments_to_revenue"]
        > (metrics.summary(base)["lease_payments_to_revenue"])
    )
    print(pd.DataFrame({"g": before, "g/2": after}).round(2).to_string())


def test_summary_of_a_batch_has_the_lease_figures() -> None:
    reference = sd_model.load_scenario("cloud_leases")
    batch = sd_model.simulate(
        reference,
        samples={"demand.demand_growth_per_year": [0.6, 0.3]},
        variables=metrics.SUMMARY_VARIABLES,
    )
    table = metrics.summary(batch)
    assert isinstance(table, pd.DataFrame)
    for sample, growth in enumerate((0.6, 0.3)):
        single = metrics.summary(
            sd_model.simulate(reference.with_overrides({"demand.demand_growth_per_year": growth}))
        )
        for key in (
            "lease_payments_busd",
            "take_or_pay_idle_busd",
            "lab_committed_payments_to_revenue_peak",
        ):
            assert table.loc[sample, key] == pytest.approx(single[key])


def test_with_overbuild_off_leased_capacity_is_never_idle(leased: Scenario) -> None:
    weak = leased.with_overrides({"demand.demand_growth_per_year": -0.5})
    frame = sd_model.simulate(weak, loops=ALL_LOOPS - {"overbuild_utilization"})
    assert (frame["take_or_pay_idle_busd_per_period"] == 0).all()
