r"""Periods, entities and the sparse index sets.

Sets
----
- ``T``: LP periods :math:`t = 0 \dots n-1` (labels in ``m.period_label``).
- ``S``, ``V``, ``R``, ``K``, ``O``: sites, vendors, regions, PPA options
  (``"REGION:technology"``) and on-site options, by id.
- ``SO``: (site, on-site option) pairs the site allows.
- ``SVT``: (s, v, t) where new load of vendor v can be energized at site s:
  :math:`t \ge \max(e_s, e_v)` (site's earliest energization, vendor's
  earliest delivery).
- ``VT``: (v, t) where vendor v can deliver: :math:`t \ge e_v`.
- Start sets for every lead-time decision, holding only starts that complete
  inside the horizon, :math:`t + L \le n - 1`:
  ``ST_shell`` (shell starts, :math:`L_s`), ``ST_grid`` (interconnection
  requests, the region's :math:`L_r`), ``KT_sign`` (PPA signings,
  :math:`L_k`), ``SOT_build`` (on-site builds, :math:`L_o`).

The model also carries ``m.cost_terms``: the list of `CostTerm` (a named Expression over
T in $B per period) that the objective discounts and sums, and
``m.slack_vars``: the elastic slack variables that ``strict`` mode fixes to
zero
by setting the upper bound ``m.p_slack_ub`` (a mutable Param, infinite
when elastic) to 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyomo.environ as pyo

from optimization.lp.data import ModelData

__all__ = ["CostTerm", "add", "register_cost", "register_slack"]


def add(m: Any, data: ModelData) -> None:
    """Declare the periods, entity sets and sparse index sets."""
    n = data.n_periods
    m.gwplan_data = data
    m.cost_terms = []
    m.slack_vars = []
    m.period_label = dict(enumerate(data.periods))
    m.p_slack_ub = pyo.Param(mutable=True, initialize=float("inf"), domain=pyo.Any)
    m.T = pyo.Set(initialize=range(n), ordered=True)
    m.S = pyo.Set(initialize=data.site_ids, ordered=True)
    m.V = pyo.Set(initialize=data.vendor_ids, ordered=True)
    m.R = pyo.Set(initialize=data.region_ids, ordered=True)
    m.K = pyo.Set(initialize=data.ppa_ids, ordered=True)
    m.O = pyo.Set(initialize=data.onsite_ids, ordered=True)
    m.SO = pyo.Set(
        dimen=2,
        ordered=True,
        initialize=[
            (s, data.onsite_ids[o])
            for s, opts in zip(data.site_ids, data.site_onsite, strict=True)
            for o in opts
        ],
    )
    m.SVT = pyo.Set(
        dimen=3,
        ordered=True,
        initialize=[
            (s, v, t)
            for i, s in enumerate(data.site_ids)
            for j, v in enumerate(data.vendor_ids)
            for t in range(max(data.site_earliest[i], data.vendor_earliest[j]), n)
        ],
    )
    m.VT = pyo.Set(
        dimen=2,
        ordered=True,
        initialize=[
            (v, t)
            for j, v in enumerate(data.vendor_ids)
            for t in range(n)
            if t >= data.vendor_earliest[j] or data.announced[j, t] > 0
        ],
    )
    m.ST_shell = _starts(m.S, data.site_shell_lead, n)
    m.ST_grid = _starts(m.S, data.region_lead[data.site_region], n)
    m.KT_sign = _starts(m.K, data.ppa_lead, n)
    m.SOT_build = pyo.Set(
        dimen=3,
        ordered=True,
        initialize=[
            (s, o, t)
            for s, o in m.SO
            for t in range(n - int(data.onsite_lead[data.onsite_ids.index(o)]))
        ],
    )


def _starts(ids: Any, leads: Any, n: int) -> Any:
    """(id, t) pairs whose start at t completes by the last period."""
    return pyo.Set(
        dimen=2,
        ordered=True,
        initialize=[(i, t) for i, lead in zip(ids, leads, strict=True) for t in range(n - lead)],
    )


@dataclass(frozen=True)
class CostTerm:
    """A named per-period cost Expression [$B per period, undiscounted].

    ``cash`` terms are also paid out of the cash stock (the budget component
    sums them); others (salvage, penalties, unserved demand) are objective-only.
    """

    name: str
    expression: Any
    cash: bool


def register_cost(m: Any, name: str, expression: Any, *, cash: bool) -> None:
    """Add a per-period cost Expression over ``T`` to the objective (and to cash if ``cash``)."""
    m.cost_terms.append(CostTerm(name, expression, cash))


def register_slack(m: Any, var: Any) -> None:
    """Mark an elastic slack variable (fixed to zero in strict mode)."""
    m.slack_vars.append(var)
