"""`gwplan keys`: the listed keys are exactly ones overrides accept, with values and units."""

from __future__ import annotations

import json

import pytest

from optimization.cli.main import EXIT_BAD_INPUT, main
from sd_model import load_scenario
from sd_model.scenario.key_listing import list_keys, unit_of
from tests.conftest import TINY


def test_every_listed_key_is_accepted_by_with_overrides_and_keeps_its_value() -> None:
    scenario = load_scenario("reference")
    infos = list_keys(scenario)
    assert len(infos) > 300
    same = scenario.with_overrides({i.key: i.value for i in infos})
    # the same values (an override adds its own sources rows, so those differ)
    assert same.model_dump(exclude={"sources"}) == scenario.model_dump(exclude={"sources"})
    changed = scenario.with_overrides({"regions.PJM.interconnection_lead_quarters": 28})
    assert list_keys(changed, "regions.PJM.interconnection_lead")[0].value == 28


def test_patterns_glob_or_text_and_units_from_descriptions_or_names() -> None:
    scenario = load_scenario("reference")
    glob = [i.key for i in list_keys(scenario, "regions.*.interconnection*")]
    assert glob and all(k.endswith("interconnection_lead_quarters") for k in glob)
    assert all("lead" in i.key.lower() for i in list_keys(scenario, "LEAD"))
    assert unit_of("sites.ABI.grid_limit_gw") == "GW facility"
    assert unit_of("financing.external_funding_busd_by_year.2027") == "$B"
    assert unit_of("ppa_options.ERCOT:solar.price_usd_per_mwh") == "$/MWh"
    by_key = {i.key: i for i in list_keys(scenario, "regions.PJM.")}
    assert by_key["regions.PJM.interconnection_lead_quarters"].source  # sourced in reference


def test_keys_command_table_json_and_no_match(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", str(TINY), "lead"]) == 0
    out = capsys.readouterr().out
    assert "interconnection_lead_quarters" in out and "quarters" in out
    assert main(["keys", str(TINY), "sites.*.max_gw", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["key"].endswith(".max_gw") and r["unit"] == "GW" for r in rows)
    assert main(["keys", str(TINY), "no_such_thing"]) == EXIT_BAD_INPUT
    assert "no key of tiny matches" in capsys.readouterr().err
