r"""Capacity: accelerators on order → stranded → energized → retired; shells → ready.

Per vendor [GW IT]:

.. math::

    \dot{O}_v &= o_v(t) - d_v, \qquad \dot{X}_v = d_v - e_v, \qquad
    \dot{E}_v = e_v - r_v, \qquad \dot{R}_v = r_v

* orders :math:`o_v(t)` are the schedule's deliveries placed ``order_lead``
  earlier (exogenous); on order :math:`O_v` starts with the first
  ``order_lead`` periods of the schedule;
* deliveries :math:`d_v = \phi\,(s_v(t) + D_v / \tau_{catch})`, the scheduled
  delivery plus the deferred backlog :math:`D_v = \max(0, O_v - \text{not yet due}_v)`
  worked off over ``deferred_catch_up``; :math:`\phi \le 1` is the budget
  fraction of the capital sector (1 without ``budget_limited_ordering``); with
  the counterparty loop on, a vendor in breach makes only its
  ``delivery_share_on_breach`` of :math:`s_v + D_v/\tau_{catch}`
  (:mod:`~sd_model.buildout.counterparties`);
* energization per site, of planned hardware first and then of the rest,
  is in :mod:`~sd_model.buildout.placement`;
* retirement :math:`r_v` is energization one depreciation life earlier (a
  pipeline); the fleet running at the start (vendor ``installed``) retires
  evenly over one life. Its off-site part is ``offsite_energized_gw_at_start``
  less the GW of committed leases running at the start (those follow their
  contracts, :mod:`~sd_model.buildout.leases`), never below 0. Each site
  loses what it energized one life earlier (its start load evenly over one
  life), the off-site fleet evenly over one life, as in the LP.

Shells per site [GW IT]: starts fill the gap between the hardware planned
(owned and still scheduled, less the off-site fleet) and the shells ready or
under construction, over ``decision_quarters`` — or, when decisions fix shell
starts, follow them; they are ready ``shell_lead_quarters`` later (a
pipeline). Hardware with a planned site waits there (`placement`), so its
site comes first: each site gets the shells its own hardware lacks (load,
hardware waiting there and deliveries still planned for it, less its shells
ready or under construction, up to its ``max_gw``), and the rest of the gap
goes site by site in priority order up to each site's remaining room.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sd_model.buildout import placement
from sd_model.buildout.arrays import ratio, reading, site_total, sites_before, vendor_total
from sd_model.buildout.context import Context, S, V
from sd_model.buildout.pipelines import Pipeline, add_pipeline
from sd_model.engine import Model, minimum

__all__ = ["add"]


def add(m: Model, ctx: Context) -> None:
    """Declare the hardware chain, the site loads and the shells."""
    _orders(m, ctx)
    placement.add(m, ctx)
    _retirement(m, ctx)
    _shells(m, ctx)


def _orders(m: Model, ctx: Context) -> None:
    """Declare orders: the schedule scaled by the budget rule, deferred orders and their catch-up.

    Long because it declares the sector's equations together, in the order of the module's maths.
    """
    q2p = ctx.q2p
    on_order_at_start = ctx.vendor_layout(ctx.inputs.series["not_yet_due_base"][2][0])
    m.aux(
        "scheduled_delivery_gw_per_period",
        lambda scheduled_delivery_base, schedule_scale: scheduled_delivery_base * schedule_scale,
        dims=V,
        units="GW/period",
        doc="Deliveries the schedule calls for.",
    )
    m.aux(
        "not_yet_due_gw",
        lambda not_yet_due_base, schedule_scale: not_yet_due_base * schedule_scale,
        dims=V,
        units="GW",
        doc="Ordered GW whose scheduled delivery is still ahead.",
    )
    m.stock(
        "ordered_gw",
        lambda schedule_scale, installed_at_start_gw: (
            on_order_at_start * schedule_scale + installed_at_start_gw
        ),
        dims=V,
        units="GW",
        doc="Every GW ordered so far (the fleet at the start counts as ordered).",
    )
    m.flow(
        "orders_placed_gw_per_period",
        "ordering_gw_per_period",
        to_stock="ordered_gw",
        dims=V,
        units="GW/period",
    )
    m.flow(
        "ordering_gw_per_period",
        lambda ordering_base, schedule_scale: ordering_base * schedule_scale,
        to_stock="on_order_gw",
        dims=V,
        units="GW/period",
    )
    m.stock(
        "on_order_gw",
        lambda schedule_scale: on_order_at_start * schedule_scale,
        dims=V,
        units="GW",
        non_negative=True,
    )
    m.aux(
        "deferred_gw",
        lambda on_order_gw, not_yet_due_gw: np.maximum(on_order_gw - not_yet_due_gw, 0.0),
        dims=V,
        units="GW",
        doc="Deliveries due but deferred for lack of funds (budget backlog).",
    )
    m.aux(
        ctx.hooked("desired_delivery_gw_per_period"),
        lambda scheduled_delivery_gw_per_period, deferred_gw, deferred_catch_up_quarters: (
            scheduled_delivery_gw_per_period + deferred_gw / (deferred_catch_up_quarters * q2p)
        ),
        dims=V,
        units="GW/period",
    )
    m.flow(
        "delivering_gw_per_period",
        lambda desired_delivery_gw_per_period, budget_fraction: (
            desired_delivery_gw_per_period * budget_fraction
        ),
        from_stock="on_order_gw",
        to_stock="stranded_gw",
        dims=V,
        units="GW/period",
    )
    m.stock(
        "stranded_gw",
        0.0,
        dims=V,
        units="GW",
        non_negative=True,
        doc="Delivered hardware awaiting a powered shell.",
    )
    m.stock("delivered_cum_gw", 0.0, dims=V, units="GW")
    m.flow(
        "delivered_cum_inflow_gw_per_period",
        "delivering_gw_per_period",
        to_stock="delivered_cum_gw",
        dims=V,
        units="GW/period",
    )
    m.stock(
        "stranded_gw_periods",
        0.0,
        units="GW*period",
        doc="Stranded GW accumulated over time (GW-quarters on a quarterly grid).",
    )
    m.flow(
        "stranded_accruing_gw",
        lambda stranded_gw: vendor_total(stranded_gw),
        to_stock="stranded_gw_periods",
        units="GW",
    )


def _retirement(m: Model, ctx: Context) -> None:
    """Declare retirement one useful life after energization, and the start fleet's even retirement.

    Long because it declares the sector's equations together, in the order of the module's maths.
    """
    ppy = ctx.ppy

    def life_periods(vendor_life_years: Any, it_depreciation_years: Any) -> Any:
        own = np.asarray(vendor_life_years) > 0
        return ppy * np.where(own, vendor_life_years, it_depreciation_years)

    m.aux(
        "it_life_periods",
        life_periods,
        dims=V,
        units="period",
        doc="Service life of each vendor's hardware (its own, else costs.it_depreciation_years).",
    )
    m.fixed_delay(
        "retirement_due_gw_per_period",
        "energizing_gw_per_period",
        "it_life_periods",
        initial=lambda installed_at_start_gw, it_life_periods: (
            installed_at_start_gw / it_life_periods
        ),
        dims=V,
        units="GW/period",
    )
    m.flow(
        "retiring_gw_per_period",
        "retirement_due_gw_per_period",
        from_stock="energized_gw",
        to_stock="retired_gw",
        dims=V,
        units="GW/period",
    )
    m.stock("retired_gw", 0.0, dims=V, units="GW")
    m.aux(
        "retiring_total_gw_per_period",
        lambda retiring_gw_per_period: vendor_total(retiring_gw_per_period),
        units="GW/period",
    )
    # Each site loses what it energized one life earlier (its start fleet evenly over one
    # life); the off-site fleet retires evenly over one life. The vendors' retiring total is
    # spread by where it is due, so sites and fleet add up exactly (vendor lives may differ).
    m.aux(
        "fleet_life_periods",
        lambda it_depreciation_years: ppy * it_depreciation_years,
        units="period",
        doc="The scenario's IT life, for the retirement due at each site.",
    )
    m.fixed_delay(
        "site_retirement_due_gw_per_period",
        "site_energizing_gw_per_period",
        "fleet_life_periods",
        initial=lambda site_energized_gw_at_start, fleet_life_periods: (
            site_energized_gw_at_start / fleet_life_periods
        ),
        dims=S,
        units="GW/period",
    )
    m.fixed_delay(  # nothing new goes off-site: the start fleet, evenly over one life
        "offsite_retirement_due_gw_per_period",
        0.0,
        "fleet_life_periods",
        initial=lambda offsite_fleet_gw_at_start, fleet_life_periods: (
            offsite_fleet_gw_at_start / fleet_life_periods
        ),
        units="GW/period",
    )
    m.aux(
        "retirement_due_where_gw_per_period",
        lambda site_retirement_due_gw_per_period, offsite_retirement_due_gw_per_period: (
            site_total(site_retirement_due_gw_per_period) + offsite_retirement_due_gw_per_period
        ),
        units="GW/period",
        doc="Retirement due summed over where it runs.",
    )
    m.flow(
        "site_retiring_gw_per_period",
        _share_of_retiring("site_retirement_due_gw_per_period"),
        from_stock="site_load_gw",
        dims=S,
        units="GW/period",
    )
    m.flow(
        "offsite_retiring_gw_per_period",
        _share_of_retiring("offsite_retirement_due_gw_per_period"),
        from_stock="offsite_load_gw",
        units="GW/period",
    )


def _share_of_retiring(due: str) -> Any:
    """The vendors' retiring total times ``due``'s share of the retirement due."""

    def share(total: Any, mine: Any, everywhere: Any) -> Any:
        return total * ratio(mine, everywhere)

    return reading(share, "retiring_total_gw_per_period", due, "retirement_due_where_gw_per_period")


def _shells(m: Model, ctx: Context) -> None:
    q2p = ctx.q2p
    m.stock("shells_ready_gw", "shell_ready_gw_at_start", dims=S, units="GW", non_negative=True)
    m.stock("shells_under_construction_gw", 0.0, dims=S, units="GW", non_negative=True)
    m.aux(
        "shells_planned_gw",
        lambda shells_ready_gw, shells_under_construction_gw: (
            shells_ready_gw + shells_under_construction_gw
        ),
        dims=S,
        units="GW",
    )
    m.aux(
        "hardware_planned_gw",
        _hardware_planned,
        units="GW",
        doc="Hardware owned or still scheduled that needs a shell.",
    )
    m.aux(
        "shell_gap_gw",
        lambda hardware_planned_gw, shells_planned_gw: np.maximum(
            hardware_planned_gw - site_total(shells_planned_gw), 0.0
        ),
        units="GW",
    )
    m.aux(
        "shell_room_gw",
        lambda site_max_gw, shells_planned_gw: np.maximum(site_max_gw - shells_planned_gw, 0.0),
        dims=S,
        units="GW",
    )
    m.aux(
        "site_shell_need_gw",
        _site_shell_need,
        dims=S,
        units="GW",
        doc="Shells a site's own planned hardware lacks (none without planned sites).",
    )
    m.aux("shell_allocation_gw", _planned_then_priority_fill, dims=S, units="GW")
    shells = Pipeline(
        started="shell_starting_gw_per_period",
        lead_quarters="shell_lead_quarters",
        lead_periods="shell_lead_periods",
        due="shell_completion_due_gw_per_period",
        completing="shell_completing_gw_per_period",
        building="shells_under_construction_gw",
        finished="shells_ready_gw",
    )

    def starting(shell_allocation_gw: Any, decision_quarters: Any) -> Any:
        return shell_allocation_gw / (decision_quarters * q2p)

    add_pipeline(
        m,
        shells,
        "fixed_shell_starts" if ctx.follows("shell_starts") else starting,
        q2p=q2p,
        dims=S,
        units="GW/period",
    )


def _site_shell_need(
    site_load_gw: Any,
    site_waiting_gw: Any,
    site_planned_remaining_gw: Any,
    shells_planned_gw: Any,
    shell_room_gw: Any,
) -> Any:
    """The site's load, waiting and still-planned hardware less its shells, up to its room."""
    own = site_load_gw + site_waiting_gw + site_planned_remaining_gw
    return minimum(np.maximum(own - shells_planned_gw, 0.0), shell_room_gw)


def _planned_then_priority_fill(
    shell_gap_gw: Any, shell_room_gw: Any, site_shell_need_gw: Any
) -> Any:
    """Each site's own need first; the rest of the gap site by site in priority order."""
    rest = np.maximum(shell_gap_gw - site_total(site_shell_need_gw), 0.0)
    room = shell_room_gw - site_shell_need_gw
    before = sites_before(room)
    return site_shell_need_gw + minimum(np.maximum(rest - before, 0.0), room)


def _hardware_planned(
    deferred_gw: Any,
    stranded_gw: Any,
    energized_gw: Any,
    remaining_schedule_base: Any,
    schedule_scale: Any,
    offsite_load_gw: Any,
) -> Any:
    """Deferred, stranded, energized and still-scheduled GW, less the off-site fleet."""
    scheduled = remaining_schedule_base * schedule_scale
    return vendor_total(deferred_gw + stranded_gw + energized_gw + scheduled) - offsite_load_gw
