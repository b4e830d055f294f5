r"""Power: interconnection queue → grid-connected; on-site generation; PPAs.

Per site [GW facility]:

* **grid requests** :math:`q_s = \max(0, G^*_s - C_s - Q_s - P_s) / \tau_d` with the
  site's need :math:`G^*_s = \min(\text{grid\_limit}_s, \mathrm{PUE}\cdot\text{shells planned}_s)`,
  connected :math:`C_s`, queue :math:`Q_s` and signed-contract supply not yet in
  service :math:`P_s` (`sd_model.buildout.contracts`). Requests that drop out re-open
  the gap and are filed again.
  When decisions fix grid requests, :math:`q_s` follows them (a request that
  drops out is not filed again).
* **queue**: a material delay of order ``interconnection_delay_order`` with the
  region's ``interconnection_lead_quarters``; at its exit a share
  ``queue_attrition_fraction`` drops out and the rest connects, limited by
  the region's headroom: new connections of the region
  :math:`\Sigma_{s\in r}(C_s - C_{s,0}) \le H_r(t)`; what cannot connect waits.
  Without frictions the queue is a pipeline: a request arrives exactly one
  lead later, none drops out, and it connects in the step it arrives.
* **on-site generation** (sites with an option; the fastest-to-build option
  is used): if ``onsite_bridge`` is on, build
  :math:`\max(0, \mathrm{PUE}\cdot\text{shells planned}_s - \hat G_s) / a_s`
  where :math:`\hat G_s` is the grid connection expected in time — connected
  plus the surviving queue if the region's lead is no longer than the
  option's, else connected only (capped at the grid limit); :math:`a_s` is
  the availability. Under construction → operating after its lead (pipeline).
* **on-site build limit**: the starts of each option, summed over the sites
  that build it, are at most its ``max_build_gw_per_year`` (per period:
  / periods a year), shared in proportion to what each site wants; since
  every site of an option has its lead, additions per year keep the same
  limit.
  Fixed on-site builds replace the rule (`sd_model.buildout.fixed`).
* **bridge retirement**: a ``bridge`` option's plant beyond what the site still
  needs beside its connected grid retires (`sd_model.buildout.bridge`).
* **available power** :math:`C_s + a_s \cdot \text{on-site}_s`; powered IT
  capacity = available / PUE.

PPAs per region (the region's options pooled): sign nameplate for the
coverage target a PPA lead ahead times the planned facility load of the
region's shells, up to the pooled ``max_gw`` (fixed PPA signings replace the
rule); under development → delivering after the lead (pipeline). Coverage =
contracted clean energy / facility load energy at the candidate sites. Cost
is the settlement of a virtual PPA, energy × (strike − wholesale price); PPAs
do not power anything.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from sd_model.buildout.arrays import by_region, by_site, ratio, reading
from sd_model.buildout.bridge import add_bridge_retirement
from sd_model.buildout.context import Context, R, S
from sd_model.buildout.pipelines import Pipeline, add_pipeline
from sd_model.buildout.ppa import add_ppa
from sd_model.engine import Model

__all__ = ["add"]


def add(m: Model, ctx: Context) -> None:
    """Declare the grid queue, on-site generation, power available and PPAs."""
    _grid(m, ctx)
    _onsite(m, ctx)
    add_bridge_retirement(m, ctx)
    add_ppa(m, ctx)


def _grid(m: Model, ctx: Context) -> None:
    """Declare interconnection requests, the queue (attrition, delay), connections and headroom.

    Long because it declares the sector's equations together, in the order of the module's maths.
    """
    q2p, member = ctx.q2p, ctx.membership
    order = ctx.inputs.settings.interconnection_delay_order
    m.aux(
        "site_interconnection_lead_periods",
        lambda interconnection_lead_quarters: by_site(
            np.maximum(interconnection_lead_quarters, 1e-9) * q2p, member
        ),
        dims=S,
        units="period",
    )
    m.aux(
        "site_queue_attrition",
        lambda queue_attrition_fraction: by_site(queue_attrition_fraction, member),
        dims=S,
    )
    m.stock(
        "grid_connected_gw",
        "interconnected_gw_at_start",
        dims=S,
        units="GW facility",
        non_negative=True,
    )
    if not ctx.has("delay_spread"):
        order = 2  # a pipeline (in transit) and the requests ready, waiting for headroom
    stages = [f"grid_queue_stage{i}_gw" for i in range(1, order + 1)]
    for stage in stages:
        m.stock(stage, 0.0, dims=S, units="GW facility", non_negative=True)
    m.aux(
        "grid_queue_gw",
        reading(_sum, *stages),
        dims=S,
        units="GW facility",
        doc="Interconnection requests waiting in the queue.",
    )
    m.aux(
        "grid_need_gw",
        lambda grid_limit_gw, shells_planned_gw, pue: np.minimum(
            grid_limit_gw, shells_planned_gw * pue
        ),
        dims=S,
        units="GW facility",
    )

    def requesting(
        grid_need_gw: Any,
        grid_connected_gw: Any,
        grid_queue_gw: Any,
        contract_pending_gw: Any,
        decision_quarters: Any,
    ) -> Any:
        short = grid_need_gw - grid_connected_gw - grid_queue_gw - contract_pending_gw
        return np.maximum(short, 0.0) / (decision_quarters * q2p)

    m.flow(
        "grid_requesting_gw_per_period",
        "fixed_grid_requests" if ctx.follows("grid_requests") else requesting,
        to_stock=stages[0],
        dims=S,
        units="GW facility/period",
    )
    if ctx.has("delay_spread"):
        _higher_order_queue(m, stages, order)
    else:
        _pipeline_queue(m, stages)
    last = stages[-1]
    m.flow(
        "grid_withdrawing_gw_per_period",
        lambda grid_queue_exit_gw_per_period, site_queue_attrition: (
            grid_queue_exit_gw_per_period * site_queue_attrition
        ),
        from_stock=last,
        dims=S,
        units="GW facility/period",
        doc="Requests that drop out of the queue (attrition).",
    )
    m.aux(
        "grid_ready_gw_per_period",
        lambda grid_queue_exit_gw_per_period, site_queue_attrition: (
            grid_queue_exit_gw_per_period * (1.0 - site_queue_attrition)
        ),
        dims=S,
        units="GW facility/period",
    )
    m.aux(
        "region_new_connections_gw",
        lambda grid_connected_gw, interconnected_gw_at_start, contract_connected_gw: by_region(
            grid_connected_gw - interconnected_gw_at_start - contract_connected_gw, member
        ),
        dims=R,
        units="GW facility",
    )
    m.aux(
        "region_headroom_room_gw",
        lambda headroom_gw, region_new_connections_gw: np.maximum(
            headroom_gw - region_new_connections_gw, 0.0
        ),
        dims=R,
        units="GW facility",
    )
    m.aux(
        "region_connect_fraction",
        lambda region_headroom_room_gw, grid_ready_gw_per_period, dt: np.minimum(
            1.0, ratio(region_headroom_room_gw / dt, by_region(grid_ready_gw_per_period, member))
        ),
        dims=R,
    )
    m.flow(
        "grid_connecting_gw_per_period",
        lambda grid_ready_gw_per_period, region_connect_fraction: (
            grid_ready_gw_per_period * by_site(region_connect_fraction, member)
        ),
        from_stock=last,
        to_stock="grid_connected_gw",
        dims=S,
        units="GW facility/period",
    )


def _higher_order_queue(m: Model, stages: list[str], order: int) -> None:
    """The queue as a material delay of ``order``: each stage drains at order / lead."""
    for i, (stage, nxt) in enumerate(itertools.pairwise(stages), start=1):
        m.flow(
            f"grid_queue_advancing{i}_gw_per_period",
            _stage_outflow(stage, order),
            from_stock=stage,
            to_stock=nxt,
            dims=S,
            units="GW facility/period",
        )
    m.aux(
        "grid_queue_exit_gw_per_period",
        _stage_outflow(stages[-1], order),
        dims=S,
        units="GW facility/period",
    )


def _pipeline_queue(m: Model, stages: list[str]) -> None:
    """Without frictions: requests arrive exactly one lead later and connect in that step."""
    m.fixed_delay(
        "grid_queue_due_gw_per_period",
        "grid_requesting_gw_per_period",
        "site_interconnection_lead_periods",
        initial=0.0,
        dims=S,
        units="GW facility/period",
    )
    m.flow(
        "grid_queue_advancing1_gw_per_period",
        "grid_queue_due_gw_per_period",
        from_stock=stages[0],
        to_stock=stages[1],
        dims=S,
        units="GW facility/period",
    )
    m.aux(
        "grid_queue_exit_gw_per_period",
        lambda grid_queue_stage2_gw, grid_queue_advancing1_gw_per_period, dt: (
            grid_queue_stage2_gw / dt + grid_queue_advancing1_gw_per_period
        ),
        dims=S,
        units="GW facility/period",
    )


def _stage_outflow(stage: str, order: int) -> Any:
    def outflow(level: Any, lead_periods: Any) -> Any:
        return level * order / lead_periods

    return reading(outflow, stage, "site_interconnection_lead_periods")


def _sum(*values: Any) -> Any:
    return sum(values)


def _onsite(m: Model, ctx: Context) -> None:
    """Declare on-site plant: builds within the yearly limit, capacity and output.

    Long because it declares the sector's equations together, in the order of the module's maths.
    """
    q2p, member, bridge = ctx.q2p, ctx.membership, ctx.onsite_bridge
    m.aux(
        "site_grid_lead_quarters",
        lambda interconnection_lead_quarters: by_site(interconnection_lead_quarters, member),
        dims=S,
        units="quarter",
    )
    m.stock("onsite_operating_gw", 0.0, dims=S, units="GW", non_negative=True)
    m.stock("onsite_under_construction_gw", 0.0, dims=S, units="GW", non_negative=True)

    def target(
        shells_planned_gw: Any,
        pue: Any,
        grid_connected_gw: Any,
        grid_queue_gw: Any,
        site_queue_attrition: Any,
        site_grid_lead_quarters: Any,
        onsite_lead_quarters: Any,
        grid_limit_gw: Any,
        onsite_allowed: Any,
        onsite_availability_factor: Any,
        contract_in_time_gw: Any,
    ) -> Any:
        grid_in_time = contract_in_time_gw + np.where(
            site_grid_lead_quarters <= onsite_lead_quarters,
            grid_queue_gw * (1.0 - site_queue_attrition),
            0.0,
        )
        expected = np.minimum(grid_limit_gw, grid_connected_gw + grid_in_time)
        short = np.maximum(shells_planned_gw * pue - expected, 0.0)
        return (1.0 if bridge else 0.0) * onsite_allowed * short / onsite_availability_factor

    m.aux(
        "onsite_target_gw",
        target,
        dims=S,
        units="GW",
        doc="On-site capacity wanted to bridge the power the grid will not supply in time.",
    )

    same = _same_technology(ctx.inputs.onsite_technology)
    ppy = ctx.ppy

    def starting(
        onsite_target_gw: Any,
        onsite_operating_gw: Any,
        onsite_under_construction_gw: Any,
        decision_quarters: Any,
        onsite_build_limit_gw_per_year: Any,
    ) -> Any:
        gap = onsite_target_gw - onsite_operating_gw - onsite_under_construction_gw
        wanted = np.maximum(gap, 0.0) / (decision_quarters * q2p)
        # the technology's yearly limit, shared among its sites in proportion to what they want
        peers = _peer_total(wanted, same)
        share = np.minimum(1.0, ratio(onsite_build_limit_gw_per_year / ppy, peers))
        return wanted * np.where(peers > 0, share, 1.0)

    onsite = Pipeline(
        started="onsite_starting_gw_per_period",
        lead_quarters="onsite_lead_quarters",
        lead_periods="onsite_lead_periods",
        due="onsite_completion_due_gw_per_period",
        completing="onsite_completing_gw_per_period",
        building="onsite_under_construction_gw",
        finished="onsite_operating_gw",
    )
    add_pipeline(
        m,
        onsite,
        "fixed_onsite_starts" if ctx.follows("onsite_builds") else starting,
        q2p=q2p,
        dims=S,
        units="GW/period",
    )
    m.aux(
        "available_power_gw",
        lambda grid_connected_gw, onsite_operating_gw, onsite_availability_factor: (
            grid_connected_gw + onsite_availability_factor * onsite_operating_gw
        ),
        dims=S,
        units="GW facility",
    )
    m.aux(
        "powered_it_gw",
        lambda available_power_gw, pue: available_power_gw / pue,
        dims=S,
        units="GW",
    )
    m.aux(
        "site_facility_load_gw",
        lambda site_load_gw, pue: site_load_gw * pue,
        dims=S,
        units="GW facility",
    )
    m.aux(
        "grid_draw_gw",
        lambda site_facility_load_gw, grid_connected_gw: np.minimum(
            site_facility_load_gw, grid_connected_gw
        ),
        dims=S,
        units="GW facility",
    )
    m.aux(
        "onsite_draw_gw",
        lambda site_facility_load_gw, grid_draw_gw: site_facility_load_gw - grid_draw_gw,
        dims=S,
        units="GW facility",
        doc="Load served by on-site generation (all of it above the grid connection).",
    )


def _same_technology(technology: tuple[str, ...]) -> Any:
    """Site-by-site matrix: 1 where two sites build the same on-site option."""
    codes = np.array(technology, dtype=object)
    return (codes[:, None] == codes[None, :]).astype(np.float64) * (codes[:, None] != "")


def _peer_total(x: Any, same: Any) -> Any:
    """Per site, ``x`` summed over the sites that build the same option (site axis 2)."""
    summed = np.tensordot(x, same, axes=([2], [0]))  # the site axis moves last
    return np.moveaxis(summed, -1, 2)
