"""Decisions laid out as the series the build-out model follows instead of its rules.

`fixed_series` turns the tables of `sd_model.Decisions` into per-period
series on the model's grid (GW per period, held over the period):

* ``site_delivery_share`` (vendor, site): the share of a vendor's deliveries
  in a period planned for each site (the rest is hardware whose site is left
  open). In a period without scheduled deliveries (a budget backlog being
  caught up) the vendor's shares so far apply.
* ``site_planned_remaining_gw`` (site, at period boundaries): the deliveries
  planned for each site from the boundary on (what the shell rule builds for
  first when shell starts are not fixed, `sd_model.buildout.capacity`).
* ``fixed_shell_starts`` and ``fixed_grid_requests`` (site), when fixed.
* ``fixed_onsite_starts`` (site), when fixed: the model has one on-site
  pipeline per site, with the lead and availability of the site's fastest
  option. A build of a slower option starts in the model that many periods
  later, so it comes online when the plan says, and is scaled by the ratio of
  availabilities, so it supplies the power the plan counts on.
* ``fixed_installs_cum_gw`` (site), when installs are fixed: the IT GW
  energized at the site by the end of each period (the start's included),
  the most the site may have run by then.
* ``fixed_ppa_signings`` (region), when fixed: the model pools a region's
  PPA options with one nameplate-weighted lead; a signing is shifted by the
  difference of leads (rounded to whole periods; not before the start).

Lease take-ups are read by `sd_model.buildout.inputs` (they scale optional
contracts into the lease series).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sd_model.scenario.decisions import Decisions
from sd_model.scenario.definition import Scenario

__all__ = ["SeriesTable", "fixed_series"]

FloatArray = NDArray[np.float64]
SeriesTable = dict[str, tuple[tuple[str, ...], FloatArray, FloatArray, str]]


def fixed_series(
    scenario: Scenario,
    decisions: Decisions | None,
    vendors: Sequence[str],
    sites: Sequence[str],
    labels: Sequence[str],
) -> SeriesTable:
    """The series of every decision ``decisions`` fixes (always the two delivery series)."""
    n = len(labels)
    times = np.arange(n, dtype=np.float64)
    out: SeriesTable = {
        "site_delivery_share": (
            ("vendor", "site"),
            times,
            _delivery_shares(decisions, vendors, sites, labels),
            "hold",
        ),
        "site_planned_remaining_gw": (
            ("site",),
            np.arange(n + 1, dtype=np.float64),
            _remaining_at_sites(decisions, sites, labels),
            "linear",
        ),
    }
    if decisions is None:
        return out
    position = {label: i for i, label in enumerate(labels)}
    if decisions.shell_starts is not None:
        shells = _grid_of(decisions.shell_starts, "site", "shell_start_gw", sites, position, n)
        out["fixed_shell_starts"] = (("site",), times, shells, "hold")
    if decisions.grid_requests is not None:
        grid = _grid_of(decisions.grid_requests, "site", "grid_request_gw", sites, position, n)
        out["fixed_grid_requests"] = (("site",), times, grid, "hold")
    if decisions.onsite_builds is not None:
        onsite = _onsite(scenario, decisions.onsite_builds, sites, position, n)
        out["fixed_onsite_starts"] = (("site",), times, onsite, "hold")
    if decisions.ppa_signings is not None:
        ppa = _ppa(scenario, decisions.ppa_signings, position, n)
        out["fixed_ppa_signings"] = (("region",), times, ppa, "hold")
    if decisions.installs is not None:
        installs = _grid_of(decisions.installs, "site", "install_gw", sites, position, n)
        start = np.array([scenario.site(s).energized_gw_at_start for s in sites])
        out["fixed_installs_cum_gw"] = (
            ("site",),
            times,
            start + np.cumsum(installs, axis=0),
            "hold",
        )
    return out


def _grid_of(
    table: pd.DataFrame,
    key: str,
    value: str,
    ids: Sequence[str],
    position: dict[str, int],
    n: int,
    shift: Any = None,
) -> FloatArray:
    """A (period, id) table as a dense (T, ids) array; ``shift`` maps a row to periods later."""
    out = np.zeros((n, len(ids)))
    column = {i: c for c, i in enumerate(ids)}
    for row in table.to_dict(orient="records"):
        t = position.get(str(row["period"]))
        if t is None or str(row[key]) not in column:
            continue  # off the simulated horizon (checked earlier)
        t = max(t + (0 if shift is None else int(shift(row))), 0)
        if t < n:
            out[t, column[str(row[key])]] += float(row[value])
    return out


def _delivery_shares(
    decisions: Decisions | None,
    vendors: Sequence[str],
    sites: Sequence[str],
    labels: Sequence[str],
) -> FloatArray:
    """(T, vendors, sites): the planned site shares of each vendor's deliveries."""
    n = len(labels)
    planned = np.zeros((n, len(vendors), len(sites)))
    total = np.zeros((n, len(vendors)))
    if decisions is None:
        return planned
    t_of = {label: i for i, label in enumerate(labels)}
    v_of = {vendor: i for i, vendor in enumerate(vendors)}
    s_of = {site: i for i, site in enumerate(sites)}
    for period, vendor, site, gw in decisions.deliveries.itertuples(index=False):
        t, v = t_of.get(str(period)), v_of.get(str(vendor))
        if t is None or v is None:
            continue
        total[t, v] += float(gw)
        if str(site) in s_of:
            planned[t, v, s_of[str(site)]] += float(gw)
    now = np.divide(
        planned, total[..., None], out=np.zeros_like(planned), where=total[..., None] > 0
    )
    so_far_total = np.cumsum(total, axis=0)[..., None]
    so_far = np.divide(
        np.cumsum(planned, axis=0), so_far_total, out=np.zeros_like(planned), where=so_far_total > 0
    )
    return np.where(total[..., None] > 0, now, so_far)


