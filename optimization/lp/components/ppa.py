r"""PPA: clean-energy contracts per region and technology, and the coverage target.

Variables: signings ``ppa_sign[k,t]`` [GW nameplate] on ``KT_sign``, the
delivering stock ``ppa_online[k,t]`` and the unbundled clean-energy
certificates bought ``coverage_short[t]`` [GW of average clean supply].

.. math::

    ppa\_online_{k,t} &= ppa\_online_{k,t-1} + ppa\_sign_{k,t-L_k},
        \quad ppa\_online_{k,-1} = 0 && \texttt{ppa\_balance}\\
    ppa\_online_{k,n-1} &\le \overline{P}_k \text{ (max\_gw, mutable)} && \texttt{ppa\_max}\\
    \sum_k c_k \, ppa\_online_{k,t} + coverage\_short_t
        &\ge \kappa_t \cdot \mathrm{PUE} \sum_s it_{s,t} && \texttt{coverage}\\
    \sum_k c_k \, ppa\_online_{k,t}
        &\le (1 + h) \, \mathrm{PUE} \sum_s it_{s,t} && \texttt{ppa\_matching}

Both sides of ``coverage`` are energies divided by the hours of the period,
so it is per-period (annual-style) matching of contracted clean energy
against facility load energy at the candidate sites; :math:`c_k` is the
capacity factor and :math:`\kappa_t` the coverage target. PPAs are energy
contracts, not firm capacity: they appear in no grid or power constraint.
Contract tenors are assumed to outlast the horizon. ``ppa_matching`` bounds
contracted clean energy by the load's own energy plus a hedge allowance
:math:`h` (``policy.ppa_hedge_allowance``), so that no PPA is signed for
arbitrage where the lab has no load. The target is soft at a stated price:
where PPAs fall short the plan buys unbundled certificates at
``policy.clean_certificate_price_usd_per_mwh``, money like any other cost.

Cost terms [$B per period]: ``ppa`` = contracted energy × (strike − the
region's wholesale energy price), the settlement of a virtual (financial)
PPA; the load keeps buying its energy from the grid. ``clean_certificates``
= certificate price × hours × ``coverage_short`` (cash).
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from optimization.lp.component import ParameterValues
from optimization.lp.components.sets import register_cost
from optimization.lp.data import ModelData

__all__ = ["MUTABLE_KEYS", "add", "parameters"]


MUTABLE_KEYS: tuple[str, ...] = (
    "ppa_options.*.price_usd_per_mwh",
    "ppa_options.*.max_gw",
    "policy.ppa_coverage_target_by_year",
    "policy.ppa_coverage_target_by_year.*",
)


def parameters(data: ModelData) -> ParameterValues:
    """PPA strikes [$B per GW-period], nameplate limits [GW] and coverage targets [-]."""
    ppas = data.ppa_options
    return {
        "p_ppa_price": data.busd_per_gw_period(ppas["price_usd_per_mwh"]).to_dict(),
        "p_ppa_max": ppas["max_gw"].to_dict(),
        "p_coverage": dict(enumerate(data.frames.ppa_coverage_target.to_numpy().tolist())),
    }


def add(m: Any, data: ModelData) -> None:
    """Declare PPA contracts, their limits and the per-period coverage target."""
    n = data.n_periods
    ppas = data.ppa_options
    region_of = ppas["region"].to_dict()
    cf = ppas["capacity_factor"].to_dict()
    lead = data.lead_periods(ppas["lead_quarters"]).to_dict()
    pue = data.scenario.pue
    values = parameters(data)
    m.p_ppa_price = pyo.Param(m.K, mutable=True, initialize=values["p_ppa_price"])
    m.p_ppa_max = pyo.Param(m.K, mutable=True, initialize=values["p_ppa_max"])
    m.p_coverage = pyo.Param(m.T, mutable=True, initialize=values["p_coverage"])
    m.ppa_sign = pyo.Var(m.KT_sign, domain=pyo.NonNegativeReals)
    m.ppa_online = pyo.Var(m.K, m.T, domain=pyo.NonNegativeReals)
    m.coverage_short = pyo.Var(m.T, domain=pyo.NonNegativeReals)

    def ppa_balance(m: Any, k: str, t: int) -> Any:
        before = m.ppa_online[k, t - 1] if t > 0 else 0.0
        start = t - lead[k]
        online = m.ppa_sign[k, start] if start >= 0 else 0.0
        return m.ppa_online[k, t] == before + online

    m.ppa_balance = pyo.Constraint(m.K, m.T, rule=ppa_balance)
    m.ppa_max = pyo.Constraint(m.K, rule=lambda m, k: m.ppa_online[k, n - 1] <= m.p_ppa_max[k])
    m.coverage = pyo.Constraint(
        m.T,
        rule=lambda m, t: (
            sum(cf[k] * m.ppa_online[k, t] for k in m.K)
            + m.coverage_short[t]
            - m.p_coverage[t] * pue * sum(m.it[s, t] for s in m.S)
            >= 0.0
        ),
    )
    allowance = 1.0 + data.scenario.policy.ppa_hedge_allowance
    m.ppa_matching = pyo.Constraint(
        m.T,
        rule=lambda m, t: (
            sum(cf[k] * m.ppa_online[k, t] for k in m.K)
            <= allowance * pue * sum(m.it[s, t] for s in m.S)
        ),
    )
    m.ppa_cost = pyo.Expression(
        m.T,
        rule=lambda m, t: sum(
            cf[k] * (m.p_ppa_price[k] - m.p_wholesale_price[region_of[k]]) * m.ppa_online[k, t]
            for k in m.K
        ),
    )
    price = data.busd_per_gw_period(data.scenario.policy.clean_certificate_price_usd_per_mwh)
    m.certificate_cost = pyo.Expression(m.T, rule=lambda m, t: price * m.coverage_short[t])
    register_cost(m, "ppa", m.ppa_cost, kind="cash")
    register_cost(m, "clean_certificates", m.certificate_cost, kind="cash")
