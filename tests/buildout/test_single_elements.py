"""A scenario with one vendor, one site and one region simulates (one-element values are floats)."""

from __future__ import annotations

import numpy as np
import pytest

import sd_model
from sd_model.testing import hand_scenario


def one_of_each() -> sd_model.Scenario:
    return hand_scenario(
        quarters=8,
        site={
            "max_gw": 2.0,
            "shell_ready_gw_at_start": 2.0,
            "interconnected_gw_at_start": 3.0,
            "grid_limit_gw": 3.0,
        },
        vendor={"contract_total_gw": 2.0, "capex_busd_per_gw": 4.0},
        announced=(("2026Q2", "v", "", 1.0),),
    )


def test_single_run_energizes_the_delivery() -> None:
    result = sd_model.simulate(one_of_each())
    assert result["energized_gw[v]"].iloc[-1] == pytest.approx(1.0, rel=0.05)
    assert (result["stranded_gw[v]"] >= -1e-12).all()


def test_batch_equals_single_runs() -> None:
    scenario = one_of_each()
    growth = np.array([0.0, 0.5])
    batch = sd_model.simulate(scenario, samples={"demand.demand_growth_per_year": growth})
    for i, g in enumerate(growth):
        single = sd_model.simulate(scenario.with_overrides({"demand.demand_growth_per_year": g}))
        sample = batch.xs(i, level="sample")["cash_busd"].to_numpy()
        np.testing.assert_allclose(sample, single["cash_busd"].to_numpy(), rtol=1e-12)
