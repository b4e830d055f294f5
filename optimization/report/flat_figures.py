"""Figures that would carry no information, and the sentence the report says instead.

A chart of a line flat at 100 % in every case, or of owned bars repeating the
capacity figure when nothing is leased, costs the reader a look and tells
nothing. Each check here looks at the figure's data (not at the scenario's
name): if it finds nothing to see, it returns the one sentence that says what
the chart would have shown; else ``None`` and the figure is drawn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimization.coupling.compare import Comparison
from optimization.report.lease_figures import leased_by_year, tracking_series
from optimization.report.style import pivot
from sd_model import Scenario

__all__ = [
    "common_flat_value",
    "own_vs_lease_sentence",
    "tracking_sentence",
    "utilization_sentence",
]

#: Paths within this of their common value count as flat [-] (0.1 percentage point).
FLAT_TOLERANCE = 1e-3


def common_flat_value(
    paths: dict[str, np.ndarray], tolerance: float = FLAT_TOLERANCE
) -> float | None:
    """The value every path holds throughout (NaN ignored), or ``None`` if any moves or they differ.

    Examples
    --------
    >>> common_flat_value({"a": np.array([1.0, 1.0]), "b": np.array([1.0, np.nan])})
    1.0
    >>> common_flat_value({"a": np.array([1.0, 0.9])}) is None
    True
    """
    values = np.concatenate([np.asarray(p, dtype=float).ravel() for p in paths.values()])
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None
    low, high = float(values.min()), float(values.max())
    return (low + high) / 2 if high - low <= tolerance else None


def _span(comparison: Comparison) -> str:
    periods = [str(p) for p in pd.unique(comparison.timeseries["period"])]
    return f"{periods[0]} to {periods[-1]}" if periods else ""


def utilization_sentence(comparison: Comparison, scenario: Scenario | None = None) -> str | None:
    """Replace the utilization chart when utilization is one value in every case and period."""
    if comparison.timeseries.empty or "utilization" not in comparison.timeseries:
        return None
    wide = pivot(comparison.timeseries, "period", "case", "utilization")
    value = common_flat_value({str(c): wide[c].to_numpy() for c in wide.columns})
    if value is None:
        return None
    return (
        f"Utilization stays at {value:.0%} in every case, {_span(comparison)}: the energized "
        "fleet serves all the compute it can, so a chart of it would be one flat line."
    )


def tracking_sentence(comparison: Comparison, scenario: Scenario | None = None) -> str | None:
    """Replace the tracking view when utilization and the usage-linked share are both flat.

    Its third panel, PPA coverage, is drawn with power by source.
    """
    if not comparison.cases:
        return None
    series = {case.name: tracking_series(case) for case in comparison.cases}
    use = common_flat_value({n: s["utilization"].to_numpy() for n, s in series.items()})
    share = common_flat_value({n: s["usage_linked_share"].to_numpy() for n, s in series.items()})
    if use is None or share is None:
        return None
    return (
        f"The tracking view is not drawn: utilization stays at {use:.0%} and the usage-linked "
        f"share of revenue at {share:.0%} in every case, {_span(comparison)}; its third panel, "
        "PPA coverage, is in the power-by-source figure."
    )


def own_vs_lease_sentence(comparison: Comparison, scenario: Scenario | None = None) -> str | None:
    """Replace the own-vs-lease bars when no case leases anything (they would repeat owned IT)."""
    leased = 0.0
    for case in comparison.cases:
        table = leased_by_year(case)
        leased += float(table[["used_gw", "idle_gw"]].to_numpy(dtype=float).sum())
    if leased > 0 or not comparison.cases:
        return None
    return (
        "No case leases capacity: every energized GW is owned, as the energized-capacity "
        "figure shows."
    )
