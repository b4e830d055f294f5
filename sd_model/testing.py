"""Scenarios built in code, for tests, examples and benchmarks.

`hand_scenario` makes a one-region, one-site, one-vendor scenario small enough
to solve by hand; `synthetic_scenario` makes a random but valid scenario of
any size.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sd_model import PeriodGrid, Scenario, Schedule
from sd_model.scenario.entities import (
    HeadroomStep,
    LeaseContract,
    Lessor,
    OnsiteOption,
    PPAOption,
    Region,
    Site,
    Vendor,
)
from sd_model.scenario.milestones import VendorMilestone
from sd_model.scenario.periods import format_period, parse_period
from sd_model.scenario.sections import CostAssumptions, Demand, Financing, Policy

__all__ = ["hand_scenario", "synthetic_scenario"]

_TOL = 1e-6


def _grid(quarters: int, monthly: bool = False) -> PeriodGrid:
    if monthly:
        end = format_period(parse_period("2026-01", "month") + 3 * quarters - 1, "month")
        return PeriodGrid(
            frequency="month", start_period="2026-01", lp_end_period=end, sd_end_period=end
        )
    end = format_period(parse_period("2026Q1", "quarter") + quarters - 1, "quarter")
    return PeriodGrid(start_period="2026Q1", lp_end_period=end, sd_end_period=end)


def hand_scenario(
    *,
    quarters: int = 4,
    monthly: bool = False,
    pue: float = 1.0,
    discount_rate_per_year: float = 0.0,
    region: Mapping[str, Any] | None = None,
    headroom_gw: float = 10.0,
    site: Mapping[str, Any] | None = None,
    vendor: Mapping[str, Any] | None = None,
    ppa: Mapping[str, Any] | None = None,
    onsite: Mapping[str, Any] | None = None,
    financing: Mapping[str, Any] | None = None,
    demand: Mapping[str, Any] | None = None,
    coverage_by_year: Mapping[int, float] | None = None,
    policy: Mapping[str, Any] | None = None,
    costs: Mapping[str, Any] | None = None,
    announced: tuple[tuple[str, str, str, float], ...] = (),
    lessors: tuple[Lessor, ...] = (),
    leases: tuple[LeaseContract, ...] = (),
    milestones: tuple[VendorMilestone, ...] = (),
) -> Scenario:
    """A scenario with one region ``R``, one site ``A``, one vendor ``v``, for hand-solvable LPs.

    Long because every entity's defaults are spelled out in one place, field by field.

    Defaults make every cost zero and every limit slack: the site (1 GW, shell
    and grid connection ready) serves a flat demand of 1 GW worth $1B per
    GW-year ($0.25B per quarter). Pass field overrides per entity; ``ppa``
    ``monthly`` puts the same span on a monthly grid (period fields of the
    overrides must then be month labels); ``ppa``
    and ``onsite`` add one option each (``R:solar`` and ``gen``); ``policy``
    sets policy fields (clean-energy certificates cost nothing by default);
    ``lessors``, ``leases`` and ``milestones`` are passed through as the
    scenario's lessors, lease contracts and vendor milestones.
    """
    grid = _grid(quarters, monthly)
    last = grid.lp_end_period
    first = grid.start_period
    regions = (
        Region(
            **{
                "id": "R",
                "name": "R",
                "iso": "R",
                "interconnection_lead_quarters": 0,
                "queue_attrition_fraction": 0.0,
                "wholesale_price_usd_per_mwh": 0.0,
                "capacity_price_usd_per_mwh": 0.0,
                "delivery_price_usd_per_mwh": 0.0,
                **(region or {}),
            }
        ),
    )
    sites = (
        Site(
            **{
                "id": "A",
                "name": "A",
                "region": "R",
                "max_gw": 1.0,
                "energized_gw_at_start": 0.0,
                "shell_ready_gw_at_start": 1.0,
                "interconnected_gw_at_start": 1.0,
                "grid_limit_gw": 1.0,
                "shell_lead_quarters": 0,
                "shell_capex_busd_per_gw": 0.0,
                "earliest_energization_period": first,
                "onsite_option_ids": ("gen",) if onsite is not None else (),
                **(site or {}),
            }
        ),
    )
    vendors = (
        Vendor(
            **{
                "id": "v",
                "name": "v",
                "contract_total_gw": 10.0,
                "binding_gw": 0.0,
                "earliest_delivery_period": first,
                "deadline_period": last,
                "max_delivery_gw_per_period": 10.0,
                "capex_busd_per_gw": 0.0,
                "perf_per_watt_relative": 1.0,
                "financing_busd_per_gw": 0.0,
                "financing_cap_busd": 0.0,
                "warrant_shares_million": 0.0,
                "warrant_full_vest_gw": 0.0,
                "warrant_price_hurdle_usd": 0.0,
                "share_price_usd_at_start": 100.0,
                "share_price_response_per_gw": 0.0,
                **(vendor or {}),
            }
        ),
    )
    ppas = (
        ()
        if ppa is None
        else (
            PPAOption(
                **{
                    "region": "R",
                    "technology": "solar",
                    "price_usd_per_mwh": 0.0,
                    "capacity_factor": 0.25,
                    "lead_quarters": 0,
                    "max_gw": 10.0,
                    "tenor_years": 15.0,
                    **ppa,
                }
            ),
        )
    )
    onsites = (
        ()
        if onsite is None
        else (
            OnsiteOption(
                **{
                    "id": "gen",
                    "technology": "gas",
                    "capex_busd_per_gw": 0.0,
                    "lead_quarters": 0,
                    "cost_usd_per_mwh": 0.0,
                    "availability_factor": 1.0,
                    "life_years": 100.0,
                    **onsite,
                }
            ),
        )
    )
    return Scenario(
        name="hand",
        periods=grid,
        pue=pue,
        discount_rate_per_year=discount_rate_per_year,
        regions=regions,
        headroom=(HeadroomStep(region="R", from_period=first, headroom_gw=headroom_gw),),
        sites=sites,
        vendors=vendors,
        milestones=milestones,
        ppa_options=ppas,
        onsite_options=onsites,
        financing=Financing(
            **{
                "starting_cash_busd": 1000.0,
                "debt_capacity_busd": 0.0,
                "debt_rate_per_year": 0.0,
                "facility_debt_share": 0.0,
                **(financing or {}),
            }
        ),
        demand=Demand(
            **{
                "compute_demand_gw_at_start": 1.0,
                "demand_growth_per_year": 0.0,
                "compute_price_decline_per_year": 0.0,
                "price_elasticity": 0.0,
                "revenue_busd_per_gw_year_at_start": 1.0,
                "usage_linked_revenue_share_at_start": 0.0,
                **(demand or {}),
            }
        ),
        policy=Policy(
            **{
                "ppa_coverage_target_by_year": dict(coverage_by_year or {}),
                "clean_certificate_price_usd_per_mwh": 0.0,
                **(policy or {}),
            }
        ),
        costs=CostAssumptions(
            **{
                "it_depreciation_years": 100.0,
                "shell_life_years": 100.0,
                "opex_busd_per_gw_year": 0.0,
                "interconnection_busd_per_gw": 0.0,
                "minimum_demand_share": 0.0,
                **(costs or {}),
            }
        ),
        announced_schedule=Schedule.from_records(list(announced)),
        lessors=lessors,
        lease_contracts=leases,
    )


_REGIONS = (
    ("ERCOT", 30.0, 0.0, 49.0),
    ("PJM", 34.0, 13.9, 81.0),
    ("MISO", 60.0, 9.0, 65.0),
    ("WECC", 58.0, 0.0, 62.0),
)


def synthetic_scenario(n_sites: int, n_quarters: int, seed: int = 0) -> Scenario:
    """A random, valid scenario with ``n_sites`` sites over ``n_quarters`` quarters.

    Long because it builds every table of a scenario in one readable pass.

    Four regions with reference-like prices, three vendors whose contracts
    together roughly fill the sites, solar and wind PPAs per region, two
    on-site options, a growing demand and a finite budget. Deterministic in
    ``seed``.
    """
    rng = np.random.default_rng(seed)
    grid = _grid(n_quarters)
    labels = grid.labels("lp")

    def at(i: int) -> str:
        return labels[min(max(i, 0), n_quarters - 1)]

    regions = tuple(
        Region(
            id=r,
            name=r,
            iso=r,
            interconnection_lead_quarters=int(rng.integers(2, 13)),
            queue_attrition_fraction=0.3,
            wholesale_price_usd_per_mwh=e,
            capacity_price_usd_per_mwh=c,
            delivery_price_usd_per_mwh=0.0,
        )
        for r, e, c, _ in _REGIONS
    )
    sites = []
    for i in range(n_sites):
        max_gw = float(np.round(rng.uniform(0.3, 2.5), 2))
        shell0 = float(np.round(max_gw * rng.choice([0.0, 0.0, 0.3]), 2))
        sites.append(
            Site(
                id=f"S{i:03d}",
                name=f"site {i}",
                region=_REGIONS[i % 4][0],
                max_gw=max_gw,
                energized_gw_at_start=float(np.round(shell0 * 0.5, 2)),
                shell_ready_gw_at_start=shell0,
                interconnected_gw_at_start=float(np.round(shell0 * 0.6 + 0.01, 2)),
                grid_limit_gw=float(np.round(max_gw * rng.uniform(0.5, 1.3), 2)),
                shell_lead_quarters=int(rng.integers(2, 9)),
                shell_capex_busd_per_gw=float(np.round(rng.uniform(10, 15), 1)),
                earliest_energization_period=at(int(rng.integers(0, max(1, n_quarters // 3)))),
                onsite_option_ids=("recip", "ccgt") if i % 3 == 0 else (),
            )
        )
    capacity = sum(s.max_gw for s in sites)
    vendors = tuple(
        Vendor(
            id=v,
            name=v,
            contract_total_gw=round(capacity * share, 2),
            binding_gw=round(capacity * share * binding, 2),
            earliest_delivery_period=at(2),
            deadline_period=at(max(2, n_quarters - 1 - k)),
            max_delivery_gw_per_period=round(capacity * share / max(4, n_quarters // 2), 3),
            capex_busd_per_gw=capex,
            perf_per_watt_relative=perf,
            financing_busd_per_gw=fin,
            financing_cap_busd=round(fin * capacity * share, 1),
            warrant_shares_million=0.0,
            warrant_full_vest_gw=0.0,
            warrant_price_hurdle_usd=0.0,
            share_price_usd_at_start=100.0,
            share_price_response_per_gw=0.0,
        )
        for k, (v, share, binding, capex, perf, fin) in enumerate(
            (
                ("nvidia", 0.45, 0.0, 35.0, 1.0, 3.0),
                ("amd", 0.25, 0.3, 15.0, 0.8, 0.0),
                ("broadcom", 0.3, 0.2, 15.0, 0.9, 2.0),
            )
        )
    )
    headroom = tuple(
        HeadroomStep(region=r.id, from_period=at(q), headroom_gw=round(capacity / 4 * f, 2))
        for r in regions
        for q, f in ((0, 0.2), (n_quarters // 3, 0.6), (2 * n_quarters // 3, 1.0))
    )
    ppas = tuple(
        PPAOption(
            region=r,
            technology=tech,
            price_usd_per_mwh=p + extra,
            capacity_factor=cf,
            lead_quarters=lead,
            max_gw=round(capacity / 2, 2),
            tenor_years=15.0,
        )
        for r, _, _, p in _REGIONS
        for tech, extra, cf, lead in (("solar", 0.0, 0.25, 4), ("wind", 15.0, 0.4, 6))
    )
    onsite = (
        OnsiteOption(
            id="recip",
            technology="recip",
            capex_busd_per_gw=1.5,
            lead_quarters=5,
            cost_usd_per_mwh=60.0,
            availability_factor=0.9,
            life_years=25.0,
        ),
        OnsiteOption(
            id="ccgt",
            technology="ccgt",
            capex_busd_per_gw=2.4,
            lead_quarters=16,
            cost_usd_per_mwh=35.0,
            availability_factor=0.85,
            life_years=25.0,
        ),
    )
    years = grid.years("lp")
    return Scenario(
        name=f"synthetic-{n_sites}x{n_quarters}-{seed}",
        periods=grid,
        pue=1.2,
        discount_rate_per_year=0.08,
        offsite_energized_gw_at_start=0.5,
        regions=regions,
        headroom=headroom,
        sites=tuple(sites),
        vendors=vendors,
        ppa_options=ppas,
        onsite_options=onsite,
        financing=Financing(
            starting_cash_busd=round(capacity * 5, 1),
            external_funding_busd_by_year={y: round(capacity * 8, 1) for y in years},
            debt_capacity_busd=round(capacity * 10, 1),
            debt_rate_per_year=0.075,
            facility_debt_share=0.85,
        ),
        demand=Demand(
            compute_demand_gw_at_start=round(capacity * 0.1, 2),
            demand_growth_per_year=0.6,
            compute_price_decline_per_year=0.5,
            price_elasticity=0.5,
            revenue_busd_per_gw_year_at_start=12.0,
            usage_linked_revenue_share_at_start=0.3,
        ),
        policy=Policy(
            ppa_coverage_target_by_year={years[0]: 0.1, years[min(1, len(years) - 1)]: 0.4}
        ),
        costs=CostAssumptions(
            it_depreciation_years=5.0, shell_life_years=20.0, opex_busd_per_gw_year=0.5
        ),
    )
