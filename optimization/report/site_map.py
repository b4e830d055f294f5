"""A map-like picture of the sites: where each case puts its GW, on plain lat/lon axes.

Drawn from the sites' ``latitude_deg`` / ``longitude_deg`` (``sites.csv``)
with matplotlib alone: no basemap, no tiles, nothing downloaded. One panel per
case; a disc per site, its area proportional to the energized IT at the end
of the plan, coloured by grid region; a site left unused is a hollow ring.
Sites at the same coordinates share one disc (their GW summed, ids joined).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from optimization.coupling.compare import Comparison
from optimization.report.style import new_figure, series_colors
from optimization.report.tables import planning_periods
from sd_model import Scenario

__all__ = ["placed_sites", "site_map"]

_GW = 0.005  # below this a site counts as unused [GW]
_POINTS_PER_GW = 400.0  # marker area [pt²] per GW of IT


def placed_sites(scenario: Scenario) -> pd.DataFrame:
    """Sites with coordinates, one row per location: place (ids joined), region, lat, lon, ids."""
    rows = [
        (s.id, s.region, float(s.latitude_deg), float(s.longitude_deg))
        for s in scenario.sites
        if s.latitude_deg is not None and s.longitude_deg is not None
    ]
    frame = pd.DataFrame(rows, columns=["site", "region", "lat", "lon"])
    if frame.empty:
        return frame.assign(place=[], ids=[])
    grouped = frame.groupby(["lat", "lon"], sort=False).agg(
        place=("site", "+".join), region=("region", "first"), ids=("site", tuple)
    )
    return grouped.reset_index()


def _end_year(comparison: Comparison, scenario: Scenario) -> int | None:
    """The last year end within the plan (the year whose end the map shows)."""
    end = planning_periods(comparison, scenario)[-1]
    years = sorted(int(y) for y in comparison.site_gw["year"].unique())
    inside = [y for y in years if y < int(end[:4]) or (y == int(end[:4]) and end.endswith("Q4"))]
    return inside[-1] if inside else (years[-1] if years else None)


def site_map(comparison: Comparison, scenario: Scenario | None = None) -> Figure | None:
    """Energized IT per site at the end of the plan, per case, on lat/lon axes [GW].

    Long because one figure's panels, labels and legend are drawn together.

    ``None`` without the scenario or without any site coordinates.
    """
    if scenario is None or comparison.site_gw.empty:
        return None
    places = placed_sites(scenario)
    year = _end_year(comparison, scenario)
    if places.empty or year is None:
        return None
    at_end = comparison.site_gw.loc[comparison.site_gw["year"] == year]
    gw = at_end.groupby(["case", "site"])["gw"].sum()
    names = comparison.names
    cols = 2 if len(names) == 4 else min(len(names), 3)  # maps are wide: 2 × 2 for four
    rows = math.ceil(len(names) / cols)
    figure = new_figure(title=f"Where the GW are: energized IT per site at the end of {year}")
    panels = np.atleast_1d(figure.subplots(rows, cols)).ravel()
    colors = series_colors(places["region"])
    for axes, name in zip(panels, names, strict=False):
        values = np.array(
            [sum(float(gw.get((name, s), 0.0)) for s in ids) for ids in places["ids"]]
        )
        used = values >= _GW
        axes.scatter(
            places["lon"][used],
            places["lat"][used],
            s=values[used] * _POINTS_PER_GW,
            c=[colors[r] for r in places["region"][used]],
            alpha=0.75,
            edgecolors="black",
            linewidths=0.5,
        )
        axes.scatter(
            places["lon"][~used], places["lat"][~used], s=40, facecolors="none", edgecolors="grey"
        )
        for place, lon, lat, value in zip(
            places["place"], places["lon"], places["lat"], values, strict=True
        ):
            label = f"{place} {value:.1f}" if value >= _GW else place
            axes.annotate(label, (lon, lat), xytext=(4, 4), textcoords="offset points", fontsize=7)
        axes.set_title(f"{name}: {values.sum():.1f} GW placed", fontsize=10)
        axes.grid(True, alpha=0.3)
        axes.margins(0.12)
        # a degree of longitude is shorter than one of latitude; the panel fills its box
        axes.set_aspect(
            1 / math.cos(math.radians(float(places["lat"].mean()))), adjustable="datalim"
        )
        axes.set_xlabel("longitude [°E]", fontsize=8)
    for axes in panels[len(names) :]:
        axes.set_visible(False)
    for axes in panels[::cols]:
        axes.set_ylabel("latitude [°N]")
    handles = [
        Line2D([], [], marker="o", linestyle="", color=colors[r], label=r)
        for r in sorted(set(places["region"]))
    ]
    unplaced = [s.id for s in scenario.sites if s.latitude_deg is None or s.longitude_deg is None]
    note = f"; not placed (no coordinates): {', '.join(unplaced)}" if unplaced else ""
    figure.legend(
        handles=handles,
        loc="outside lower center",
        ncols=len(handles),
        fontsize=8,
        title=f"region; disc area ∝ GW, ring: unused{note}",
        title_fontsize=8,
    )
    return figure
