"""What if ERCOT's large-load queue is longer? Re-plan the reference scenario for each lead time.

Run: python examples/queue_time_what_if.py
"""

from __future__ import annotations

from optimization import optimize
from sd_model import load_scenario

if __name__ == "__main__":
    reference = load_scenario("reference")
    base = reference.region("ERCOT").interconnection_lead_quarters
    print(f"ERCOT lead time in the reference scenario: {base} quarters")
    print(f"{'ERCOT lead [quarters]':>21} {'NPV [$B]':>9} {'ERCOT GW 2030Q4':>16} {'all GW':>7}")
    for lead in (base - 4, base, base + 4, base + 8):
        scenario = reference.with_overrides({"regions.ERCOT.interconnection_lead_quarters": lead})
        plan = optimize(scenario)
        last = plan.energized.loc[plan.energized["period"] == plan.energized["period"].max()]
        ercot_sites = {s.id for s in scenario.sites_in("ERCOT")}
        ercot = last.loc[last["site"].isin(ercot_sites), "gw"].sum()
        print(f"{lead:>21} {plan.npv_busd:>9.1f} {ercot:>16.2f} {last['gw'].sum():>7.2f}")
