"""Turn slack values and shadow prices into sentences a planner can act on.

`diagnose` reads a plan's frames: every elastic slack in use becomes one line
("PJM needs 1.8 GW more headroom in 2027Q3", "the 2027 budget is short by
$12B", "nvidia: 2.0 GW of the binding contract cannot be energized by
2029Q4"); `binding_limits` names the limits with the largest shadow values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimization.data import ModelData
from optimization.plan import Plan

__all__ = ["binding_limits", "diagnose"]

TOL_GW = 1e-4
TOL_BUSD = 1e-3


def _span(periods: list[str]) -> str:
    if len(periods) == 1:
        return periods[0]
    return f"{len(periods)} periods, {periods[0]}–{periods[-1]}"


def _worst(frame: pd.DataFrame, column: str) -> pd.Series:
    """The row of ``frame`` with the largest ``column``."""
    return frame.iloc[int(np.argmax(frame[column].to_numpy()))]


def diagnose(plan: Plan, data: ModelData) -> tuple[str, ...]:
    """Lines naming every limit the plan meets only with a slack."""
    lines: list[str] = []
    for region, rows in plan.regions.groupby("region", sort=False):
        short = rows[rows["headroom_short_gw"] > TOL_GW]
        if len(short):
            worst = _worst(short, "headroom_short_gw")
            line = (
                f"{region} needs {worst['headroom_short_gw']:.2f} GW more headroom "
                f"in {worst['period']}"
            )
            if len(short) > 1:
                line += f" (short in {_span(list(short['period']))})"
            lines.append(line)
    for site, rows in plan.sites.groupby("site", sort=False):
        if rows["unpowered_gw"].max() > TOL_GW:
            worst = _worst(rows, "unpowered_gw")
            lines.append(
                f"{site}: {worst['unpowered_gw']:.2f} GW of running load has no power supply "
                f"in {worst['period']} (its grid connection is smaller than its load)"
            )
    by_year = plan.cash.groupby("year")["overrun_busd"].sum()
    for year, busd in by_year.items():
        if busd > TOL_BUSD:
            lines.append(f"the {year} budget is short by ${busd:.3g}B")
    for j, vendor in enumerate(data.vendor_ids):
        deadline = int(data.vendor_deadline[j])
        if data.vendor_binding_gw[j] <= 0 or deadline >= data.n_periods:
            continue
        rows = plan.deliveries[plan.deliveries["vendor"] == vendor]
        taken = rows["energized_gw"].iloc[: deadline + 1].sum()
        missing = float(data.vendor_binding_gw[j]) - taken
        if missing > TOL_GW:
            lines.append(
                f"{vendor}: {missing:.2f} GW of the binding contract cannot be energized "
                f"by {data.periods[deadline]}"
            )
    for vendor_id, rows in plan.deliveries.groupby("vendor", sort=False):
        if rows["stranded_gw"].max() > TOL_GW:
            worst = _worst(rows, "stranded_gw")
            gw_years = rows["stranded_gw"].sum() * data.years_per_period
            lines.append(
                f"{vendor_id}: {worst['stranded_gw']:.2f} GW delivered but not energized in "
                f"{worst['period']} (stranded; {gw_years:.2f} GW-years in all)"
            )
    mix = plan.power_mix
    short = mix[mix["coverage_short_gw"] > TOL_GW]
    if len(short):
        worst = _worst(short.assign(gap=short["coverage_target"] - short["coverage"]), "gap")
        lines.append(
            f"PPA coverage is {worst['coverage']:.0%} against a {worst['coverage_target']:.0%} "
            f"target in {worst['period']} (short in {_span(list(short['period']))}; "
            "contracted PPAs cannot deliver that early or are at their maximum)"
        )
    return tuple(lines)


def binding_limits(plan: Plan, top: int = 8) -> tuple[str, ...]:
    """The limits with the largest shadow values [NPV $B per unit], in words."""
    found: list[tuple[float, str]] = []
    for region, rows in plan.regions.groupby("region", sort=False):
        hot = rows[rows["headroom_value_busd_per_gw"] > TOL_BUSD]
        if len(hot):
            first = hot.iloc[0]
            best = float(first["headroom_step_value_busd_per_gw"])
            found.append(
                (
                    best,
                    f"{region} headroom binds in {_span(list(hot['period']))}: 1 GW more from "
                    f"{first['period']} on is worth ${best:.3g}B",
                )
            )
    hot_years = plan.budget_value[plan.budget_value["value_busd_per_busd"] > TOL_BUSD]
    for year, value in zip(hot_years["year"], hot_years["value_busd_per_busd"], strict=True):
        found.append(
            (float(value), f"the {year} budget binds: $1B more funding is worth ${value:.3g}B")
        )
    for name, frame, column, what in plan_limit_frames(plan):
        hot = frame[frame[column] > TOL_BUSD]
        for key, value in zip(hot[name], hot[column], strict=True):
            found.append(
                (float(value), f"{what} {key} is at its limit: 1 GW more is worth ${value:.3g}B")
            )
    found.sort(key=lambda item: -item[0])
    return tuple(text for _, text in found[:top])


def plan_limit_frames(plan: Plan) -> list[tuple[str, pd.DataFrame, str, str]]:
    """(key column, frame, value column, label) of per-entity limits with shadow values."""
    limits = plan.limit_values
    return [
        ("key", limits[limits["limit"] == kind], "value_busd_per_gw", label)
        for kind, label in (
            ("site_max", "site"),
            ("grid_limit", "grid connection of"),
            ("ppa_max", "PPA"),
        )
    ]
