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
T in $B per period, of kind ``"cash"``, ``"noncash"`` or ``"penalty"``) that the objective
discounts and sums, and
``m.slack_vars``: the elastic slack variables that ``strict`` mode fixes to
zero
by setting the upper bound ``m.p_slack_ub`` (a mutable Param, infinite
when elastic) to 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pyomo.environ as pyo

from optimization.lp.component import ParameterValues
from optimization.lp.data import ModelData

__all__ = [
    "MUTABLE_KEYS",
    "CostKind",
    "CostTerm",
    "add",
    "parameters",
    "register_cost",
    "register_slack",
]


MUTABLE_KEYS: tuple[str, ...] = ()


def parameters(data: ModelData) -> ParameterValues:
    """No mutable parameters."""
    return {}


def add(m: Any, data: ModelData) -> None:
    """Declare the periods, entity sets and sparse index sets."""
    n = data.n_periods
    sites, vendors = data.sites, data.vendors
    m.gwplan_data = data
    m.cost_terms = []
    m.slack_vars = []
    m.period_label = dict(enumerate(data.periods))
    m.p_slack_ub = pyo.Param(mutable=True, initialize=float("inf"), domain=pyo.Any)
    m.T = pyo.Set(initialize=range(n), ordered=True)
    m.S = pyo.Set(initialize=list(sites.index), ordered=True)
    m.V = pyo.Set(initialize=list(vendors.index), ordered=True)
    m.R = pyo.Set(initialize=list(data.regions.index), ordered=True)
    m.K = pyo.Set(initialize=list(data.ppa_options.index), ordered=True)
    m.O = pyo.Set(initialize=list(data.onsite_options.index), ordered=True)
    m.SO = pyo.Set(
        dimen=2,
        ordered=True,
        initialize=[(s, o) for s, opts in sites["onsite_option_ids"].items() for o in opts],
    )
    site_earliest = sites["earliest_energization_period"].map(data.position).to_dict()
    vendor_earliest = vendors["earliest_delivery_period"].map(data.position).to_dict()
    m.SVT = pyo.Set(
        dimen=3,
        ordered=True,
        initialize=[
            (s, v, t)
            for s in sites.index
            for v in vendors.index
            for t in range(max(site_earliest[s], vendor_earliest[v]), n)
        ],
    )
    announced = {v: data.announced[v].to_numpy() for v in vendors.index}
    m.VT = pyo.Set(
        dimen=2,
        ordered=True,
        initialize=[
            (v, t)
            for v in vendors.index
            for t in range(n)
            if t >= vendor_earliest[v] or announced[v][t] > 0
        ],
    )
    region_lead = data.lead_periods(data.regions["interconnection_lead_quarters"])
    onsite_lead = data.lead_periods(data.onsite_options["lead_quarters"]).to_dict()
    m.ST_shell = _starts(m.S, data.lead_periods(sites["shell_lead_quarters"]), n)
    m.ST_grid = _starts(m.S, region_lead[sites["region"]].to_numpy(), n)
    m.KT_sign = _starts(m.K, data.lead_periods(data.ppa_options["lead_quarters"]), n)
    m.SOT_build = pyo.Set(
        dimen=3,
        ordered=True,
        initialize=[(s, o, t) for s, o in m.SO for t in range(n - onsite_lead[o])],
    )


def _starts(ids: Any, leads: Any, n: int) -> Any:
    """(id, t) pairs whose start at t completes by the last period."""
    return pyo.Set(
        dimen=2,
        ordered=True,
        initialize=[
            (i, t) for i, lead in zip(ids, leads, strict=True) for t in range(n - int(lead))
        ],
    )


CostKind = Literal["cash", "noncash", "penalty"]
"""What a cost term is: ``"cash"`` money paid (or, negative, received) through the cash
stock; ``"noncash"`` money that moves no cash inside the horizon (salvage value at the
end); ``"penalty"`` the price of a violated limit, which is not money. The plan's
``npv_busd`` is minus the NPV of the money terms, ``penalty_busd`` the NPV of the penalties."""


@dataclass(frozen=True)
class CostTerm:
    """A named per-period cost Expression [$B per period, undiscounted] and its kind."""

    name: str
    expression: Any
    kind: CostKind

    @property
    def cash(self) -> bool:
        """Whether the term moves cash (the budget component sums these)."""
        return self.kind == "cash"


def register_cost(m: Any, name: str, expression: Any, *, kind: CostKind) -> None:
    """Add a per-period cost Expression over ``T`` to the objective (and to cash if cash)."""
    m.cost_terms.append(CostTerm(name, expression, kind))


def register_slack(m: Any, var: Any) -> None:
    """Mark an elastic slack variable (fixed to zero in strict mode)."""
    m.slack_vars.append(var)
