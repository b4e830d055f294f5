"""Figures of the simulated paths: capacity, the stranded gap, power, cash, utilization.

Each function takes a `Comparison` (and optionally the `Scenario`, for the
PPA target and the LP's horizon) and returns a `matplotlib.figure.Figure` of
1200 × 700 px, or ``None`` when the comparison has nothing to draw. Case
colours are the same in every figure (`optimization.report.style.case_colors`).

Examples
--------
>>> from sd_model import load_scenario
>>> from optimization.coupling.compare import compare
>>> comparison = compare(load_scenario("tests/scenarios/tiny"), cases=("announced", "optimal"))
>>> figure = energized_capacity(comparison)
>>> [int(v) for v in figure.get_size_inches() * figure.dpi]
[1200, 700]
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from optimization.coupling.compare import Comparison
from optimization.report.style import (
    case_colors,
    case_style,
    mark_lp_end,
    new_figure,
    period_axis,
    period_years,
    pivot,
    series_colors,
)
from optimization.report.tables import planning_periods
from sd_model import Scenario

__all__ = [
    "cash_and_debt",
    "energized_capacity",
    "power_by_source",
    "stranded_gap",
    "utilization",
    "vendor_cases",
]

#: PPA coverage above this share cuts the coverage axis, so the target stays readable [-].
COVERAGE_CLIP = 2.0
SOURCE_COLORS = {"grid": "#4c72b0", "on-site": "#dd8452", "clean PPA": "#2ca02c"}


def _lp_end(comparison: Comparison, scenario: Scenario | None) -> str | None:
    """The period boundary where the LP's horizon ends, if the simulation goes on after it."""
    kept = planning_periods(comparison, scenario)
    return kept[-1] if len(kept) < comparison.timeseries["period"].nunique() else None


def _case_series(comparison: Comparison, column: str) -> pd.DataFrame:
    """One column per case of a timeseries variable, indexed by period."""
    return pivot(comparison.timeseries, "period", "case", column).loc[:, comparison.names]


def until_plan_end(wide: pd.DataFrame, end: str | None) -> pd.DataFrame:
    """``wide`` (indexed by period) blanked after the LP horizon's end ``end``.

    PPA coverage after the horizon divides PPAs that run on by fleets that
    retire (it climbs past 500 %): a ratio that means nothing to a planner.
    """
    labels = [str(p) for p in wide.index]
    if end is None or end not in labels:
        return wide
    cut = wide.copy()
    cut.iloc[labels.index(end) + 1 :] = np.nan
    return cut


def _case_lines(
    axes: Axes, comparison: Comparison, column: str, until: str | None = None
) -> pd.DataFrame:
    wide = until_plan_end(_case_series(comparison, column), until)
    x = period_years(wide.index)
    colors = case_colors(comparison.names)
    for name in comparison.names:
        axes.plot(
            x,
            wide[name],
            color=colors[name],
            linestyle=case_style(comparison.names, name),
            linewidth=2,
            label=name,
        )
    return wide


def vendor_cases(comparison: Comparison) -> list[str]:
    """The cases shown by vendor: the first case and ``optimal`` (or else the last case)."""
    names = comparison.names
    if not names:
        return []
    other = "optimal" if "optimal" in names else names[-1]
    return list(dict.fromkeys([names[0], other]))


def _panel_grid(count: int) -> tuple[int, int]:
    cols = min(count, 4)
    return math.ceil(count / cols), cols


def energized_capacity(comparison: Comparison, scenario: Scenario | None = None) -> Figure | None:
    """Energized IT capacity per case, and by vendor for the first case and the optimum [GW]."""
    if comparison.timeseries.empty:
        return None
    shown = vendor_cases(comparison)
    figure = new_figure(title="Energized IT capacity")
    grid = figure.add_gridspec(len(shown), 2, width_ratios=(3, 2))
    main = figure.add_subplot(grid[:, 0])
    _case_lines(main, comparison, "energized_gw")
    main.set_title("all vendors and the fleet running at the start, per case")
    main.set_ylabel("energized IT [GW]")
    main.set_ylim(bottom=0)
    main.legend(loc="upper left", title="case")
    mark_lp_end(main, _lp_end(comparison, scenario))
    period_axis(main)
    vendors = comparison.energized_by_vendor
    colors = series_colors(vendors["vendor"])
    top: Axes | None = None
    for row, name in enumerate(shown):
        axes = figure.add_subplot(grid[row, 1], sharex=main, sharey=top)
        top = top or axes
        wide = pivot(vendors.loc[vendors["case"] == name], "period", "vendor", "gw")
        order = [v for v in ("installed", *sorted(wide.columns)) if v in wide.columns]
        order = list(dict.fromkeys(order))
        axes.stackplot(
            period_years(wide.index),
            [wide[v] for v in order],
            labels=[_vendor_label(v) for v in order],
            colors=[colors[v] for v in order],
            alpha=0.85,
        )
        axes.set_title(f"{name}: by vendor", fontsize=10)
        axes.set_ylabel("energized IT [GW]")
        mark_lp_end(axes, _lp_end(comparison, scenario), text=False)
        period_axis(axes)
        axes.legend(loc="upper left", fontsize=8)
    return figure


