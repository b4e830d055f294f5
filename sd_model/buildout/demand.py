r"""Demand and revenue: compute demand, served compute, utilization, revenue.

* **Demand** :math:`D(t) = D_{ref}(t)\,(P(t)/P_{ref}(t))^{-\varepsilon}` [GW of
  reference compute]. The reference path :math:`D_{ref}` is
  `sd_model.frames.reference_demand_gw` (the selected outlook's yearly
  growth, the same path the LP meets): growth at reference prices, which
  already holds the usual price decline. ``price_elasticity``
  :math:`\varepsilon` applies only to the price's *deviation* from its
  reference path, :math:`P/P_{ref}` = ``reference_perf_per_watt`` /
  ``fleet_perf_per_watt`` (the price per unit of compute follows the fleet's
  cost of compute; the reference path assumes
  ``demand.reference_perf_per_watt_by_year``). On the reference path demand
  equals :math:`D_{ref}` exactly: growth and elasticity do not count the same
  price fall twice. ``compute_price_index`` = :math:`(1-\delta)^y\,P/P_{ref}`
  reports the price per token (``compute_price_decline_per_year``
  :math:`\delta`, a16z ~10×/yr) and drives nothing.
* **Effective capacity** = :math:`\sum_v W_v + \sum_l K_l` [GW of reference
  compute]: the energized fleet's compute by vintage :math:`W_v`
  (`sd_model.buildout.vintages`: each GW at the perf/W of its delivery year)
  and the leased GW :math:`K_l` at the reference perf/W; **served** =
  min(demand, effective capacity) (``overbuild_utilization`` off: served =
  effective capacity); **utilization** = served / effective capacity.
* **Revenue** = served × ``revenue_busd_per_gw_year_at_start`` /
  ``reference_perf_per_watt``: the lab sells compute at the market's price
  per unit of compute, which falls along the reference perf/W path (the
  industry's cost curve), so a GW newer than that path serves more
  reference compute and earns more. The per-token price decline is *not*
  applied to revenue: it is mostly tokens per unit of compute rising
  (algorithms, smaller models), and OpenAI's revenue per GW fell ~30 % in
  2025 while token prices fell ~90 % (FIGURES A6).
* **Usage-linked revenue** = ``usage_linked_revenue_share_at_start`` ×
  utilization × revenue (assumption: usage-linked enterprise agreements bill
  metered use, so their share moves with how much of the fleet is used; the
  start share is taken at full utilization).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sd_model.buildout.arrays import ratio, vendor_total
from sd_model.buildout.context import Context
from sd_model.engine import Model

__all__ = ["add"]

_NEARLY_ONE = 1.0 - 1e-9


def add(m: Model, ctx: Context) -> None:
    """Declare demand, served compute, utilization and revenue.

    Long because it declares the sector's equations together, in the order of the module's maths.
    """
    ppy, binds = ctx.ppy, ctx.on("overbuild_utilization")

    def reference_demand_gw(
        compute_demand_gw_at_start: Any,
        demand_growth_per_year: Any,
        demand_outlook_selected: Any,
        outlook_demand_index: Any,
        time: Any,
    ) -> Any:
        constant = np.power(np.maximum(1.0 + demand_growth_per_year, 0.0), time / ppy)
        path = np.where(demand_outlook_selected > 0, outlook_demand_index, constant)
        return compute_demand_gw_at_start * path

    m.aux(
        "reference_demand_gw",
        reference_demand_gw,
        units="GW reference",
        doc="Demand at reference prices (sd_model.frames.reference_demand_gw).",
    )
    m.aux(
        "compute_price_deviation",
        lambda reference_perf_per_watt, fleet_perf_per_watt: np.where(
            fleet_perf_per_watt > 0, ratio(reference_perf_per_watt, fleet_perf_per_watt), 1.0
        ),
        doc="Price per unit of compute relative to its reference path [-] (1 = on the path).",
    )
    m.aux(
        "compute_demand_gw",
        lambda reference_demand_gw, compute_price_deviation, price_elasticity: (
            reference_demand_gw * np.power(compute_price_deviation, -price_elasticity)
        ),
        units="GW reference",
        doc="Reference demand path times the response to the price's deviation from its path.",
    )
    m.aux(
        "compute_price_index",
        lambda time, compute_price_decline_per_year, compute_price_deviation: (
            np.power(1.0 - np.minimum(compute_price_decline_per_year, _NEARLY_ONE), time / ppy)
            * compute_price_deviation
        ),
        doc="Price per token at constant quality relative to the start [-].",
    )
    m.aux("energized_total_gw", lambda energized_gw: vendor_total(energized_gw), units="GW")
    m.aux(
        "capacity_total_gw",
        lambda energized_total_gw, leased_total_gw: energized_total_gw + leased_total_gw,
        units="GW",
        doc="The lab's energized fleet and the capacity it leases.",
    )
    m.aux(
        "effective_capacity_gw",
        lambda energized_compute_gw, leased_total_gw: (
            vendor_total(energized_compute_gw) + leased_total_gw
        ),
        units="GW reference",
    )
    m.aux(
        "fleet_perf_per_watt",
        lambda effective_capacity_gw, capacity_total_gw: np.where(
            capacity_total_gw > 0, ratio(effective_capacity_gw, capacity_total_gw), 1.0
        ),
    )

    def served(compute_demand_gw: Any, effective_capacity_gw: Any) -> Any:
        if not binds:
            return effective_capacity_gw
        return np.minimum(compute_demand_gw, effective_capacity_gw)

    m.aux("served_compute_gw", served, units="GW reference")
    m.aux(
        "utilization",
        lambda served_compute_gw, effective_capacity_gw: ratio(
            served_compute_gw, effective_capacity_gw
        ),
    )
    m.aux(
        "revenue_busd_per_gw_year",
        lambda revenue_busd_per_gw_year_at_start, reference_perf_per_watt: (
            revenue_busd_per_gw_year_at_start / reference_perf_per_watt
        ),
        units="$B/GW-year",
        doc="Revenue per GW-year of served reference compute (price per unit of compute).",
    )
    m.aux(
        "revenue_busd_per_period",
        lambda served_compute_gw, revenue_busd_per_gw_year: (
            served_compute_gw * revenue_busd_per_gw_year / ppy
        ),
        units="$B/period",
    )
    m.aux(
        "usage_linked_revenue_busd_per_period",
        lambda revenue_busd_per_period, usage_linked_revenue_share_at_start, utilization: (
            revenue_busd_per_period * usage_linked_revenue_share_at_start * utilization
        ),
        units="$B/period",
    )
    m.stock("revenue_cum_busd", 0.0, units="$B")
    m.flow(
        "revenue_cum_inflow_busd_per_period",
        "revenue_busd_per_period",
        to_stock="revenue_cum_busd",
        units="$B/period",
    )
