"""A signed utility contract connects on its date in the LP too: no request, no queue lead, no
headroom, and it is billed from that date as the contract says (minimum bill)."""

from __future__ import annotations

from typing import Any

import pytest

import sd_model
from optimization import Plan, optimize
from optimization.testing import check_plan, recompute_objective
from sd_model import Scenario
from sd_model.testing import hand_scenario
from tests.buildout.helpers import OWNED_SALINE

Q = 0.25  # value of 1 GW of compute for one quarter [$B]
HOURS = 8766.0 / 4  # hours in a quarter [h]


def _hand(**site: Any) -> Scenario:
    """8 quarters; the 1 GW site has no connection, the queue takes 3 years and no headroom is
    left, so only a signed contract can power it; demand is 0.5 GW."""
    return hand_scenario(
        quarters=8,
        headroom_gw=0.0,
        region={"interconnection_lead_quarters": 12, "capacity_price_usd_per_mwh": 100.0},
        site={"interconnected_gw_at_start": 0.0, **site},
        demand={"compute_demand_gw_at_start": 0.5},
        costs={"minimum_demand_share": 0.8},
    )


def _solve(scenario: Scenario, **kwargs: Any) -> Plan:
    plan = optimize(scenario, **kwargs)
    assert plan.status.value == "optimal"
    assert plan.objective == pytest.approx(recompute_objective(plan, scenario), rel=1e-7, abs=1e-7)
    assert check_plan(plan, scenario, fixed_timing=kwargs.get("mode") == "announced_timing") == []
    return plan


def test_a_signed_contract_connects_on_its_date_and_bills_its_minimum() -> None:
    plan = _solve(_hand(contracted_grid_gw=1.0, contract_in_service_period="2026Q3"))
    sites = plan.sites.set_index("period")
    assert sites["connected_gw"].tolist() == pytest.approx([0.0, 0.0] + [1.0] * 6)
    assert sites["grid_request_gw"].max() == pytest.approx(0.0, abs=1e-12)
    assert plan.penalty_busd == pytest.approx(0.0, abs=1e-9)  # no headroom used
    assert plan.demand["served_gw"].tolist() == pytest.approx([0.0, 0.0] + [0.5] * 6)
    # the bill: capacity price on 0.8 of the 1 GW contracted, though only 0.5 GW is drawn
    bill = 0.8 * 100.0 * HOURS * 1e-6
    assert plan.cash["grid_energy_busd"].tolist() == pytest.approx([0.0, 0.0] + [bill] * 6)
    assert plan.npv_busd == pytest.approx(6 * (0.5 * Q - bill))


def test_without_the_contract_the_site_stays_dark() -> None:
    plan = _solve(_hand())
    assert plan.sites["connected_gw"].max() == pytest.approx(0.0, abs=1e-9)
    assert plan.npv_busd == pytest.approx(0.0, abs=1e-9)


@pytest.fixture(scope="module")
def owned_saline() -> Scenario:
    return sd_model.load_scenario("reference").with_overrides(OWNED_SALINE)


def test_the_saline_contract_connects_on_its_date_in_the_lp(owned_saline: Scenario) -> None:
    plan = _solve(owned_saline, mode="announced_timing")
    mic = plan.sites[plan.sites["site"] == "MIC"].set_index("period")
    periods = mic.index.to_numpy(dtype=str)
    assert mic.loc[periods < "2027Q4", "connected_gw"].max() == pytest.approx(0.0, abs=1e-9)
    assert mic.loc[periods >= "2027Q4", "connected_gw"].min() == pytest.approx(1.4)
    assert mic["grid_request_gw"].max() == pytest.approx(0.0, abs=1e-9)
    # MISO's new connections (against headroom) are Port Washington's alone
    wis = plan.sites.loc[plan.sites["site"] == "WIS", "connected_gw"].to_numpy(dtype=float)
    wis_new = wis - owned_saline.site("WIS").interconnected_gw_at_start
    miso = plan.regions.loc[plan.regions["region"] == "MISO", "new_connected_gw"]
    assert miso.to_numpy(dtype=float) == pytest.approx(wis_new, abs=1e-9)
