"""Attribute the gap between an LP plan and its simulation to frictions, budget and the rest.

`gap_attribution` simulates a plan's decisions along a ladder, taking one
cause away at each rung: all frictions → without queue attrition → also
without the delay spread → also without reaction times (the frictionless
world) → also without the simulation's budget rule. Each cause's share is
the change of a figure across its rung; ``rest`` is what is left between the
last rung and the LP (the two models' other differences: revenue and
financing in cash, retirements freeing room, demand). The shares add up to
simulated − LP. The split depends on the order of the ladder (frictions
interact), which is fixed and documented here.
"""

from __future__ import annotations

import itertools

import pandas as pd

from optimization.coupling.belief import belief_summary, belief_table
from optimization.lp.plan import Plan
from sd_model import Scenario, simulate
from sd_model.buildout import ALL_FRICTIONS, ALL_LOOPS, Friction

__all__ = ["LADDER", "gap_attribution"]

#: The frictions taken away, in order.
LADDER: tuple[Friction, ...] = ("queue_attrition", "delay_spread", "reaction_times")


def _figures(plan: Plan, result: pd.DataFrame, scenario: Scenario) -> pd.Series:
    table = belief_table(plan, result, result).assign(case="plan")
    summary = belief_summary(table, scenario).set_index("figure")
    return summary["simulated"]


def gap_attribution(scenario: Scenario, plan: Plan) -> pd.DataFrame:
    """Per figure of `belief_summary`: lp, simulated and each cause's share of the gap.

    Returns
    -------
    pandas.DataFrame
        Indexed by figure; columns ``lp``, ``simulated``, one per friction of
        `LADDER`, ``budget_rule`` and ``rest`` (the shares add up to
        ``simulated - lp``).
    """
    decisions = plan.decisions
    kept = set(ALL_FRICTIONS)
    rungs = [_figures(plan, simulate(scenario, decisions=decisions), scenario)]
    for friction in LADDER:
        kept.discard(friction)
        result = simulate(scenario, decisions=decisions, frictions=frozenset(kept))
        rungs.append(_figures(plan, result, scenario))
    no_budget = ALL_LOOPS - {"budget_limited_ordering"}
    result = simulate(scenario, decisions=decisions, frictions=False, loops=no_budget)
    rungs.append(_figures(plan, result, scenario))
    lp = belief_summary(belief_table(plan, result, result).assign(case="plan"), scenario)
    lp_values = lp.set_index("figure")["lp"]
    out = pd.DataFrame({"lp": lp_values, "simulated": rungs[0]})
    for name, (before, after) in zip(
        [*LADDER, "budget_rule"], itertools.pairwise(rungs), strict=True
    ):
        out[name] = before - after
    out["rest"] = rungs[-1] - lp_values
    return out
