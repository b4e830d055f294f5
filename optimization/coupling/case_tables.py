"""Tidy tables of one simulated case, for comparison and reporting.

Pure functions from a build-out simulation (`sd_model.simulate`, single run)
to small frames: trajectories per period, values at each year's end, per
vendor and per site, and the horizon metrics with their units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sd_model import Scenario, metrics
from sd_model.buildout import CASH_OUTFLOWS

__all__ = [
    "COST_FLOWS",
    "by_vendor",
    "horizon_metrics",
    "npv_cost_busd",
    "per_period",
    "planning_horizon",
    "site_gw_by_year",
    "year_end",
]


#: Cash outflows of the simulation that make up the cost of a case [$B/period]: every
#: outflow but debt repayment (principal is not a cost; interest is).
COST_FLOWS: tuple[str, ...] = tuple(f for f in CASH_OUTFLOWS if f != "repayment_busd_per_period")


def _total(result: pd.DataFrame, name: str) -> pd.Series:
    columns = [c for c in result.columns if c == name or c.startswith(f"{name}[")]
    return result[columns].sum(axis=1)


def per_period(result: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """One row per period boundary: the trajectories a planner plots.

    Columns: ``period``, ``energized_gw`` (IT, all vendors and the start
    fleet), ``delivered_cum_gw``, ``stranded_gw``, ``cash_busd``, ``debt_busd``,
    ``utilization``, ``ppa_coverage``, ``grid_gw``, ``onsite_gw`` (facility
    draw at the candidate sites), ``clean_ppa_gw`` (average clean supply) and
    ``load_gw`` (facility load at the candidate sites).
    """
    hours = scenario.periods.hours_per_period
    clean_twh = _total(result, "clean_energy_twh_per_period")
    grid = _total(result, "grid_draw_gw")
    onsite = _total(result, "onsite_draw_gw")
    return pd.DataFrame(
        {
            "period": result["period"],
            "energized_gw": result["energized_total_gw"],
            "delivered_cum_gw": _total(result, "delivered_cum_gw"),
            "stranded_gw": _total(result, "stranded_gw"),
            "cash_busd": result["cash_busd"],
            "debt_busd": result["debt_busd"],
            "utilization": result["utilization"],
            "ppa_coverage": result["ppa_coverage_ratio"],
            "grid_gw": grid,
            "onsite_gw": onsite,
            "clean_ppa_gw": clean_twh * 1000 / hours,
            "load_gw": grid + onsite,
        }
    ).reset_index(drop=True)


def year_end(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows of a per-period table at each year's end (the first boundary of the next year).

    The ``year`` column names the year that ended.
    """
    first_quarters = frame.loc[frame["period"].str.endswith(("Q1", "-01"))]
    years = first_quarters["period"].str[:4].astype(int) - 1
    out = first_quarters.assign(year=years.to_numpy())
    ended: pd.DataFrame = out.loc[out.index > frame.index[0]]
    return ended.reset_index(drop=True)


def by_vendor(result: pd.DataFrame, name: str = "energized_gw") -> pd.DataFrame:
    """A per-vendor variable as a tidy frame: period, vendor, gw."""
    columns = [c for c in result.columns if c.startswith(f"{name}[")]
    wide = result[["period", *columns]].rename(columns=lambda c: c[len(name) + 1 : -1] or c)
    wide = wide.rename(columns={"": "period"})
    tidy = wide.melt(id_vars="period", var_name="vendor", value_name="gw")
    return tidy.reset_index(drop=True)


def site_gw_by_year(result: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Energized IT GW per site at each year's end: year, site, region, gw."""
    region = {s.id: s.region for s in scenario.sites}
    columns = {f"site_load_gw[{s}]": s for s in region}
    wide = result[["period", *columns]].rename(columns=columns).reset_index(drop=True)
    ends = year_end(wide)
    tidy = ends.melt(id_vars=["period", "year"], var_name="site", value_name="gw")
    tidy["region"] = tidy["site"].map(region)
    return tidy.loc[:, ["year", "site", "region", "gw"]]


def npv_cost_busd(result: pd.DataFrame, scenario: Scenario) -> float:
    """Discounted sum of the simulated cost flows [$B], at the scenario's discount rate."""
    years = np.arange(len(result)) * scenario.periods.years_per_period
    discount = (1 + scenario.discount_rate_per_year) ** -years
    cost = sum(_total(result, name).to_numpy() for name in COST_FLOWS)
    # the last row is the end boundary: its flows lie outside the horizon
    return float(np.sum((cost * discount)[:-1]))


def planning_horizon(result: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The rows of a simulation from the start to the end of the LP horizon (its end boundary).

    Plans stop at the LP horizon; after it a plan's fleet only ages, so
    figures that compare plans are measured over the planning horizon.
    """
    rows: pd.DataFrame = result.iloc[: scenario.periods.count("lp") + 1]
    return rows


def horizon_metrics(result: pd.DataFrame, scenario: Scenario) -> pd.Series:
    """The case's figures over the planning horizon (units in the names), for comparison."""
    result = planning_horizon(result, scenario)
    summary = metrics.summary(result)
    assert isinstance(summary, pd.Series)  # a single run
    figures = {
        "npv_cost_busd": npv_cost_busd(result, scenario),
        **{str(k): float(v) for k, v in summary.items()},
    }
    regions = {r.id: float(scenario.headroom_gw(r.id, "sd")[-1]) for r in scenario.regions}
    for region, headroom in regions.items():
        used = float(result[f"region_new_connections_gw[{region}]"].iloc[-1])
        figures[f"headroom_used_{region}_gw"] = used
        figures[f"headroom_used_{region}_share"] = used / headroom if headroom > 0 else 0.0
    return pd.Series(figures, name="value")
