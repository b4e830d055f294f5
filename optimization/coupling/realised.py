"""What the simulation knows about the grid and the LP does not: realised attrition and queue time.

`realised_grid` measures, per region over the planning horizon, the
interconnection requests filed, connected and dropped, the realised
attrition share and the realised queue time (Little's law: GW-quarters
spent in the queue per GW that left it; requests still queued at the end
count the wait so far), next to the region's lead time as the LP plans it.
These are the numbers a coupling would pass back to the LP (as effective
lead times or derates).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimization.coupling.case_tables import planning_horizon
from sd_model import Scenario

__all__ = ["REALISED_COLUMNS", "realised_grid"]

REALISED_COLUMNS = [
    "region",
    "requested_gw",
    "connected_gw",
    "dropped_gw",
    "queued_at_end_gw",
    "attrition_share",
    "queue_quarters",
    "lead_quarters",
]


def _by_region(result: pd.DataFrame, name: str, sites: list[str]) -> np.ndarray:
    return np.asarray(result[[f"{name}[{s}]" for s in sites]].to_numpy().sum(axis=1), dtype=float)


def realised_grid(result: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per region: the grid requests' fate and queue time over the planning horizon.

    Returns
    -------
    pandas.DataFrame
        Columns `REALISED_COLUMNS`: GW requested, connected, dropped and
        still queued [GW facility], attrition share (dropped / left the
        queue), queue time and the LP's lead [quarters]; regions without sites
        are left out.
    """
    rows = planning_horizon(result, scenario)
    quarters_per_period = 4 / scenario.periods.periods_per_year
    out = []
    for region in scenario.regions:
        sites = [s.id for s in scenario.sites if s.region == region.id]
        if not sites:
            continue
        requested = _by_region(rows, "grid_requested_cum_gw", sites)[-1]
        connected_path = _by_region(rows, "grid_connected_gw", sites)
        connected = connected_path[-1] - connected_path[0]
        dropped = _by_region(rows, "grid_withdrawn_cum_gw", sites)[-1]
        queue = _by_region(rows, "grid_queue_gw", sites)
        left = connected + dropped
        waited = float(queue[:-1].sum()) * quarters_per_period  # GW-quarters, one per period
        out.append(
            (
                region.id,
                requested,
                connected,
                dropped,
                queue[-1],
                dropped / left if left > 1e-9 else 0.0,
                waited / left if left > 1e-9 else float("nan"),
                float(region.interconnection_lead_quarters),
            )
        )
    return pd.DataFrame(out, columns=REALISED_COLUMNS)
