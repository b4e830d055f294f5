"""Optimize siting for a scenario built in code: two regions, three candidate sites, one vendor.

Run: python examples/optimize_custom_scenario.py
"""

from __future__ import annotations

from optimization import optimize
from sd_model import PeriodGrid, Scenario, Schedule
from sd_model.scenario.entities import HeadroomStep, PPAOption, Region, Site, Vendor
from sd_model.scenario.sections import CostAssumptions, Demand, Financing, Policy


def region(region_id: str, lead_quarters: int, price_usd_per_mwh: float) -> Region:
    return Region(
        id=region_id,
        name=region_id,
        iso=region_id,
        interconnection_lead_quarters=lead_quarters,
        queue_attrition_fraction=0.2,
        wholesale_price_usd_per_mwh=price_usd_per_mwh,
        capacity_price_usd_per_mwh=0.0,
        delivery_price_usd_per_mwh=0.0,
    )


def site(site_id: str, region_id: str, max_gw: float, shell_busd_per_gw: float) -> Site:
    return Site(
        id=site_id,
        name=site_id,
        region=region_id,
        max_gw=max_gw,
        energized_gw_at_start=0.0,
        shell_ready_gw_at_start=0.0,
        interconnected_gw_at_start=0.0,
        grid_limit_gw=max_gw * 1.2,
        shell_lead_quarters=4,
        shell_capex_busd_per_gw=shell_busd_per_gw,
        earliest_energization_period="2026Q3",
    )


def build() -> Scenario:
    """A planner's own case: cheap power with a long queue (TX) or dear power sooner (OH)."""
    return Scenario(
        name="two-regions",
        description="One 2 GW accelerator contract; choose between a Texas and two Ohio sites.",
        periods=PeriodGrid(start_period="2026Q1", lp_end_period="2029Q4", sd_end_period="2030Q4"),
        pue=1.2,
        discount_rate_per_year=0.08,
        regions=(region("TX", 8, 30.0), region("OH", 4, 48.0)),
        headroom=(
            HeadroomStep(region="TX", from_period="2026Q1", headroom_gw=2.4),
            HeadroomStep(region="OH", from_period="2026Q1", headroom_gw=1.2),
        ),
        sites=(
            site("TX1", "TX", 2.0, 11.0),
            site("OH1", "OH", 0.6, 13.0),
            site("OH2", "OH", 0.6, 13.0),
        ),
        vendors=(
            Vendor(
                id="gpu",
                name="GPU vendor",
                contract_total_gw=2.0,
                binding_gw=2.0,
                earliest_delivery_period="2026Q3",
                deadline_period="2029Q4",
                max_delivery_gw_per_period=0.5,
                capex_busd_per_gw=35.0,
                perf_per_watt_relative=1.0,
                financing_busd_per_gw=0.0,
                financing_cap_busd=0.0,
                warrant_shares_million=0.0,
                warrant_full_vest_gw=0.0,
                warrant_price_hurdle_usd=0.0,
                share_price_usd_at_start=0.0,
                share_price_response_per_gw=0.0,
            ),
        ),
        ppa_options=(
            PPAOption(
                region="TX",
                technology="solar",
                price_usd_per_mwh=49.0,
                capacity_factor=0.25,
                lead_quarters=4,
                max_gw=3.0,
                tenor_years=15.0,
            ),
        ),
        financing=Financing(
            starting_cash_busd=75.0,
            debt_capacity_busd=40.0,
            debt_rate_per_year=0.075,
            facility_debt_share=0.85,
        ),
        demand=Demand(
            compute_demand_gw_at_start=1.0,
            demand_growth_per_year=0.5,
            compute_price_decline_per_year=0.5,
            price_elasticity=0.1,
            revenue_busd_per_gw_year_at_start=10.0,
            usage_linked_revenue_share_at_start=0.3,
        ),
        policy=Policy(ppa_coverage_target_by_year={2028: 0.3}),
        costs=CostAssumptions(
            it_depreciation_years=5, shell_life_years=20, opex_busd_per_gw_year=0.6
        ),
        announced_schedule=Schedule.empty(),
    )


if __name__ == "__main__":
    plan = optimize(build())
    print(plan.explain())
    last = plan.energized["period"].max()
    where = plan.energized.loc[plan.energized["period"] == last].groupby("site")["gw"].sum()
    print(f"\nIT GW energized by {last}, per site:")
    print(where.round(3).to_string())
