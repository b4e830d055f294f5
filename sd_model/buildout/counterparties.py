r"""Counterparties under stress: lessors' and vendors' balance sheets and the loop through them.

Switched on with ``simulate(..., counterparties=True)``; off (the default),
the model is the one it always was. Each lessor and vendor with a row in
``counterparties.csv`` gets a liquidity stock; the rules, in the order money
moves (all in docs/buildout.md, "Counterparties under stress"):

* **The lab pays its leases while it can.** Lease payments due
  :math:`P_l` (full price on used, take-or-pay on idle GW) are paid in the
  share :math:`s = \min(1, \Lambda / (\sum_l P_l\, \max(\theta_{lab} q, 1)))`,
  :math:`\Lambda` the lab's liquidity, :math:`\theta_{lab}` the lab row's
  ``coverage_threshold_quarters``. The rest is *missed*, pro rata over the
  lessors, and becomes **arrears** :math:`A_l`. Arrears are repaid at
  :math:`A_l/\tau_c` (``deferred_catch_up_quarters``) out of liquidity above
  the cover, and *defaulted* (written off) at :math:`A_l /` ``DEFAULT_AFTER_QUARTERS``.
  Operating costs, energy and debt come first; purchases already follow the
  budget rule (deferred deliveries).
* **Lab payments are counterparty revenue.** Lessor liquidity
  :math:`\dot L_l = (1-c_l)\,\text{received}_l + C^o_l - DS_l` with
  :math:`DS_l` = ``debt_service_busd_per_year`` + ``debt_service_busd_per_gw_year``
  × contracted GW; vendor liquidity
  :math:`\dot L_v = (1-c_v)\,\text{sales}_v + C^o_v - DS_v - VF_v`
  (:math:`c` = ``cost_share_of_lab_revenue``, :math:`C^o` =
  ``cash_flow_from_others_busd_per_year``).
* **Breach**: :math:`L_p < \theta_p \cdot DS_p` per quarter (a liquidity
  covenant of ``coverage_threshold_quarters`` of debt service; with no debt
  service, liquidity below 0).
* **Under breach** a lessor withholds ``cut_on_breach`` of the leased capacity
  (and is paid only for what it supplies) and a vendor cuts its financing by
  ``cut_on_breach`` and makes ``delivery_share_on_breach`` of the deliveries
  it owes (the rest stays on order, caught up as deferred deliveries).
* **Valuations**: each party's valuation factor moves over ``decision_quarters``
  towards :math:`1 - \mu_p \max(\text{breach}_p, 1 - s)` (``markdown_on_stress``);
  the lab's towards :math:`1 - \mu_{lab}(1 - s)`. A vendor's share price is the
  deployment-driven price × its factor (so the lab's warrants lose value); a
  lessor's equity = start value × factor; the lab's = start value × revenue
  run-rate / start run-rate × factor (a constant revenue multiple).
* **Back to the lab**: ``warrant_liquidity_share`` of the stakes the lab holds
  counts as liquidity, like its warrants.

Stocks decide breaches and factors, so the loop has no algebraic cycle.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sd_model.buildout.arrays import lessor_total, ratio, reading, vendor_total
from sd_model.buildout.context import Context, L, V
from sd_model.buildout.counterparty_leases import lease_terms
from sd_model.engine import Model

__all__ = ["add", "breach_equation"]


def add(m: Model, ctx: Context, constants: dict[str, tuple[tuple[str, ...], Any]]) -> None:
    """Declare the counterparty loop with its ``constants`` (see `counterparty_constants`)."""
    for name, (dims, value) in constants.items():
        m.constant(name, value, dims=dims)
    _lab(m, ctx)
    if ctx.has_lessors:
        lease_terms(m, ctx)
        _lessor_books(m, ctx)
    else:
        m.aux("lab_payment_share", 1.0, doc="Share of the lease payments due the lab pays [-].")
        for name in ("lease_payment_made", "lab_missed", "lab_defaulted"):
            m.aux(f"{name}_busd_per_period", 0.0, units="$B/period")
        m.aux("lab_stakes_in_lessors_busd", 0.0, units="$B")
    _vendors(m, ctx)
    for name, dims in (("vendor", V), ("lessor", L), ("lab", ())):
        if name != "lessor" or ctx.has_lessors:
            _valuation(m, ctx, name, dims)


def _lab(m: Model, ctx: Context) -> None:
    q2p, ppy = ctx.q2p, ctx.ppy
    m.aux(
        "lab_stakes_value_busd",
        lambda lab_stake_in_vendor, vendor_equity_value_busd, lab_stakes_in_lessors_busd: (
            vendor_total(lab_stake_in_vendor * vendor_equity_value_busd)
            + lab_stakes_in_lessors_busd
        ),
        units="$B",
        doc="Value of the lab's stakes in vendors and lessors.",
    )
    m.aux(
        "liquidity_busd",
        lambda liquidity_busd_before_stress, warrant_liquidity_share, lab_stakes_value_busd: (
            liquidity_busd_before_stress + warrant_liquidity_share * lab_stakes_value_busd
        ),
        units="$B",
        doc="Cash, unused credit, pledgeable warrant and stake value.",
    )
    m.aux(
        "lab_payment_cover_periods",
        lambda lab_coverage_threshold_quarters: np.maximum(
            lab_coverage_threshold_quarters * q2p, 1.0
        ),
        units="period",
        doc="Periods of lease payments the lab keeps covered before it defers.",
    )
    m.aux(
        "lab_revenue_run_rate_busd_per_year",
        lambda revenue_busd_per_period: revenue_busd_per_period * ppy,
        units="$B/yr",
    )
    m.stock(
        "lab_revenue_run_rate_at_start_busd_per_year",
        "lab_revenue_run_rate_busd_per_year",
        units="$B/yr",
        doc="The run-rate at the start, which the lab's equity value is a multiple of.",
    )
    m.aux(
        "lab_equity_value_busd",
        reading(
            lambda start, rate, rate_at_start, factor: start * ratio(rate, rate_at_start) * factor,
            "lab_equity_value_busd_at_start",
            "lab_revenue_run_rate_busd_per_year",
            "lab_revenue_run_rate_at_start_busd_per_year",
            "lab_valuation_factor",
        ),
        units="$B",
        doc="The start value at a constant revenue multiple, times the valuation factor.",
    )


def _lessor_books(m: Model, ctx: Context) -> None:
    """The lessors' debt service, liquidity, breach, equity and the lab's stakes in them."""
    ppy = ctx.ppy
    m.aux(
        "lessor_debt_service_busd_per_period",
        reading(
            lambda active, per_year, per_gw_year, gw: active * (per_year + per_gw_year * gw) / ppy,
            "lessor_counterparty_active",
            "lessor_debt_service_busd_per_year",
            "lessor_debt_service_busd_per_gw_year",
            "leased_contracted_base",
        ),
        dims=L,
        units="$B/period",
        doc="Other debt service plus that of the debt that built the capacity leased to the lab.",
    )
    _books(m, ctx, "lessor", "lessor_received_busd_per_period", None)
    m.aux(
        "lessor_equity_value_busd",
        lambda lessor_equity_value_busd_at_start, lessor_valuation_factor: (
            lessor_equity_value_busd_at_start * lessor_valuation_factor
        ),
        dims=L,
        units="$B",
    )
    m.aux(
        "lab_stakes_in_lessors_busd",
        lambda lab_stake_in_lessor, lessor_equity_value_busd: lessor_total(
            lab_stake_in_lessor * lessor_equity_value_busd
        ),
        units="$B",
    )


def _books(m: Model, ctx: Context, party: str, from_lab: str, paid_out: str | None) -> None:
    """A party's liquidity stock, its operating cash flow and its breach indicator."""
    ppy, q2p = ctx.ppy, ctx.q2p
    dims = L if party == "lessor" else V

    def net_cash(
        active: Any, cost_share: Any, revenue: Any, others: Any, debt: Any, *out: Any
    ) -> Any:
        operating = (1.0 - cost_share) * revenue + others / ppy - (out[0] if out else 0.0)
        return active * operating - debt

    names = [
        f"{party}_counterparty_active",
        f"{party}_cost_share_of_lab_revenue",
        from_lab,
        f"{party}_cash_flow_from_others_busd_per_year",
        f"{party}_debt_service_busd_per_period",
    ]
    m.stock(f"{party}_liquidity_busd", f"{party}_liquidity_busd_at_start", dims=dims, units="$B")
    m.flow(
        f"{party}_net_cash_busd_per_period",
        reading(net_cash, *names, *([paid_out] if paid_out else [])),
        to_stock=f"{party}_liquidity_busd",
        dims=dims,
        units="$B/period",
        doc="Operating cash from the lab and others, less debt service (and vendor financing).",
    )
    m.aux(
        f"{party}_breach", breach_equation(q2p, party), dims=dims, doc="1 while below the covenant."
    )


