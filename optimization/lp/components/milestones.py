r"""Milestones: binding tranches of vendor contracts, purchased by their dates.

A milestone :math:`k` of vendor :math:`v(k)` (``vendor_milestones.csv``)
requires :math:`G_k` GW purchased for the lab by the end of period
:math:`\tau_k`. Purchases are the lab's own deliveries and the leased GW of
contracts whose ``hardware_vendor`` is the vendor (third-party buyers count,
as the AMD warrant's vesting does): a lease's hardware is bought by the time
its capacity is contracted, so it counts with the most GW it has reached by
:math:`\tau_k`:

.. math::

    \sum_{t \le \tau_k} deliver_{v(k),t}
        + \sum_{c:\,hw(c) = v(k)} x_c \max_{t \le \tau_k} g_{c,t}
        + milestone\_short_k \ge G_k && \texttt{milestone}

with :math:`x_c` the lease take-up (1 for a committed contract) and
:math:`g_{c,t}` its profile [GW]. A milestone counts purchases, not
energization: hardware bought before a hall is ready is stranded, which the
plan pays for in capex and lost revenue. ``milestone_short`` is elastic
(strict mode fixes it at zero) and priced like a missed binding contract,
``contract_shortfall_busd_per_gw`` per GW short, in the milestone's period
(a penalty, not money). Milestones after the LP's horizon are not declared.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo

from optimization.lp.component import ParameterValues
from optimization.lp.components.sets import register_cost, register_slack
from optimization.lp.data import ModelData

__all__ = ["MUTABLE_KEYS", "add", "milestone_rows", "parameters"]


MUTABLE_KEYS: tuple[str, ...] = ("milestones.*.cumulative_gw",)


def milestone_rows(data: ModelData) -> list[tuple[str, int, float]]:
    """(vendor, LP period position, cumulative GW) of the milestones inside the LP's horizon."""
    rows = []
    for milestone in data.scenario.milestones:
        position = data.scenario.periods.index(milestone.period)
        if position < data.n_periods:
            rows.append((milestone.vendor, position, float(milestone.cumulative_gw)))
    return rows


def parameters(data: ModelData) -> ParameterValues:
    """Milestone GW [GW IT], by (vendor, period position)."""
    return {"p_milestone_gw": {(v, t): gw for v, t, gw in milestone_rows(data)}}


def add(m: Any, data: ModelData) -> None:
    """Declare the milestone constraints, their slack and its price."""
    rows = milestone_rows(data)
    if not rows:
        return
    m.MK = pyo.Set(dimen=2, ordered=True, initialize=[(v, t) for v, t, _ in rows])
    m.p_milestone_gw = pyo.Param(m.MK, mutable=True, initialize=parameters(data)["p_milestone_gw"])
    m.milestone_short = pyo.Var(m.MK, bounds=(0.0, m.p_slack_ub))
    register_slack(m, m.milestone_short)
    third_party = _third_party_purchases(m, data)

    def milestone(m: Any, v: str, tau: int) -> Any:
        own = sum(m.deliver[v, t] for t in range(tau + 1) if (v, t) in m.VT)
        return own + third_party(v, tau) + m.milestone_short[v, tau] >= m.p_milestone_gw[v, tau]

    m.milestone = pyo.Constraint(m.MK, rule=milestone)
    penalty = data.penalties.contract_shortfall_busd_per_gw
    m.milestone_shortfall_cost = pyo.Expression(
        m.T,
        rule=lambda m, t: sum(penalty * m.milestone_short[v, tau] for v, tau in m.MK if tau == t),
    )
    register_cost(m, "milestone_shortfall", m.milestone_shortfall_cost, kind="penalty")


def _third_party_purchases(m: Any, data: ModelData) -> Any:
    """A function (vendor, period position) -> leased GW bought from that vendor by then."""
    contracts = data.lease_contracts
    if contracts.empty or "hardware_vendor" not in contracts:
        return lambda v, tau: 0.0
    profile = data.frames.lease_profile_gw
    reached = {c: np.maximum.accumulate(profile[c].to_numpy()) for c in contracts.index}

    def purchased(v: str, tau: int) -> Any:
        total: Any = 0.0
        for c, row in contracts.iterrows():
            if row["hardware_vendor"] != v or reached[c][tau] <= 0:
                continue
            take = 1.0 if bool(row["committed"]) else m.lease_take[c]
            total = total + float(reached[c][tau]) * take
        return total

    return purchased
