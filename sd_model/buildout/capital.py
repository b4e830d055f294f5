r"""Capital: cash, debt, vendor financing, warrants, and what cash pays for [$B].

.. math::

    \dot{\text{cash}} = F(t) + \text{revenue} + VF + \text{borrowing}
    - (\text{IT, shell, on-site capex} + \text{grid energy} + \text{on-site fuel}
       + \text{PPA} + \text{opex} + \text{off-site lease} + \text{lease payments}
       + \text{vendor debt service} + \text{interest} + \text{repayment})

* Lease payments to lessors are computed in :mod:`~sd_model.buildout.leases`,
  vendor debt service (vendor money on debt terms) in :mod:`~sd_model.buildout.vendor_money`.
* IT capex is paid on delivery (``capex_busd_per_gw``); shell and on-site
  capex are paid evenly over construction (under construction × cost / lead).
* Vendor financing :math:`VF_v = \min(f_v d_v, (\overline F_v - \text{cum}_v)/dt)`,
  ``financing_busd_per_gw`` per GW delivered up to ``financing_cap_busd``
  (``vendor_financing`` loop).
* Debt: the credit line is :math:`\min(\overline B, \lambda \cdot \text{cum. facility capex})`
  (``debt_capacity_busd``, loan-to-cost ``facility_debt_share``). Borrow
  :math:`\min(\text{credit}/dt, \max(0, c^* - \text{cash})/\tau_d)` with the
  cash target :math:`c^*` = ``cash_buffer_quarters`` of outflows; repay
  :math:`\min(\text{debt}, \max(0, \text{cash} - 2c^*))/\tau_d`; interest at
  ``debt_rate_per_year`` on the debt.
* Warrants: share price :math:`p_v = p_{v,0}\max(0, 1 + \beta_v \cdot \text{delivered}_v)`
  (``share_price_response`` loop; else :math:`p_{v,0}`); vested shares =
  shares × min(1, delivered / ``warrant_full_vest_gw``), the final 1-GW
  tranche only once :math:`p_v \ge` ``warrant_price_hurdle_usd``; value =
  vested × price. Non-cash, but ``warrant_liquidity_share`` of it counts as
  liquidity (pledged shares).
* Budget rule (``budget_limited_ordering``): liquidity = cash + unused credit
  + pledgeable warrant value; deliveries are scaled by
  :math:`\phi = \min(1, \text{liquidity}/\tau_d \,/\, \text{net cost of desired deliveries})`;
  what is not delivered stays on order (deferred).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sd_model.buildout.arrays import by_site, ratio, reading, site_total, total, vendor_total
from sd_model.buildout.context import Context
from sd_model.buildout.vendor_terms import add_vendor_terms
from sd_model.engine import EquationSpec, Model

__all__ = ["CASH_INFLOWS", "CASH_OUTFLOWS", "ENERGY_COSTS", "add"]

#: Flows into cash [$B/period].
CASH_INFLOWS = (
    "funding_busd_per_period",
    "revenue_to_cash_busd_per_period",
    "vendor_financing_busd_per_period",
    "borrowed_busd_per_period",
)
#: Flows out of cash [$B/period].
CASH_OUTFLOWS = (
    "it_capex_busd_per_period",
    "shell_capex_busd_per_period",
    "onsite_capex_busd_per_period",
    "grid_energy_cost_busd_per_period",
    "onsite_fuel_cost_busd_per_period",
    "ppa_cost_busd_per_period",
    "opex_busd_per_period",
    "offsite_lease_busd_per_period",
    "lease_payment_busd_per_period",
    "vendor_debt_payment_busd_per_period",
    "interest_busd_per_period",
    "repayment_busd_per_period",
)
_SPENDING = CASH_OUTFLOWS[:-1]
#: Energy costs [$B/period] (what cost per MWh divides).
ENERGY_COSTS = CASH_OUTFLOWS[3:6]


def add(m: Model, ctx: Context) -> None:
    """Declare cash, debt, vendor financing, warrants, costs and the budget rule."""
    m.stock("cash_busd", "starting_cash_busd", units="$B")
    _costs(m, ctx)
    add_vendor_terms(m, ctx)
    _debt(m, ctx)
    _budget(m, ctx)
    _cash_flows(m, ctx)


def _delivered_price(
    wholesale_price_usd_per_mwh: Any,
    capacity_price_usd_per_mwh: Any,
    delivery_price_usd_per_mwh: Any,
) -> Any:
    """Delivered grid price [$/MWh]: wholesale energy + capacity + transmission/delivery."""
    return wholesale_price_usd_per_mwh + capacity_price_usd_per_mwh + delivery_price_usd_per_mwh


def _onsite_energy_cost(hours: float, ppy: float) -> Any:
    """On-site cost due [$B/period]: draw × fuel and O&M per MWh + operating × fixed O&M."""

    def cost(
        onsite_draw_gw: Any,
        onsite_cost_usd_per_mwh: Any,
        onsite_operating_gw: Any,
        onsite_fixed_om_busd_per_gw_year: Any,
    ) -> Any:
        fuel = total(onsite_draw_gw * onsite_cost_usd_per_mwh) * hours / 1e6
        return fuel + total(onsite_operating_gw * onsite_fixed_om_busd_per_gw_year) / ppy

    return cost


def _costs(m: Model, ctx: Context) -> None:
    """Declare every cost flow of the build-out (capex, energy, fuel, PPA, opex, leases).

    Long because it declares the sector's equations together, in the order of the module's maths.
    """
    ppy, hours, member = ctx.ppy, ctx.hours_per_period, ctx.membership
    m.aux(
        "it_capex_due_busd_per_period",
        lambda delivering_gw_per_period, it_capex_busd_per_gw: vendor_total(
            delivering_gw_per_period * it_capex_busd_per_gw
        ),
        units="$B/period",
    )
    m.aux(
        "shell_capex_due_busd_per_period",
        lambda shells_under_construction_gw, shell_capex_busd_per_gw, shell_lead_periods: (
            site_total(shells_under_construction_gw * shell_capex_busd_per_gw / shell_lead_periods)
        ),
        units="$B/period",
    )
    m.aux(
        "onsite_capex_due_busd_per_period",
        lambda onsite_under_construction_gw, onsite_capex_busd_per_gw, onsite_lead_periods: (
            site_total(
                onsite_under_construction_gw * onsite_capex_busd_per_gw / onsite_lead_periods
            )
        ),
        units="$B/period",
    )
    m.aux(
        "delivered_price_usd_per_mwh",
        _delivered_price,
        dims=("region",),
        units="$/MWh",
        doc="Delivered grid price by region: wholesale + capacity + delivery adders.",
    )
    m.aux(
        "grid_energy_cost_due_busd_per_period",
        lambda grid_draw_gw, delivered_price_usd_per_mwh: (
            total(grid_draw_gw * by_site(delivered_price_usd_per_mwh, member)) * hours / 1e6
        ),
        units="$B/period",
    )
    m.aux(
        "onsite_fuel_cost_due_busd_per_period",
        _onsite_energy_cost(hours, ppy),
        units="$B/period",
        doc="On-site fuel and O&M per MWh drawn, plus fixed O&M of the operating plant.",
    )
    m.aux(
        "ppa_cost_due_busd_per_period",
        lambda clean_energy_twh_per_period, ppa_price_usd_per_mwh, wholesale_price_usd_per_mwh: (
            total(
                clean_energy_twh_per_period * (ppa_price_usd_per_mwh - wholesale_price_usd_per_mwh)
            )
            / 1000.0
        ),
        units="$B/period",
        doc="Virtual-PPA settlement: energy x (strike - wholesale).",
    )
    m.aux(
        "opex_due_busd_per_period",
        lambda site_load_gw, opex_busd_per_gw_year: (
            site_total(site_load_gw) * opex_busd_per_gw_year / ppy
        ),
        units="$B/period",
    )
    m.aux(
        "offsite_lease_due_busd_per_period",
        lambda offsite_load_gw, offsite_lease_busd_per_gw_year: (
            offsite_load_gw * offsite_lease_busd_per_gw_year / ppy
        ),
        units="$B/period",
    )
    m.aux(
        "interest_due_busd_per_period",
        lambda debt_busd, debt_rate_per_year: debt_busd * debt_rate_per_year / ppy,
        units="$B/period",
    )
    m.aux(
        "idle_depreciation_busd_per_period",
        lambda stranded_gw, it_capex_busd_per_gw, it_life_periods: vendor_total(
            stranded_gw * it_capex_busd_per_gw / it_life_periods
        ),
        units="$B/period",
        doc="Depreciation of delivered hardware that is not running (non-cash).",
    )


def _debt(m: Model, ctx: Context) -> None:
    q2p = ctx.q2p
    m.stock("debt_busd", 0.0, units="$B", non_negative=True)
    m.stock("facility_capex_cum_busd", 0.0, units="$B")
    m.flow(
        "facility_capex_cum_inflow_busd_per_period",
        lambda shell_capex_busd_per_period, onsite_capex_busd_per_period: (
            shell_capex_busd_per_period + onsite_capex_busd_per_period
        ),
        to_stock="facility_capex_cum_busd",
        units="$B/period",
    )
    m.aux(
        "credit_limit_busd",
        lambda debt_capacity_busd, facility_debt_share, facility_capex_cum_busd: np.minimum(
            debt_capacity_busd, facility_debt_share * facility_capex_cum_busd
        ),
        units="$B",
    )
    m.aux(
        "available_credit_busd",
        lambda credit_limit_busd, debt_busd: np.maximum(credit_limit_busd - debt_busd, 0.0),
        units="$B",
    )
    m.aux("spending_busd_per_period", _sum_of(_SPENDING), units="$B/period")
    m.aux(
        "cash_target_busd",
        lambda cash_buffer_quarters, spending_busd_per_period: (
            cash_buffer_quarters * q2p * spending_busd_per_period
        ),
        units="$B",
    )
    m.flow(
        "borrowing_busd_per_period",
        lambda available_credit_busd, cash_target_busd, cash_busd, decision_quarters, dt: (
            np.minimum(
                available_credit_busd / dt,
                np.maximum(cash_target_busd - cash_busd, 0.0) / (decision_quarters * q2p),
            )
        ),
        to_stock="debt_busd",
        units="$B/period",
    )
    m.flow(
        "repaying_busd_per_period",
        lambda debt_busd, cash_busd, cash_target_busd, decision_quarters: (
            np.minimum(debt_busd, np.maximum(cash_busd - 2.0 * cash_target_busd, 0.0))
            / (decision_quarters * q2p)
        ),
        from_stock="debt_busd",
        units="$B/period",
    )


def _budget(m: Model, ctx: Context) -> None:
    q2p, limited = ctx.q2p, ctx.on("budget_limited_ordering")
    financing = 1.0 if ctx.on("vendor_financing") else 0.0
    m.aux(
        ctx.hooked("liquidity_busd"),
        lambda cash_busd, available_credit_busd, warrant_liquidity_share, warrant_value_busd: (
            np.maximum(
                cash_busd
                + available_credit_busd
                + warrant_liquidity_share * vendor_total(warrant_value_busd),
                0.0,
            )
        ),
        units="$B",
        doc="Cash, unused credit and pledgeable warrant value.",
    )

    def desired_spend(
        desired_delivery_gw_per_period: Any,
        it_capex_busd_per_gw: Any,
        financing_busd_per_gw: Any,
        vendor_financing_room_busd: Any,
    ) -> Any:
        financed = financing * financing_busd_per_gw * (vendor_financing_room_busd > 0)
        net = np.maximum(it_capex_busd_per_gw - financed, 0.0)
        return vendor_total(desired_delivery_gw_per_period * net)

    m.aux(
        "desired_it_spend_busd_per_period",
        desired_spend,
        units="$B/period",
        doc="Net cost of the desired deliveries after vendor financing.",
    )

    def fraction(
        liquidity_busd: Any, desired_it_spend_busd_per_period: Any, decision_quarters: Any
    ) -> Any:
        if not limited:
            return np.ones_like(desired_it_spend_busd_per_period)
        affordable = liquidity_busd / (decision_quarters * q2p)
        share = np.minimum(1.0, ratio(affordable, desired_it_spend_busd_per_period))
        return np.where(desired_it_spend_busd_per_period > 0, share, 1.0)

    m.aux(
        "budget_fraction",
        fraction,
        doc="Share of the desired deliveries that cash and credit can pay for.",
    )


def _cash_flows(m: Model, ctx: Context) -> None:
    """Declare the cash stock's inflows and outflows and what is left unfunded.

    Long because it declares the sector's equations together, in the order of the module's maths.
    """
    revenue = ctx.on("revenue_cash_orders")
    inflows: dict[str, EquationSpec] = {
        "funding_busd_per_period": "external_funding_base",
        "vendor_financing_busd_per_period": _vendor_sum,
        "borrowed_busd_per_period": "borrowing_busd_per_period",
        "revenue_to_cash_busd_per_period": (
            "revenue_busd_per_period" if revenue else (lambda revenue_busd_per_period: 0.0)
        ),
    }
    for name, equation in inflows.items():
        m.flow(name, equation, to_stock="cash_busd", units="$B/period")
    for name in CASH_OUTFLOWS:
        due = (
            "repaying_busd_per_period"
            if name.startswith("repay")
            else name.replace("_busd_per_period", "_due_busd_per_period")
        )
        if ctx.counterparties and name == "lease_payment_busd_per_period":
            due = "lease_payment_made_busd_per_period"  # what the lab pays (it may defer)
        m.flow(name, due, from_stock="cash_busd", units="$B/period")
    m.stock("cash_inflows_cum_busd", 0.0, units="$B")
    m.stock("cash_outflows_cum_busd", 0.0, units="$B")
    m.flow(
        "cash_inflows_cum_inflow_busd_per_period",
        _sum_of(CASH_INFLOWS),
        to_stock="cash_inflows_cum_busd",
        units="$B/period",
    )
    m.flow(
        "cash_outflows_cum_inflow_busd_per_period",
        _sum_of(CASH_OUTFLOWS),
        to_stock="cash_outflows_cum_busd",
        units="$B/period",
    )
    m.stock("it_capex_cum_busd", 0.0, units="$B")
    m.flow(
        "it_capex_cum_inflow_busd_per_period",
        "it_capex_busd_per_period",
        to_stock="it_capex_cum_busd",
        units="$B/period",
    )
    m.stock("energy_cost_cum_busd", 0.0, units="$B", doc="Grid energy, on-site fuel and PPA.")
    m.flow(
        "energy_cost_cum_inflow_busd_per_period",
        _sum_of(ENERGY_COSTS),
        to_stock="energy_cost_cum_busd",
        units="$B/period",
    )
    m.stock("load_energy_cum_twh", 0.0, units="TWh", doc="Facility energy at the sites.")
    m.flow(
        "load_energy_cum_inflow_twh_per_period",
        "load_energy_twh_per_period",
        to_stock="load_energy_cum_twh",
        units="TWh/period",
    )
    m.aux(
        "funding_gap_busd",
        lambda cash_busd: np.maximum(-cash_busd, 0.0),
        units="$B",
        doc="Cash needed that neither funding, revenue nor credit provided.",
    )


def _vendor_sum(vendor_financing_by_vendor_busd_per_period: Any) -> Any:
    return vendor_total(vendor_financing_by_vendor_busd_per_period)


def _sum_of(names: tuple[str, ...]) -> Any:
    def add_up(*values: Any) -> Any:
        return sum(values)

    return reading(add_up, *names)
