"""Arithmetic on `Decisions` for the coupling: damped steps, distances, splits and joins."""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimization.lp.plan import Plan
from sd_model import Decisions, Scenario
from sd_model.scenario.decisions import DECISION_COLUMNS

__all__ = [
    "GW_TABLES",
    "decisions_distance",
    "energized_by_region",
    "joined",
    "split_at",
    "step",
]

#: Tables whose values are GW (the residual sums over them; lease shares are not GW).
GW_TABLES = ("deliveries", "shell_starts", "grid_requests", "onsite_builds", "ppa_signings")


def _summed(frame: pd.DataFrame, name: str) -> pd.Series:
    keys, value = DECISION_COLUMNS[name]
    return frame.groupby(list(keys))[value].sum()


def step(current: Decisions, target: Decisions, damping: float) -> Decisions:
    """``current + damping × (target − current)``, table by table (rows matched by their keys).

    A table missing from both stays missing (behavioural); missing from one,
    it counts as no rows there.
    """
    tables: dict[str, pd.DataFrame | None] = {}
    for name, (keys, value) in DECISION_COLUMNS.items():
        a, b = getattr(current, name), getattr(target, name)
        if a is None and b is None:
            tables[name] = None
            continue
        parts = [
            frame.assign(**{value: frame[value] * weight})
            for frame, weight in ((a, 1 - damping), (b, damping))
            if frame is not None
        ]
        merged = pd.concat(parts, ignore_index=True)
        tables[name] = merged.groupby(list(keys), as_index=False, sort=False)[value].sum()
    return _decisions(tables)


def decisions_distance(a: Decisions, b: Decisions) -> float:
    """Sum of |a − b| over the GW tables, their keys and periods [GW]."""
    total = 0.0
    for name in GW_TABLES:
        left, right = getattr(a, name), getattr(b, name)
        if left is None and right is None:
            continue
        empty = pd.Series(dtype=float)
        x = _summed(left, name) if left is not None else empty
        y = _summed(right, name) if right is not None else empty
        x, y = x.align(y, fill_value=0.0)
        total += float(np.abs(x - y).sum())
    return total


def energized_by_region(
    plan: Plan, simulation: pd.DataFrame, scenario: Scenario, year: int
) -> tuple[pd.Series, pd.Series]:
    """Energized IT GW per region at the end of ``year``: the LP's and the simulation's.

    The LP's stock is read at the year's last LP period; the simulation's
    ``site_load_gw`` at the boundary that ends that period (LP period t is
    the simulation's boundary t + 1).
    """
    grid = scenario.periods
    labels = list(grid.labels("lp"))
    last = max(i for i, p in enumerate(labels) if grid.year(p) == year)
    sites = plan.sites.loc[plan.sites["period"] == labels[last]]
    lp = sites.groupby("region")["it_gw"].sum()
    row = simulation.iloc[last + 1]
    region_of = {s.id: s.region for s in scenario.sites}
    loads = pd.Series({s: float(row[f"site_load_gw[{s}]"]) for s in region_of}, dtype=float)
    simulated = loads.groupby(loads.index.map(region_of)).sum()
    return lp, simulated


def split_at(
    decisions: Decisions, stop: str, lease_starts: dict[str, str]
) -> tuple[Decisions, Decisions]:
    """The decisions made before period ``stop`` and those from it on.

    A lease take-up belongs to the part holding its contract's start period
    (``lease_starts``: contract id -> start period; unknown contracts start now).
    """
    before: dict[str, pd.DataFrame | None] = {}
    after: dict[str, pd.DataFrame | None] = {}
    for name, frame in _all_tables(decisions):
        if frame is None:
            before[name] = after[name] = None
            continue
        if name == "lease_takeups":
            early = frame["contract"].map(lambda c: lease_starts.get(c, "") < stop)
        else:
            early = frame["period"] < stop
        before[name], after[name] = frame.loc[early], frame.loc[~early]
    return _decisions(before), _decisions(after)


def joined(first: Decisions, second: Decisions) -> Decisions:
    """Both decisions' rows, table by table (a lease take-up in ``first`` wins)."""
    tables: dict[str, pd.DataFrame | None] = {}
    for (name, a), (_, b) in zip(_all_tables(first), _all_tables(second), strict=True):
        parts = [f for f in (a, b) if f is not None]
        merged = pd.concat(parts, ignore_index=True) if parts else None
        if name == "lease_takeups" and merged is not None:
            merged = merged.drop_duplicates("contract", keep="first")
        tables[name] = merged
    return _decisions(tables)


def _all_tables(decisions: Decisions) -> list[tuple[str, pd.DataFrame | None]]:
    return [(name, getattr(decisions, name)) for name in DECISION_COLUMNS]


def _decisions(tables: dict[str, pd.DataFrame | None]) -> Decisions:
    deliveries = tables.pop("deliveries")
    assert deliveries is not None
    return Decisions(deliveries=deliveries, **tables)
