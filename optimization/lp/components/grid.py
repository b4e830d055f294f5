r"""Grid: interconnection requests, connected capacity, regional headroom, grid draw.

Variables [GW facility]: requests ``grid_request[s,t]`` (on ``ST_grid``), the
connected stock ``connected[s,t]``, the average draw ``grid_draw[s,t]`` and the
elastic slack ``headroom_short[r,t]``.

.. math::

    connected_{s,t} &= connected_{s,t-1} + \kappa_{r(s)} \, grid\_request_{s,t-L_{r(s)}}
        + G^c_s [t = T_s],
        \quad connected_{s,-1} = \text{interconnected\_gw\_at\_start}_s
        && \texttt{grid\_balance}\\
    connected_{s,n-1} &\le \text{grid\_limit\_gw}_s \text{ (mutable)}
        && \texttt{grid\_limit}\\
    \sum_{s \in r} (connected_{s,t} - connected_{s,-1} - G^c_s [t \ge T_s])
        &\le H_{r,t} + headroom\_short_{r,t}
        && \texttt{headroom}\\
    grid\_draw_{s,t} &\le connected_{s,t} && \texttt{grid\_capacity}\\
    billed_{s,t} &\ge grid\_draw_{s,t}, \quad
    billed_{s,t} \ge \mu \, connected_{s,t} && \texttt{minimum\_bill}

``connected`` only grows, so the site's grid limit is imposed on the last
period. A signed utility contract (FIGURES A2: DTE's 1.4 GW for Saline Twp.)
is not a queue request: the site's ``contracted_grid_gw`` :math:`G^c_s`
connects in the period :math:`T_s` that holds ``contract_in_service_period``
(`ModelData.contract_connected_gw`), with no request, no lead time and no
interconnection payment (signed before the plan starts), and it does not use
the region's headroom, as in the simulation (`sd_model.buildout.contracts`).
It is billed like any connection from its date, used or not: the capacity
price on at least :math:`\mu` of it (the contract's minimum bill; MPSC's 80 %
for Saline is the default :math:`\mu`).

Headroom :math:`H_{r,t}` (mutable) counts new connections only; PPAs
do not relax it. Queue attrition is left to the stock-and-flow model: by
default (:math:`\kappa_r = 1`) the LP plans the requests that connect. The
connected share :math:`\kappa_r` (mutable, `ModelData.connection_share`) is
what a planner expects to connect per GW filed; the coupling sets it to the
share the simulation realised (`optimization.coupling.feedback`), so the LP
files :math:`1/\kappa_r` GW per GW it needs and pays the interconnection
charge on all of it.

Connections are not free (large-load tariffs bill them whether used or
not): a request pays ``costs.interconnection_busd_per_gw`` (transmission and
substation contribution) when it is made, and the capacity and delivery
(transmission) prices are billed on
the larger of the draw and :math:`\mu` = ``costs.minimum_demand_share`` of the
connected capacity (the tariff's minimum bill). So a connection without IT
load costs money and is never chosen for nothing.

Cost terms [$B per period]: ``grid_energy`` = wholesale price × hours × draw +
(capacity + delivery price) × hours × billed, i.e. the delivered price (wholesale +
capacity + delivery, docs/scenario-format.md "Energy prices") whenever the draw is
above the minimum bill; ``interconnection`` (cash, at the request);
``interconnection_salvage`` (book value left at the horizon end, straight
line over the shell life); ``headroom_shortfall`` (penalty, per GW-year).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from optimization.lp.component import ParameterValues
from optimization.lp.components.sets import register_cost, register_slack
from optimization.lp.data import ModelData

__all__ = ["MUTABLE_KEYS", "add", "parameters"]


MUTABLE_KEYS: tuple[str, ...] = (
    "sites.*.grid_limit_gw",
    "headroom.*.headroom_gw",
    "regions.*.wholesale_price_usd_per_mwh",
    "regions.*.capacity_price_usd_per_mwh",
    "regions.*.delivery_price_usd_per_mwh",
)


def parameters(data: ModelData) -> ParameterValues:
    """Grid limits and headroom [GW facility], prices [$B per GW-period], connected shares [-]."""
    sites, regions = data.sites, data.regions
    # a site already connected beyond its limit keeps what it has
    limit = sites["grid_limit_gw"].clip(lower=sites["interconnected_gw_at_start"])
    headroom = data.frames.headroom_gw
    return {
        "p_grid_limit": limit.to_dict(),
        "p_headroom": {
            (r, t): float(headroom[r].iloc[t]) for r in regions.index for t in range(data.n_periods)
        },
        "p_wholesale_price": data.busd_per_gw_period(
            regions["wholesale_price_usd_per_mwh"]
        ).to_dict(),
        "p_capacity_price": data.busd_per_gw_period(
            regions["capacity_price_usd_per_mwh"]
        ).to_dict(),
        "p_connect_share": {
            str(r): float(data.connection_share.get(str(r), 1.0)) for r in regions.index
        },
        "p_delivery_price": data.busd_per_gw_period(
            regions["delivery_price_usd_per_mwh"]
        ).to_dict(),
    }


def add(m: Any, data: ModelData) -> None:
    """Declare interconnection, headroom and grid-draw limits and the energy cost.

    Long because it declares the component's equations in the order of the module's maths.
    """
    sites = data.sites
    region_of = {str(s): str(r) for s, r in sites["region"].items()}
    grid0 = sites["interconnected_gw_at_start"].to_dict()
    contract = data.contract_connected_gw
    arriving = contract.diff().fillna(contract).to_dict()  # {site: {period: GW connecting}}
    in_service = contract.to_dict()
    label = m.period_label
    region_lead = data.lead_periods(data.regions["interconnection_lead_quarters"]).to_dict()
    sites_in: dict[str, list[str]] = defaultdict(list)
    for s, r in region_of.items():
        sites_in[r].append(s)
    last = data.n_periods - 1
    values = parameters(data)
    m.p_grid_limit = pyo.Param(m.S, mutable=True, initialize=values["p_grid_limit"])
    m.p_headroom = pyo.Param(m.R, m.T, mutable=True, initialize=values["p_headroom"])
    m.p_wholesale_price = pyo.Param(m.R, mutable=True, initialize=values["p_wholesale_price"])
    m.p_capacity_price = pyo.Param(m.R, mutable=True, initialize=values["p_capacity_price"])
    m.p_connect_share = pyo.Param(m.R, mutable=True, initialize=values["p_connect_share"])
    m.p_delivery_price = pyo.Param(m.R, mutable=True, initialize=values["p_delivery_price"])
    m.grid_request = pyo.Var(m.ST_grid, domain=pyo.NonNegativeReals)
    m.connected = pyo.Var(m.S, m.T, domain=pyo.NonNegativeReals)
    m.grid_draw = pyo.Var(m.S, m.T, domain=pyo.NonNegativeReals)
    m.billed = pyo.Var(m.S, m.T, domain=pyo.NonNegativeReals)
    m.headroom_short = pyo.Var(m.R, m.T, bounds=(0.0, m.p_slack_ub))
    register_slack(m, m.headroom_short)

    def grid_balance(m: Any, s: str, t: int) -> Any:
        before = m.connected[s, t - 1] if t > 0 else grid0[s]
        start = t - region_lead[region_of[s]]
        share = m.p_connect_share[region_of[s]]
        online = share * m.grid_request[s, start] if start >= 0 else 0.0
        return m.connected[s, t] == before + online + arriving[s][label[t]]

    def headroom(m: Any, r: str, t: int) -> Any:
        if not sites_in[r]:
            return pyo.Constraint.Skip
        existing = sum(grid0[s] + in_service[s][label[t]] for s in sites_in[r])
        new = sum(m.connected[s, t] for s in sites_in[r]) - m.headroom_short[r, t]
        return new <= m.p_headroom[r, t] + existing

    m.grid_balance = pyo.Constraint(m.S, m.T, rule=grid_balance)
    m.grid_limit = pyo.Constraint(m.S, rule=lambda m, s: m.connected[s, last] <= m.p_grid_limit[s])
    m.headroom = pyo.Constraint(m.R, m.T, rule=headroom)
    m.grid_capacity = pyo.Constraint(
        m.S, m.T, rule=lambda m, s, t: m.grid_draw[s, t] <= m.connected[s, t]
    )
    share = data.scenario.costs.minimum_demand_share
    m.billed_draw = pyo.Constraint(
        m.S, m.T, rule=lambda m, s, t: m.billed[s, t] >= m.grid_draw[s, t]
    )
    m.minimum_bill = pyo.Constraint(
        m.S, m.T, rule=lambda m, s, t: m.billed[s, t] >= share * m.connected[s, t]
    )
    m.grid_energy = pyo.Expression(
        m.T,
        rule=lambda m, t: sum(
            m.p_wholesale_price[region_of[s]] * m.grid_draw[s, t]
            + (m.p_capacity_price[region_of[s]] + m.p_delivery_price[region_of[s]]) * m.billed[s, t]
            for s in m.S
        ),
    )
    _connection_costs(m, data)
    penalty = data.per_period(data.penalties.headroom_busd_per_gw_year)
    m.headroom_shortfall_cost = pyo.Expression(
        m.T, rule=lambda m, t: penalty * sum(m.headroom_short[r, t] for r in m.R)
    )
    register_cost(m, "grid_energy", m.grid_energy, kind="cash")
    register_cost(m, "headroom_shortfall", m.headroom_shortfall_cost, kind="penalty")


def _connection_costs(m: Any, data: ModelData) -> None:
    """The interconnection payment at each request, and its book value at the end."""
    cost = data.scenario.costs.interconnection_busd_per_gw
    salvage = data.salvage_fraction(data.scenario.costs.shell_life_years)
    requests_in: dict[int, list[str]] = defaultdict(list)
    for s, t in m.ST_grid:
        requests_in[t].append(s)
    m.interconnection = pyo.Expression(
        m.T, rule=lambda m, t: cost * sum(m.grid_request[s, t] for s in requests_in[t])
    )
    m.interconnection_salvage = pyo.Expression(
        m.T, rule=lambda m, t: -float(salvage[t]) * m.interconnection[t]
    )
    register_cost(m, "interconnection", m.interconnection, kind="cash")
    register_cost(m, "interconnection_salvage", m.interconnection_salvage, kind="noncash")
