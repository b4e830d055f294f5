"""A plan's decisions for the simulation: `plan_decisions` (behind `Plan.decisions`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from sd_model.scenario.decisions import DECISION_COLUMNS, Decisions

if TYPE_CHECKING:
    from optimization.lp.plan import Plan

__all__ = ["plan_decisions"]

_TOL = 1e-9


def plan_decisions(plan: Plan) -> Decisions:
    """Every decision of ``plan`` as `Decisions` (rows with a value above 1e-9 only).

    Deliveries carry the site where the plan energizes them (first in, first
    out per vendor, as `Plan.to_schedule`); shell starts, grid requests,
    on-site builds and PPA signings are the LP's start variables in the
    period they start; lease take-ups are the shares of the optional
    contracts; installs are the GW the plan energizes per site and period.
    """
    deliveries = plan.to_schedule().frame.rename(columns={"gw": "delivered_gw"})
    leases = plan.leases
    if len(leases):
        options = leases.loc[~leases["committed"].astype(bool), ["contract", "take_up_share"]]
        takeups = options.drop_duplicates("contract")
    else:
        takeups = pd.DataFrame(columns=["contract", "take_up_share"])
    return Decisions(
        deliveries=_nonzero(deliveries, "deliveries"),
        shell_starts=_nonzero(plan.sites, "shell_starts"),
        grid_requests=_nonzero(plan.sites, "grid_requests"),
        onsite_builds=_nonzero(plan.onsite, "onsite_builds"),
        ppa_signings=_nonzero(plan.ppa, "ppa_signings"),
        lease_takeups=_nonzero(takeups, "lease_takeups", keep_zero=True),
        installs=_nonzero(_installs(plan), "installs"),
    )


def _installs(plan: Plan) -> pd.DataFrame:
    """GW IT energized per period and site."""
    energized = plan.energized
    if energized.empty:
        return pd.DataFrame(columns=["period", "site", "install_gw"])
    per_site = energized.groupby(["period", "site"], sort=False)["new_gw"].sum()
    return per_site.rename("install_gw").reset_index()


def _nonzero(frame: pd.DataFrame, table: str, *, keep_zero: bool = False) -> pd.DataFrame:
    """The table's columns of ``frame``, rows with a value above the tolerance."""
    keys, value = DECISION_COLUMNS[table]
    columns = [*keys, value]
    if frame.empty or value not in frame.columns:
        return pd.DataFrame({c: pd.Series(dtype=float if c == value else str) for c in columns})
    rows = frame.loc[:, columns].copy()
    rows[value] = rows[value].astype(float)
    if not keep_zero:
        rows = rows.loc[rows[value] > _TOL]
    return rows.reset_index(drop=True)
