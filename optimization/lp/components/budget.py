r"""Budget: a cash stock per period, vendor financing, debt and interest.

Variables [$B]: ``cash[t]``, ``debt[t]``, ``borrow[t]``, ``repay[t]``,
vendor financing received ``vendor_finance[v,t]`` (on ``VT``), the
cumulative facility capex ``facility_capex_cum[t]`` and the elastic slack
``budget_overrun[t]`` (cash injected to keep cash non-negative).

.. math::

    cash_t &= cash_{t-1} + F_t + \sum_v vendor\_finance_{v,t} + borrow_t - repay_t
        - \rho \, debt_t - \sum_{c \in \text{cash costs}} C_{c,t} + budget\_overrun_t,
        \quad cash_{-1} = \text{starting\_cash} && \texttt{cash\_balance}\\
    debt_t &= debt_{t-1} + borrow_t - repay_t, \quad debt_{-1} = 0
        && \texttt{debt\_balance}\\
    debt_t &\le \overline{B} && \texttt{debt\_limit}\\
    debt_t &\le \lambda \, facility\_capex\_cum_t && \texttt{debt\_ltc}\\
    facility\_capex\_cum_t &= facility\_capex\_cum_{t-1} + C_{shell,t} + C_{onsite,t}
        && \texttt{facility\_capex\_balance}\\
    vendor\_finance_{v,t} &\le f_v \, deliver_{v,t} && \texttt{vendor\_finance\_rate}\\
    \sum_t vendor\_finance_{v,t} &\le \overline{F}_v && \texttt{vendor\_finance\_cap}

:math:`F_t` is external funding (each year's amount spread over its periods),
:math:`\rho` the debt rate per period, :math:`\lambda` the facility debt share
(loan-to-cost), the cash costs :math:`C_{c,t}` every term registered with
``cash=True`` (capex, opex, energy, PPA settlement, on-site fuel) plus
interest. ``cash``, ``debt`` and the flows are non-negative. Starting cash,
funding, debt capacity and debt rate are mutable.

Financing flows are not costs: the objective sees interest, not principal
(terminal debt is left outstanding). Revenue is a cash term (a negative
cost, from `optimization.lp.components.demand`), so what the plan earns pays
for what it buys. ``budget_overrun`` is new money raised in an emergency when
cash would otherwise fall below zero: its principal is financing like any
equity, and its cost is the premium ``financing.emergency_funding_premium``
per $ raised (down-round dilution and fees) — money, not a penalty; strict
mode forbids it. Cost terms [$B per period]: ``interest`` (cash) and
``emergency_funding_premium`` (noncash). The dual of ``cash_balance`` is the
NPV value of $1B more cash in the period.
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from optimization.lp.component import ParameterValues
from optimization.lp.components.sets import register_cost, register_slack
from optimization.lp.data import ModelData

__all__ = ["MUTABLE_KEYS", "add", "parameters"]


MUTABLE_KEYS: tuple[str, ...] = (
    "financing.starting_cash_busd",
    "financing.external_funding_busd_by_year",
    "financing.external_funding_busd_by_year.*",
    "financing.debt_capacity_busd",
    "financing.debt_rate_per_year",
)


def parameters(data: ModelData) -> ParameterValues:
    """Starting cash and funding per period [$B], debt limit [$B] and rate [per period]."""
    financing = data.scenario.financing
    return {
        "p_cash0": {None: financing.starting_cash_busd},
        "p_funding": dict(enumerate(data.frames.external_funding_busd.to_numpy().tolist())),
        "p_debt_cap": {None: financing.debt_capacity_busd},
        "p_debt_rate": {None: data.per_period(financing.debt_rate_per_year)},
    }


def add(m: Any, data: ModelData) -> None:
    """Declare cash and debt stocks, vendor financing and the cash balance.

    Long because it declares the component's equations in the order of the module's maths.
    """
    n = data.n_periods
    financed_per_gw = data.vendors["financing_busd_per_gw"].to_dict()
    financing_cap = data.vendors["financing_cap_busd"].to_dict()
    debt_share = data.scenario.financing.facility_debt_share
    values = parameters(data)
    m.p_cash0 = pyo.Param(mutable=True, initialize=values["p_cash0"][None])
    m.p_funding = pyo.Param(m.T, mutable=True, initialize=values["p_funding"])
    m.p_debt_cap = pyo.Param(mutable=True, initialize=values["p_debt_cap"][None])
    m.p_debt_rate = pyo.Param(mutable=True, initialize=values["p_debt_rate"][None])
    nonneg = pyo.NonNegativeReals
    m.cash = pyo.Var(m.T, domain=nonneg)
    m.debt = pyo.Var(m.T, domain=nonneg)
    m.borrow = pyo.Var(m.T, domain=nonneg)
    m.repay = pyo.Var(m.T, domain=nonneg)
    m.facility_capex_cum = pyo.Var(m.T, domain=nonneg)
    m.VT_fin = pyo.Set(
        dimen=2,
        ordered=True,
        initialize=[(v, t) for v, t in m.VT if financed_per_gw[v] > 0],
    )
    m.vendor_finance = pyo.Var(m.VT_fin, domain=nonneg)
    m.budget_overrun = pyo.Var(m.T, bounds=(0.0, m.p_slack_ub))
    register_slack(m, m.budget_overrun)

    m.interest = pyo.Expression(m.T, rule=lambda m, t: m.p_debt_rate * m.debt[t])
    register_cost(m, "interest", m.interest, kind="cash")
    cash_costs = [term.expression for term in m.cost_terms if term.cash]
    fin_in: dict[int, list[str]] = {t: [] for t in range(n)}
    for v, t in m.VT_fin:
        fin_in[t].append(v)

    def cash_balance(m: Any, t: int) -> Any:
        before = m.cash[t - 1] if t > 0 else 0.0
        inflow = sum(m.vendor_finance[v, t] for v in fin_in[t]) + m.borrow[t] - m.repay[t]
        outflow = sum(cost[t] for cost in cash_costs)
        body = m.cash[t] - before - inflow + outflow - m.budget_overrun[t]
        return body == m.p_funding[t] + (m.p_cash0 if t == 0 else 0.0)

    def debt_balance(m: Any, t: int) -> Any:
        before = m.debt[t - 1] if t > 0 else 0.0
        return m.debt[t] == before + m.borrow[t] - m.repay[t]

    def facility_capex_balance(m: Any, t: int) -> Any:
        before = m.facility_capex_cum[t - 1] if t > 0 else 0.0
        return m.facility_capex_cum[t] == before + m.shell_capex[t] + m.onsite_capex[t]

    m.cash_balance = pyo.Constraint(m.T, rule=cash_balance)
    m.debt_balance = pyo.Constraint(m.T, rule=debt_balance)
    m.facility_capex_balance = pyo.Constraint(m.T, rule=facility_capex_balance)
    m.debt_limit = pyo.Constraint(m.T, rule=lambda m, t: m.debt[t] <= m.p_debt_cap)
    m.debt_ltc = pyo.Constraint(
        m.T, rule=lambda m, t: m.debt[t] <= debt_share * m.facility_capex_cum[t]
    )
    m.vendor_finance_rate = pyo.Constraint(
        m.VT_fin,
        rule=lambda m, v, t: m.vendor_finance[v, t] <= financed_per_gw[v] * m.deliver[v, t],
    )
    m.vendor_finance_cap = pyo.Constraint(
        m.V,
        rule=lambda m, v: (
            sum(m.vendor_finance[vv, t] for vv, t in m.VT_fin if vv == v) <= financing_cap[v]
            if financed_per_gw[v] > 0
            else pyo.Constraint.Skip
        ),
    )
    premium = data.scenario.financing.emergency_funding_premium
    m.budget_overrun_cost = pyo.Expression(m.T, rule=lambda m, t: premium * m.budget_overrun[t])
    register_cost(m, "emergency_funding_premium", m.budget_overrun_cost, kind="noncash")
