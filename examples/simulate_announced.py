"""Simulate the announced schedule of the reference scenario and read the critical window.

Run: python examples/simulate_announced.py
"""

from __future__ import annotations

import sd_model
from sd_model import metrics

if __name__ == "__main__":
    scenario = sd_model.load_scenario("reference")
    result = sd_model.simulate(scenario)
    summary = metrics.summary(result)
    table = result.loc[:, ["period"]].assign(
        stranded_gw=metrics.stranded_gw(result),
        energized_gw=result["energized_total_gw"],
        cash_busd=result["cash_busd"],
    )
    window = table.loc[table["period"].between("2026Q3", "2028Q4")]
    worst = window.iloc[int(window["stranded_gw"].to_numpy().argmax())]
    print(f"Announced: {scenario.announced_schedule.total_gw():.1f} GW over the horizon")
    print(f"Delivered by the end: {summary['delivered_gw']:.1f} GW (the budget defers the rest)")
    print(
        f"In 2026H2-2028 stranded hardware peaks at {worst['stranded_gw']:.2f} GW "
        f"in {worst['period']}; over the whole horizon at {summary['peak_stranded_gw']:.2f} GW"
    )
    print(
        f"Lowest cash: {summary['min_cash_busd']:.1f} $B; vendor-financed share of capex "
        f"{summary['vendor_financed_share_of_capex']:.0%}"
    )
    print("\nThe critical window (2026H2-2028):")
    print(window.round(2).to_string(index=False))
