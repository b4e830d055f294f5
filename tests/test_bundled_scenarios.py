"""The bundled scenarios: valid, fully sourced, and faithful to the sourced figures."""

from __future__ import annotations

import pytest

import sd_model
from sd_model import Scenario
from sd_model.scenario.io import ScenarioInfo
from sd_model.scenario.provenance import dangling_sources, source_of, unsourced_keys
from sd_model.scenario.summary import announced_by_year

BUNDLED = [info.name for info in sd_model.list_scenarios()]
STARGATE = {"ABI", "SHK", "MIL", "DAN", "LOR", "WIS", "MIC"}
MAJOR_REGIONS = {"ERCOT", "PJM", "MISO", "SPP", "WECC", "SERC"}


@pytest.fixture(scope="module")
def reference() -> Scenario:
    return sd_model.load_scenario("reference")


def test_reference_and_two_variants_are_bundled() -> None:
    assert BUNDLED[0] == "reference"
    assert {"nvidia_scaled_back", "long_queue"} <= set(BUNDLED)


@pytest.mark.parametrize("name", BUNDLED)
def test_every_numeric_value_has_a_source_or_an_assumption(name: str) -> None:
    scenario = sd_model.load_scenario(name)
    assert unsourced_keys(scenario) == []
    assert dangling_sources(scenario) == []


@pytest.mark.parametrize("name", BUNDLED)
def test_every_source_row_is_justified(name: str) -> None:
    for source in sd_model.load_scenario(name).sources:
        if source.kind in ("sourced", "estimate"):
            assert "FIGURES" in source.reference, source
        if source.kind in ("estimate", "assumption"):
            assert source.note, source


def test_reference_has_the_stargate_sites_and_a_choice_in_every_major_region(
    reference: Scenario,
) -> None:
    assert {s.id for s in reference.sites} >= STARGATE
    assert {s.id for s in reference.sites if s.stargate} >= STARGATE
    for region in MAJOR_REGIONS:
        assert reference.sites_in(region), f"no candidate site in {region}"


def test_reference_vendor_contracts_match_the_announcements(reference: Scenario) -> None:
    totals = {v.id: v.contract_total_gw for v in reference.vendors}
    assert totals == {"amd": 6.0, "broadcom": 10.0, "nvidia": 10.0}
    assert reference.vendor("nvidia").binding_gw == 0  # a letter of intent
    assert reference.vendor("amd").binding_gw == 1.0  # the first tranche is binding
    assert reference.announced_schedule.total_by_vendor() == pytest.approx(totals)


def test_reference_shows_the_critical_window(reference: Scenario) -> None:
    frame = reference.announced_schedule.frame
    by_2028 = frame.loc[frame["period"] <= "2028Q4", "gw"].sum()
    assert by_2028 == pytest.approx(13.8)  # FIGURES B2: 26H2-28H2 cumulative
    stargate_shells = sum(s.max_gw for s in reference.sites if s.stargate)
    assert by_2028 > stargate_shells  # FIGURES B2: ~13.8 GW of chips vs ~9.7 GW of shells
    assert set(announced_by_year(reference)["year"]) >= {2026, 2027, 2028}


def test_reference_sources_cite_the_figures_for_key_numbers(reference: Scenario) -> None:
    for key in ("sites.ABI.max_gw", "vendors.amd.contract_total_gw", "pue"):
        source = source_of(reference, key)
        assert source is not None and source.kind != "override", key


def test_nvidia_variant_scales_the_letter_of_intent_back(reference: Scenario) -> None:
    scaled = sd_model.load_scenario("nvidia_scaled_back")
    assert scaled.vendor("nvidia").contract_total_gw == 4.0
    assert scaled.announced_schedule.total_by_vendor()["nvidia"] == pytest.approx(4.0)
    assert scaled.announced_schedule.total_by_vendor()["amd"] == pytest.approx(6.0)
    assert len(scaled.sites) == len(reference.sites)


def test_long_queue_variant_lengthens_every_regional_lead_time(reference: Scenario) -> None:
    long_queue = sd_model.load_scenario("long_queue")
    for region in reference.regions:
        longer = long_queue.region(region.id).interconnection_lead_quarters
        assert longer > region.interconnection_lead_quarters


