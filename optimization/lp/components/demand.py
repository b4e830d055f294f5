r"""Demand and revenue: compute served against the demand path, and what it earns.

A cost-only LP defers every deployment to its deadline; what makes timing a
real trade-off is that compute earns money. Demand :math:`D_t` [GW of
reference compute] is the reference path `sd_model.frames.reference_demand_gw`
(the selected ``demand.outlook``, or ``demand_growth_per_year``); energized load
serves its vintage's perf/W in reference GW per GW: :math:`compute_{v,t}`
(`optimization.lp.components.vintages`) sums vendor v's energized GW of each
vintage times that vintage's perf/W :math:`p_v(\tau)`.

.. math::

    served_t &\le \lambda_t (G_0 + \sum_s it_{s,-1}) + \sum_v compute_{v,t}
        && \texttt{compute\_balance}\\
    served_t &\le D_t && \texttt{demand\_limit}

With lease contracts the capacity side also holds the leased GW in use,
:math:`\sum_c lease\_use_{c,t}` (at reference performance; see
`optimization.lp.components.lease`). :math:`G_0` is the load running outside
the candidate sites (``offsite_energized_gw_at_start``) and site load present
at the start counts at reference performance; both retire evenly over one IT
life (:math:`\lambda_t`, `ModelData.start_fleet_left`), as in the simulation.

Cost term [$B per period]: ``revenue`` = :math:`-w_t \, served_t`, a *cash*
term (negative cost), so revenue enters the cash balance as income and the
objective as money; :math:`w_t` is the revenue per reference GW-period from
`sd_model.frames.ScenarioFrames.revenue_busd_per_gw_year`, the definition the
simulation uses. Under the ``"cost"`` objective revenue still reaches cash but
not the objective. ``offsite_lease`` (cash) pays for the offsite fleet running
at the start, :math:`\lambda_t G_0 \cdot` ``simulation.offsite_lease_busd_per_gw_year``
per year, as the simulation does: the LP earns that fleet's revenue, so it
pays its lease too (a constant: it moves cash, not decisions). The dual of
``compute_balance`` is the value of one more reference GW of capacity in
period t; unserved demand is :math:`D_t - served_t`.
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from optimization.lp.component import ParameterValues
from optimization.lp.components.sets import register_cost
from optimization.lp.data import ModelData
from sd_model.scenario.sections import SimulationSettings

__all__ = ["MUTABLE_KEYS", "add", "parameters"]


MUTABLE_KEYS: tuple[str, ...] = (
    "demand.compute_demand_gw_at_start",
    "demand.demand_growth_per_year",
    "demand.outlook",
    "demand.outlooks.*",
    "demand.reference_perf_per_watt_by_year*",
    "demand.revenue_busd_per_gw_year_at_start",
)


def parameters(data: ModelData) -> ParameterValues:
    """Demand per period [GW] and the revenue of a served GW [$B per GW-period]."""
    revenue = data.frames.revenue_busd_per_gw_year * data.years_per_period
    return {
        "p_demand": dict(enumerate(data.frames.compute_demand_gw.to_numpy().tolist())),
        "p_value": dict(enumerate(revenue.to_numpy().tolist())),
    }


def add(m: Any, data: ModelData) -> None:
    """Declare served compute, its two limits (capacity, demand) and its revenue."""
    left = data.start_fleet_left()  # the start fleet retires over one IT life
    start = data.scenario.offsite_energized_gw_at_start + float(
        data.sites["energized_gw_at_start"].sum()
    )
    values = parameters(data)
    m.p_demand = pyo.Param(m.T, mutable=True, initialize=values["p_demand"])
    m.p_value = pyo.Param(m.T, mutable=True, initialize=values["p_value"])
    m.served = pyo.Var(m.T, domain=pyo.NonNegativeReals)
    leased = getattr(m, "lease_served", None)  # declared by the lease component, if any

    def compute_balance(m: Any, t: int) -> Any:
        capacity = start * float(left[t]) + sum(m.vendor_compute[v, t] for v in m.V)
        if leased is not None:
            capacity = capacity + leased[t]
        return m.served[t] <= capacity

    m.compute_balance = pyo.Constraint(m.T, rule=compute_balance)
    m.demand_limit = pyo.Constraint(m.T, rule=lambda m, t: m.served[t] <= m.p_demand[t])
    m.revenue = pyo.Expression(m.T, rule=lambda m, t: -m.p_value[t] * m.served[t])
    register_cost(m, "revenue", m.revenue, kind="cash")
    scenario = data.scenario
    settings = scenario.simulation or SimulationSettings()
    lease = data.per_period(
        scenario.offsite_energized_gw_at_start * settings.offsite_lease_busd_per_gw_year
    )
    if lease > 0:
        m.offsite_lease = pyo.Expression(m.T, rule=lambda m, t: lease * float(left[t]))
        register_cost(m, "offsite_lease", m.offsite_lease, kind="cash")
