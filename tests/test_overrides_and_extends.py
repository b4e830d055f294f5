"""Variants: overrides in code and YAML, `extends`, saving and reloading."""

from __future__ import annotations

from pathlib import Path

import pytest

import sd_model
from sd_model import Scenario, ScenarioError
from sd_model.scenario.provenance import source_of


def test_override_returns_a_new_scenario_and_keeps_the_old(tiny: Scenario) -> None:
    changed = tiny.with_overrides({"regions.PJM.interconnection_lead_quarters": 24})
    assert changed.region("PJM").interconnection_lead_quarters == 24
    assert tiny.region("PJM").interconnection_lead_quarters == 8


def test_override_is_recorded_as_the_value_source(tiny: Scenario) -> None:
    changed = tiny.with_overrides({"financing.debt_rate_per_year": 0.1}, note="stress test")
    source = source_of(changed, "financing.debt_rate_per_year")
    assert source is not None and source.kind == "override" and source.note == "stress test"


def test_wildcard_override_sets_every_row(tiny: Scenario) -> None:
    changed = tiny.with_overrides({"regions.*.queue_attrition_fraction": 0.4})
    assert {r.queue_attrition_fraction for r in changed.regions} == {0.4}


def test_composite_row_keys_and_new_years(tiny: Scenario) -> None:
    changed = tiny.with_overrides(
        {
            "ppa_options.ERCOT:solar.price_usd_per_mwh": 55,
            "headroom.ERCOT:2027Q1.headroom_gw": 2.0,
            "policy.ppa_coverage_target_by_year.2028": 0.8,
        }
    )
    assert changed.ppa_options[0].price_usd_per_mwh == 55
    assert changed.headroom_gw("ERCOT").tolist() == [0.5] * 4 + [2.0] * 4
    assert changed.policy.ppa_coverage_target_by_year[2028] == 0.8


def test_string_values_from_the_command_line_are_coerced(tiny: Scenario) -> None:
    changed = tiny.with_overrides({"sites.TXB.max_gw": "0.75"})
    assert changed.site("TXB").max_gw == 0.75


def test_unknown_override_key_is_an_error_with_a_suggestion(tiny: Scenario) -> None:
    with pytest.raises(ScenarioError) as info:
        tiny.with_overrides({"regions.PJM.interconnection_lead_quarter": 24})
    (problem,) = info.value.problems
    assert problem.field == "regions.PJM.interconnection_lead_quarter"
    assert "regions.PJM.interconnection_lead_quarters" in problem.expected


@pytest.mark.parametrize(
    "key",
    ["nonsense", "regions.MISO.iso", "financing", "name", "announced_schedule", "sites.TXA.id"],
)
def test_keys_that_address_no_single_value_are_rejected(tiny: Scenario, key: str) -> None:
    with pytest.raises(ScenarioError, match="expected"):
        tiny.with_overrides({key: 1})


def test_invalid_values_and_broken_references_are_all_reported(tiny: Scenario) -> None:
    with pytest.raises(ScenarioError) as info:
        tiny.with_overrides({"pue": 0.5, "typo.key": 1, "sites.TXB.max_gw": -1})
    assert {p.field for p in info.value.problems} == {"pue", "typo.key", "sites.TXB.max_gw"}
    with pytest.raises(ScenarioError) as info:
        tiny.with_overrides({"sites.TXA.region": "MISO"})
    (problem,) = info.value.problems
    assert (problem.field, problem.value) == ("sites.TXA.region", "MISO")


def test_the_scenario_is_immutable(tiny: Scenario) -> None:
    with pytest.raises(Exception, match="frozen"):
        tiny.pue = 1.5  # type: ignore[misc]
    with pytest.raises(Exception, match="frozen"):
        tiny.sites[0].max_gw = 5  # type: ignore[misc]


def test_extends_inherits_tables_and_overrides(tmp_path: Path) -> None:
    tiny = Path(__file__).parent / "scenarios" / "tiny"
    child = tmp_path / "child"
    child.mkdir()
    (child / "scenario.yaml").write_text(
        f"name: child\nextends: {tiny}\npue: 1.3\n"
        "financing:\n  starting_cash_busd: 5\n"
        "overrides:\n  regions.PJM.interconnection_lead_quarters: 16\n"
    )
    (child / "sources.csv").write_text("key,kind,reference,note\npue,assumption,,a hotter site\n")
    loaded = sd_model.load_scenario(child)
    assert loaded.name == "child" and loaded.pue == 1.3
    assert loaded.financing.starting_cash_busd == 5
    assert loaded.financing.debt_capacity_busd == 30  # inherited field by field
    assert loaded.region("PJM").interconnection_lead_quarters == 16
    assert len(loaded.sites) == 3
    source = source_of(loaded, "pue")
    assert source is not None and source.note == "a hotter site"


def test_extends_cycle_is_reported(tmp_path: Path) -> None:
    for name, parent in (("a", "../b"), ("b", "../a")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "scenario.yaml").write_text(f"name: {name}\nextends: {parent}\n")
    with pytest.raises(ScenarioError, match="cycle"):
        sd_model.load_scenario(tmp_path / "a")


def test_save_and_reload_round_trip(tiny: Scenario, tmp_path: Path) -> None:
    target = sd_model.save_scenario(tiny, tmp_path / "saved")
    again = sd_model.load_scenario(target)
    assert again == tiny
    with pytest.raises(FileExistsError):
        sd_model.save_scenario(tiny, target)
    changed = tiny.with_overrides({"pue": 1.4})
    sd_model.save_scenario(changed, target, overwrite=True)
    assert sd_model.load_scenario(target).pue == 1.4
    assert [p.name for p in tmp_path.iterdir()] == ["saved"]  # no staging folders left


def test_load_scenario_applies_overrides(tiny: Scenario) -> None:
    folder = Path(__file__).parent / "scenarios" / "tiny"
    loaded = sd_model.load_scenario(folder, {"discount_rate_per_year": 0.1})
    assert loaded.discount_rate_per_year == 0.1


def test_a_replaced_table_drops_the_parents_sources_for_it(tmp_path: Path) -> None:
    tiny = Path(__file__).parent / "scenarios" / "tiny"
    child = tmp_path / "child"
    child.mkdir()
    (child / "scenario.yaml").write_text(f"name: child\nextends: {tiny}\n")
    (child / "region_headroom.csv").write_text("region,from_period,headroom_gw\nERCOT,2027Q1,1\n")
    loaded = sd_model.load_scenario(child)
    assert source_of(loaded, "headroom.ERCOT:2027Q1.headroom_gw") is None
    assert source_of(loaded, "regions.PJM.wholesale_price_usd_per_mwh") is not None
