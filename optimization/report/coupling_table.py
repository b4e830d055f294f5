"""The report's coupling table: what the simulation passed back to the LP, per iteration."""

from __future__ import annotations

import pandas as pd

from optimization.coupling.compare import Comparison

__all__ = ["COUPLING_NOTE", "formatted_coupling_regions"]

COUPLING_NOTE = (
    "Per iteration and region, what the simulation passed back to the LP: the effective lead "
    "(the region's lead plus the realised extra queue time, whole quarters) and the connected "
    "share of requests (1 − realised attrition), with the energized IT GW at the end of {year} "
    "the LP planned and the simulation realised from that plan's decisions. Regions where "
    "nothing was passed back and nothing is energized are left out (coupling_regions.csv has "
    "them all)."
)


def formatted_coupling_regions(comparison: Comparison) -> tuple[pd.DataFrame, str] | None:
    """The coupling table as text cells and its note (None without a coupled case)."""
    result = comparison.coupling
    if result is None or result.regions.empty:
        return None
    rows = result.regions
    passed = (
        (rows["effective_lead_quarters"] != rows["lead_quarters"])
        | (rows["connection_share"] < 1.0)
        | (rows["lp_energized_gw"].abs() > 1e-6)
        | (rows["simulated_energized_gw"].abs() > 1e-6)
    )
    shown = rows.loc[passed]
    year = result.report_year
    table = pd.DataFrame(
        {
            "iteration": shown["iteration"].astype(str),
            "region": shown["region"],
            "lead [quarters]": shown["lead_quarters"].astype(str),
            "effective lead [quarters]": shown["effective_lead_quarters"].astype(str),
            "connected share": shown["connection_share"].map(lambda v: f"{v:.2f}"),
            f"LP energized GW {year}": shown["lp_energized_gw"].map(lambda v: f"{v:,.2f}"),
            f"simulated energized GW {year}": shown["simulated_energized_gw"].map(
                lambda v: f"{v:,.2f}"
            ),
        }
    )
    return table.reset_index(drop=True), COUPLING_NOTE.format(year=year)
