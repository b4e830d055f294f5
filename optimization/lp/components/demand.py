r"""Demand: the value of energized compute, as a priced unserved-demand slack.

A cost-only LP defers every deployment to its deadline; what makes timing a
real trade-off is that compute has a value. Demand :math:`D_t` [GW of
reference compute] grows at ``demand_growth_per_year``; energized load of
vendor v serves :math:`p_v` (perf per watt) reference GW per GW.

.. math::

    G_0 + \sum_s it_{s,-1} + \sum_v p_v \, vendor\_it_{v,t} + unserved_t \ge D_t
        && \texttt{compute\_balance}

With lease contracts the left side also holds the leased GW in use,
:math:`\sum_c lease\_use_{c,t}` (at reference performance; see
`optimization.lp.components.lease`). :math:`G_0` is the load running outside the candidate sites
(``offsite_energized_gw_at_start``) and site load present at the start
counts at reference performance. Cost term: ``unserved_demand`` =
:math:`w_t \cdot unserved_t` with :math:`w_t` the revenue per GW-period
(``revenue_busd_per_gw_year_at_start``, zero under the ``"cost"`` objective).
Its dual is the value of one more reference GW of compute in period t.
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from optimization.lp.component import ParameterValues
from optimization.lp.components.sets import register_cost
from optimization.lp.data import ModelData

__all__ = ["MUTABLE_KEYS", "add", "parameters"]


MUTABLE_KEYS: tuple[str, ...] = (
    "demand.compute_demand_gw_at_start",
    "demand.demand_growth_per_year",
    "demand.revenue_busd_per_gw_year_at_start",
)


def parameters(data: ModelData) -> ParameterValues:
    """Demand per period [GW] and the value of a GW of compute [$B per GW-period]."""
    n = data.n_periods
    value = data.per_period(data.scenario.demand.revenue_busd_per_gw_year_at_start)
    if data.objective == "cost":
        value = 0.0
    return {
        "p_demand": dict(enumerate(data.frames.compute_demand_gw.to_numpy().tolist())),
        "p_value": dict.fromkeys(range(n), value),
    }


def add(m: Any, data: ModelData) -> None:
    """Declare served compute against the demand path and price the unserved part."""
    perf = data.vendors["perf_per_watt_relative"].to_dict()
    start = data.scenario.offsite_energized_gw_at_start + float(
        data.sites["energized_gw_at_start"].sum()
    )
    values = parameters(data)
    m.p_demand = pyo.Param(m.T, mutable=True, initialize=values["p_demand"])
    m.p_value = pyo.Param(m.T, mutable=True, initialize=values["p_value"])
    m.unserved = pyo.Var(m.T, domain=pyo.NonNegativeReals)
    leased = getattr(m, "lease_served", None)  # declared by the lease component, if any

    def compute_balance(m: Any, t: int) -> Any:
        served = start + sum(float(perf[v]) * m.vendor_it[v, t] for v in m.V)
        if leased is not None:
            served = served + leased[t]
        return served + m.unserved[t] >= m.p_demand[t]

    m.compute_balance = pyo.Constraint(m.T, rule=compute_balance)
    m.unserved_cost = pyo.Expression(m.T, rule=lambda m, t: m.p_value[t] * m.unserved[t])
    register_cost(m, "unserved_demand", m.unserved_cost, cash=False)
