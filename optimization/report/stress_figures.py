"""The figure of a stress test: the parties' liquidity and the holdings' value over time.

A `sd_model.stress.StressTest` in, a 1200 × 700 px `Figure` out (the
report's size and style): left, the liquidity of the lab and of every party
with a balance sheet, stressed (solid) against base (dashed), a dot where each
first breaches; right, the warrants and stakes, stressed against base.

Examples
--------
>>> import sd_model
>>> from sd_model.stress import stress_test
>>> test = stress_test(sd_model.load_scenario("tests/scenarios/tiny"),
...                    ["demand.revenue_busd_per_gw_year_at_start=x0.6@2027Q1"])
>>> [int(v) for v in liquidity_figure(test).get_size_inches() * 100]
[1200, 700]
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from optimization.report.style import new_figure, period_axis, period_years, series_colors
from sd_model.stress import StressTest

__all__ = ["liquidity_figure"]

_STYLES = {"base": "--", "stress": "-"}


def liquidity_figure(test: StressTest, title: str | None = None) -> Figure:
    """The parties' liquidity and the holdings' value, base (dashed) against stress (solid).

    ``title`` defaults to the scenario and the shocks (wrapped to the width).
    """
    shocks = ", ".join(str(s) for s in test.shocks)
    default = textwrap.fill(f"{test.scenario.name} under {shocks}", width=110)
    figure = new_figure(cols=2, title=title or default)
    left, right = figure.subplots(1, 2)
    _liquidity(left, test.parties())
    _holdings(right, test.holdings())
    return figure


def _liquidity(axes: Axes, parties: pd.DataFrame) -> None:
    booked = parties.dropna(subset=["liquidity_busd"])
    colors = series_colors(booked["party"].unique())
    for (party, case), rows in booked.groupby(["party", "case"], sort=False):
        years = period_years(rows["period"])
        values = rows["liquidity_busd"].to_numpy(dtype=np.float64)
        label = f"{party}" if case == "stress" else None
        axes.plot(years, values, _STYLES[str(case)], color=colors[str(party)], label=label)
        hit = rows["breach"].to_numpy(dtype=bool)
        if hit.any():
            first = int(np.argmax(hit))
            axes.plot(years[first], values[first], "o", color=colors[str(party)])
    axes.axhline(0.0, color="black", linewidth=0.8)
    axes.set_title("Liquidity [$B] (dot: first breach; dashed: base)")
    axes.set_ylabel("$B")
    if len(booked):
        period_axis(axes)
        axes.legend(loc="best", fontsize=9)


def _holdings(axes: Axes, holdings: pd.DataFrame) -> None:
    axes.set_title("Warrants and stakes [$B] (dashed: base)")
    if holdings.empty:
        axes.text(0.5, 0.5, "no warrants or stakes", ha="center", va="center")
        axes.set_axis_off()
        return
    names = holdings["holder"] + " in " + holdings["company"] + " (" + holdings["instrument"] + ")"
    colors = series_colors(names.unique())
    for name in names.unique():
        rows = holdings[names == name]
        years = period_years(rows["period"])
        for case, style in _STYLES.items():
            values = rows[f"{case}_busd"].to_numpy(dtype=np.float64)
            label = name if case == "stress" else None
            axes.plot(years, values, style, color=colors[name], label=label)
    axes.set_ylabel("$B")
    period_axis(axes)
    axes.legend(loc="best", fontsize=9)
