r"""Leases: capacity leased from lessors next to the capacity the planner owns.

A lease contract :math:`c` of lessor :math:`l(c)` has a profile
:math:`g_{c,t}` [GW IT]: the ramp/term shape of the simulation (linear ramp
from ``start_period`` over ``ramp_quarters`` to ``gw``, held ``term_years``,
averaged over each period). An uncommitted contract (an option) cannot start
before the plan start plus its ``lead_quarters``; a later start shifts the
whole contract. The lessor supplies the capacity built and powered: leased
GW need no shells, no grid connection, no vendor delivery and no PPA
coverage, and serve compute at the reference performance (perf/W 1) in
``compute_balance``.

Variables: ``lease_take[c]`` :math:`\in [0, 1]`, the share of an option taken
up (one decision for the whole contract; committed contracts have
:math:`x_c = 1` as a constant), and ``lease_use[c,t]`` [GW], the leased GW
serving compute, on ``CT`` (the (c, t) with :math:`g_{c,t} > 0`).

.. math::

    K_{c,t} &= x_c \, g_{c,t} \quad \text{(contracted GW)}\\
    lease\_use_{c,t} &\le K_{c,t} && \texttt{lease\_capacity}\\
    \sum_{c \in l} K_{c,t} &\le \max\big(\overline{K}_l, \textstyle\sum_{c \in l,
        \text{committed}} g_{c,t}\big) && \texttt{lessor\_limit}

:math:`\overline{K}_l` is the lessor's ``capacity_target_gw`` (the limit is
declared only for lessors with options and a known target; committed
contracts above it are kept). Cost term [$B per period, cash]:

.. math::

    lease_t = \sum_c p_c \big(lease\_use_{c,t}
        + \theta_c (K_{c,t} - lease\_use_{c,t})\big)

with :math:`p_c` the price per GW-period (``price_busd_per_gw_year`` × years
per period, mutable ``p_lease_price``) and :math:`\theta_c` the
``take_or_pay_share``: used GW pay the full price, idle GW the take-or-pay
minimum, owed whether the capacity is used or not. The expression
``lease_served[t]`` = :math:`\sum_c lease\_use_{c,t}` enters the demand
balance. Without lease contracts the component declares nothing.

A contract's ``region`` and ``site`` are reported only: a lease at a site
does not use that site's shells, grid connection or headroom (the scenario
must not list the same capacity as a lease and as a site the planner builds).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo

from optimization.lp.component import ParameterValues
from optimization.lp.components.sets import register_cost
from optimization.lp.data import ModelData

__all__ = ["MUTABLE_KEYS", "add", "parameters"]


MUTABLE_KEYS: tuple[str, ...] = ("lease_contracts.*.price_busd_per_gw_year",)


def parameters(data: ModelData) -> ParameterValues:
    """Lease prices [$B per GW-period]."""
    price = data.per_period(data.lease_contracts["price_busd_per_gw_year"])
    return {"p_lease_price": price.to_dict()}


def add(m: Any, data: ModelData) -> None:
    """Declare leased capacity, its use, the lessors' limits and the lease payments.

    Long because it declares the component's equations in the order of the module's maths.
    """
    contracts = data.lease_contracts
    if contracts.empty:
        return
    n = data.n_periods
    ids = list(contracts.index)
    profile = {c: data.frames.lease_profile_gw[c].to_numpy() for c in ids}
    committed = contracts["committed"].astype(bool).to_dict()
    theta = contracts["take_or_pay_share"].to_dict()
    m.C = pyo.Set(initialize=ids, ordered=True)
    m.C_opt = pyo.Set(initialize=[c for c in ids if not committed[c]], ordered=True)
    m.CT = pyo.Set(
        dimen=2,
        ordered=True,
        initialize=[(c, t) for c in ids for t in range(n) if profile[c][t] > 0],
    )
    m.p_lease_price = pyo.Param(m.C, mutable=True, initialize=parameters(data)["p_lease_price"])
    m.lease_take = pyo.Var(m.C_opt, bounds=(0.0, 1.0))
    m.lease_use = pyo.Var(m.CT, domain=pyo.NonNegativeReals)

    def contracted(m: Any, c: str, t: int) -> Any:
        g = float(profile[c][t])
        return g if committed[c] else g * m.lease_take[c]

    m.lease_contracted = pyo.Expression(m.CT, rule=contracted)
    m.lease_capacity = pyo.Constraint(
        m.CT, rule=lambda m, c, t: m.lease_use[c, t] <= m.lease_contracted[c, t]
    )

    by_lessor: dict[str, list[str]] = {}
    for c, lessor in contracts["lessor"].items():
        by_lessor.setdefault(str(lessor), []).append(str(c))
    # a lessor without a known capacity target has no limit
    cap = data.lessors["capacity_target_gw"].astype(float).fillna(np.inf).to_dict()
    limited = [
        (lessor, t)
        for lessor, cs in by_lessor.items()
        if np.isfinite(cap[lessor]) and any(not committed[c] for c in cs)
        for t in range(n)
        if any(not committed[c] and profile[c][t] > 0 for c in cs)
    ]
    m.LT_limit = pyo.Set(dimen=2, ordered=True, initialize=limited)

    def lessor_limit(m: Any, lessor: str, t: int) -> Any:
        cs = [c for c in by_lessor[lessor] if profile[c][t] > 0]
        fixed = sum(float(profile[c][t]) for c in cs if committed[c])
        return sum(m.lease_contracted[c, t] for c in cs) <= max(float(cap[lessor]), fixed)

    m.lessor_limit = pyo.Constraint(m.LT_limit, rule=lessor_limit)

    active: dict[int, list[str]] = {t: [] for t in range(n)}
    for c, t in m.CT:
        active[t].append(c)
    m.lease_served = pyo.Expression(
        m.T, rule=lambda m, t: sum(m.lease_use[c, t] for c in active[t])
    )
    m.lease_cost = pyo.Expression(
        m.T,
        rule=lambda m, t: sum(
            m.p_lease_price[c]
            * ((1.0 - theta[c]) * m.lease_use[c, t] + theta[c] * m.lease_contracted[c, t])
            for c in active[t]
        ),
    )
    register_cost(m, "lease", m.lease_cost, kind="cash")
