"""Leased capacity in the scenario: lessors, lease contracts, equity stakes, perspective."""

from __future__ import annotations

from pathlib import Path

import pytest

import sd_model
from sd_model import Problem, ScenarioError
from tests.conftest import set_cell

LESSORS = "id,name,capacity_target_gw\ncloud,Cloud Co,5\n"
LEASES = (
    "id,lessor,region,site,start_period,term_years,gw,ramp_quarters,price_busd_per_gw_year,"
    "take_or_pay_share,lead_quarters,committed\n"
    "c1,cloud,ERCOT,,2027Q1,5,0.5,4,13,0.8,0,true\n"
    "c2,cloud,,,2026Q3,3,0.2,0,14,0.5,2,false\n"
)
STAKES = "holder,company,share\ngpu,cloud,0.07\n"


@pytest.fixture
def leased(tiny_copy: Path) -> Path:
    (tiny_copy / "lessors.csv").write_text(LESSORS)
    (tiny_copy / "lease_contracts.csv").write_text(LEASES)
    (tiny_copy / "equity_stakes.csv").write_text(STAKES)
    with (tiny_copy / "sources.csv").open("a") as sources:
        sources.write(
            "lessors,assumption,,test fixture\nlease_contracts,assumption,,test fixture\n"
        )
        sources.write("equity_stakes,assumption,,test fixture\n")
    return tiny_copy


def problems_of(folder: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        sd_model.load_scenario(folder)
    return info.value.problems


def test_leases_load_with_their_terms(leased: Path) -> None:
    scenario = sd_model.load_scenario(leased)
    first, second = scenario.lease_contracts
    assert (first.lessor, first.region, first.committed) == ("cloud", "ERCOT", True)
    assert first.total_value_busd == pytest.approx(0.5 * 13 * 5)
    assert (second.region, second.site, second.committed) == ("", "", False)
    assert scenario.equity_stakes[0].share == 0.07
    assert scenario.perspective == "lab"


def test_lease_values_have_keys_for_overrides_and_sources(leased: Path) -> None:
    scenario = sd_model.load_scenario(leased)
    changed = scenario.with_overrides({"lease_contracts.c1.price_busd_per_gw_year": 11.5})
    assert changed.lease_contracts[0].price_busd_per_gw_year == 11.5
    stake = changed.with_overrides({"equity_stakes.gpu:cloud.share": 0.1})
    assert stake.equity_stakes[0].share == 0.1
    from sd_model.scenario.provenance import unsourced_keys

    assert unsourced_keys(scenario) == []


def test_save_and_reload_keep_the_leases(leased: Path, tmp_path: Path) -> None:
    scenario = sd_model.load_scenario(leased)
    again = sd_model.load_scenario(sd_model.save_scenario(scenario, tmp_path / "saved"))
    assert again.lease_contracts == scenario.lease_contracts
    assert again.equity_stakes == scenario.equity_stakes


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("price_busd_per_gw_year", "-2", "greater than or equal to 0"),
        ("take_or_pay_share", "1.5", "less than or equal to 1"),
        ("lessor", "oracle", "lessors defined in the scenario (cloud)"),
        ("site", "XX", "sites defined in the scenario"),
        ("site", "PJA", "a site in region ERCOT"),
        ("site", "TXA", "a site the lab does not own (site TXA has max_gw 1.0 > 0"),
        ("region", "CAISO", "regions defined in the scenario"),
        ("start_period", "2035Q1", "a period from 2026Q1 to 2028Q4"),
        ("term_years", "0", "greater than 0"),
    ],
)
def test_bad_lease_data_gets_located_errors(
    leased: Path, column: str, value: str, expected: str
) -> None:
    set_cell(leased / "lease_contracts.csv", 1, column, value)
    (problem,) = problems_of(leased)
    assert problem.where.endswith("lease_contracts.csv")
    assert (problem.row, problem.field, problem.value) == (1, column, value)
    assert expected in problem.expected


def test_a_lease_at_a_named_site_needs_the_site_to_be_the_lessors(leased: Path) -> None:
    set_cell(leased / "lease_contracts.csv", 1, "site", "TXB")
    (problem,) = problems_of(leased)
    assert (problem.row, problem.field, problem.value) == (1, "site", "TXB")
    assert "max_gw 1.0 > 0" in problem.expected
    set_cell(leased / "sites.csv", 2, "max_gw", "0")  # TXB becomes the lessor's site
    assert sd_model.load_scenario(leased).lease_contracts[0].site == "TXB"


def test_bad_stakes_and_perspective(leased: Path) -> None:
    (leased / "equity_stakes.csv").write_text(
        "holder,company,share\ngpu,cloud,0.7\nasic,cloud,0.6\nmoon,cloud,0.1\n"
    )
    path = leased / "scenario.yaml"
    path.write_text(path.read_text() + "perspective: bank\n")
    found = problems_of(leased)
    fields = {(Path(p.where).name, p.row, p.field) for p in found}
    assert ("equity_stakes.csv", 3, "holder") in fields
    assert ("equity_stakes.csv", None, "share") in fields
    assert any(p.field == "perspective" and p.value == "bank" for p in found)
