r"""Leases: capacity leased from lessors, what the lab pays for it, and committed payments.

Per lessor :math:`l` [GW IT], from the scenario's *committed* lease contracts
:math:`c` (options are left to the LP):

.. math::

    K_l(t) &= \sum_{c \in l} g_c\, \rho_c(t), \qquad
    \rho_c(t) = \text{clip}\Big(\frac{t - s_c}{r_c}, 0, 1\Big)
    \text{ for } s_c \le t < s_c + r_c + T_c

    \text{used}_l &= u\, K_l, \qquad \text{idle}_l = (1 - u)\, K_l

    \text{payment}_l &= u \sum_{c \in l} p_c g_c \rho_c
                      + (1 - u) \sum_{c \in l} \theta_c p_c g_c \rho_c

* :math:`s_c` = ``start_period``, :math:`r_c` = ``ramp_quarters``, :math:`T_c` =
  ``term_years`` (held at full capacity for the term once ramped),
  :math:`g_c` = ``gw``, :math:`p_c` = ``price_busd_per_gw_year``,
  :math:`\theta_c` = ``take_or_pay_share``; :math:`K_l` is averaged over each
  period (exact integral of the ramp);
* the leased capacity serves compute like the lab's own fleet (perf/W 1):
  it adds to effective capacity, and :math:`u` is the fleet's utilization
  (served / effective capacity), the same for owned and leased GW;
* used capacity pays the full price, idle capacity the take-or-pay share: the
  lease payment is a cash outflow, and its idle part
  :math:`(1-u)\sum \theta_c p_c g_c \rho_c` is the **take-or-pay owed on
  idle capacity** (the lessor's revenue not backed by the lab's workload);
* committed payments of the lab = the take-or-pay minimum of all leases,
  :math:`\sum_c \theta_c p_c g_c \rho_c`, plus the IT capex of the deliveries
  the schedule calls for in the period (at ``capex_busd_per_gw``, before
  vendor financing; deferred deliveries were counted when they were due);
  ``committed_payments_to_revenue`` divides them by revenue.

Without lessors there is no ``lessor`` dimension: leased GW and payments are 0.
"""

from __future__ import annotations

from typing import Any

from sd_model.buildout.arrays import lessor_total, ratio, vendor_total
from sd_model.buildout.context import Context, L, V
from sd_model.engine import Model

__all__ = ["add"]


def add(m: Model, ctx: Context) -> None:
    """Declare leased capacity, lease payments, vendor sales and committed payments."""
    if ctx.has_lessors:
        _per_lessor(m, ctx)
    else:
        for name, units in (
            ("leased_total_gw", "GW"),
            ("lease_payment_due_busd_per_period", "$B/period"),
            ("lease_minimum_total_busd_per_period", "$B/period"),
            ("take_or_pay_idle_busd_per_period", "$B/period"),
        ):
            m.aux(name, 0.0, units=units)
    m.stock("lease_payment_cum_busd", 0.0, units="$B")
    m.flow(
        "lease_payment_cum_inflow_busd_per_period",
        "lease_payment_due_busd_per_period",
        to_stock="lease_payment_cum_busd",
        units="$B/period",
    )
    m.stock("take_or_pay_idle_cum_busd", 0.0, units="$B")
    m.flow(
        "take_or_pay_idle_cum_inflow_busd_per_period",
        "take_or_pay_idle_busd_per_period",
        to_stock="take_or_pay_idle_cum_busd",
        units="$B/period",
    )
    _vendor_sales(m)
    _committed(m)


