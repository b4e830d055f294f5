"""Readable summaries of a scenario: sites by region, vendors, announced GW by year.

Pure functions from a Scenario to small DataFrames; the command line renders
them as tables or JSON.
"""

from __future__ import annotations

import pandas as pd

from sd_model.scenario.definition import Scenario

__all__ = ["announced_by_year", "lease_table", "sites_by_region", "vendor_table"]


def sites_by_region(scenario: Scenario) -> pd.DataFrame:
    """Candidate sites per region with their capacity [GW IT] and grid limits [GW facility]."""
    rows = []
    for region in scenario.regions:
        sites = scenario.sites_in(region.id)
        rows.append(
            {
                "region": region.id,
                "sites": ", ".join(s.id for s in sites),
                "max_gw": sum(s.max_gw for s in sites),
                "energized_gw_at_start": sum(s.energized_gw_at_start for s in sites),
                "grid_limit_gw": sum(s.grid_limit_gw for s in sites),
                "interconnection_lead_quarters": region.interconnection_lead_quarters,
                "delivered_price_usd_per_mwh": region.delivered_price_usd_per_mwh,
            }
        )
    return pd.DataFrame(rows)


def vendor_table(scenario: Scenario) -> pd.DataFrame:
    """Vendors' contracts against what the announced schedule delivers [GW]."""
    announced = scenario.announced_schedule.total_by_vendor()
    return pd.DataFrame(
        [
            {
                "vendor": v.id,
                "contract_total_gw": v.contract_total_gw,
                "binding_gw": v.binding_gw,
                "announced_gw": announced.get(v.id, 0.0),
                "first_delivery": v.earliest_delivery_period,
                "deadline": v.deadline_period,
                "capex_busd_per_gw": v.capex_busd_per_gw,
            }
            for v in scenario.vendors
        ]
    )


def announced_by_year(scenario: Scenario) -> pd.DataFrame:
    """Announced deliveries per year against the site capacity that can be energized by then.

    Returns
    -------
    pandas.DataFrame
        One row per year of the SD horizon: ``announced_gw`` delivered in the
        year; ``cumulative_gw``, the IT load running at the start plus the
        deliveries so far; ``site_capacity_gw``, the off-site load plus the
        summed ``max_gw`` of sites whose earliest energization falls in or
        before the year; and ``gap_gw``, how far deliveries exceed capacity.
    """
    grid = scenario.periods
    frame = scenario.announced_schedule.frame
    frame["year"] = [grid.year(p) for p in frame["period"]]
    per_year = frame.groupby("year")["gw"].sum()
    running = scenario.offsite_energized_gw_at_start + sum(
        s.energized_gw_at_start for s in scenario.sites
    )
    rows = []
    for year in grid.years("sd"):
        running += float(per_year.get(year, 0.0))
        capacity = (
            sum(
                s.max_gw
                for s in scenario.sites
                if grid.year(s.earliest_energization_period) <= year
            )
            + scenario.offsite_energized_gw_at_start
        )
        rows.append(
            {
                "year": year,
                "announced_gw": float(per_year.get(year, 0.0)),
                "cumulative_gw": running,
                "site_capacity_gw": capacity,
                "gap_gw": max(0.0, running - capacity),
            }
        )
    return pd.DataFrame(rows)


def lease_table(scenario: Scenario) -> pd.DataFrame:
    """Lease contracts with their size, timing and value [GW, yr, $B]."""
    return pd.DataFrame(
        [
            {
                "contract": c.id,
                "lessor": c.lessor,
                "gw": c.gw,
                "start": c.start_period,
                "term_years": c.term_years,
                "price_busd_per_gw_year": c.price_busd_per_gw_year,
                "take_or_pay_share": c.take_or_pay_share,
                "total_value_busd": c.total_value_busd,
                "committed": c.committed,
            }
            for c in scenario.lease_contracts
        ],
        columns=[
            "contract",
            "lessor",
            "gw",
            "start",
            "term_years",
            "price_busd_per_gw_year",
            "take_or_pay_share",
            "total_value_busd",
            "committed",
        ],
    )
