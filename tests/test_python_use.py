"""Python use: defaults for optional features, located errors in code, tables as DataFrames."""

from __future__ import annotations

import pytest

import sd_model
from sd_model import Scenario, ScenarioError
from sd_model.scenario.entities import Site, Vendor
from sd_model.scenario.table_frames import TABLE_NAMES

LOI = {
    "id": "acme",
    "name": "Acme accelerators",
    "contract_total_gw": 2.0,
    "earliest_delivery_period": "2026Q3",
    "deadline_period": "2029Q4",
    "max_delivery_gw_per_period": 0.5,
    "capex_busd_per_gw": 30.0,
}


def test_a_vendor_without_financing_or_warrants_needs_none_of_their_terms() -> None:
    vendor = Vendor(**LOI)
    assert vendor.binding_gw == 0 and not vendor.is_binding  # a letter of intent
    assert vendor.financing_busd_per_gw == vendor.financing_cap_busd == 0
    assert vendor.warrant_shares_million == vendor.share_price_response_per_gw == 0
    assert vendor.perf_per_watt_relative == 1.0
    site = Site(
        id="NEW",
        name="greenfield",
        region="ERCOT",
        max_gw=1.0,
        grid_limit_gw=1.2,
        shell_lead_quarters=6,
        shell_capex_busd_per_gw=12.0,
        earliest_energization_period="2027Q1",
    )
    assert site.energized_gw_at_start == site.interconnected_gw_at_start == 0


def test_code_built_entities_report_problems_like_files_do() -> None:
    with pytest.raises(ScenarioError) as raised:
        Vendor(**{**LOI, "binding_gw": -1.0, "capex_busd_per_gw": None} | {"deadline_period": 7})
    text = str(raised.value)
    assert "Vendor (vendors 'acme'), field 'binding_gw': got -1.0 — expected" in text
    assert "field 'capex_busd_per_gw'" in text
    assert "errors.pydantic.dev" not in text and "input_value" not in text
    missing = {k: v for k, v in LOI.items() if k != "capex_busd_per_gw"}
    with pytest.raises(ScenarioError, match="capex_busd_per_gw' — expected a value"):
        Vendor(**missing)


def test_a_code_built_scenario_names_table_row_field_and_value() -> None:
    data = sd_model.load_scenario("reference").model_dump()
    data["sites"][1]["max_gw"] = -1
    data["vendors"][0].pop("capex_busd_per_gw")
    with pytest.raises(ScenarioError) as raised:
        Scenario(**data)
    problems = [str(p) for p in raised.value.problems]
    assert "sites 'ABX', row 2, field 'max_gw': got -1 — expected greater than or equal to 0" in (
        problems
    )
    assert any(p.startswith("vendors 'nvidia', row 1, field 'capex_busd_per_gw'") for p in problems)


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_every_table_round_trips_through_a_dataframe(name: str) -> None:
    scenario = sd_model.load_scenario("cloud_leases" if "lease" in name else "reference")
    frame = scenario.table(name)
    assert len(frame) == len(getattr(scenario, name))
    again = scenario.with_table(name, frame)
    assert again.model_dump(exclude={"sources"}) == scenario.model_dump(exclude={"sources"})


def test_a_table_edited_with_pandas_changes_the_scenario_and_its_sources() -> None:
    scenario = sd_model.load_scenario("reference")
    sites = scenario.table("sites")
    sites.loc["MIL", "max_gw"] = 2.0
    bigger = scenario.with_table("sites", sites, note="a larger Milam")
    assert bigger.site("MIL").max_gw == 2.0 and scenario.site("MIL").max_gw != 2.0
    rows = [s for s in bigger.sources if s.key == "sites" or s.key.startswith("sites.")]
    assert [(s.key, s.kind, s.note) for s in rows] == [("sites", "override", "a larger Milam")]
    sites.loc["ABX", "max_gw"] = -1.0
    with pytest.raises(ScenarioError, match=r"sites 'ABX', row 2, field 'max_gw': got -1.0"):
        scenario.with_table("sites", sites)
    with pytest.raises(ScenarioError, match="one of regions"):
        scenario.with_table("site", sites)
