"""Metrics a sweep can compute per sample.

`announced_gap_metrics` needs only the scenario (it reads the announced
schedule against site capacity), so it is the cheapest useful sweep.
"""

from __future__ import annotations

from sd_model import Scenario
from sd_model.summary import announced_by_year

__all__ = ["announced_gap_metrics"]


def announced_gap_metrics(scenario: Scenario) -> dict[str, float]:
    """Announced deliveries against the site capacity that can be energized in time.

    Returns
    -------
    dict
        ``announced_gw`` [GW] in total, ``site_capacity_gw`` [GW] at the end of
        the horizon, ``peak_gap_gw`` [GW] (largest yearly excess of cumulative
        deliveries over capacity) and ``first_gap_year`` (0 when there is none).
    """
    years = announced_by_year(scenario)
    gaps = years.loc[years["gap_gw"] > 1e-9, "year"]
    return {
        "announced_gw": float(years["announced_gw"].sum()),
        "site_capacity_gw": float(years["site_capacity_gw"].iloc[-1]),
        "peak_gap_gw": float(years["gap_gw"].max()),
        "first_gap_year": float(gaps.iloc[0]) if len(gaps) else 0.0,
    }
