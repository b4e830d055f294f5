"""Energy prices on one delivered basis: wholesale + capacity + delivery; PPAs settle at wholesale.

Hand computations in both models, and the located error an old single-price file gets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import sd_model
from optimization import optimize
from optimization.testing import recompute_objective
from sd_model import ScenarioError
from sd_model.scenario.entities import Region
from sd_model.testing import hand_scenario
from tests.conftest import read_rows, write_rows

HOURS = 8766.0 / 4  # hours in a quarter
WHOLESALE, CAPACITY, DELIVERY = 20.0, 5.0, 15.0  # $/MWh
PRICES = {
    "wholesale_price_usd_per_mwh": WHOLESALE,
    "capacity_price_usd_per_mwh": CAPACITY,
    "delivery_price_usd_per_mwh": DELIVERY,
}


def test_the_delivered_price_is_the_sum_of_its_parts() -> None:
    region = hand_scenario(region=PRICES).regions[0]
    assert region.delivered_price_usd_per_mwh == pytest.approx(40.0)


def test_lp_grid_energy_is_paid_at_the_delivered_price() -> None:
    scenario = hand_scenario(region=PRICES)
    plan = optimize(scenario)
    assert plan.objective == pytest.approx(recompute_objective(plan, scenario), abs=1e-7)
    # one 1 GW site served from the grid all year (PUE 1): energy at 20 + 5 + 15 $/MWh
    grid = plan.objective_terms["grid_energy"]
    assert grid == pytest.approx(4 * HOURS * 40.0 * 1e-6)


def test_lp_ppa_settles_against_wholesale_only() -> None:
    strike = 60.0
    scenario = hand_scenario(
        region=PRICES,
        ppa={"price_usd_per_mwh": strike, "capacity_factor": 0.25},
        coverage_by_year={2026: 0.5},
        policy={"clean_certificate_price_usd_per_mwh": 100.0},
    )
    plan = optimize(scenario)
    # 0.5 GW average clean energy settles at strike - wholesale (40), not strike - delivered (20)
    ppa = plan.objective_terms["ppa"]
    assert ppa == pytest.approx(4 * HOURS * 1e-6 * 0.5 * (strike - WHOLESALE))
    assert plan.objective_terms["grid_energy"] == pytest.approx(4 * HOURS * 1e-6 * 40.0)


def test_simulation_grid_cost_and_ppa_settlement(tiny: sd_model.Scenario) -> None:
    def run(prices: dict[str, float]) -> tuple[float, float]:
        s = tiny.with_overrides(
            {f"regions.*.{k}": v for k, v in prices.items()} | {"sites.*.onsite_option_ids": []}
        )
        r = sd_model.simulate(s)
        return (
            float(r["grid_energy_cost_due_busd_per_period"].sum()),
            float(r["ppa_cost_due_busd_per_period"].sum()),
        )

    base_grid, base_ppa = run({**PRICES, "delivery_price_usd_per_mwh": 0.0})
    grid, ppa = run(PRICES)
    # the delivery adder scales grid cost by 40 / 25 and leaves the PPA settlement alone
    assert base_grid > 0
    assert grid == pytest.approx(base_grid * 40.0 / 25.0)
    assert ppa == pytest.approx(base_ppa)
    _, dearer_hub = run({**PRICES, "wholesale_price_usd_per_mwh": 30.0})
    assert dearer_hub < ppa  # a dearer hub makes the fixed-strike PPA cheaper to hold


def test_an_old_single_price_file_gets_a_located_migration_error(tiny_copy: Path) -> None:
    path = tiny_copy / "regions.csv"
    rows = read_rows(path)
    rows[0][rows[0].index("wholesale_price_usd_per_mwh")] = "energy_price_usd_per_mwh"
    write_rows(path, rows)
    with pytest.raises(ScenarioError) as info:
        sd_model.load_scenario(tiny_copy)
    retired = [p for p in info.value.problems if p.field == "energy_price_usd_per_mwh"]
    assert len(retired) == 1
    assert retired[0].where.endswith("regions.csv") and retired[0].row == 0
    assert "delivery_price_usd_per_mwh" in retired[0].expected


def test_an_old_override_key_and_old_code_say_how_to_migrate(tiny: sd_model.Scenario) -> None:
    with pytest.raises(ScenarioError, match="wholesale_price_usd_per_mwh"):
        tiny.with_overrides({"regions.PJM.energy_price_usd_per_mwh": 40.0})
    with pytest.raises(ScenarioError, match="delivery_price_usd_per_mwh"):
        Region(
            id="R",
            name="R",
            iso="R",
            interconnection_lead_quarters=0,
            queue_attrition_fraction=0.0,
            energy_price_usd_per_mwh=40.0,  # type: ignore[call-arg]
        )


def test_reference_delivered_prices_are_the_sums_of_their_sources() -> None:
    reference = sd_model.load_scenario("reference")
    delivered = {r.id: round(r.delivered_price_usd_per_mwh, 1) for r in reference.regions}
    assert delivered == {
        "ERCOT": 47.7,
        "PJM": 65.3,
        "MISO": 60.4,
        "SPP": 56.7,
        "WECC": 56.7,
        "SERC": 58.6,
    }
