"""The Why section: built from the plan's decisions, in every page and in `gwplan compare`."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import sd_model
from optimization import optimize
from optimization.coupling.compare import Comparison, compare
from optimization.report import ReportFiles
from optimization.report.why import _dearer, _vendors, limit_values_to_show, why
from sd_model import Scenario
from sd_model.testing import hand_scenario
from tests.buildout.helpers import OWNED_SALINE


@pytest.fixture(scope="module")
def reference() -> tuple[Scenario, Comparison]:
    scenario = sd_model.load_scenario("reference")
    return scenario, compare(scenario, cases=("announced_timing", "optimal"))


def test_the_reference_optimum_names_its_vendors_sites_and_limits(
    reference: tuple[Scenario, Comparison],
) -> None:
    scenario, comparison = reference
    said = dict(why(comparison, scenario))
    plan = comparison.cases[1].plan
    assert plan is not None and plan.penalty_busd < 1e-6
    money, vendors, sites, limits, demand = said["optimal"]
    assert f"{plan.npv_busd:+,.1f} $B NPV" in money
    delivered = plan.deliveries.groupby("vendor")["delivered_gw"].sum()
    for vendor in scenario.vendors:
        gw = float(delivered.get(vendor.id, 0.0))
        if gw < 0.005:
            assert f"drops {vendor.id} (${vendor.capex_busd_per_gw:,.0f}B/GW" in vendors
        else:
            assert f"{gw:.2f} of {vendor.contract_total_gw:g} GW from {vendor.id}" in vendors
    peak = plan.sites.groupby("site")["it_gw"].max()
    for site in scenario.sites:
        used = float(peak.get(site.id, 0.0)) >= 0.005
        assert (f"{site.id} {float(peak.get(site.id, 0.0)):.2f} GW" in sites) == used
    top = limit_values_to_show(plan).iloc[0]
    assert f"1 GW more is worth ${float(top['value_busd_per_gw']):,.2f}B" in limits
    assert demand.startswith("Serves ")


def test_a_plan_with_priced_violations_does_not_quote_its_limit_values_as_money(
    reference: tuple[Scenario, Comparison],
) -> None:
    scenario, comparison = reference
    plan = comparison.cases[1].plan
    assert plan is not None
    short = dataclasses.replace(plan, penalty_busd=12.5)
    alone = dataclasses.replace(
        comparison, cases=(dataclasses.replace(comparison.cases[1], plan=short),)
    )
    said = dict(why(alone, scenario))["optimal"]
    assert any("priced at 12.5, not money" in t for t in said)
    assert not any("1 GW more is worth" in t for t in said)


def test_verified_values_and_their_keys_are_preferred_when_the_plan_has_them(
    reference: tuple[Scenario, Comparison],
) -> None:
    _, comparison = reference
    plan = comparison.cases[1].plan
    assert plan is not None
    values = pd.DataFrame(
        {
            "limit": ["grid_limit", "site_max"],
            "key": ["ABI", "LOR"],
            "value_busd_per_gw": [9.0, 2.0],
            "verified": [False, True],
            "scenario_key": ["sites.ABI.grid_limit_gw", "sites.LOR.max_gw"],
        }
    )
    checked = dataclasses.replace(plan, limit_values=values)
    shown = limit_values_to_show(checked)
    assert shown["key"].tolist() == ["LOR"]


def test_the_pages_carry_the_why_of_each_lp_case(
    report: ReportFiles, comparison: Comparison
) -> None:
    markdown = report.summary.read_text(encoding="utf-8")
    page = report.html.read_text(encoding="utf-8")
    for case in comparison.cases:
        heading = f"Why {case.name}"
        assert (f"### {heading}\n" in markdown) == (case.plan is not None)
        assert (f"<h3>{heading}</h3>" in page) == (case.plan is not None)


def test_the_vendor_sentence_names_the_cost_curves() -> None:
    scenario = hand_scenario(
        quarters=8,
        vendor={"perf_per_watt_growth_per_year": 0.3, "capex_change_per_year": -0.1},
    )
    said = _vendors(optimize(scenario), scenario)
    assert "perf/W +30%/yr by delivery year, capex -10%/yr by delivery year" in said


def test_a_site_with_a_signed_contract_is_not_said_to_wait_in_the_queue() -> None:
    slow = sd_model.load_scenario("reference").with_overrides(
        {"regions.MISO.interconnection_lead_quarters": 30}
    )
    assert "a 30-quarter grid queue" in _dearer(slow, "MIC", ["ABI"])
    assert "grid queue" not in _dearer(slow.with_overrides(OWNED_SALINE), "MIC", ["ABI"])
