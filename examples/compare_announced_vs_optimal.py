"""Compare the optimal plan with the announced timing and read the shadow prices.

Run: python examples/compare_announced_vs_optimal.py
"""

from __future__ import annotations

from optimization import optimize
from sd_model import load_scenario

if __name__ == "__main__":
    scenario = load_scenario("reference")
    optimal = optimize(scenario)
    announced = optimize(scenario, mode="announced_timing")
    print(f"NPV optimal (revenue - cost):          {optimal.npv_busd:10.1f} $B")
    print(f"NPV announced timing (revenue - cost): {announced.npv_busd:10.1f} $B")
    print(f"value lost to the announced timing: {optimal.npv_busd - announced.npv_busd:.1f} $B")
    penalty = announced.penalty_busd
    print(f"priced limit violations of the announced timing (not money): {penalty:.1f}\n")
    print("What the announced timing cannot meet:")
    for line in announced.diagnosis:
        print(f"  - {line}")
    print("\nValue of 1 GW more grid headroom from each period on (optimal plan) [$B/GW]:")
    regions = optimal.regions
    valuable = regions.loc[regions["headroom_step_value_busd_per_gw"] > 1e-3]
    print(valuable[["period", "region", "headroom_step_value_busd_per_gw"]].to_string(index=False))
    print("\nValue of $1B more external funding per year (announced timing) [$B/$B]:")
    print(announced.budget_value.to_string(index=False))
