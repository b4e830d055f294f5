r"""Grid: interconnection requests, connected capacity, regional headroom, grid draw.

Variables [GW facility]: requests ``grid_request[s,t]`` (on ``ST_grid``), the
connected stock ``connected[s,t]``, the average draw ``grid_draw[s,t]`` and the
elastic slack ``headroom_short[r,t]``.

.. math::

    connected_{s,t} &= connected_{s,t-1} + grid\_request_{s,t-L_{r(s)}},
        \quad connected_{s,-1} = \text{interconnected\_gw\_at\_start}_s
        && \texttt{grid\_balance}\\
    connected_{s,n-1} &\le \text{grid\_limit\_gw}_s \text{ (mutable)}
        && \texttt{grid\_limit}\\
    \sum_{s \in r} (connected_{s,t} - connected_{s,-1}) &\le H_{r,t} + headroom\_short_{r,t}
        && \texttt{headroom}\\
    grid\_draw_{s,t} &\le connected_{s,t} && \texttt{grid\_capacity}

``connected`` only grows, so the site's grid limit is imposed on the last
period. Headroom :math:`H_{r,t}` (mutable) counts new connections only; PPAs
do not relax it. Queue attrition is left to the stock-and-flow model: the LP
plans the requests that connect.

Cost terms [$B per period]: ``grid_energy`` = (energy + capacity price) ×
hours × draw; ``headroom_shortfall`` (penalty, objective only).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from optimization.lp.components.sets import register_cost, register_slack
from optimization.lp.data import ModelData

__all__ = ["add"]


def add(m: Any, data: ModelData) -> None:
    """Declare interconnection, headroom and grid-draw limits and the energy cost."""
    site = {s: i for i, s in enumerate(data.site_ids)}
    region_of = {s: data.region_ids[data.site_region[i]] for s, i in site.items()}
    sites_in: dict[str, list[str]] = defaultdict(list)
    for s, r in region_of.items():
        sites_in[r].append(s)
    last = data.n_periods - 1
    m.p_grid_limit = pyo.Param(
        m.S, mutable=True, initialize={s: data.site_grid_limit[i] for s, i in site.items()}
    )
    m.p_headroom = pyo.Param(
        m.R,
        m.T,
        mutable=True,
        initialize={
            (r, t): data.headroom_gw[i, t]
            for i, r in enumerate(data.region_ids)
            for t in range(data.n_periods)
        },
    )
    m.p_energy_price = pyo.Param(
        m.R,
        mutable=True,
        initialize=dict(zip(data.region_ids, data.market_busd_per_gw_period, strict=True)),
    )
    m.p_capacity_price = pyo.Param(
        m.R,
        mutable=True,
        initialize=dict(
            zip(
                data.region_ids,
                data.energy_busd_per_gw_period - data.market_busd_per_gw_period,
                strict=True,
            )
        ),
    )
    m.grid_request = pyo.Var(m.ST_grid, domain=pyo.NonNegativeReals)
    m.connected = pyo.Var(m.S, m.T, domain=pyo.NonNegativeReals)
    m.grid_draw = pyo.Var(m.S, m.T, domain=pyo.NonNegativeReals)
    m.headroom_short = pyo.Var(m.R, m.T, bounds=(0.0, m.p_slack_ub))
    register_slack(m, m.headroom_short)

    def grid_balance(m: Any, s: str, t: int) -> Any:
        before = m.connected[s, t - 1] if t > 0 else data.site_grid0[site[s]]
        start = t - int(data.region_lead[data.site_region[site[s]]])
        online = m.grid_request[s, start] if start >= 0 else 0.0
        return m.connected[s, t] == before + online

    def headroom(m: Any, r: str, t: int) -> Any:
        if not sites_in[r]:
            return pyo.Constraint.Skip
        existing = sum(data.site_grid0[site[s]] for s in sites_in[r])
        new = sum(m.connected[s, t] for s in sites_in[r]) - m.headroom_short[r, t]
        return new <= m.p_headroom[r, t] + existing

    m.grid_balance = pyo.Constraint(m.S, m.T, rule=grid_balance)
    m.grid_limit = pyo.Constraint(m.S, rule=lambda m, s: m.connected[s, last] <= m.p_grid_limit[s])
    m.headroom = pyo.Constraint(m.R, m.T, rule=headroom)
    m.grid_capacity = pyo.Constraint(
        m.S, m.T, rule=lambda m, s, t: m.grid_draw[s, t] <= m.connected[s, t]
    )
    m.grid_energy = pyo.Expression(
        m.T,
        rule=lambda m, t: sum(
            (m.p_energy_price[region_of[s]] + m.p_capacity_price[region_of[s]]) * m.grid_draw[s, t]
            for s in m.S
        ),
    )
    penalty = data.penalties.headroom_busd_per_gw_period
    m.headroom_shortfall_cost = pyo.Expression(
        m.T, rule=lambda m, t: penalty * sum(m.headroom_short[r, t] for r in m.R)
    )
    register_cost(m, "grid_energy", m.grid_energy, cash=True)
    register_cost(m, "headroom_shortfall", m.headroom_shortfall_cost, cash=False)