def _vendor_label(vendor: str) -> str:
    return "running at start" if vendor == "installed" else vendor


def stranded_gap(comparison: Comparison, scenario: Scenario | None = None) -> Figure | None:
    """Delivered hardware against what of it is powered: the shaded gap is stranded [GW]."""
    if comparison.timeseries.empty:
        return None
    names = comparison.names
    rows, cols = _panel_grid(len(names))
    figure = new_figure(title="Delivered vs energized hardware: the stranded gap")
    delivered = _case_series(comparison, "delivered_cum_gw")
    stranded = _case_series(comparison, "stranded_gw")
    x = period_years(delivered.index)
    colors = case_colors(names)
    planned = len(planning_periods(comparison, scenario))
    within = " (LP horizon)" if planned < len(x) else ""
    first: Axes | None = None
    for i, name in enumerate(names):
        axes = figure.add_subplot(rows, cols, i + 1, sharex=first, sharey=first)
        first = first or axes
        powered = delivered[name] - stranded[name]
        axes.plot(x, delivered[name], color="black", linewidth=1.5, label="delivered (cumulative)")
        axes.plot(x, powered, color=colors[name], linewidth=2, label="of which powered")
        axes.fill_between(x, powered, delivered[name], color=colors[name], alpha=0.25)
        peak = int(np.argmax(stranded[name].to_numpy()[:planned]))
        peak_gw = float(stranded[name].iloc[peak])
        axes.set_title(f"{name}\npeak stranded {peak_gw:.2f} GW{within}", fontsize=10)
        if peak_gw > 0:
            left = x[peak] > (x[0] + x[-1]) / 2
            axes.annotate(
                f"{peak_gw:.2f} GW\nin {stranded.index[peak]}",
                (x[peak], float(delivered[name].iloc[peak])),
                xytext=(-60 if left else 8, -24),
                textcoords="offset points",
                fontsize=8,
                arrowprops={"arrowstyle": "->", "color": "#444444"},
            )
        axes.set_ylabel("hardware [GW]" if i % cols == 0 else "")
        mark_lp_end(axes, _lp_end(comparison, scenario), text=False)
        period_axis(axes)
        axes.legend(loc="lower right", fontsize=8)
    return figure


