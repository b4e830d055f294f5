"""Figures of leases and circular exposure: the tracking view, committed payments, own vs lease.

Same conventions as `optimization.report.figures`: a `Comparison` (and
optionally the `Scenario`) in, a 1200 × 700 px `Figure` out, or ``None``
when there is nothing to draw.

Examples
--------
>>> from sd_model import load_scenario
>>> from optimization.coupling.compare import compare
>>> scenario = load_scenario("tests/scenarios/tiny")
>>> comparison = compare(scenario, cases=("announced", "optimal"))
>>> [int(v) for v in tracking_view(comparison, scenario).get_size_inches() * 100]
[1200, 700]
>>> own_vs_lease(comparison, scenario).get_suptitle()  # the tiny scenario leases nothing
'Own vs lease: no case leases capacity, every GW is owned'
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from optimization.coupling.case_tables import year_end
from optimization.coupling.compare import Case, Comparison
from optimization.report.figures import COVERAGE_CLIP, _coverage_target, _lp_end, until_plan_end
from optimization.report.style import (
    case_colors,
    case_style,
    mark_lp_end,
    new_figure,
    period_axis,
    period_years,
)
from sd_model import Scenario, metrics

__all__ = [
    "committed_payments",
    "leased_by_year",
    "own_vs_lease",
    "tracking_series",
    "tracking_view",
]

IDLE_COLOR = "#bbbbbb"
#: Lessor colours, apart from the case colours (red, orange, green, blue) the owned bars use.
LESSOR_COLORS = ("#8172b3", "#937860", "#da8bc3", "#64b5cd", "#ccb974", "#17becf", "#8c8c8c")


def tracking_series(case: Case) -> pd.DataFrame:
    """period, utilization, PPA coverage and the usage-linked share of revenue of a case."""
    result = case.simulation
    return pd.DataFrame(
        {
            "utilization": metrics.utilization(result).to_numpy(),
            "ppa_coverage": metrics.ppa_coverage_ratio(result).to_numpy(),
            "usage_linked_share": metrics.revenue_mix(result)["usage_linked_share"].to_numpy(),
        },
        index=result["period"].astype(str).to_numpy(),
    )


def tracking_view(comparison: Comparison, scenario: Scenario | None = None) -> Figure | None:
    """Utilization, PPA coverage ratio and usage-linked share of revenue side by side [%]."""
    if not comparison.cases:
        return None
    end = _lp_end(comparison, scenario)
    series = {}
    for case in comparison.cases:  # PPA coverage only within the plan (see until_plan_end)
        frame = tracking_series(case)
        frame["ppa_coverage"] = until_plan_end(frame[["ppa_coverage"]], end)["ppa_coverage"]
        series[case.name] = frame
    figure = new_figure(title="Tracking view: utilization, PPA coverage, usage-linked revenue")
    panels = figure.subplots(1, 3, sharex=True)
    colors = case_colors(comparison.names)
    titles = {
        "utilization": "utilization: served / effective capacity",
        "ppa_coverage": "PPA coverage: clean energy / load energy",
        "usage_linked_share": "usage-linked share of revenue",
    }
    for axes, (column, title) in zip(panels, titles.items(), strict=True):
        for name, frame in series.items():
            axes.plot(
                period_years(frame.index),
                frame[column],
                color=colors[name],
                linestyle=case_style(comparison.names, name),
                linewidth=2,
                label=name,
            )
        top = max(float(np.nanmax(f[column].to_numpy())) for f in series.values())
        axes.set_ylim(0, max(1.05, top * 1.05))
        if column == "ppa_coverage":
            x = period_years(next(iter(series.values())).index)
            target = _coverage_target(axes, scenario, x)
            if top > COVERAGE_CLIP:
                cap = max(1.5, 1.25 * target)
                axes.set_ylim(0, cap)
                title += f"\n(axis cut at {cap:.0%}; peak {top:.0%})"
        axes.set_title(title, fontsize=10)
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
        mark_lp_end(axes, end, text=axes is panels[0])
        period_axis(axes)
    panels[0].set_ylabel("[%]")
    panels[0].legend(loc="lower right", fontsize=8, title="case")
    if scenario is not None and scenario.policy.ppa_coverage_target_by_year:
        panels[1].legend(loc="lower right", fontsize=8)
    return figure


def committed_payments(comparison: Comparison, scenario: Scenario | None = None) -> Figure | None:
    """Per year and case: lease minimum + committed IT capex against revenue [$B], and the ratio."""
    yearly = {
        case.name: metrics.committed_payments_to_revenue(case.simulation)
        for case in comparison.cases
    }
    yearly = {name: table for name, table in yearly.items() if not table.empty}
    if not yearly:
        return None
    names = list(yearly)
    colors = case_colors(comparison.names)
    figure = new_figure(title="Committed payments against revenue, per year")
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    years = sorted({int(y) for table in yearly.values() for y in table.index})
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        table = yearly[name].reindex(years).fillna(0.0)
        x = np.array(years) + 0.5 + (i - (len(names) - 1) / 2) * width
        lease = table["lease_minimum_busd"].to_numpy()
        capex = table["it_capex_committed_busd"].to_numpy()
        top.bar(x, lease, width=width, color=colors[name], edgecolor="white", hatch="//")
        top.bar(x, capex, width=width, bottom=lease, color=colors[name], alpha=0.55)
        top.plot(x, table["revenue_busd"], "_", color="black", markersize=700 * width / len(years))
        bottom.plot(
            np.array(years) + 0.5,
            yearly[name].reindex(years)["ratio"],
            "o",
            color=colors[name],
            linestyle=case_style(comparison.names, name),
            linewidth=2,
            label=name,
        )
    handles = [
        Patch(facecolor="#777777", edgecolor="white", hatch="//", label="lease minimum"),
        Patch(facecolor="#777777", alpha=0.55, label="committed IT capex"),
        *[Patch(facecolor=colors[n], label=n) for n in names],
    ]
    revenue = top.plot([], [], "_", color="black", markersize=12, label="revenue")[0]
    top.legend(handles=[*handles, revenue], loc="upper left", fontsize=8, ncols=2)
    top.set_ylabel(r"[\$B per year]")
    top.set_title(
        "bars: take-or-pay lease minimum + IT capex of scheduled deliveries (before vendor "
        "financing); black ticks: revenue",
        fontsize=10,
    )
    bottom.axhline(1.0, color="black", linewidth=0.8)
    bottom.set_ylim(bottom=0)
    bottom.yaxis.set_major_formatter(PercentFormatter(1.0))
    bottom.set_ylabel("committed / revenue [%]")
    bottom.legend(loc="upper right", fontsize=8, title="case")
    end = _lp_end(comparison, scenario)
    for axes in (top, bottom):
        axes.set_xlim(years[0], years[-1] + 1)
        mark_lp_end(axes, end, text=axes is top)
        axes.set_xticks(np.array(years) + 0.5, [str(y) for y in years])
        axes.grid(True, axis="y", alpha=0.3)
    bottom.set_xlabel("calendar year")
    return figure


def _plan_leases(case: Case) -> pd.DataFrame | None:
    """The plan's ``leases`` table (period, contract, lessor, ..., used_gw, idle_gw), if any."""
    leases = getattr(case.plan, "leases", None)
    return leases if isinstance(leases, pd.DataFrame) and not leases.empty else None


