r"""Placement: delivered hardware waits (stranded) until a site has powered room, then runs.

Hardware with a planned site (`sd_model.Decisions` deliveries) waits for
room at that site, :math:`W_s`; hardware whose site is open joins a pool
that goes to any site with room. Per site [GW IT]:

.. math::

    F_s &= \max(0,\ \text{open}_s \min(\text{shells ready}_s,\ \text{powered IT}_s) - L_s)\\
    e^{plan}_s &= \min(W_s / \tau_e + \lambda\, w_s,\ F_s / \tau_e)\\
    \tilde F_s &= \max(0,\ F_s - \tau_e\, e^{plan}_s)\\
    e^{pool} &= \min(P / \tau_e + \lambda\, p,\ \Sigma_s \tilde F_s / \tau_e),
        \qquad P = \Sigma_v X_v - \Sigma_s W_s

with :math:`w_s` and :math:`p` the planned and open deliveries arriving,
:math:`L_s` the site load, :math:`\tau_e` the energization time, and
:math:`\lambda = 1` only without frictions (hardware arriving in a step runs in
that step, and :math:`F_s` counts the shells, grid connections and on-site
plants completing in it — the LP's "energized in the period of delivery").
The pool fills sites in proportion to :math:`\tilde F_s`. Planned hardware
has the first claim on its site. With ``spill`` on, planned hardware that its
site cannot take, :math:`\max(0, W_s - F_s)`, moves to the pool over
``decision_quarters``; with it off (the default) it waits at its site.
Energization per vendor is in proportion to its stranded hardware. When the
decisions fix installs, :math:`F_s` is further capped by the plan's
cumulative installs at the site by the end of the step less what the site
has energized so far: a plan may keep hardware idle rather than run it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sd_model.buildout.arrays import ratio, site_total, vendor_total
from sd_model.buildout.context import Context, S, V
from sd_model.engine import Model, maximum

__all__ = ["add"]


def add(m: Model, ctx: Context) -> None:
    """Declare the fleet at the start, the room at each site and the energization flows."""
    _start_fleet(m, ctx)
    _room(m, ctx)
    _planned(m, ctx)
    _pool(m, ctx)


def _start_fleet(m: Model, ctx: Context) -> None:
    installed = ctx.installed_mask
    m.aux(
        "offsite_fleet_gw_at_start",
        lambda offsite_energized_gw_at_start, leased_gw_at_start: maximum(
            offsite_energized_gw_at_start - leased_gw_at_start, 0.0
        ),
        units="GW",
        doc="Off-site load at the start not under a listed lease (that retires over one life).",
    )
    m.aux(
        "installed_at_start_gw",
        lambda site_energized_gw_at_start, offsite_fleet_gw_at_start: (
            installed * (site_total(site_energized_gw_at_start) + offsite_fleet_gw_at_start)
        ),
        dims=V,
        units="GW",
    )
    m.aux(
        "energization_periods",
        lambda energization_quarters: energization_quarters * ctx.q2p,
        units="period",
    )
    m.aux(
        "site_open",
        lambda time, dt, site_opening_period: np.where(
            time + dt / 2 >= site_opening_period, 1.0, 0.0
        ),
        dims=S,
        doc="1 once the site's earliest energization period has come.",
    )


def _room(m: Model, ctx: Context) -> None:
    power_limits = ctx.on("power_shortfall_stranding")

    def energizable(shells_ready_gw: Any, powered_it_gw: Any, site_open: Any) -> Any:
        limit = np.minimum(shells_ready_gw, powered_it_gw) if power_limits else shells_ready_gw
        return site_open * limit

    def energizable_ahead(  # what is ready at the end of this step
        shells_ready_gw: Any,
        shell_completing_gw_per_period: Any,
        grid_connected_gw: Any,
        grid_connecting_gw_per_period: Any,
        onsite_operating_gw: Any,
        onsite_completing_gw_per_period: Any,
        onsite_availability_factor: Any,
        pue: Any,
        site_open: Any,
        dt: Any,
    ) -> Any:
        shells = shells_ready_gw + dt * shell_completing_gw_per_period
        onsite = onsite_operating_gw + dt * onsite_completing_gw_per_period
        grid = grid_connected_gw + dt * grid_connecting_gw_per_period
        powered = (grid + onsite_availability_factor * onsite) / pue
        return site_open * (np.minimum(shells, powered) if power_limits else shells)

    m.aux(
        "energizable_gw",
        energizable if ctx.has("reaction_times") else energizable_ahead,
        dims=S,
        units="GW",
        doc="IT load the site can run: ready shells with power, once open.",
    )
    ahead = ctx.lookahead

    def free(
        energizable_gw: Any, site_load_gw: Any, site_retiring_gw_per_period: Any, dt: Any
    ) -> Any:
        load = site_load_gw - ahead * dt * site_retiring_gw_per_period  # what is left this step
        return np.maximum(energizable_gw - load, 0.0)

    def free_within_plan(
        energizable_gw: Any,
        site_load_gw: Any,
        site_retiring_gw_per_period: Any,
        dt: Any,
        fixed_installs_cum_gw: Any,
        site_energized_cum_gw: Any,
    ) -> Any:
        room = free(energizable_gw, site_load_gw, site_retiring_gw_per_period, dt)
        return np.minimum(room, np.maximum(fixed_installs_cum_gw - site_energized_cum_gw, 0.0))

    m.aux(
        "free_capacity_gw",
        free_within_plan if ctx.follows("installs") else free,
        dims=S,
        units="GW",
        doc="Room for more IT load at each site (within the plan's installs when fixed).",
    )


def _planned(m: Model, ctx: Context) -> None:
    ahead = ctx.lookahead
    m.aux(
        "planned_delivering_gw_per_period",
        lambda delivering_gw_per_period, site_delivery_share: vendor_total(
            delivering_gw_per_period * site_delivery_share
        ),
        dims=S,
        units="GW/period",
        doc="Deliveries planned for each site.",
    )
    m.flow(
        "site_waiting_inflow_gw_per_period",
        "planned_delivering_gw_per_period",
        to_stock="site_waiting_gw",
        dims=S,
        units="GW/period",
    )
    m.stock(
        "site_waiting_gw",
        0.0,
        dims=S,
        units="GW",
        non_negative=True,
        doc="Delivered hardware waiting for room at its planned site (part of stranded).",
    )
    m.flow(
        "site_planned_energizing_gw_per_period",
        _planned_energizing(ahead),
        from_stock="site_waiting_gw",
        dims=S,
        units="GW/period",
    )
    spill = 1.0 if ctx.spill else 0.0
    m.flow(
        "site_spilling_gw_per_period",
        lambda site_waiting_gw, free_capacity_gw, decision_quarters: (
            spill
            * np.maximum(site_waiting_gw - free_capacity_gw, 0.0)
            / (decision_quarters * ctx.q2p)
        ),
        from_stock="site_waiting_gw",
        dims=S,
        units="GW/period",
        doc="Planned hardware moving on to any site with room (spill rule).",
    )
    m.aux(
        "leftover_capacity_gw",
        lambda free_capacity_gw, site_planned_energizing_gw_per_period, energization_periods: (
            np.maximum(
                free_capacity_gw - energization_periods * site_planned_energizing_gw_per_period, 0.0
            )
        ),
        dims=S,
        units="GW",
        doc="Room left at each site after its planned hardware.",
    )


def _pool(m: Model, ctx: Context) -> None:
    """Declare the pool of delivered hardware waiting for a site and how it is placed.

    Long because it declares the sector's equations together, in the order of the module's maths.
    """
    ahead = ctx.lookahead
    m.aux(
        "pool_energizing_gw_per_period",
        _pool_energizing(ahead),
        units="GW/period",
        doc="Hardware without a planned site (or spilled) energized wherever there is room.",
    )
    m.flow(
        "site_energizing_gw_per_period",
        _site_energizing,
        to_stock="site_load_gw",
        dims=S,
        units="GW/period",
    )
    m.aux(
        "energizing_total_gw_per_period",
        lambda site_energizing_gw_per_period: site_total(site_energizing_gw_per_period),
        units="GW/period",
    )
    m.flow(
        "energizing_gw_per_period",
        _vendor_energizing(ahead),
        from_stock="stranded_gw",
        to_stock="energized_gw",
        dims=V,
        units="GW/period",
    )
    m.stock("energized_gw", "installed_at_start_gw", dims=V, units="GW", non_negative=True)
    m.stock(
        "site_load_gw",
        "site_energized_gw_at_start",
        dims=S,
        units="GW",
        non_negative=True,
        doc="Energized IT load at each site.",
    )
    m.stock(
        "offsite_load_gw",
        "offsite_fleet_gw_at_start",
        units="GW",
        non_negative=True,
        doc="Energized IT load outside the candidate sites (leased cloud).",
    )
    m.stock("energized_from_stranded_cum_gw", 0.0, units="GW")
    m.flow(
        "energized_cum_inflow_gw_per_period",
        lambda energizing_total_gw_per_period: energizing_total_gw_per_period,
        to_stock="energized_from_stranded_cum_gw",
        units="GW/period",
    )
    m.stock(
        "site_energized_cum_gw",
        "site_energized_gw_at_start",
        dims=S,
        units="GW",
        doc="IT load ever energized at each site, retirements not deducted (the LP's it_gw).",
    )
    m.flow(
        "site_energized_cum_inflow_gw_per_period",
        "site_energizing_gw_per_period",
        to_stock="site_energized_cum_gw",
        dims=S,
        units="GW/period",
    )


def _planned_energizing(ahead: float) -> Any:
    def equation(
        site_waiting_gw: Any,
        planned_delivering_gw_per_period: Any,
        free_capacity_gw: Any,
        energization_periods: Any,
    ) -> Any:
        waiting = site_waiting_gw / energization_periods + ahead * planned_delivering_gw_per_period
        return np.minimum(waiting, free_capacity_gw / energization_periods)

    return equation


def _pool_energizing(ahead: float) -> Any:
    def equation(
        stranded_gw: Any,
        site_waiting_gw: Any,
        delivering_gw_per_period: Any,
        planned_delivering_gw_per_period: Any,
        leftover_capacity_gw: Any,
        energization_periods: Any,
    ) -> Any:
        pool = np.maximum(vendor_total(stranded_gw) - site_total(site_waiting_gw), 0.0)
        arriving = vendor_total(delivering_gw_per_period) - site_total(
            planned_delivering_gw_per_period
        )
        wanting = pool / energization_periods + ahead * np.maximum(arriving, 0.0)
        return np.minimum(wanting, site_total(leftover_capacity_gw) / energization_periods)

    return equation


def _site_energizing(
    site_planned_energizing_gw_per_period: Any,
    pool_energizing_gw_per_period: Any,
    leftover_capacity_gw: Any,
) -> Any:
    share = ratio(leftover_capacity_gw, site_total(leftover_capacity_gw))
    return site_planned_energizing_gw_per_period + pool_energizing_gw_per_period * share


def _vendor_energizing(ahead: float) -> Any:
    def equation(
        stranded_gw: Any,
        delivering_gw_per_period: Any,
        energizing_total_gw_per_period: Any,
        energization_periods: Any,
    ) -> Any:
        ready = stranded_gw / energization_periods + ahead * delivering_gw_per_period
        return ready * ratio(energizing_total_gw_per_period, vendor_total(ready))

    return equation
