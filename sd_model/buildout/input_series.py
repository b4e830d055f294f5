"""The simulation's exogenous time series on the period grid (schedules, funding, targets, curves).

Split out of `sd_model.buildout.inputs`, which calls `exogenous_series` while laying
out a scenario; "hold" series hold per period, "linear" ones are given at boundaries.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from sd_model.frames import reference_demand_gw, vintage_index
from sd_model.scenario.definition import Scenario
from sd_model.scenario.schedule import Schedule
from sd_model.scenario.sections import SimulationSettings

__all__ = ["exogenous_series"]

FloatArray = NDArray[np.float64]


def exogenous_series(
    scenario: Scenario,
    schedule: Schedule,
    vendor_ids: list[str],
    settings: SimulationSettings,
    labels: list[str],
) -> dict[str, tuple[tuple[str, ...], FloatArray, FloatArray, str]]:
    """Exogenous time series on the period grid (hold: per period; linear: at boundaries)."""
    grid = scenario.periods
    n = len(labels)
    q2p = grid.periods_per_year / 4
    by_vendor = schedule.by_vendor_period(vendor_ids, labels).T  # (T, V)
    sched = np.hstack([by_vendor, np.zeros((n, 1))])  # the installed fleet has no schedule
    lead = round(settings.order_lead_quarters * q2p)
    padded = np.vstack([sched, np.zeros((lead, sched.shape[1]))])
    ordering = padded[lead : lead + n]
    cumulative = np.vstack([np.zeros((1, sched.shape[1])), np.cumsum(padded, axis=0)])
    boundaries = np.arange(n + 1)
    not_yet_due = cumulative[boundaries + lead] - cumulative[boundaries]
    remaining = cumulative[-1] - cumulative[boundaries]
    frames = scenario.frames("sd")
    per_period = frames.external_funding_busd.to_numpy()
    target = frames.ppa_coverage_target.to_numpy()
    ppa_lead = max((o.lead_quarters for o in scenario.ppa_options), default=0)
    shift = math.ceil(ppa_lead * q2p)
    target_ahead = np.concatenate([target, np.full(shift, target[-1])])[shift : shift + n]
    headroom = frames.headroom_gw.to_numpy().reshape(n, len(scenario.regions))
    times = np.arange(n, dtype=np.float64)
    bounds = boundaries.astype(np.float64)
    ref_ppw = [scenario.demand.reference_perf_per_watt(grid.year(p)) for p in labels]
    curves = {
        "perf_per_watt_index": _vintages(scenario, labels, "perf_per_watt_growth_per_year"),
        "capex_index": _vintages(scenario, labels, "capex_change_per_year"),
    }
    # the outlook's path per GW at the start (the constant-growth path is built in the model,
    # so that a batch can sample demand_growth_per_year and compute_demand_gw_at_start)
    start_gw = scenario.demand.compute_demand_gw_at_start
    path = reference_demand_gw(scenario, n)
    index = path / start_gw if start_gw > 0 else np.ones_like(path)
    return {
        "outlook_demand_index": ((), bounds, index, "linear"),
        "reference_perf_per_watt": ((), times, np.asarray(ref_ppw, dtype=np.float64), "hold"),
        **{name: (("vendor",), times, values, "hold") for name, values in curves.items()},
        "scheduled_delivery_base": (("vendor",), times, sched, "hold"),
        "ordering_base": (("vendor",), times, ordering, "hold"),
        "not_yet_due_base": (("vendor",), bounds, not_yet_due, "linear"),
        "remaining_schedule_base": (("vendor",), bounds, remaining, "linear"),
        "external_funding_base": ((), times, np.asarray(per_period), "hold"),
        "ppa_coverage_target": ((), times, target, "hold"),
        "ppa_coverage_target_ahead": ((), times, target_ahead, "hold"),
        "headroom_gw": (("region",), times, headroom, "hold"),
    }


def _vintages(scenario: Scenario, labels: list[str], rate: str) -> FloatArray:
    """Period × vendor index of a cost curve; the installed fleet is the reference generation."""
    columns = [vintage_index(scenario, labels, getattr(v, rate)) for v in scenario.vendors]
    return np.column_stack([*columns, np.ones(len(labels))])
