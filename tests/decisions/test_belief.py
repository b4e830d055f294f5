"""Belief against outcome in the comparison and the report."""

from __future__ import annotations

import numpy as np
import pytest

from optimization.coupling.compare import Comparison, compare
from optimization.report.content import build_content
from optimization.report.markdown import to_markdown
from sd_model import Scenario


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    from sd_model import load_scenario
    from tests.conftest import TINY

    return compare(load_scenario(TINY), cases=("announced", "announced_timing", "optimal"))


def test_every_lp_case_is_simulated_from_its_decisions(comparison: Comparison) -> None:
    for case in comparison.cases:
        if case.plan is None:
            assert case.decisions is None and case.frictionless is None
            continue
        assert case.decisions is not None and "shell_starts" in case.decisions.fixed
        assert case.schedule == case.decisions.schedule
    assert set(comparison.belief["case"]) == {"announced_timing", "optimal"}


def test_the_summary_splits_each_gap_into_frictions_and_model(
    comparison: Comparison, tiny: Scenario
) -> None:
    summary = comparison.belief_summary
    figures = set(summary["figure"])
    assert {"energized_gw_2027", "peak_stranded_gw", "lowest_cash_busd"} <= figures
    np.testing.assert_allclose(summary["frictions"] + summary["model"], summary["gap"])
    belief = comparison.belief
    energized = belief.loc[(belief["measure"] == "energized_gw") & (belief["case"] == "optimal")]
    plan = next(c.plan for c in comparison.cases if c.name == "optimal")
    assert plan is not None
    last = plan.sites.loc[plan.sites["period"] == energized["period"].iloc[-1], "it_gw"].sum()
    assert energized["lp"].iloc[-1] == pytest.approx(last)


def test_the_report_shows_belief_against_outcome(comparison: Comparison) -> None:
    page = to_markdown(build_content(comparison, [], []))
    assert "## Belief against outcome" in page
    assert "| announced_timing | energized GW end-2027 |" in page


def test_the_gap_splits_over_the_ladder_of_causes(comparison: Comparison, tiny: Scenario) -> None:
    from optimization.coupling.attribution import LADDER, gap_attribution

    plan = next(c.plan for c in comparison.cases if c.name == "announced_timing")
    assert plan is not None
    table = gap_attribution(tiny, plan)
    parts = table[[*LADDER, "budget_rule", "rest"]].sum(axis=1)
    np.testing.assert_allclose(parts, table["simulated"] - table["lp"], atol=1e-9)
    summary = comparison.belief_summary.set_index(["case", "figure"]).loc["announced_timing"]
    frictions = table[list(LADDER)].sum(axis=1)
    np.testing.assert_allclose(frictions, summary.loc[table.index, "frictions"], atol=1e-9)


def test_realised_grid_is_the_lead_without_frictions(tiny: Scenario) -> None:
    import sd_model
    from optimization.coupling.realised import realised_grid
    from optimization.lp.planning import optimize

    decisions = optimize(tiny).decisions
    free = realised_grid(sd_model.simulate(tiny, decisions=decisions, frictions=False), tiny)
    used = free.loc[free["connected_gw"] > 0.01]
    assert len(used) > 0
    np.testing.assert_allclose(used["queue_quarters"], used["lead_quarters"], rtol=0.02)
    assert (free["dropped_gw"].abs() < 1e-9).all()
    real = realised_grid(sd_model.simulate(tiny, decisions=decisions), tiny)
    assert (real.loc[real["requested_gw"] > 0.01, "attrition_share"] > 0).all()


def test_the_comparison_holds_the_realised_grid_of_every_case(comparison: Comparison) -> None:
    assert set(comparison.realised_grid["case"]) == set(comparison.names)