def leased_by_year(case: Case) -> pd.DataFrame:
    """year, lessor, used_gw, idle_gw: a case's leased GW at each year's end.

    From the plan's ``leases`` table when it has one (the LP's periods,
    summed per lessor at the last period of each year), else from the
    simulation (``leased_gw[lessor]`` less ``lease_idle_gw[lessor]``). Empty
    without leases.
    """
    columns = ["year", "lessor", "used_gw", "idle_gw"]
    leases = _plan_leases(case)
    if leases is not None:
        frame = leases.assign(year=leases["period"].astype(str).str[:4].astype(int))
        last = frame.groupby("year")["period"].transform("max")
        at_end = frame.loc[frame["period"] == last]
        table = at_end.groupby(["year", "lessor"], sort=True)[["used_gw", "idle_gw"]].sum()
        return table.reset_index().loc[:, columns]
    result = case.simulation
    lessors = [c[len("leased_gw[") : -1] for c in result.columns if c.startswith("leased_gw[")]
    if not lessors:
        return pd.DataFrame(columns=columns)
    ends = year_end(result.reset_index(drop=True))
    rows = []
    for lessor in lessors:
        leased = ends[f"leased_gw[{lessor}]"].to_numpy(dtype=float)
        idle_column = f"lease_idle_gw[{lessor}]"
        idle = ends[idle_column].to_numpy(dtype=float) if idle_column in ends else 0.0 * leased
        rows.append(
            pd.DataFrame(
                {"year": ends["year"], "lessor": lessor, "used_gw": leased - idle, "idle_gw": idle}
            )
        )
    return pd.concat(rows, ignore_index=True).loc[:, columns]


