r"""Vendor money as it is: equity for the lab's shares, or debt repaid with interest [$B].

Vendor financing :math:`VF_v` (:mod:`~sd_model.buildout.capital`) comes on
one of two terms, set per vendor by ``financing_repayment_years`` :math:`T_v`:

* **equity** (:math:`T_v = 0`): the vendor buys shares of the lab. Nothing
  is repaid; the lab's holders are diluted. With :math:`V` =
  ``valuation_busd_at_start`` (pre-money) and :math:`E(t)` = equity raised
  since the start (external funding plus vendor equity), every dollar taken
  at the start's price,

  .. math::

      \text{dilution} = \frac{E}{V + E}, \qquad
      \text{stake}_v = \frac{E_v}{V + E}

  (both 0 when :math:`V` is unknown, 0). Later rounds at higher prices dilute
  less, so this is an upper bound.
* **debt** (:math:`T_v > 0`, deferred payment or a vendor loan): the money is
  owed. Principal :math:`D_v` is repaid evenly, :math:`\min(D_v/dt,\,
  \text{drawn}_v / (T_v \cdot \text{ppy}))` per period (each draw paid off
  within :math:`T_v` years after the last), and interest
  ``financing_rate_per_year`` × :math:`D_v` is paid on what is outstanding.
  Both leave cash as ``vendor_debt_payment_busd_per_period``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sd_model.buildout.arrays import ratio, vendor_total
from sd_model.buildout.context import Context, V
from sd_model.engine import Model

__all__ = ["add"]


def add(m: Model, ctx: Context) -> None:
    """Declare vendor debt, its service, vendor equity and the lab's dilution.

    Long because it declares the sector's equations together, in the order of the module's maths.
    """
    ppy = ctx.ppy
    m.aux(
        "vendor_money_is_debt",
        lambda financing_repayment_years: (financing_repayment_years > 0) * 1.0,
        dims=V,
        doc="1 where the vendor's money is owed (debt or deferred payment), 0 for equity.",
    )
    m.stock("vendor_debt_busd", 0.0, dims=V, units="$B", non_negative=True)
    m.stock("vendor_debt_drawn_cum_busd", 0.0, dims=V, units="$B")
    m.aux(
        "vendor_debt_drawing_busd_per_period",
        lambda vendor_financing_by_vendor_busd_per_period, vendor_money_is_debt: (
            vendor_financing_by_vendor_busd_per_period * vendor_money_is_debt
        ),
        dims=V,
        units="$B/period",
    )
    for stock in ("vendor_debt_busd", "vendor_debt_drawn_cum_busd"):
        m.flow(
            f"{stock.removesuffix('_busd')}_inflow_busd_per_period",
            "vendor_debt_drawing_busd_per_period",
            to_stock=stock,
            dims=V,
            units="$B/period",
        )
    m.flow(
        "vendor_debt_repaying_busd_per_period",
        lambda vendor_debt_busd, vendor_debt_drawn_cum_busd, financing_repayment_years, dt: (
            np.minimum(
                vendor_debt_busd / dt,
                ratio(vendor_debt_drawn_cum_busd, financing_repayment_years * ppy),
            )
        ),
        from_stock="vendor_debt_busd",
        dims=V,
        units="$B/period",
    )
    m.aux(
        "vendor_debt_interest_busd_per_period",
        lambda vendor_debt_busd, financing_rate_per_year: (
            vendor_debt_busd * financing_rate_per_year / ppy
        ),
        dims=V,
        units="$B/period",
    )
    m.aux(
        "vendor_debt_service_by_vendor_busd_per_period",
        lambda vendor_debt_repaying_busd_per_period, vendor_debt_interest_busd_per_period: (
            vendor_debt_repaying_busd_per_period + vendor_debt_interest_busd_per_period
        ),
        dims=V,
        units="$B/period",
        doc="Vendor debt repaid plus its interest: leaves cash.",
    )
    m.aux(
        "vendor_debt_payment_due_busd_per_period",
        lambda vendor_debt_service_by_vendor_busd_per_period: vendor_total(
            vendor_debt_service_by_vendor_busd_per_period
        ),
        units="$B/period",
    )
    m.stock("vendor_debt_service_cum_busd", 0.0, dims=V, units="$B")
    m.flow(
        "vendor_debt_service_cum_inflow_busd_per_period",
        "vendor_debt_service_by_vendor_busd_per_period",
        to_stock="vendor_debt_service_cum_busd",
        dims=V,
        units="$B/period",
    )
    _equity(m)


def _equity(m: Model) -> None:
    m.stock("vendor_equity_cum_busd", 0.0, dims=V, units="$B")
    m.flow(
        "vendor_equity_cum_inflow_busd_per_period",
        lambda vendor_financing_by_vendor_busd_per_period, vendor_money_is_debt: (
            vendor_financing_by_vendor_busd_per_period * (1.0 - vendor_money_is_debt)
        ),
        to_stock="vendor_equity_cum_busd",
        dims=V,
        units="$B/period",
    )
    m.stock("external_funding_cum_busd", 0.0, units="$B")
    m.flow(
        "external_funding_cum_inflow_busd_per_period",
        "funding_busd_per_period",
        to_stock="external_funding_cum_busd",
        units="$B/period",
    )

    def raised(external_funding_cum_busd: Any, vendor_equity_cum_busd: Any) -> Any:
        return external_funding_cum_busd + vendor_total(vendor_equity_cum_busd)

    m.aux("equity_raised_cum_busd", raised, units="$B", doc="Equity sold since the start.")
    m.aux(
        "lab_dilution_share",
        lambda equity_raised_cum_busd, valuation_busd_at_start: (
            (valuation_busd_at_start > 0)
            * ratio(equity_raised_cum_busd, valuation_busd_at_start + equity_raised_cum_busd)
        ),
        doc="Share of the lab sold for the equity raised since the start (0: value unknown) [-].",
    )
    m.aux(
        "vendor_stake_in_lab_share",
        lambda vendor_equity_cum_busd, equity_raised_cum_busd, valuation_busd_at_start: (
            (valuation_busd_at_start > 0)
            * ratio(vendor_equity_cum_busd, valuation_busd_at_start + equity_raised_cum_busd)
        ),
        dims=V,
        doc="Share of the lab each vendor holds for its equity financing [-].",
    )