def _per_lessor(m: Model, ctx: Context) -> None:
    """Declare each lessor's contracted, used and idle GW and the payments they bring.

    Long because it declares the sector's equations together, in the order of the module's maths.
    """
    m.aux(
        ctx.hooked("leased_gw"),
        "leased_contracted_base",
        dims=L,
        units="GW",
        doc="Capacity contracted from the lessor (committed leases) [GW IT].",
    )
    m.aux("leased_total_gw", lambda leased_gw: lessor_total(leased_gw), units="GW")
    m.aux(
        "lease_idle_gw",
        lambda leased_gw, utilization: (1.0 - utilization) * leased_gw,
        dims=L,
        units="GW",
        doc="Leased capacity left idle (the fleet's utilization applied to it).",
    )
    m.aux(
        ctx.hooked("lease_minimum_busd_per_period"),
        "lease_minimum_base",
        dims=L,
        units="$B/period",
        doc="Take-or-pay minimum: owed whatever the use.",
    )
    m.aux(
        ctx.hooked("lessor_payment_busd_per_period"),
        lambda utilization, lease_full_payment_base, lease_minimum_busd_per_period: (
            utilization * lease_full_payment_base
            + (1.0 - utilization) * lease_minimum_busd_per_period
        ),
        dims=L,
        units="$B/period",
        doc="The lab's payment to the lessor: full price on used GW, take-or-pay on idle GW.",
    )
    m.aux(
        "lessor_take_or_pay_idle_busd_per_period",
        lambda utilization, lease_minimum_busd_per_period: (
            (1.0 - utilization) * lease_minimum_busd_per_period
        ),
        dims=L,
        units="$B/period",
        doc="Take-or-pay paid on idle leased capacity.",
    )
    m.aux(
        "lease_payment_due_busd_per_period",
        lambda lessor_payment_busd_per_period: lessor_total(lessor_payment_busd_per_period),
        units="$B/period",
    )
    m.aux(
        "lease_minimum_total_busd_per_period",
        lambda lease_minimum_busd_per_period: lessor_total(lease_minimum_busd_per_period),
        units="$B/period",
    )
    m.aux(
        "take_or_pay_idle_busd_per_period",
        lambda lessor_take_or_pay_idle_busd_per_period: lessor_total(
            lessor_take_or_pay_idle_busd_per_period
        ),
        units="$B/period",
    )
    for name in ("lessor_payment", "lessor_take_or_pay_idle"):
        m.stock(f"{name}_cum_busd", 0.0, dims=L, units="$B")
        m.flow(
            f"{name}_cum_inflow_busd_per_period",
            f"{name}_busd_per_period",
            to_stock=f"{name}_cum_busd",
            dims=L,
            units="$B/period",
        )


def _vendor_sales(m: Model) -> None:
    m.aux(
        "vendor_sales_busd_per_period",
        lambda delivering_gw_per_period, it_capex_busd_per_gw: (
            delivering_gw_per_period * it_capex_busd_per_gw
        ),
        dims=V,
        units="$B/period",
        doc="IT capex the lab pays each vendor (its purchases, before vendor financing).",
    )
    m.stock("vendor_sales_cum_busd", 0.0, dims=V, units="$B")
    m.flow(
        "vendor_sales_cum_inflow_busd_per_period",
        "vendor_sales_busd_per_period",
        to_stock="vendor_sales_cum_busd",
        dims=V,
        units="$B/period",
    )


def _committed(m: Model) -> None:
    m.aux(
        "it_capex_committed_busd_per_period",
        lambda scheduled_delivery_gw_per_period, it_capex_busd_per_gw: vendor_total(
            scheduled_delivery_gw_per_period * it_capex_busd_per_gw
        ),
        units="$B/period",
        doc="IT capex of the deliveries the schedule calls for, before vendor financing.",
    )
    m.aux(
        "committed_payments_busd_per_period",
        lambda lease_minimum_total_busd_per_period, it_capex_committed_busd_per_period: (
            lease_minimum_total_busd_per_period + it_capex_committed_busd_per_period
        ),
        units="$B/period",
        doc="Take-or-pay minimum of the leases plus the IT capex due.",
    )

    def to_revenue(committed_payments_busd_per_period: Any, revenue_busd_per_period: Any) -> Any:
        return ratio(committed_payments_busd_per_period, revenue_busd_per_period)

    m.aux(
        "committed_payments_to_revenue",
        to_revenue,
        doc="Committed payments / revenue in the period [-] (0 without revenue).",
    )
