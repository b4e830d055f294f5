r"""Timing: vendor deliveries, the stranded stock and contract windows.

Variables [GW IT]: ``deliver[v,t]`` on ``VT`` with the ramp limit as its
bound, the stranded (delivered, not yet energized) stock ``stranded[v,t]``,
the energized stock per vendor ``vendor_it[v,t]`` and the elastic slack
``contract_short[v]``.

.. math::

    0 \le deliver_{v,t} &\le \overline{d}_v
        && \text{ramp (max\_delivery\_gw\_per\_period), bound}\\
    stranded_{v,t} &= stranded_{v,t-1} + deliver_{v,t} - \sum_s energize_{s,v,t},
        \quad stranded_{v,-1} = 0 && \texttt{stranded\_balance}\\
    vendor\_it_{v,t} &= vendor\_it_{v,t-1} + \sum_s (energize_{s,v,t} - energize_{s,v,t-L_v})
        && \texttt{vendor\_it\_balance}\\
    \sum_t deliver_{v,t} &\le \text{contract\_total\_gw}_v && \texttt{contract\_total}\\
    vendor\_it_{v,\tau_v} + contract\_short_v &\ge \text{binding\_gw}_v
        && \texttt{contract\_binding}

``contract_binding`` (the binding GW must be delivered *and energized* by
the deadline :math:`\tau_v`) exists for vendors with ``binding_gw > 0``
whose deadline lies inside the LP horizon; non-binding volumes are optional.
``stranded`` and ``contract_short`` are elastic: strict mode fixes them to
zero (delivered hardware must be energized in the period it arrives).

:math:`L_v` is the vendor's service life (`ModelData.vendor_life_periods`).
Cost terms [$B per period]: ``it_capex`` (paid on delivery at the delivery
period's price, `ScenarioFrames.delivery_capex_busd_per_gw`), ``it_salvage``
(book value left at the end, aged from delivery over the vendor's life), ``contract_shortfall``
(penalty at the deadline). Stranded hardware carries no term of its own: what
it costs is already money — capex paid, revenue not earned, and book value
lost with age (the salvage credit ages it from delivery); a separate idle
depreciation would count that loss twice.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from optimization.lp.component import ParameterValues
from optimization.lp.components.sets import register_cost, register_slack
from optimization.lp.data import ModelData

__all__ = ["MUTABLE_KEYS", "add", "parameters"]


MUTABLE_KEYS: tuple[str, ...] = ()


def parameters(data: ModelData) -> ParameterValues:
    """The binding GW of contracts with a deadline in the horizon [GW IT].

    Mutable so that a diagnosis can relax one contract at a time; no scenario
    key changes it without a rebuild (which vendors bind is structure).
    """
    vendors = data.vendors
    deadline = vendors["deadline_period"].map(data.position).to_dict()
    binding = vendors["binding_gw"].astype(float).to_dict()
    return {
        "p_binding_gw": {
            v: gw for v, gw in binding.items() if gw > 0 and deadline[v] < data.n_periods
        }
    }


def add(m: Any, data: ModelData) -> None:
    """Declare deliveries, the stranded and energized stocks, and contract limits.

    Long because it declares the component's equations in the order of the module's maths.
    """
    vendors = data.vendors
    max_rate = vendors["max_delivery_gw_per_period"].to_dict()
    capex = {v: c.to_numpy() for v, c in data.frames.delivery_capex_busd_per_gw.items()}
    deadline = vendors["deadline_period"].map(data.position).to_dict()
    binding_gw = vendors["binding_gw"].to_dict()
    sites_for: dict[tuple[str, int], list[str]] = defaultdict(list)
    for s, v, t in m.SVT:
        sites_for[v, t].append(s)
    m.deliver = pyo.Var(
        m.VT, domain=pyo.NonNegativeReals, bounds=lambda m, v, t: (0.0, max_rate[v])
    )
    m.stranded = pyo.Var(m.V, m.T, bounds=(0.0, m.p_slack_ub))
    m.vendor_it = pyo.Var(m.V, m.T, domain=pyo.NonNegativeReals)
    register_slack(m, m.stranded)

    def delivered(m: Any, v: str, t: int) -> Any:
        return m.deliver[v, t] if (v, t) in m.VT else 0.0

    def energized(m: Any, v: str, t: int) -> Any:
        return sum(m.energize[s, v, t] for s in sites_for[v, t])

    def stranded_balance(m: Any, v: str, t: int) -> Any:
        before = m.stranded[v, t - 1] if t > 0 else 0.0
        return m.stranded[v, t] == before + delivered(m, v, t) - energized(m, v, t)

    life_of = data.vendor_life_periods

    def vendor_it_balance(m: Any, v: str, t: int) -> Any:
        before = m.vendor_it[v, t - 1] if t > 0 else 0.0
        retired = energized(m, v, t - life_of[v]) if t >= life_of[v] else 0.0
        return m.vendor_it[v, t] == before + energized(m, v, t) - retired

    m.stranded_balance = pyo.Constraint(m.V, m.T, rule=stranded_balance)
    m.vendor_it_balance = pyo.Constraint(m.V, m.T, rule=vendor_it_balance)
    total = vendors["contract_total_gw"].to_dict()
    m.contract_total = pyo.Constraint(
        m.V, rule=lambda m, v: sum(delivered(m, v, t) for t in m.T) <= total[v]
    )
    binding = [v for v in vendors.index if binding_gw[v] > 0 and deadline[v] < data.n_periods]
    m.VB = pyo.Set(initialize=binding, ordered=True)
    m.p_binding_gw = pyo.Param(m.VB, mutable=True, initialize=parameters(data)["p_binding_gw"])
    m.contract_short = pyo.Var(m.VB, bounds=(0.0, m.p_slack_ub))
    register_slack(m, m.contract_short)
    m.contract_binding = pyo.Constraint(
        m.VB,
        rule=lambda m, v: m.vendor_it[v, deadline[v]] + m.contract_short[v] >= m.p_binding_gw[v],
    )

    m.it_capex = pyo.Expression(
        m.T, rule=lambda m, t: sum(float(capex[v][t]) * delivered(m, v, t) for v in m.V)
    )
    salvage = {v: data.salvage_fraction(years) for v, years in data.vendor_life_years.items()}
    m.it_salvage = pyo.Expression(
        m.T,
        rule=lambda m, t: (
            -sum(float(salvage[v][t] * capex[v][t]) * delivered(m, v, t) for v in m.V)
        ),
    )
    penalty = data.penalties.contract_shortfall_busd_per_gw
    m.contract_shortfall_cost = pyo.Expression(
        m.T,
        rule=lambda m, t: sum(penalty * m.contract_short[v] for v in m.VB if deadline[v] == t),
    )
    register_cost(m, "it_capex", m.it_capex, kind="cash")
    register_cost(m, "it_salvage", m.it_salvage, kind="noncash")
    register_cost(m, "contract_shortfall", m.contract_shortfall_cost, kind="penalty")
