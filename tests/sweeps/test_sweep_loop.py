"""Sweeps with the counterparty loop: batched figures equal single runs and the stress test."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import sd_model
from optimization.cli.main import EXIT_BAD_INPUT, main
from optimization.sweeps import SimulationMetrics
from sd_model import Scenario
from sd_model.loop_metrics import LOOP_FIGURES, loop_summary
from sd_model.stress import stress_test
from tests.conftest import TINY

REVENUE = "demand.revenue_busd_per_gw_year_at_start"


@pytest.fixture(scope="module")
def leases() -> Scenario:
    return sd_model.load_scenario("cloud_leases")


def test_batched_loop_figures_equal_single_runs(leases: Scenario) -> None:
    values = [leases.demand.revenue_busd_per_gw_year_at_start, 6.0, 20.0]
    figures = SimulationMetrics(counterparty_loop=True)(leases, pd.DataFrame({REVENUE: values}))
    assert (figures["error"] == "").all()
    for row, value in zip(figures.itertuples(), values, strict=True):
        single = sd_model.simulate(leases.with_overrides({REVENUE: value}), counterparty_loop=True)
        expected = loop_summary(single)
        for name in LOOP_FIGURES:
            assert getattr(row, name) == pytest.approx(expected[name])


def test_the_unshocked_sample_misses_what_the_stress_tests_base_misses(leases: Scenario) -> None:
    base = leases.demand.revenue_busd_per_gw_year_at_start
    figures = SimulationMetrics(counterparty_loop=True)(leases, pd.DataFrame({REVENUE: [base]}))
    summary = stress_test(leases, [f"{REVENUE}=x1@2027Q1"]).summary().set_index("party")
    assert figures["lease_payments_missed_busd"].iloc[0] == pytest.approx(
        summary.loc["lab", "missed_base_busd"]
    )
    assert figures["counterparty_breach"].iloc[0] == 1.0  # Oracle breaches in the base


def test_without_the_loop_there_are_no_loop_figures(leases: Scenario) -> None:
    figures = SimulationMetrics()(leases, pd.DataFrame({REVENUE: [10.0]}))
    assert not set(LOOP_FIGURES) & set(figures.columns)
    with pytest.raises(KeyError, match="counterparty_loop=True"):
        loop_summary(sd_model.simulate(leases))


def test_a_scenario_without_balance_sheets_never_cascades() -> None:
    tiny = sd_model.load_scenario(TINY)
    figures = SimulationMetrics(counterparty_loop=True)(tiny, pd.DataFrame({"pue": [1.2, 1.4]}))
    assert np.all(figures["counterparty_breach"] == 0.0)
    assert np.all(figures["lease_payments_missed_busd"] == 0.0)


def test_sweep_cli_reports_the_cascade_risk(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["sweep", "cloud_leases", "--param", f"{REVENUE}=uniform(5,13)", "--samples", "8"]
    code = main([*args, "--executor", "inprocess", "--counterparty-loop", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0 and payload["failed"] == 0
    assert "lease_payments_missed_busd" in payload["percentiles"]
    cascade = [r for r in payload["risks"] if r["metric"] == "counterparty_breach"]
    assert len(cascade) == 1 and 0.0 <= cascade[0]["probability"] <= 1.0


def test_the_loop_needs_a_simulating_model(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["sweep", str(TINY), "--param", "pue=uniform(1.1,1.3)", "--model", "optimize"]
    assert main([*args, "--counterparty-loop"]) == EXIT_BAD_INPUT
    assert "--counterparty-loop" in capsys.readouterr().err
