"""Figures of siting and of the LP: GW by site and region, shadow prices, the coupling.

Same conventions as `optimization.report.figures`: a `Comparison` (and
optionally the `Scenario`) in, a 1200 × 700 px `Figure` out, or ``None``
when there is nothing to draw (no LP case, no coupled case).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from optimization.coupling.compare import Comparison
from optimization.report.style import (
    case_colors,
    new_figure,
    period_axis,
    period_years,
    pivot,
    series_colors,
)
from optimization.report.tables import planning_periods
from sd_model import Scenario

__all__ = ["coupling_iterations", "shadow_prices", "site_gw", "site_years"]


def site_years(comparison: Comparison) -> list[int]:
    """Up to three year ends to show by site: all if few, else spread from the second year on."""
    years = sorted(int(y) for y in pd.unique(comparison.site_gw["year"]))
    if len(years) <= 3:
        return years
    later = years[1:]
    picks = np.linspace(0, len(later) - 1, 3).round().astype(int)
    return [later[i] for i in dict.fromkeys(picks.tolist())]


def _grouped_bars(axes: Axes, wide: pd.DataFrame, colors: dict[str, str]) -> None:
    """Bars per column (case) for each row (site or region)."""
    count = len(wide.columns)
    width = 0.8 / max(count, 1)
    x = np.arange(len(wide.index))
    for i, name in enumerate(wide.columns):
        offset = (i - (count - 1) / 2) * width
        axes.bar(x + offset, wide[name], width=width, color=colors.get(name), label=name)
    axes.set_xticks(x, list(wide.index), fontsize=8)
    axes.grid(True, axis="y", alpha=0.3)


def site_gw(
    comparison: Comparison,
    scenario: Scenario | None = None,
    *,
    years: list[int] | None = None,
) -> Figure | None:
    """Energized IT per site and per region at chosen year ends, bars per case [GW]."""
    frame = comparison.site_gw
    if frame.empty:
        return None
    chosen = years or site_years(comparison)
    boundary = planning_periods(comparison, scenario)[-1]
    last_lp_year = int(boundary[:4]) - 1 if boundary[:4].isdigit() else None
    figure = new_figure(title="Energized IT by site and region at year end")
    grid = figure.add_gridspec(len(chosen), 2, width_ratios=(4, 1))
    colors = case_colors(comparison.names)
    sites = frame.drop_duplicates("site").sort_values("region", kind="stable")
    labels = {s: f"{s}\n{r}" for s, r in zip(sites["site"], sites["region"], strict=True)}
    regions = list(dict.fromkeys(sites["region"]))
    for row, year in enumerate(chosen):
        at = frame.loc[frame["year"] == year]
        by_site = pivot(at, "site", "case", "gw").reindex(
            index=list(labels), columns=comparison.names
        )
        by_site = by_site.fillna(0.0).rename(index=labels)
        by_region = pivot(at, "region", "case", "gw").reindex(
            index=regions, columns=comparison.names
        )
        left = figure.add_subplot(grid[row, 0])
        right = figure.add_subplot(grid[row, 1], sharey=left)
        _grouped_bars(left, by_site, colors)
        _grouped_bars(right, by_region.fillna(0.0), colors)
        right.tick_params(axis="x", labelrotation=45)
        after = " (after LP)" if last_lp_year is not None and year > last_lp_year else ""
        left.set_ylabel(f"end of {year}{after}\nIT [GW]")
        if row == 0:
            left.set_title("by site (region below the name)", fontsize=10)
            right.set_title("by region", fontsize=10)
            handles, names = left.get_legend_handles_labels()
            figure.legend(handles, names, loc="outside lower center", ncols=len(names))
    return figure


def _lp_periods(comparison: Comparison) -> list[str]:
    """The LP's periods (from the first plan's regional table)."""
    for case in comparison.cases:
        if case.plan is not None and not case.plan.regions.empty:
            return list(pd.unique(case.plan.regions["period"]))
    return list(pd.unique(comparison.timeseries["period"]))


def _lp_cases(comparison: Comparison) -> list[str]:
    return [c.name for c in comparison.cases if c.plan is not None]


def shadow_prices(comparison: Comparison, scenario: Scenario | None = None) -> Figure | None:
    """What 1 GW more grid headroom (by region, over time) and $1B more funding are worth."""
    prices = comparison.shadow_prices
    lp_cases = _lp_cases(comparison)
    if not lp_cases:
        return None
    headroom = prices.loc[prices["limit"] == "headroom"]
    budget = prices.loc[prices["limit"] == "budget"]
    with_headroom = [c for c in lp_cases if c in set(headroom["case"])]
    figure = new_figure(title="Shadow prices of the LP cases: grid headroom and budget")
    grid = figure.add_gridspec(2, max(len(with_headroom), 1))
    periods = _lp_periods(comparison)
    region_colors = series_colors(headroom["key"])
    first: Axes | None = None
    for i, name in enumerate(with_headroom):
        axes = figure.add_subplot(grid[0, i], sharey=first)
        first = first or axes
        wide = pivot(headroom.loc[headroom["case"] == name], "period", "key", "value")
        wide = wide.reindex(periods).fillna(0.0)
        for region in sorted(wide.columns):
            axes.step(
                period_years(wide.index),
                wide[region],
                where="post",
                color=region_colors[region],
                linewidth=2,
                label=region,
            )
        axes.set_title(f"{name}: 1 GW more headroom", fontsize=10)
        axes.set_ylabel(r"value [\$B per GW from then on]" if i == 0 else "")
        period_axis(axes, "LP period (ticks at 1 January)")
        axes.legend(loc="upper right", fontsize=8, title="region")
    if not with_headroom:
        _note(figure.add_subplot(grid[0, :]), "grid headroom does not bind in any LP case")
    _budget_bars(figure.add_subplot(grid[1, :]), budget, lp_cases, case_colors(comparison.names))
    figure.supxlabel(
        "Other binding limits (sites, grid connections, PPAs) are listed under the LP's findings "
        "and in shadow_prices.csv.",
        fontsize=9,
        color="#555555",
    )
    return figure


def _budget_bars(
    axes: Axes, budget: pd.DataFrame, lp_cases: list[str], colors: dict[str, str]
) -> None:
    if budget.empty:
        _note(axes, "the budget does not bind in any LP case")
        return
    wide = pivot(budget, "key", "case", "value")
    wide = wide.reindex(index=sorted(wide.index), columns=lp_cases).fillna(0.0)
    _grouped_bars(axes, wide, colors)
    axes.set_title(r"\$1B more funding in a year (bars: LP cases)", fontsize=10)
    axes.set_xlabel("year")
    axes.set_ylabel(r"value [\$B per \$B]")
    axes.legend(loc="upper right", fontsize=8)


def _note(axes: Axes, text: str) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", fontsize=11, color="#555555")
    axes.set_axis_off()


def coupling_iterations(comparison: Comparison, scenario: Scenario | None = None) -> Figure | None:
    """The LP ↔ simulation fixed point: residual per iteration (log axis) and the LP's NPV."""
    result = comparison.coupling
    if result is None or not result.iterations:
        return None
    table = result.table()
    figure = new_figure(title=f"Coupling iterations: {result.message}")
    residual_axes, objective_axes = figure.subplots(1, 2)
    number = table.index.to_numpy()
    residual = table["residual_gw"].to_numpy(dtype=float)
    shown = np.isfinite(residual) & (residual > 0)
    residual_axes.semilogy(number[shown], residual[shown], "o-", color="#1f77b4", label="residual")
    floor = float(residual[shown].min()) / 10 if shown.any() else 1e-3
    zero = residual == 0
    if zero.any():
        residual_axes.plot(number[zero], np.full(zero.sum(), floor), "v", color="#2ca02c")
        residual_axes.annotate(
            "0 (exact)",
            (number[zero][0], floor),
            xytext=(6, 0),
            textcoords="offset points",
            fontsize=8,
        )
    if not np.isfinite(residual[0]):
        residual_axes.set_title("residual (iteration 1 has no earlier schedule)", fontsize=10)
    else:
        residual_axes.set_title("residual", fontsize=10)
    residual_axes.set_ylabel("|LP schedule − simulated schedule| [GW, log]")
    objective_axes.plot(number, table["npv_busd"], "o-", color="#444444")
    objective_axes.set_title("LP net present value (revenue - cost)", fontsize=10)
    objective_axes.set_ylabel(r"NPV [\$B]")
    for axes in (residual_axes, objective_axes):
        axes.set_xlabel("iteration")
        axes.set_xticks(number)
        axes.grid(True, alpha=0.3)
    return figure