def _vendors(m: Model, ctx: Context) -> None:
    ppy = ctx.ppy
    m.aux(
        "vendor_financing_by_vendor_busd_per_period",
        reading(
            lambda financing, cut, breach: financing * (1.0 - cut * breach),
            "vendor_financing_by_vendor_busd_per_period_before_stress",
            "vendor_cut_on_breach",
            "vendor_breach",
        ),
        dims=V,
        units="$B/period",
        doc="Vendor financing, cut by cut_on_breach while the vendor is in breach.",
    )
    m.aux(
        "desired_delivery_gw_per_period",
        reading(
            lambda desired, share, breach: desired * (1.0 - (1.0 - share) * breach),
            "desired_delivery_gw_per_period_before_stress",
            "vendor_delivery_share_on_breach",
            "vendor_breach",
        ),
        dims=V,
        units="GW/period",
        doc="Deliveries due, of which a vendor in breach makes delivery_share_on_breach; "
        "the rest stays on order.",
    )
    m.aux(
        "vendor_debt_service_busd_per_period",
        lambda vendor_counterparty_active, vendor_debt_service_busd_per_year: (
            vendor_counterparty_active * vendor_debt_service_busd_per_year / ppy
        ),
        dims=V,
        units="$B/period",
    )
    _books(
        m,
        ctx,
        "vendor",
        "vendor_sales_busd_per_period",
        "vendor_financing_by_vendor_busd_per_period",
    )
    m.aux(
        "share_price_usd",
        lambda share_price_usd_before_stress, vendor_valuation_factor: (
            share_price_usd_before_stress * vendor_valuation_factor
        ),
        dims=V,
        units="$/share",
    )
    m.aux(
        "vendor_equity_value_busd",
        lambda vendor_equity_value_busd_at_start, share_price_usd, share_price_usd_at_start: (
            vendor_equity_value_busd_at_start * ratio(share_price_usd, share_price_usd_at_start)
        ),
        dims=V,
        units="$B",
        doc="Start value moved with the share price (deployment and valuation factor).",
    )