def own_vs_lease(comparison: Comparison, scenario: Scenario | None = None) -> Figure | None:
    """Owned energized IT and leased GW (used by lessor, idle) at each year's end, per case [GW].

    Long because one figure's panels, labels and legend are drawn together.

    Without leases in any case the bars are the owned IT alone and the title
    says so (so that every bundled scenario draws every figure); ``None``
    only without sites and leases.
    """
    leased = {case.name: leased_by_year(case) for case in comparison.cases}
    total = sum(float(t[["used_gw", "idle_gw"]].to_numpy().sum()) for t in leased.values())
    if total <= 0 and comparison.site_gw.empty:
        return None
    owned = comparison.site_gw.groupby(["case", "year"])["gw"].sum()
    years = sorted(
        {int(y) for y in comparison.site_gw["year"]}
        | {int(y) for t in leased.values() for y in t["year"]}
    )
    names = comparison.names
    sources = [
        (c.name, " (leases: LP plan)" if _plan_leases(c) is not None else "")
        for c in comparison.cases
    ]
    colors = case_colors(names)
    lessors = sorted({str(lessor) for t in leased.values() for lessor in t["lessor"]})
    lessor_colors = {
        lessor: LESSOR_COLORS[i % len(LESSOR_COLORS)] for i, lessor in enumerate(lessors)
    }
    title = "Own vs lease: owned energized IT and leased capacity at year end"
    if total <= 0:
        title = "Own vs lease: no case leases capacity, every GW is owned"
    figure = new_figure(title=title)
    axes: Axes = figure.subplots()
    width = 0.8 / len(names)
    x0 = np.arange(len(years), dtype=float)
    peak = 0.0
    for i, name in enumerate(names):
        x = x0 + (i - (len(names) - 1) / 2) * width
        own = np.array([float(owned.get((name, y), 0.0)) for y in years])
        axes.bar(x, own, width=width, color=colors[name], edgecolor="white", linewidth=0.5)
        base = own.copy()
        table = leased[name]
        for lessor in lessors:
            rows = table.loc[table["lessor"] == lessor].groupby("year")["used_gw"].sum()
            used = rows.reindex(years).fillna(0.0).to_numpy(dtype=float)
            axes.bar(x, used, width=width, bottom=base, color=lessor_colors[lessor], alpha=0.85)
            base += used
        idle = table.groupby("year")["idle_gw"].sum().reindex(years).fillna(0.0).to_numpy(float)
        axes.bar(x, idle, width=width, bottom=base, color=IDLE_COLOR, hatch="xx", edgecolor="white")
        peak = max(peak, float((base + idle).max()))
    boundary = _lp_end(comparison, scenario)
    labels = [str(y) for y in years]
    if boundary is not None and boundary[:4].isdigit():
        last_lp_year = int(boundary[:4]) - 1
        labels = [f"{y}\n(after LP)" if y > last_lp_year else str(y) for y in years]
        after = [i for i, y in enumerate(years) if y > last_lp_year]
        if after:
            axes.axvspan(after[0] - 0.5, len(years) - 0.5, color="#888888", alpha=0.08, lw=0)
    axes.set_xticks(x0, labels)
    axes.set_xlim(-0.5, len(years) - 0.5)
    axes.set_ylim(0, max(peak, 0.1) * 1.3)
    axes.set_ylabel("IT capacity at year end [GW]")
    axes.set_title(
        "one bar per case, in the legend's order: owned energized IT in the case colour"
        + (
            "; leased GW in use by lessor on top; idle leased GW (take-or-pay) hatched"
            if total > 0
            else ""
        ),
        fontsize=10,
    )
    axes.grid(True, axis="y", alpha=0.3)
    handles = [
        *[Patch(facecolor=colors[n], label=f"owned: {n}{source}") for n, source in sources],
        *[Patch(facecolor=lessor_colors[lessor], label=f"leased: {lessor}") for lessor in lessors],
    ]
    if total > 0:
        handles.append(
            Patch(facecolor=IDLE_COLOR, hatch="xx", edgecolor="white", label="leased, idle")
        )
    axes.legend(handles=handles, loc="upper left", fontsize=8, ncols=4)
    return figure