def power_by_source(comparison: Comparison, scenario: Scenario | None = None) -> Figure | None:
    """Facility power by source per case [GW], and the PPA coverage ratio of every case [-]."""
    if comparison.timeseries.empty:
        return None
    names = comparison.names
    figure = new_figure(title="Power at the candidate sites by source, and PPA coverage")
    grid = figure.add_gridspec(2, len(names), height_ratios=(3, 2))
    grid_gw = _case_series(comparison, "grid_gw")
    onsite = _case_series(comparison, "onsite_gw")
    clean = _case_series(comparison, "clean_ppa_gw")
    x = period_years(grid_gw.index)
    first: Axes | None = None
    for i, name in enumerate(names):
        axes = figure.add_subplot(grid[0, i], sharex=first, sharey=first)
        first = first or axes
        axes.stackplot(
            x,
            [grid_gw[name], onsite[name]],
            labels=["grid draw", "on-site generation"],
            colors=[SOURCE_COLORS["grid"], SOURCE_COLORS["on-site"]],
            alpha=0.8,
        )
        axes.plot(
            x, clean[name], color=SOURCE_COLORS["clean PPA"], linewidth=2, label="clean PPA (avg)"
        )
        axes.set_title(name, fontsize=10)
        axes.set_ylabel("facility power [GW]" if i == 0 else "")
        mark_lp_end(axes, _lp_end(comparison, scenario), text=False)
        period_axis(axes)
        if i == 0:
            axes.legend(loc="upper left", fontsize=8)
    coverage = figure.add_subplot(grid[1, :])
    end = _lp_end(comparison, scenario)
    ratios = _case_lines(coverage, comparison, "ppa_coverage", until=end)
    target = _coverage_target(coverage, scenario, x)
    title = "PPA coverage: contracted clean energy / load energy"
    if end is not None:
        title += f", to the end of the plan ({end}; after it the fleets retire and PPAs run on)"
    coverage.set_ylim(bottom=0)
    top = float(np.nanmax(ratios.to_numpy())) if ratios.size else 0.0
    if top > COVERAGE_CLIP:
        cap = max(1.5, 1.25 * target)
        coverage.set_ylim(0, cap)
        worst = ratios.max().idxmax()
        title += f" (axis cut at {cap:.0%}; {worst} reaches {top:.0%})"
    coverage.set_title(title, fontsize=10)
    coverage.set_ylabel("PPA coverage [%]")
    coverage.yaxis.set_major_formatter(PercentFormatter(1.0))
    mark_lp_end(coverage, _lp_end(comparison, scenario))
    period_axis(coverage)
    coverage.legend(loc="upper left", fontsize=8, ncols=2)
    return figure


def _coverage_target(axes: Axes, scenario: Scenario | None, x: np.ndarray) -> float:
    """Draw the policy's PPA coverage target as steps; return its highest level [-]."""
    targets = scenario.policy.ppa_coverage_target_by_year if scenario is not None else {}
    if not targets or len(x) == 0:
        return 0.0
    years = np.floor(x).astype(int)
    known = sorted(targets)
    level = [targets[max((k for k in known if k <= y), default=known[0])] for y in years]
    axes.step(x, level, where="post", color="black", linewidth=1.2, label="target")
    return float(max(level))


def cash_and_debt(comparison: Comparison, scenario: Scenario | None = None) -> Figure | None:
    """Cash and debt paths per case [$B]; negative cash is a funding gap."""
    if comparison.timeseries.empty:
        return None
    figure = new_figure(title="Cash and debt")
    cash_axes, debt_axes = figure.subplots(1, 2, sharex=True)
    cash = _case_lines(cash_axes, comparison, "cash_busd")
    cash_axes.axhline(0, color="black", linewidth=0.8)
    low = float(np.nanmin(cash.to_numpy()))
    if low < 0:
        cash_axes.axhspan(low * 1.1, 0, color="#d62728", alpha=0.07, label="funding gap")
    colors = case_colors(comparison.names)
    x = period_years(cash.index)
    for name in comparison.names:
        at = int(np.argmin(cash[name].to_numpy()))
        cash_axes.plot(x[at], cash[name].iloc[at], "o", color=colors[name], markersize=6)
    cash_axes.set_title("cash (dots: lowest point of each case)", fontsize=10)
    cash_axes.set_ylabel(r"cash [\$B]")
    cash_axes.legend(loc="best", fontsize=8)
    _case_lines(debt_axes, comparison, "debt_busd")
    debt_axes.set_title("debt outstanding", fontsize=10)
    debt_axes.set_ylabel(r"debt [\$B]")
    debt_axes.set_ylim(bottom=0)
    for axes in (cash_axes, debt_axes):
        mark_lp_end(axes, _lp_end(comparison, scenario))
        period_axis(axes)
    return figure


def utilization(comparison: Comparison, scenario: Scenario | None = None) -> Figure | None:
    """Utilization (served compute / effective capacity) per case [%]."""
    if comparison.timeseries.empty:
        return None
    figure = new_figure(title="Utilization of the energized fleet")
    axes = figure.subplots()
    wide = _case_lines(axes, comparison, "utilization")
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_ylim(0, max(1.05, float(np.nanmax(wide.to_numpy())) * 1.05))
    axes.set_ylabel("utilization: served compute / effective capacity [%]")
    if len(wide.columns) > 1 and np.allclose(wide.to_numpy(), wide.iloc[:, [0]].to_numpy()):
        axes.set_title("all cases follow the same path (the lines overlap)", fontsize=10)
    axes.legend(loc="lower right", title="case")
    mark_lp_end(axes, _lp_end(comparison, scenario))
    period_axis(axes)
    return figure
