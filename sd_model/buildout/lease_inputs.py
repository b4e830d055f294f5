"""Lease contracts laid out for the build-out model: per-lessor series, GW leased at the start.

Committed contracts always count; an optional contract counts at the share
a plan's `sd_model.Decisions` take up (none without decisions). Each
contract's GW per period is `sd_model.frames.ScenarioFrames.lease_profile_gw`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sd_model.frames import lease_timing
from sd_model.scenario.definition import Scenario

__all__ = ["lease_inputs"]

FloatArray = NDArray[np.float64]


def _lease_gw_at(start: float, ramp: float, end: float, gw: float, t: float) -> float:
    """A lease's contracted GW at time ``t`` (periods)."""
    if t < start or t >= end:
        return 0.0
    return gw if ramp <= 0 else gw * min(1.0, (t - start) / ramp)


def lease_inputs(
    scenario: Scenario, lessor_ids: tuple[str, ...], n: int, takeups: Mapping[str, float]
) -> tuple[dict[str, Any], dict[str, tuple[tuple[str, ...], FloatArray, FloatArray, str]]]:
    """Per-lessor series of committed leases and options taken up, and leased GW at the start.

    ``takeups`` maps an optional contract to the share of it taken up (default none).
    """
    grid = scenario.periods
    profiles = scenario.frames("sd").lease_profile_gw
    contracted = np.zeros((n, len(lessor_ids)))
    full = np.zeros((n, len(lessor_ids)))
    minimum = np.zeros((n, len(lessor_ids)))
    at_start = 0.0
    for lease in scenario.lease_contracts:
        # options are the planner's to take up: only as far as decisions take them
        share = 1.0 if lease.committed else takeups.get(lease.id, 0.0)
        if share <= 0:
            continue
        column = lessor_ids.index(lease.lessor)
        gw = profiles[lease.id].to_numpy() * share
        price = lease.price_busd_per_gw_year / grid.periods_per_year
        contracted[:, column] += gw
        full[:, column] += gw * price
        minimum[:, column] += gw * lease.take_or_pay_share * price
        at_start += _lease_gw_at(*lease_timing(lease, grid), lease.gw * share, 0.0)
    constants: dict[str, Any] = {"leased_gw_at_start": ((), at_start)}
    if not lessor_ids:
        return constants, {}
    times = np.arange(n, dtype=np.float64)
    return constants, {
        "leased_contracted_base": (("lessor",), times, contracted, "hold"),
        "lease_full_payment_base": (("lessor",), times, full, "hold"),
        "lease_minimum_base": (("lessor",), times, minimum, "hold"),
    }