def _valuation(m: Model, ctx: Context, party: str, dims: tuple[str, ...]) -> None:
    """A valuation factor moving over decision_quarters to 1 - markdown x stress."""
    q2p = ctx.q2p
    stock = f"{party}_valuation_factor"
    m.stock(stock, 1.0, dims=dims, doc="Valuation relative to the unstressed one [-].")

    def adjust(markdown: Any, lab_payment_share: Any, factor: Any, tau: Any, *breach: Any) -> Any:
        stress = 1.0 - lab_payment_share
        if breach:  # the lab's factor answers its own missed payments only
            stress = np.maximum(breach[0], stress)
        return (1.0 - markdown * stress - factor) / (tau * q2p)

    names = [f"{party}_markdown_on_stress", "lab_payment_share", stock, "decision_quarters"]
    if party != "lab":
        names.append(f"{party}_breach")
    m.flow(f"{stock}_change", reading(adjust, *names), to_stock=stock, dims=dims)


def breach_equation(q2p: float, party: str) -> Any:
    """1 while ``party``'s liquidity is below ``coverage_threshold_quarters`` of debt service."""

    def breach(active: Any, liquidity: Any, threshold: Any, debt_service: Any) -> Any:
        floor = threshold * debt_service * q2p
        return active * np.where(liquidity < floor, 1.0, 0.0)

    return reading(
        breach,
        f"{party}_counterparty_active",
        f"{party}_liquidity_busd",
        f"{party}_coverage_threshold_quarters",
        f"{party}_debt_service_busd_per_period",
    )
