"""Conservation: hardware, cash and power balances hold at every step and for every sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import sd_model
from sd_model import Scenario
from sd_model.buildout import CASH_INFLOWS, CASH_OUTFLOWS, INSTALLED
from tests.buildout.helpers import columns, summed

NON_NEGATIVE = (
    "on_order_gw",
    "stranded_gw",
    "energized_gw",
    "retired_gw",
    "site_load_gw",
    "offsite_load_gw",
    "shells_ready_gw",
    "shells_under_construction_gw",
    "grid_connected_gw",
    "grid_queue_gw",
    "onsite_operating_gw",
    "onsite_under_construction_gw",
    "ppa_under_development_gw",
    "ppa_delivering_gw",
    "debt_busd",
    "compute_demand_gw",
    "budget_fraction",
)


@pytest.fixture(scope="module")
def reference() -> Scenario:
    return sd_model.load_scenario("reference")


@pytest.fixture(scope="module")
def runs(reference: Scenario, tiny_scenario: Scenario) -> dict[str, pd.DataFrame]:
    batch = sd_model.simulate(
        reference,
        samples={
            "demand.demand_growth_per_year": [0.0, 0.6, 1.0],
            "regions.*.interconnection_lead_quarters": [6.0, 10.0, 24.0],
            "vendors.nvidia.contract_total_gw": [2.0, 10.0, 20.0],
        },
    )
    return {
        "reference": sd_model.simulate(reference),
        "tiny": sd_model.simulate(tiny_scenario),
        "reference rk4": sd_model.simulate(reference, method="rk4"),
        "reference batch": batch,
    }


@pytest.fixture(scope="module")
def tiny_scenario() -> Scenario:
    from tests.conftest import TINY

    return sd_model.load_scenario(TINY)


CASES = ["reference", "tiny", "reference rk4", "reference batch"]


@pytest.mark.parametrize("case", CASES)
def test_ordered_equals_on_order_plus_stranded_energized_retired(
    runs: dict[str, pd.DataFrame], case: str
) -> None:
    frame = runs[case]
    for column in columns(frame, "ordered_gw"):
        vendor = column[len("ordered_gw") :]
        parts = sum(
            frame[f"{stock}{vendor}"]
            for stock in ("on_order_gw", "stranded_gw", "energized_gw", "retired_gw")
        )
        assert_allclose(parts, frame[column], atol=1e-9, rtol=1e-9)


@pytest.mark.parametrize("case", CASES)
def test_cash_change_is_inflows_minus_outflows(runs: dict[str, pd.DataFrame], case: str) -> None:
    frame = runs[case]
    start = (
        frame["cash_busd"].groupby(level="sample").transform("first")
        if case.endswith("batch")
        else frame["cash_busd"].iloc[0]
    )
    change = frame["cash_busd"] - start
    assert_allclose(
        change, frame["cash_inflows_cum_busd"] - frame["cash_outflows_cum_busd"], atol=1e-9
    )


def test_cash_change_per_period_is_the_recorded_flows(tiny_scenario: Scenario) -> None:
    frame = sd_model.simulate(tiny_scenario, dt_periods=1.0)
    net = frame[list(CASH_INFLOWS)].sum(axis=1) - frame[list(CASH_OUTFLOWS)].sum(axis=1)
    assert_allclose(np.diff(frame["cash_busd"]), net.to_numpy()[:-1], atol=1e-12)
    assert (frame[list(CASH_OUTFLOWS)] >= -1e-12).all().all()


@pytest.mark.parametrize("case", CASES)
def test_no_stock_goes_negative(runs: dict[str, pd.DataFrame], case: str) -> None:
    frame = runs[case]
    for name in NON_NEGATIVE:
        assert (frame[columns(frame, name)] >= -1e-9).all().all(), name


@pytest.mark.parametrize("case", CASES)
def test_site_loads_add_up_to_the_energized_fleet(runs: dict[str, pd.DataFrame], case: str) -> None:
    frame = runs[case]
    sites = summed(frame, "site_load_gw") + frame["offsite_load_gw"]
    assert_allclose(sites, frame["energized_total_gw"], atol=1e-9)


@pytest.mark.parametrize("case", ["reference", "tiny"])
def test_limits_hold(runs: dict[str, pd.DataFrame], case: str, reference: Scenario) -> None:
    frame = runs[case]
    scenario = reference if case == "reference" else sd_model.load_scenario("tests/scenarios/tiny")
    assert (frame["debt_busd"] <= scenario.financing.debt_capacity_busd + 1e-9).all()
    assert (frame["budget_fraction"] <= 1 + 1e-12).all()
    for site in scenario.sites:
        assert (
            frame[f"site_load_gw[{site.id}]"] <= frame[f"shells_ready_gw[{site.id}]"] + 1e-9
        ).all()
        assert (frame[f"grid_connected_gw[{site.id}]"] <= site.grid_limit_gw + 1e-9).all()
    for region in scenario.regions:
        room = np.concatenate([scenario.headroom_gw(region.id, "sd"), [np.inf]])
        assert (frame[f"region_new_connections_gw[{region.id}]"] <= room + 1e-9).all()


def test_the_fleet_at_start_is_the_installed_vendor(runs: dict[str, pd.DataFrame]) -> None:
    frame = runs["reference"]
    assert frame[f"energized_gw[{INSTALLED}]"].iloc[0] == pytest.approx(1.9)
    assert frame[f"ordered_gw[{INSTALLED}]"].iloc[-1] == pytest.approx(1.9)
    assert frame[f"retired_gw[{INSTALLED}]"].iloc[20] == pytest.approx(1.9)  # 5-yr life
