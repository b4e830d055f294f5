r"""Demand and revenue: compute demand, served compute, utilization, revenue.

* **Demand** :math:`D` [GW of reference compute] grows at
  :math:`\ln(1+g) + \varepsilon\,(-\ln(1-\delta))` per year: adoption
  ``demand_growth_per_year`` :math:`g` at constant price, plus the response
  (``price_elasticity`` :math:`\varepsilon`) to the price per token at constant
  quality, which falls by ``compute_price_decline_per_year`` :math:`\delta`.
  That is :math:`D(t) = D_0 (1+g)^y\, P(t)^{-\varepsilon}` with
  :math:`P(t) = (1-\delta)^y` (``compute_price_index``).
* **Effective capacity** = :math:`\sum_v E_v \cdot` ``perf_per_watt_relative``
  :math:`_v + \sum_l K_l` [GW of reference compute], the leased GW
  :math:`K_l` at the reference perf/W; **served** = min(demand, effective
  capacity) (``overbuild_utilization`` off: served = effective capacity);
  **utilization** = served / effective capacity.
* **Revenue** = served × ``revenue_busd_per_gw_year_at_start`` / fleet
  perf-per-watt. The per-token price decline is *not* applied to revenue: it
  is mostly tokens per unit of compute rising (algorithms, smaller models),
  and OpenAI's revenue per GW fell ~30 % in 2025 while token prices fell
  ~90 % (FIGURES A6). The price per unit of compute falls only with the
  fleet's performance per watt (newer hardware serves a reference GW with
  less power, and competition passes that on), so revenue per *physical*
  GW stays at its start value while capacity, not demand, binds.
* **Usage-linked revenue** = ``usage_linked_revenue_share_at_start`` × revenue
  (held constant: no source describes its trend).
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
    """Declare demand, served compute, utilization and revenue."""
    ppy, binds = ctx.ppy, ctx.on("overbuild_utilization")
    m.aux(
        "demand_growth_per_period",
        lambda demand_growth_per_year, compute_price_decline_per_year, price_elasticity: (
            (
                np.log1p(np.maximum(demand_growth_per_year, -_NEARLY_ONE))
                - price_elasticity
                * np.log1p(-np.minimum(compute_price_decline_per_year, _NEARLY_ONE))
            )
            / ppy
        ),
        units="1/period",
    )
    m.stock(
        "compute_demand_gw", "compute_demand_gw_at_start", units="GW reference", non_negative=True
    )
    m.flow(
        "demand_growing_gw_per_period",
        lambda compute_demand_gw, demand_growth_per_period: (
            compute_demand_gw * demand_growth_per_period
        ),
        to_stock="compute_demand_gw",
        units="GW reference/period",
    )
    m.aux(
        "compute_price_index",
        lambda time, compute_price_decline_per_year: np.power(
            1.0 - np.minimum(compute_price_decline_per_year, _NEARLY_ONE), time / ppy
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
        lambda energized_gw, perf_per_watt_relative, leased_total_gw: (
            vendor_total(energized_gw * perf_per_watt_relative) + leased_total_gw
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
        lambda revenue_busd_per_gw_year_at_start, fleet_perf_per_watt: (
            revenue_busd_per_gw_year_at_start / fleet_perf_per_watt
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
        lambda revenue_busd_per_period, usage_linked_revenue_share_at_start: (
            revenue_busd_per_period * usage_linked_revenue_share_at_start
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