@pytest.mark.parametrize("info", sd_model.list_scenarios(), ids=lambda i: i.name)
def test_descriptions_are_whole_sentences(info: ScenarioInfo) -> None:
    # A '#' in an unquoted YAML string starts a comment and silently cuts the text.
    assert info.description.rstrip().endswith((".", ")")), info.description


ORACLE_SITES = {"ABI", "ABX", "SHK", "DAN", "WIS", "MIC"}


@pytest.mark.parametrize("name", BUNDLED)
def test_no_site_is_counted_both_as_owned_and_as_leased(name: str) -> None:
    scenario = sd_model.load_scenario(name)
    leased_sites = {lease.site for lease in scenario.lease_contracts if lease.site}
    for site_id in leased_sites:
        site = scenario.site(site_id)
        owned = (site.max_gw, site.shell_ready_gw_at_start, site.grid_limit_gw)
        assert owned == (0, 0, 0), f"{name}: {site_id} is leased and owned"


def test_reference_leases_the_oracle_sites_and_owns_the_rest(reference: Scenario) -> None:
    leases = reference.lease_contracts
    assert {lease.site for lease in leases} == ORACLE_SITES
    committed = sum(lease.gw for lease in leases if lease.committed)
    assert committed == pytest.approx(4.5)  # FIGURES A1 #13: the ~4.5 GW Oracle contract
    options = sum(lease.gw for lease in leases if not lease.committed)
    assert committed + options + 0.2 == pytest.approx(6.73, abs=0.01)  # + Abilene phase 1
    owned = {s.id for s in reference.sites if s.max_gw > 0}
    assert owned == {"MIL", "LOR", "PIK", "GSPP", "GSER"}
    assert all(lease.take_or_pay_share == 1.0 for lease in leases)


def test_cloud_leases_adds_the_other_clouds_on_top(reference: Scenario) -> None:
    variant = sd_model.load_scenario("cloud_leases")
    extra = {lease.id for lease in variant.lease_contracts} - {
        lease.id for lease in reference.lease_contracts
    }
    assert extra == {"coreweave_openai", "microsoft_azure", "aws_openai"}
    assert {lease.site for lease in variant.lease_contracts if lease.id in extra} == {""}


def test_alternative_it_capex_is_full_system_like_nvidias(reference: Scenario) -> None:
    nvidia = reference.vendor("nvidia").capex_busd_per_gw
    for vendor in ("amd", "broadcom"):
        capex = reference.vendor(vendor).capex_busd_per_gw
        assert 0.75 * nvidia <= capex <= nvidia, vendor  # Bernstein: ~19 % saving


def test_reference_money_is_equity_not_free_vendor_money(reference: Scenario) -> None:
    for vendor in reference.vendors:  # Nvidia's $30B is equity; Broadcom's is L-rated
        assert (vendor.financing_busd_per_gw, vendor.financing_cap_busd) == (0, 0), vendor.id
    funding = reference.financing.external_funding_busd_by_year
    assert funding[2026] == pytest.approx(30 + 30 + 15)  # FIGURES A8: the Feb 2026 round
    assert set(funding) >= {2026, 2027, 2028}
    assert 0.12 <= reference.discount_rate_per_year <= 0.15  # FIGURES A8 WACC


def test_funding_bear_raises_nothing_after_2026(reference: Scenario) -> None:
    bear = sd_model.load_scenario("funding_bear").financing.external_funding_busd_by_year
    assert bear[2026] == reference.financing.external_funding_busd_by_year[2026]
    assert sum(v for y, v in bear.items() if y > 2026) == 0


def test_demand_bear_grows_demand_more_slowly_and_leaves_capacity_idle(reference: Scenario) -> None:
    bear = sd_model.load_scenario("demand_bear")
    assert bear.demand.outlook == "bear"
    base_demand = reference.frames("sd").compute_demand_gw.iloc[-1]
    bear_demand = bear.frames("sd").compute_demand_gw.iloc[-1]
    assert bear_demand < 0.5 * base_demand
    from sd_model.metrics import summary

    idle = summary(sd_model.simulate(bear))["idle_gw_mean"]
    assert idle > summary(sd_model.simulate(reference))["idle_gw_mean"]
