"""Net value and the budget's deferral: what the headline says beside the cost.

Cost alone flatters a plan that builds less: it also earns less. Net value
is the discounted revenue less the discounted cost over the planning horizon
(the same discounting and horizon as the cost, `npv_cost_busd`). The
deferral is what the simulation's budget left unpaid: deliveries due by the
end of the plan but deferred for lack of funds (``deferred_gw``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimization.coupling.case_tables import npv_cost_busd, planning_horizon
from optimization.coupling.compare import Case
from sd_model import Scenario

__all__ = ["CaseMoney", "case_money", "deferral_sentence"]


@dataclass(frozen=True)
class CaseMoney:
    """A case's discounted revenue, cost and net value over the planning horizon [$B NPV]."""

    revenue_busd: float
    cost_busd: float

    @property
    def net_busd(self) -> float:
        """Revenue less cost [$B NPV]."""
        return self.revenue_busd - self.cost_busd


def _npv_revenue_busd(result: pd.DataFrame, scenario: Scenario) -> float:
    """Discounted revenue [$B], like `npv_cost_busd` (the end boundary's flow excluded)."""
    years = np.arange(len(result)) * scenario.periods.years_per_period
    discount = (1 + scenario.discount_rate_per_year) ** -years
    revenue = result["revenue_busd_per_period"].to_numpy(dtype=float)
    return float(np.sum((revenue * discount)[:-1]))


def case_money(case: Case, scenario: Scenario) -> CaseMoney:
    """Discounted revenue and cost of a case over the planning horizon."""
    rows = planning_horizon(case.simulation, scenario)
    return CaseMoney(_npv_revenue_busd(rows, scenario), npv_cost_busd(rows, scenario))


def deferral_sentence(case: Case, scenario: Scenario) -> str | None:
    """How much of the case's schedule the budget deferred by the end of the plan, or None.

    Examples of the text: "the budget defers 15.77 GW of the 26.00 GW scheduled (due but
    not paid for at 2031Q1: broadcom 6.54, nvidia 5.93, amd 3.30 GW)".
    """
    rows = planning_horizon(case.simulation, scenario)
    last = rows.iloc[-1]
    vendors = [v.id for v in scenario.vendors]
    deferred = {v: float(last.get(f"deferred_gw[{v}]", 0.0)) for v in vendors}
    total = sum(deferred.values())
    if total < 0.005:
        return None
    scheduled = float(case.schedule.frame["gw"].sum())
    parts = ", ".join(
        f"{v} {gw:.2f}" for v, gw in sorted(deferred.items(), key=lambda x: -x[1]) if gw >= 0.005
    )
    return (
        f"the budget defers {total:.2f} GW of the {scheduled:.2f} GW scheduled "
        f"(due but not paid for at {last['period']}: {parts} GW)"
    )