def _remaining_at_sites(
    decisions: Decisions | None, sites: Sequence[str], labels: Sequence[str]
) -> FloatArray:
    """(T + 1, sites): GW of deliveries planned for each site from each boundary on."""
    n = len(labels)
    per_period = np.zeros((n, len(sites)))
    if decisions is not None:
        position = {label: i for i, label in enumerate(labels)}
        per_period = _grid_of(decisions.deliveries, "site", "delivered_gw", sites, position, n)
    after = np.cumsum(per_period[::-1], axis=0)[::-1]  # from period t on
    return np.vstack([after, np.zeros((1, len(sites)))])


def _onsite(
    scenario: Scenario,
    builds: pd.DataFrame,
    sites: Sequence[str],
    position: dict[str, int],
    n: int,
) -> FloatArray:
    """Builds per site, shifted and scaled to the site's fastest option (see the module doc)."""
    options = {o.id: o for o in scenario.onsite_options}
    q2p = scenario.periods.periods_per_year / 4
    fastest = {
        s.id: min((options[i] for i in s.onsite_option_ids), key=lambda o: o.lead_quarters)
        for s in scenario.sites
        if s.onsite_option_ids
    }
    scaled = builds.copy()
    scaled["build_gw"] = [
        float(r["build_gw"])
        * options[str(r["option"])].availability_factor
        / fastest[str(r["site"])].availability_factor
        for r in builds.to_dict(orient="records")
    ]

    def shift(row: dict[str, Any]) -> int:
        own, first = options[str(row["option"])], fastest[str(row["site"])]
        return round((own.lead_quarters - first.lead_quarters) * q2p)

    return _grid_of(scaled, "site", "build_gw", sites, position, n, shift)


def _ppa(
    scenario: Scenario, signings: pd.DataFrame, position: dict[str, int], n: int
) -> FloatArray:
    """Signings per region, shifted to the region's pooled lead (see the module doc)."""
    frames = scenario.frames("sd")
    ppas = frames.ppa_options
    q2p = scenario.periods.periods_per_year / 4
    regions = [r.id for r in scenario.regions]
    pooled: dict[str, float] = {}
    for region in regions:
        mine = ppas.loc[(ppas["region"] == region) & (ppas["max_gw"] > 0)]
        total = float(mine["max_gw"].sum())
        pooled[region] = (
            float((mine["max_gw"] * mine["lead_quarters"]).sum()) / total if total > 0 else 1.0
        )
    table = signings.copy()
    table["region"] = [str(ppas.loc[o, "region"]) for o in table["option"]]

    def shift(row: dict[str, Any]) -> int:
        own = float(ppas["lead_quarters"].to_dict()[str(row["option"])])
        return round((own - pooled[str(row["region"])]) * q2p)

    return _grid_of(table, "region", "signed_gw", regions, position, n, shift)
