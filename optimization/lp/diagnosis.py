"""Turn slack values and shadow prices into sentences a planner can act on.

`diagnose` reads a plan's frames: every elastic slack in use becomes one line
("PJM needs 1.8 GW more headroom in 2027Q3", "the 2027 budget is short by
$12B", "nvidia: 2.0 GW of the binding contract cannot be energized by
2029Q4"); `binding_limits` names the limits with the largest shadow values.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from optimization.lp.data import ModelData
from optimization.lp.plan import Plan

__all__ = ["binding_limits", "diagnose", "milestone_status"]

TOL_GW = 1e-4
TOL_BUSD = 1e-3


def _span(periods: list[str]) -> str:
    if len(periods) == 1:
        return periods[0]
    return f"{len(periods)} periods, {periods[0]}–{periods[-1]}"


def _worst(frame: pd.DataFrame, column: str) -> pd.Series:
    """The row of ``frame`` with the largest ``column``."""
    return frame.iloc[int(np.argmax(frame[column].to_numpy()))]


def _groups(keys: np.ndarray) -> list[tuple[Any, np.ndarray]]:
    """(key, row positions) in order of first appearance (``groupby(sort=False)``)."""
    at: dict[Any, list[int]] = {}
    for i, key in enumerate(keys.tolist()):
        at.setdefault(key, []).append(i)
    return [(key, np.array(rows, dtype=np.intp)) for key, rows in at.items()]


def _col(frame: pd.DataFrame, column: str) -> np.ndarray:
    return frame[column].to_numpy()


def diagnose(plan: Plan, data: ModelData) -> tuple[str, ...]:
    """Lines naming every limit the plan meets only with a slack.

    Long because each elastic slack gets its own short sentence builder in turn.
    """
    lines: list[str] = []
    regions = plan.regions
    period = _col(regions, "period")
    short_gw = _col(regions, "headroom_short_gw")
    for region, rows in _groups(_col(regions, "region")):
        short = rows[short_gw[rows] > TOL_GW]
        if len(short):
            worst = short[int(np.argmax(short_gw[short]))]
            line = f"{region} needs {short_gw[worst]:.2f} GW more headroom in {period[worst]}"
            if len(short) > 1:
                line += f" (short in {_span(period[short].tolist())})"
            lines.append(line)
    sites = plan.sites
    period = _col(sites, "period")
    unpowered = _col(sites, "unpowered_gw")
    for site, rows in _groups(_col(sites, "site")):
        if unpowered[rows].max() > TOL_GW:
            worst = rows[int(np.argmax(unpowered[rows]))]
            lines.append(
                f"{site}: {unpowered[worst]:.2f} GW of running load has no power supply "
                f"in {period[worst]} (its grid connection is smaller than its load)"
            )
    lines += _budget_lines(plan)
    deliveries = plan.deliveries
    period = _col(deliveries, "period")
    energized = _col(deliveries, "energized_gw")
    stranded = _col(deliveries, "stranded_gw")
    by_vendor = _groups(_col(deliveries, "vendor"))
    rows_of = dict(by_vendor)
    empty = np.zeros(0, dtype=np.intp)
    for vendor, row in data.vendors.iterrows():
        deadline = data.position(row["deadline_period"])
        if row["binding_gw"] <= 0 or deadline >= data.n_periods:
            continue
        taken = energized[rows_of.get(vendor, empty)[: deadline + 1]].sum()
        missing = float(row["binding_gw"]) - taken
        if missing > TOL_GW:
            lines.append(
                f"{vendor}: {missing:.2f} GW of the binding contract cannot be energized "
                f"by {data.periods[deadline]}"
            )
    lines += _milestone_lines(plan, data)
    for vendor_id, rows in by_vendor:
        if stranded[rows].max() > TOL_GW:
            worst = rows[int(np.argmax(stranded[rows]))]
            gw_years = stranded[rows].sum() * data.years_per_period
            lines.append(
                f"{vendor_id}: {stranded[worst]:.2f} GW delivered but not energized in "
                f"{period[worst]} (stranded; {gw_years:.2f} GW-years in all)"
            )
    mix = plan.power_mix
    coverage_short = _col(mix, "coverage_short_gw")
    short = np.flatnonzero(coverage_short > TOL_GW)
    if len(short):
        coverage, target = _col(mix, "coverage"), _col(mix, "coverage_target")
        worst = short[int(np.argmax(target[short] - coverage[short]))]
        period = _col(mix, "period")
        lines.append(
            f"PPA coverage is {coverage[worst]:.0%} against a {target[worst]:.0%} "
            f"target in {period[worst]}; certificates make up the rest in "
            f"{_span(period[short].tolist())} (PPAs cannot deliver that early, are at their "
            "maximum, or cost more than certificates)"
        )
    lines += _unserved_lines(plan)
    return tuple(lines)


def milestone_status(plan: Plan, data: ModelData) -> pd.DataFrame:
    """Each milestone inside the horizon: what it requires and what the plan purchased.

    Columns: vendor, period, required_gw, own_gw (the lab's deliveries to the
    end of the period), third_party_gw (the most GW each lease naming the vendor's
    hardware reached by then), short_gw [GW IT].
    """
    rows = []
    deliveries, leases = plan.deliveries, plan.leases
    hardware = (
        data.lease_contracts["hardware_vendor"].to_dict() if not data.lease_contracts.empty else {}
    )
    for milestone in data.scenario.milestones:
        tau = data.position(milestone.period)
        if tau >= data.n_periods:
            continue
        mine = deliveries.loc[deliveries["vendor"] == milestone.vendor, "delivered_gw"]
        own = float(mine.to_numpy()[: tau + 1].sum())
        third = 0.0
        for contract, vendor in hardware.items():
            if vendor == milestone.vendor:
                mask = (leases["contract"] == contract) & (
                    leases["period"].map(data.position) <= tau
                )
                held = leases.loc[mask, "contracted_gw"].to_numpy(dtype=float)
                third += float(held.max()) if len(held) else 0.0
        short = max(0.0, milestone.cumulative_gw - own - third)
        rows.append(
            (milestone.vendor, milestone.period, milestone.cumulative_gw, own, third, short)
        )
    columns = ["vendor", "period", "required_gw", "own_gw", "third_party_gw", "short_gw"]
    return pd.DataFrame(rows, columns=columns)


def _milestone_lines(plan: Plan, data: ModelData) -> list[str]:
    """Milestones the plan does not purchase in time."""
    status = milestone_status(plan, data)
    columns = ("vendor", "period", "required_gw", "short_gw")
    return [
        f"{vendor}: {short:.2f} GW of the milestone of {required:.2f} GW "
        f"purchased by {period} are not bought"
        for vendor, period, required, short in zip(
            *(status[c].tolist() for c in columns), strict=True
        )
        if short > TOL_GW
    ]


def _budget_lines(plan: Plan) -> list[str]:
    """Emergency money raised, by year and by period."""
    cash = plan.cash
    overrun = _col(cash, "overrun_busd")
    short = np.flatnonzero(overrun > TOL_BUSD)
    if not len(short):
        return []
    by_year = cash.groupby("year")["overrun_busd"].sum()
    years = ", ".join(f"{year}: ${busd:.3g}B" for year, busd in by_year.items() if busd > TOL_BUSD)
    period = _col(cash, "period")
    return [
        f"cash would fall below zero: the plan raises emergency money at a premium ({years}; "
        f"in {_span(period[short].tolist())})"
    ]


def _unserved_lines(plan: Plan) -> list[str]:
    """Demand the plan leaves unserved: how much, when, and what holds capacity back."""
    demand = plan.demand
    unserved = _col(demand, "unserved_gw")
    short = np.flatnonzero(unserved > 0.01)
    if not len(short):
        return []
    period = _col(demand, "period")
    last = short[-1]
    share = unserved[last] / max(float(_col(demand, "demand_gw")[last]), 1e-9)
    earns = float(np.sum(_col(demand, "compute_value_busd_per_gw")))  # NPV of 1 GW all along
    capacity = [
        (value, text)
        for value, text in _found_limits(plan)
        if text.startswith(("site ", "grid connection")) or "headroom" in text
    ]
    best = max(capacity, default=(0.0, ""))
    if best[0] < 0.1 * earns:
        because = (
            f"; no site or grid limit holds it back (the most valuable is worth "
            f"${best[0]:.3g}B per GW): a GW of capacity would earn ${earns:.3g}B (NPV) if it "
            "were free, but buying, housing and powering or leasing it costs more"
        )
    else:
        because = f"; what binds most: {best[1]}"
    return [
        f"demand exceeds what the plan serves in {_span(period[short].tolist())}: "
        f"{unserved[last]:.2f} GW unserved in {period[last]} ({share:.0%} of demand){because}"
    ]


def binding_limits(plan: Plan, top: int = 8) -> tuple[str, ...]:
    """The limits with the largest shadow values [NPV $B per unit], in words."""
    found = _found_limits(plan)
    return tuple(text for _, text in found[:top])


def _found_limits(plan: Plan) -> list[tuple[float, str]]:
    """(value, words) of every binding limit, largest value first."""
    found: list[tuple[float, str]] = []
    regions = plan.regions
    period = _col(regions, "period")
    value = _col(regions, "headroom_value_busd_per_gw")
    step = _col(regions, "headroom_step_value_busd_per_gw")
    checked = (
        _col(regions, "headroom_step_verified")
        if "headroom_step_verified" in regions
        else np.zeros(len(regions), dtype=bool)
    )
    keys = (
        _col(regions, "headroom_scenario_key")
        if "headroom_scenario_key" in regions
        else np.full(len(regions), "", dtype=object)
    )
    for region, rows in _groups(_col(regions, "region")):
        hot = rows[value[rows] > TOL_BUSD]
        if len(hot):
            first = hot[0]
            best = float(step[first])
            if checked[first] and best <= TOL_BUSD:
                continue  # tight but worth nothing when relaxed: a degenerate dual
            how = "re-solved" if checked[first] else "shadow price, not re-solved"
            if keys[first]:
                how = f"{keys[first]} and the region's later steps; {how}"
            found.append(
                (
                    best,
                    f"{region} headroom binds in {_span(period[hot].tolist())}: 1 GW more from "
                    f"{period[first]} on is worth ${best:.3g}B ({how})",
                )
            )
    years = _col(plan.budget_value, "year")
    value = _col(plan.budget_value, "value_busd_per_busd")
    hot = value > TOL_BUSD
    for year, busd in zip(years[hot].tolist(), value[hot].tolist(), strict=True):
        found.append((busd, f"the {year} budget binds: $1B more funding is worth ${busd:.3g}B"))
    limits = plan.limit_values
    kinds, keys = _col(limits, "limit"), _col(limits, "key")
    value = _col(limits, "value_busd_per_gw")
    relax = _col(limits, "scenario_key") if "scenario_key" in limits else keys
    checked = (
        _col(limits, "verified") if "verified" in limits else np.zeros(len(limits), dtype=bool)
    )
    hot = value > TOL_BUSD
    for kind, what in _LIMIT_LABELS:
        sel = np.flatnonzero(hot & (kinds == kind))
        for i in sel:
            how = "re-solved" if checked[i] else "shadow price, not re-solved"
            found.append(
                (
                    float(value[i]),
                    f"{what} {keys[i]} is at its limit: 1 GW more is worth "
                    f"${value[i]:.3g}B ({relax[i]}; {how})",
                )
            )
    found.sort(key=lambda item: -item[0])
    return found


_LIMIT_LABELS = (
    ("site_max", "site"),
    ("grid_limit", "grid connection of"),
    ("ppa_max", "PPA"),
)


def plan_limit_frames(plan: Plan) -> list[tuple[str, pd.DataFrame, str, str]]:
    """(key column, frame, value column, label) of per-entity limits with shadow values."""
    limits = plan.limit_values
    return [
        ("key", limits[limits["limit"] == kind], "value_busd_per_gw", label)
        for kind, label in _LIMIT_LABELS
    ]
