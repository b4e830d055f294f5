r"""Siting: IT load energized per site, vendor and period; shells; site limits.

Variables [GW IT]: ``energize[s,v,t]`` (new load, on ``SVT``), the stock
``it[s,t]``, shell starts ``shell_start[s,t]`` (on ``ST_shell``) and the
ready-shell stock ``shell[s,t]``.

.. math::

    it_{s,t} &= it_{s,t-1} + \sum_v (energize_{s,v,t} - energize_{s,v,t-L_v})
        - it_{s,-1} (\lambda_{t-1} - \lambda_t),
        \quad it_{s,-1} = \text{energized\_gw\_at\_start}_s
        && \texttt{it\_balance}\\
    shell_{s,t} &= shell_{s,t-1} + shell\_start_{s,t-L_s},
        \quad shell_{s,-1} = \text{shell\_ready\_gw\_at\_start}_s
        && \texttt{shell\_balance}\\
    it_{s,t} &\le shell_{s,t}  && \texttt{shell\_limit}\\
    shell_{s,n-1} &\le \overline{G}_s \text{ (max\_gw, mutable)} && \texttt{site\_max}

Hardware retires one service life :math:`L_v` after it is energized (the
vendor's ``useful_life_years``, else ``costs.it_depreciation_years``:
`ModelData.vendor_life_periods`), and the load running at the start retires
evenly over one IT life (:math:`\lambda_t`, `ModelData.start_fleet_left`), as in the
simulation; a retiring GW frees its shell for a replacement. Shells only
accumulate, so the site limit is imposed on the last period.

Cost terms [$B per period]: ``shell_capex`` (paid at the start,
:math:`c_s \cdot shell\_start`), ``opex`` (per GW energized),
``shell_salvage`` (minus the straight-line book value left at the horizon
end, discounted to the end).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pyomo.environ as pyo

from optimization.lp.component import ParameterValues
from optimization.lp.components.sets import register_cost
from optimization.lp.data import ModelData

__all__ = ["MUTABLE_KEYS", "add", "parameters"]


MUTABLE_KEYS: tuple[str, ...] = ("sites.*.max_gw",)


def parameters(data: ModelData) -> ParameterValues:
    """Each site's largest IT load (``p_site_max``) [GW]."""
    return {"p_site_max": data.sites["max_gw"].to_dict()}


def add(m: Any, data: ModelData) -> None:
    """Declare siting variables, stocks, site limits and shell costs."""
    sites = data.sites
    energized0 = sites["energized_gw_at_start"].to_dict()
    shell0 = sites["shell_ready_gw_at_start"].to_dict()
    shell_lead = data.lead_periods(sites["shell_lead_quarters"]).to_dict()
    shell_capex = sites["shell_capex_busd_per_gw"].to_dict()
    vendors_at: dict[tuple[str, int], list[str]] = defaultdict(list)
    for s, v, t in m.SVT:
        vendors_at[s, t].append(v)
    m.p_site_max = pyo.Param(m.S, mutable=True, initialize=parameters(data)["p_site_max"])
    m.energize = pyo.Var(m.SVT, domain=pyo.NonNegativeReals)
    m.it = pyo.Var(m.S, m.T, domain=pyo.NonNegativeReals)
    m.shell_start = pyo.Var(m.ST_shell, domain=pyo.NonNegativeReals)
    m.shell = pyo.Var(m.S, m.T, domain=pyo.NonNegativeReals)

    life_of = data.vendor_life_periods
    left = data.start_fleet_left()
    retired_share = -np.diff(np.concatenate([[1.0], left]))

    def it_balance(m: Any, s: str, t: int) -> Any:
        before = m.it[s, t - 1] if t > 0 else energized0[s]
        new = sum(m.energize[s, v, t] for v in vendors_at[s, t])
        old = sum(
            m.energize[s, v, t - life_of[v]]
            for v in m.V
            if t >= life_of[v] and v in vendors_at[s, t - life_of[v]]
        )
        return m.it[s, t] == before + new - old - float(retired_share[t]) * energized0[s]

    def shell_balance(m: Any, s: str, t: int) -> Any:
        before = m.shell[s, t - 1] if t > 0 else shell0[s]
        start = t - shell_lead[s]
        ready = m.shell_start[s, start] if start >= 0 else 0.0
        return m.shell[s, t] == before + ready

    m.it_balance = pyo.Constraint(m.S, m.T, rule=it_balance)
    m.shell_balance = pyo.Constraint(m.S, m.T, rule=shell_balance)
    m.shell_limit = pyo.Constraint(m.S, m.T, rule=lambda m, s, t: m.it[s, t] <= m.shell[s, t])
    last = data.n_periods - 1
    m.site_max = pyo.Constraint(m.S, rule=lambda m, s: m.shell[s, last] <= m.p_site_max[s])

    starts_in: dict[int, list[str]] = defaultdict(list)
    for s, t in m.ST_shell:
        starts_in[t].append(s)
    m.shell_capex = pyo.Expression(
        m.T, rule=lambda m, t: sum(shell_capex[s] * m.shell_start[s, t] for s in starts_in[t])
    )
    opex = data.per_period(data.scenario.costs.opex_busd_per_gw_year)
    m.opex = pyo.Expression(m.T, rule=lambda m, t: opex * sum(m.it[s, t] for s in m.S))
    salvage = data.salvage_fraction(data.scenario.costs.shell_life_years)
    m.shell_salvage = pyo.Expression(m.T, rule=lambda m, t: -salvage[t] * m.shell_capex[t])
    register_cost(m, "shell_capex", m.shell_capex, kind="cash")
    register_cost(m, "opex", m.opex, kind="cash")
    register_cost(m, "shell_salvage", m.shell_salvage, kind="noncash")
