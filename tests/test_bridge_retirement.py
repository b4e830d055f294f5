"""Bridge plants retire when the grid arrives, in the LP and in the simulation (hand cases).

One 1 GW site without a connection; the grid arrives two quarters after a request at the
start; an on-site plant (no lead, no capex) with fixed O&M of 0.4 $B per GW-year bridges.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

import sd_model
from optimization import optimize
from optimization.testing import check_plan, recompute_objective
from sd_model.testing import hand_scenario

FIXED_OM = 0.4  # $B per GW-year -> 0.1 per GW-quarter


def _scenario(bridge: bool, quarters: int = 4, **onsite: Any) -> sd_model.Scenario:
    return hand_scenario(
        quarters=quarters,
        site={"interconnected_gw_at_start": 0.0},
        region={"interconnection_lead_quarters": 2},
        onsite={"bridge": bridge, "fixed_om_busd_per_gw_year": FIXED_OM, **onsite},
    )


@pytest.mark.parametrize("bridge", [True, False])
def test_lp_retires_a_bridge_once_the_grid_carries_the_load(bridge: bool) -> None:
    scenario = _scenario(bridge)
    plan = optimize(scenario)
    assert plan.objective == pytest.approx(recompute_objective(plan, scenario), abs=1e-7)
    assert check_plan(plan, scenario) == []
    on = plan.onsite.set_index("period")
    # the plant carries the first two quarters; the grid requested at the start takes over
    assert on["generation_gw"].tolist() == pytest.approx([1.0, 1.0, 0.0, 0.0])
    if bridge:  # retired when the grid arrives: fixed O&M for two quarters only
        assert on["retire_gw"].tolist() == pytest.approx([0.0, 0.0, 1.0, 0.0])
        assert on["capacity_gw"].tolist() == pytest.approx([1.0, 1.0, 0.0, 0.0])
        assert plan.objective_terms["onsite_fixed_om"] == pytest.approx(2 * FIXED_OM / 4)
    else:  # kept (and paid for) to the end
        assert on["retire_gw"].max() == pytest.approx(0.0)
        assert plan.objective_terms["onsite_fixed_om"] == pytest.approx(4 * FIXED_OM / 4)


def test_lp_never_retires_a_bridge_the_load_still_needs() -> None:
    # no grid at all: the plant is the only supply, so retiring it would forgo revenue
    scenario = hand_scenario(
        site={"interconnected_gw_at_start": 0.0, "grid_limit_gw": 0.0},
        onsite={"bridge": True, "fixed_om_busd_per_gw_year": FIXED_OM},
    )
    plan = optimize(scenario)
    assert plan.onsite["retire_gw"].max() == pytest.approx(0.0)
    assert plan.onsite["generation_gw"].tolist() == pytest.approx([1.0] * 4)


def _simulate(bridge: bool) -> pd.DataFrame:
    return sd_model.simulate(_scenario(bridge, quarters=8))


def test_simulation_retires_a_bridge_as_the_grid_connects() -> None:
    kept, retired = _simulate(False), _simulate(True)
    plant_kept = kept["onsite_operating_gw[A]"].to_numpy()
    plant = retired["onsite_operating_gw[A]"].to_numpy()
    grid = retired["grid_connected_gw[A]"].to_numpy()
    assert plant_kept[-1] == pytest.approx(plant_kept.max())  # without the flag: kept
    assert plant.max() == pytest.approx(plant_kept.max())  # same build
    assert plant[-1] < 0.01 * plant.max()  # retired as the grid connected
    assert retired["onsite_retiring_gw_per_period[A]"].sum() > 0.9 * plant.max()
    # never below what the load needs: grid + plant cover the planned 1 GW once they did
    covered = np.maximum.accumulate(grid + plant_kept >= 1.0 - 1e-9)
    assert (grid + plant >= 1.0 - 1e-9)[covered].all()


def test_simulation_saves_the_retired_plants_fixed_om() -> None:
    kept, retired = _simulate(False), _simulate(True)
    cost = "onsite_fuel_cost_due_busd_per_period"
    saved = float((kept[cost] - retired[cost]).sum())
    plant_years = float(
        (kept["onsite_operating_gw[A]"] - retired["onsite_operating_gw[A]"]).sum() / 4
    )
    # the plant is not drawn once the grid carries the load, so only fixed O&M differs
    assert saved == pytest.approx(FIXED_OM * plant_years)
    assert saved > 0.05
