"""A signed utility contract connects on its date, not through the interconnection queue."""

from __future__ import annotations

import pytest

import sd_model
from sd_model import Scenario, ScenarioError
from tests.buildout.helpers import OWNED_SALINE


@pytest.fixture(scope="module")
def reference() -> Scenario:
    return sd_model.load_scenario("reference").with_overrides(OWNED_SALINE)


@pytest.mark.parametrize("name", ["reference", "long_queue"])
def test_the_saline_contract_connects_on_its_date(name: str) -> None:
    scenario = sd_model.load_scenario(name).with_overrides(OWNED_SALINE)
    site = scenario.site("MIC")
    assert (site.contracted_grid_gw, site.contract_in_service_period) == (1.4, "2027Q4")
    result = sd_model.simulate(scenario)
    connected = result["grid_connected_gw[MIC]"].to_numpy(dtype=float)
    periods = result["period"].to_numpy(dtype=str)
    before, after = periods <= "2027Q4", periods >= "2028Q1"
    assert connected[before].max() == pytest.approx(0.0, abs=1e-12)  # at the start of 2027Q4
    assert connected[after].min() == pytest.approx(1.4)  # the whole contract, from its date
    assert connected.max() == pytest.approx(1.4)  # nothing more: the grid limit is the contract
    assert result["grid_queue_gw[MIC]"].max() == pytest.approx(0.0, abs=1e-12)


def test_the_contract_does_not_use_the_regions_headroom(reference: Scenario) -> None:
    result = sd_model.simulate(reference)
    late = result.loc[result["period"] == "2029Q1"].iloc[0]
    assert late["contract_connected_gw[MIC]"] == pytest.approx(1.4)
    # MISO's new connections are Port Washington's alone
    assert late["region_new_connections_gw[MISO]"] == pytest.approx(
        late["grid_connected_gw[WIS]"], abs=1e-9
    )


def test_without_the_contract_the_site_waits_in_the_queue(reference: Scenario) -> None:
    queued = reference.with_overrides(
        {"sites.MIC.contracted_grid_gw": 0.0, "sites.MIC.contract_in_service_period": ""}
    )
    result = sd_model.simulate(queued)
    at = result.loc[result["period"] == "2028Q1", "grid_connected_gw[MIC]"]
    assert float(at.iloc[0]) < 1.0
    assert float(result["grid_queue_gw[MIC]"].max()) > 0.1


def test_a_contract_needs_a_date_on_the_grid(reference: Scenario) -> None:
    with pytest.raises(ScenarioError, match="contract_in_service_period"):
        reference.with_overrides({"sites.MIC.contract_in_service_period": ""})
    with pytest.raises(ScenarioError, match="contract_in_service_period"):
        reference.with_overrides({"sites.MIC.contract_in_service_period": "2040Q1"})
    with pytest.raises(ScenarioError, match="grid_limit_gw"):
        reference.with_overrides({"sites.MIC.contracted_grid_gw": 2.0})
