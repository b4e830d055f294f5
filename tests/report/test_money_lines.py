"""The headline's net value and deferral come from the simulated paths."""

from __future__ import annotations

import numpy as np
import pytest

import sd_model
from optimization.coupling.case_tables import planning_horizon
from optimization.coupling.compare import Comparison, compare
from optimization.report.content import headline
from optimization.report.money_lines import case_money, deferral_sentence
from sd_model import Scenario


def test_net_value_is_discounted_revenue_less_the_reported_cost(
    comparison: Comparison, scenario: Scenario
) -> None:
    lines = {h.lead: h.text for h in headline(comparison, scenario)}
    for case in comparison.cases:
        money = case_money(case, scenario)
        reported = float(comparison.metrics[case.name]["npv_cost_busd"])
        assert money.cost_busd == pytest.approx(reported)
        rows = planning_horizon(case.simulation, scenario)
        undiscounted = float(rows["revenue_busd_per_period"].iloc[:-1].sum())
        assert 0 < money.revenue_busd <= undiscounted + 1e-9  # discounting only lowers it
        if "simulates exactly like" not in lines[case.name]:
            assert f"net value {money.net_busd:,.1f}".replace("-", "−") in (
                lines[case.name].replace("$", "")
            )


def test_the_reference_budget_deferral_is_stated_with_its_gw() -> None:
    scenario = sd_model.load_scenario("reference")
    (case,) = compare(scenario, cases=("announced",)).cases
    said = deferral_sentence(case, scenario)
    last = planning_horizon(case.simulation, scenario).iloc[-1]
    deferred = sum(float(last[f"deferred_gw[{v.id}]"]) for v in scenario.vendors)
    assert deferred > 1.0  # the reference's budget cannot pay for the announced ramp
    assert said is not None and f"defers {deferred:.2f} GW" in said
    scheduled = float(np.sum(scenario.announced_schedule.frame["gw"]))
    assert f"of the {scheduled:.2f} GW scheduled" in said
