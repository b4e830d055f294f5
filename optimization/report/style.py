"""The look every report figure shares: size, colours, the time axis, PNG output.

Figures are `matplotlib.figure.Figure` objects drawn on their own Agg
canvas, never through ``pyplot``: nothing touches matplotlib's global state,
so reports can be written headless and from several threads at once.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = [
    "DPI",
    "HEIGHT_PX",
    "WIDTH_PX",
    "case_colors",
    "mark_lp_end",
    "new_figure",
    "period_axis",
    "period_years",
    "png_bytes",
    "series_colors",
]

WIDTH_PX = 1200
HEIGHT_PX = 700
DPI = 100

#: Fixed colours of the built-in cases; user schedules take the next free ones.
CASE_COLORS: dict[str, str] = {
    "announced": "#d62728",
    "announced_timing": "#ff7f0e",
    "optimal": "#2ca02c",
    "coupled": "#1f77b4",
}
_SPARE_COLORS = ("#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f")
#: Fixed line styles, so that cases with identical paths stay distinguishable.
CASE_STYLES = ("-", "--", "-.", ":")
_SERIES_COLORS = (
    "#4c72b0",
    "#dd8452",
    "#55a868",
    "#c44e52",
    "#8172b3",
    "#937860",
    "#da8bc3",
    "#8c8c8c",
    "#ccb974",
    "#64b5cd",
)
INSTALLED_COLOR = "#b0b0b0"

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def new_figure(*, rows: int = 1, cols: int = 1, title: str = "") -> Figure:
    """An empty figure of the report's fixed size [1200 × 700 px] on its own Agg canvas."""
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    if title:
        figure.suptitle(title, fontsize=14, fontweight="bold")
    return figure


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG bytes at the report's size (no tight cropping, so sizes stay fixed)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def case_colors(names: Iterable[str]) -> dict[str, str]:
    """One colour per case: fixed for the built-in cases, the same in every figure."""
    colors: dict[str, str] = {}
    spare = iter(c for c in _SPARE_COLORS)
    for name in names:
        colors[name] = CASE_COLORS.get(name) or next(spare, "#333333")
    return colors


def case_style(names: Sequence[str], name: str) -> str:
    """The line style of a case (by its position among the cases)."""
    return CASE_STYLES[list(names).index(name) % len(CASE_STYLES)]


def series_colors(keys: Iterable[str]) -> dict[str, str]:
    """Stable colours for vendors, regions or sources, in sorted key order.

    The fleet running at the start (``installed``) is always grey.
    """
    ordered = sorted(k for k in set(keys) if k != "installed")
    colors = {k: _SERIES_COLORS[i % len(_SERIES_COLORS)] for i, k in enumerate(ordered)}
    return colors | {"installed": INSTALLED_COLOR}


def period_years(periods: Iterable[str]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Period labels (``2026Q3``, ``2026-07`` or ``2026``) as fractional years [yr].

    A period's start: ``2026Q3`` is 2026.5.
    """
    return np.array([_period_year(str(p)) for p in periods], dtype=float)


def _period_year(label: str) -> float:
    if match := _QUARTER.match(label):
        return int(match[1]) + (int(match[2]) - 1) / 4
    if match := _MONTH.match(label):
        return int(match[1]) + (int(match[2]) - 1) / 12
    return float(label)


def period_axis(axes: Axes, label: str = "") -> None:
    """Whole years as ticks on a time axis of fractional years (every other year if narrow)."""
    lo, hi = axes.get_xlim()
    years = np.arange(np.ceil(lo), np.floor(hi) + 1)
    step = max(1, round(len(years) * 0.045 / max(axes.get_position().width, 0.05)))
    years = years[::step]
    axes.set_xticks(years, [f"{int(y)}" for y in years])
    axes.set_xlabel(label or "year (ticks at 1 January)")
    axes.grid(True, alpha=0.3)


def mark_lp_end(axes: Axes, boundary: str | None, *, text: bool = True) -> None:
    """Shade the time after the LP's horizon (from the period boundary ``boundary``).

    Plans stop there; a schedule may go on (the announced one does) while
    the plans' fleets only age. Call after plotting; labelled if ``text``.
    """
    if boundary is None:
        return
    x = _period_year(boundary)
    lo, hi = axes.get_xlim()
    axes.axvline(x, color="#555555", linestyle=":", linewidth=1)
    axes.axvspan(x, hi, color="#888888", alpha=0.08, linewidth=0)
    axes.set_xlim(lo, hi)
    if not text:
        return
    axes.annotate(
        "after the LP horizon",
        (x, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(3, -3),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=8,
        color="#555555",
    )


def pivot(frame: pd.DataFrame, index: str, columns: str, values: str) -> pd.DataFrame:
    """A wide table (index × columns) in first-seen order, missing cells as 0."""
    wide = frame.pivot_table(index=index, columns=columns, values=values, aggfunc="sum")
    wide = wide.reindex(index=pd.unique(frame[index]), columns=pd.unique(frame[columns]))
    return wide.fillna(0.0)
