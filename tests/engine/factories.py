"""Models shared by the engine tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sd_model.engine import Model, ramp, step

VENDORS = ("amd", "nvidia")


def buildout_like() -> Model:
    """A small per-vendor pipeline exercising every builtin, in quarters.

    Orders follow a quarterly schedule, wait in a non-negative backlog, ship
    through a third-order delay, wait delivered for power through a fixed
    delay and end energized; a lookup of the total slows shipping.
    """
    m = Model({"vendor": VENDORS}, time_units="quarter")
    m.constant("lead_quarters", [2.0, 3.0], dims=("vendor",), units="quarter")
    m.constant("transit_quarters", 1.5, units="quarter")
    m.constant("power_quarters", 1.0, units="quarter")
    m.time_series(
        "schedule_gw",
        [0.0, 4.0, 8.0],
        [[0.5, 1.0], [1.0, 1.5], [0.2, 0.1]],
        dims=("vendor",),
        units="GW/quarter",
    )
    m.aux("demand_multiplier", lambda time, dt: 1 + ramp(time, 0.05, 2.0) + step(time, 0.2, 6, dt))
    m.flow(
        "ordering",
        lambda schedule_gw, demand_multiplier: schedule_gw * demand_multiplier,
        to_stock="backlog_gw",
        dims=("vendor",),
        units="GW/quarter",
    )
    m.stock("backlog_gw", [1.0, 2.0], dims=("vendor",), non_negative=True, units="GW")
    m.flow(
        "shipping",
        lambda backlog_gw, lead_quarters, congestion: 1.2 * backlog_gw / lead_quarters * congestion,
        from_stock="backlog_gw",
        dims=("vendor",),
        units="GW/quarter",
    )
    m.delay(
        "deliveries",
        "shipping",
        "transit_quarters",
        order=3,
        to_stock="delivered_gw",
        dims=("vendor",),
        units="GW/quarter",
    )
    m.stock("delivered_gw", 0.0, dims=("vendor",), units="GW")
    m.fixed_delay(
        "energizing",
        lambda delivered_gw: delivered_gw / 2,
        "power_quarters",
        initial=0.0,
        from_stock="delivered_gw",
        to_stock="energized_gw",
        dims=("vendor",),
        units="GW/quarter",
    )
    m.stock("energized_gw", 0.0, dims=("vendor",), units="GW")
    m.aux(
        "total_energized_gw",
        lambda energized_gw: energized_gw.sum(axis=1, keepdims=True),
        units="GW",
    )
    m.lookup(
        "congestion",
        lambda total_energized_gw: total_energized_gw / 4.0,
        [0.0, 1.0, 2.0],
        [1.0, 0.8, 0.5],
        extrapolation="linear",
    )
    m.smooth("perceived_gw", "total_energized_gw", 2.0, order=3, units="GW")
    m.trend("energized_growth", "perceived_gw", 2.0, units="1/quarter")
    return m


def sample_params(samples: int, seed: int = 1) -> dict[str, np.ndarray]:
    """Random per-sample parameters and initial values for :func:`buildout_like`."""
    rng = np.random.default_rng(seed)
    return {
        "lead_quarters": rng.uniform(1.0, 4.0, size=(samples, len(VENDORS))),
        "transit_quarters": rng.uniform(0.5, 2.0, size=samples),
        "power_quarters": rng.choice([0.5, 1.0, 1.5], size=samples),
        "backlog_gw": rng.uniform(0.0, 3.0, size=(samples, len(VENDORS))),
    }


def sample_frame(frame: pd.DataFrame, sample: int) -> pd.DataFrame:
    """The rows of one sample of a batch result, indexed by time."""
    part = frame.xs(sample, level="sample")
    assert isinstance(part, pd.DataFrame)
    return part
