"""Helpers for tests and benchmarks: scenarios built in code and an independent plan checker.

`hand_scenario` makes a one-region, one-site, one-vendor scenario small enough
to solve by hand; `synthetic_scenario` makes a random but valid scenario of
any size; `check_plan` and `recompute_objective` verify a `Plan` from its
frames and the scenario alone, without the model or `ModelData`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from optimization.data import HOURS_PER_YEAR, Penalties
from optimization.plan import Plan
from sd_model import PeriodGrid, Scenario, Schedule
from sd_model.buildout.inputs import lease_profile_gw
from sd_model.entities import (
    HeadroomStep,
    LeaseContract,
    Lessor,
    OnsiteOption,
    PPAOption,
    Region,
    Site,
    Vendor,
)
from sd_model.periods import format_period, parse_period
from sd_model.sections import CostAssumptions, Demand, Financing, Policy

__all__ = ["check_plan", "hand_scenario", "recompute_objective", "synthetic_scenario"]

_TOL = 1e-6


def _grid(quarters: int) -> PeriodGrid:
    end = format_period(parse_period("2026Q1", "quarter") + quarters - 1, "quarter")
    return PeriodGrid(start_period="2026Q1", lp_end_period=end, sd_end_period=end)


def hand_scenario(
    *,
    quarters: int = 4,
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
    costs: Mapping[str, Any] | None = None,
    announced: tuple[tuple[str, str, str, float], ...] = (),
    lessors: tuple[Lessor, ...] = (),
    leases: tuple[LeaseContract, ...] = (),
) -> Scenario:
    """A scenario with one region ``R``, one site ``A``, one vendor ``v``, for hand-solvable LPs.

    Defaults make every cost zero and every limit slack: the site (1 GW, shell
    and grid connection ready) serves a flat demand of 1 GW worth $1B per
    GW-year ($0.25B per quarter). Pass field overrides per entity; ``ppa``
    and ``onsite`` add one option each (``R:solar`` and ``gen``);
    ``lessors`` and ``leases`` are passed through as the scenario's lessors
    and lease contracts.
    """
    grid = _grid(quarters)
    last = grid.lp_end_period
    regions = (
        Region(
            **{
                "id": "R",
                "name": "R",
                "iso": "R",
                "interconnection_lead_quarters": 0,
                "queue_attrition_fraction": 0.0,
                "energy_price_usd_per_mwh": 0.0,
                "capacity_price_usd_per_mwh": 0.0,
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
                "earliest_energization_period": "2026Q1",
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
                "earliest_delivery_period": "2026Q1",
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
        headroom=(HeadroomStep(region="R", from_period="2026Q1", headroom_gw=headroom_gw),),
        sites=sites,
        vendors=vendors,
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
        policy=Policy(ppa_coverage_target_by_year=dict(coverage_by_year or {})),
        costs=CostAssumptions(
            **{
                "it_depreciation_years": 100.0,
                "shell_life_years": 100.0,
                "opex_busd_per_gw_year": 0.0,
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
            energy_price_usd_per_mwh=e,
            capacity_price_usd_per_mwh=c,
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


def _lagged(starts: np.ndarray, lead: int) -> np.ndarray:
    """Cumulative quantity online per period from starts per period with a lead time."""
    online = np.zeros_like(starts)
    if lead < len(starts):
        online[lead:] = starts[: len(starts) - lead]
    return np.cumsum(online)


def _pivot(frame: pd.DataFrame, key: str, column: str, periods: list[str]) -> pd.DataFrame:
    return (
        frame.pivot_table(index="period", columns=key, values=column, aggfunc="sum")
        .reindex(periods, fill_value=0.0)
        .fillna(0.0)
    )


def check_plan(
    plan: Plan, scenario: Scenario, *, tol: float = _TOL, fixed_timing: bool = False
) -> list[str]:
    """Every limit the plan breaks, checked from its frames and the scenario alone.

    Slacks reported in the plan (headroom, coverage, budget overrun) count as
    allowed relaxations. ``fixed_timing`` skips the ramp check (deliveries
    fixed by a schedule).
    """
    bad: list[str] = []
    grid = scenario.periods
    periods = grid.labels("lp")
    n = len(periods)
    lead = grid.periods_from_quarters
    s = plan.sites.set_index(["site", "period"])
    for site in scenario.sites:
        row = s.loc[site.id].reindex(periods)
        shell = row["shell_ready_gw"].to_numpy()
        starts = row["shell_start_gw"].to_numpy()
        big_l = lead(site.shell_lead_quarters)
        expected = site.shell_ready_gw_at_start + _lagged(starts, big_l)
        if np.abs(shell - expected).max() > tol or starts[max(0, n - big_l) :].max(initial=0) > tol:
            bad.append(f"{site.id}: shells do not follow the lead time")
        if shell.max() > site.max_gw + tol:
            bad.append(f"{site.id}: shells above max_gw")
        if (row["it_gw"].to_numpy() > shell + tol).any():
            bad.append(f"{site.id}: load above ready shells")
        r = scenario.region(site.region)
        conn = row["connected_gw"].to_numpy()
        req = row["grid_request_gw"].to_numpy()
        expected = site.interconnected_gw_at_start + _lagged(
            req, lead(r.interconnection_lead_quarters)
        )
        if np.abs(conn - expected).max() > tol:
            bad.append(f"{site.id}: connections do not follow the region's lead time")
        if conn.max() > max(site.grid_limit_gw, site.interconnected_gw_at_start) + tol:
            bad.append(f"{site.id}: connection above grid_limit_gw")
        if (row["grid_draw_gw"].to_numpy() > conn + tol).any():
            bad.append(f"{site.id}: grid draw above connection")
        supply = row["grid_draw_gw"].to_numpy() + row["onsite_gw"].to_numpy()
        unpowered = row["unpowered_gw"].to_numpy()
        if (scenario.pue * row["it_gw"].to_numpy() > supply + unpowered + tol).any():
            bad.append(f"{site.id}: power balance broken")
        first = grid.index(site.earliest_energization_period)
        new = plan.energized[plan.energized["site"] == site.id]
        if new[new["period"].map(periods.index) < first]["new_gw"].max() > tol:
            bad.append(f"{site.id}: energized before its earliest period")
    avail = {x.id: x.availability_factor for x in scenario.onsite_options}
    on = plan.onsite
    over = on["generation_gw"] > on["option"].map(avail) * on["capacity_gw"] + tol
    if over.any():
        bad.append("on-site generation above available capacity")
    regions = plan.regions.set_index(["region", "period"])
    for r in scenario.regions:
        head = scenario.headroom_gw(r.id, "lp")
        new_conn = sum(
            (s.loc[site.id].reindex(periods)["connected_gw"] - site.interconnected_gw_at_start)
            for site in scenario.sites_in(r.id)
        )
        short = regions.loc[r.id].reindex(periods)["headroom_short_gw"].to_numpy()
        if len(scenario.sites_in(r.id)) and (np.asarray(new_conn) > head + short + tol).any():
            bad.append(f"{r.id}: connections above headroom")
    d = plan.deliveries
    for v in scenario.vendors:
        rows = d[d["vendor"] == v.id].set_index("period").reindex(periods)
        if not fixed_timing and rows["delivered_gw"].max() > v.max_delivery_gw_per_period + tol:
            bad.append(f"{v.id}: delivery above the ramp limit")
        if not fixed_timing and rows["delivered_gw"].sum() > v.contract_total_gw + tol:
            bad.append(f"{v.id}: deliveries above the contract")
        strand = np.cumsum((rows["delivered_gw"] - rows["energized_gw"]).to_numpy())
        if np.abs(strand - rows["stranded_gw"].to_numpy()).max() > tol or strand.min() < -tol:
            bad.append(f"{v.id}: energized more than delivered")
        first = grid.index(v.earliest_delivery_period)
        new = plan.energized[plan.energized["vendor"] == v.id]
        if new[new["period"].map(periods.index) < first]["new_gw"].max() > tol:
            bad.append(f"{v.id}: energized before its earliest delivery")
    for k in scenario.ppa_options:
        rows = plan.ppa[plan.ppa["option"] == f"{k.region}:{k.technology}"]
        rows = rows.set_index("period").reindex(periods)
        online = _lagged(rows["signed_gw"].to_numpy(), lead(k.lead_quarters))
        if np.abs(online - rows["online_gw"].to_numpy()).max() > tol or online[-1] > k.max_gw + tol:
            bad.append(f"{k.region}:{k.technology}: PPA lead time or maximum broken")
    mix = plan.power_mix
    target = scenario.ppa_coverage_target("lp")
    if (mix["clean_ppa_gw"] + mix["coverage_short_gw"] < target * mix["load_gw"] - tol).any():
        bad.append("PPA coverage below target")
    if scenario.lease_contracts:
        bad += _check_leases(plan, scenario, tol)
    cash = plan.cash
    if (cash["cash_busd"] < -tol).any():
        bad.append("cash below zero")
    if (cash["debt_busd"] > scenario.financing.debt_capacity_busd + tol).any():
        bad.append("debt above capacity")
    costs = recompute_cash_costs(plan, scenario)
    balance = (
        cash["funding_busd"]
        + cash["vendor_finance_busd"]
        + cash["borrow_busd"]
        - cash["repay_busd"]
        + cash["overrun_busd"]
        - costs.sum(axis=1).to_numpy()
    )
    if np.abs(np.cumsum(balance) - cash["cash_busd"]).max() > 1e-5 * max(
        1.0, cash["cash_busd"].abs().max()
    ):
        bad.append("cash path does not add up")
    return bad


def recompute_cash_costs(plan: Plan, scenario: Scenario) -> pd.DataFrame:
    """Cash costs per period [$B] recomputed from the plan's quantities and the scenario."""
    periods = scenario.periods.labels("lp")
    ypp = scenario.periods.years_per_period
    to_busd = HOURS_PER_YEAR * ypp * 1e-6
    capex = {v.id: v.capex_busd_per_gw for v in scenario.vendors}
    d = plan.deliveries
    s = plan.sites
    site_capex = {x.id: x.shell_capex_busd_per_gw for x in scenario.sites}
    price = {
        r.id: (r.energy_price_usd_per_mwh + r.capacity_price_usd_per_mwh) * to_busd
        for r in scenario.regions
    }
    market = {r.id: r.energy_price_usd_per_mwh * to_busd for r in scenario.regions}
    options = {o.id: o for o in scenario.onsite_options}
    ppas = {f"{k.region}:{k.technology}": k for k in scenario.ppa_options}
    on = plan.onsite
    p = plan.ppa

    def per_period(values: pd.Series, frame: pd.DataFrame) -> np.ndarray:
        return values.groupby(frame["period"]).sum().reindex(periods, fill_value=0.0).to_numpy()

    out = pd.DataFrame(index=periods)
    out["it_capex"] = per_period(d["delivered_gw"] * d["vendor"].map(capex), d)
    out["shell_capex"] = per_period(s["shell_start_gw"] * s["site"].map(site_capex), s)
    out["opex"] = per_period(s["it_gw"] * scenario.costs.opex_busd_per_gw_year * ypp, s)
    out["grid_energy"] = per_period(s["grid_draw_gw"] * s["region"].map(price), s)
    out["onsite_capex"] = per_period(
        on["build_gw"] * on["option"].map(lambda o: options[o].capex_busd_per_gw), on
    )
    out["onsite_energy"] = per_period(
        on["generation_gw"] * on["option"].map(lambda o: options[o].cost_usd_per_mwh * to_busd), on
    )
    out["ppa"] = per_period(
        p["clean_gw"]
        * (
            p["option"].map(lambda k: ppas[k].price_usd_per_mwh * to_busd) - p["region"].map(market)
        ),
        p,
    )
    if scenario.lease_contracts:
        out["lease"] = _lease_payments(plan, scenario)
    out["interest"] = (
        plan.cash["debt_busd"].to_numpy() * scenario.financing.debt_rate_per_year * ypp
    )
    return out


def _lease_profile(lease: LeaseContract, scenario: Scenario) -> np.ndarray:
    """A contract's GW per LP period at full take-up (an option shifted to its lead)."""
    grid = scenario.periods
    q2p, ppy = grid.periods_per_year / 4, float(grid.periods_per_year)
    origin = parse_period(grid.start_period, grid.frequency)
    start = float(parse_period(lease.start_period, grid.frequency) - origin)
    if not lease.committed:
        start = max(start, float(grid.periods_from_quarters(lease.lead_quarters)))
    ramp = lease.ramp_quarters * q2p
    end = start + ramp + lease.term_years * ppy
    return np.asarray(lease_profile_gw(start, ramp, end, lease.gw, grid.count("lp")))


def _lease_payments(plan: Plan, scenario: Scenario) -> np.ndarray:
    """Lease payments per period [$B]: price × (used + take-or-pay share × idle)."""
    periods = scenario.periods.labels("lp")
    ypp = scenario.periods.years_per_period
    frame = plan.leases
    price = {c.id: c.price_busd_per_gw_year * ypp for c in scenario.lease_contracts}
    theta = {c.id: c.take_or_pay_share for c in scenario.lease_contracts}
    idle = frame["contracted_gw"] - frame["used_gw"]
    pay = frame["contract"].map(price) * (frame["used_gw"] + frame["contract"].map(theta) * idle)
    return pay.groupby(frame["period"]).sum().reindex(periods, fill_value=0.0).to_numpy()


def _check_leases(plan: Plan, scenario: Scenario, tol: float) -> list[str]:
    """Lease limits: use within contracted GW, contracts on their profile, lessor limits."""
    bad: list[str] = []
    periods = scenario.periods.labels("lp")
    frame = plan.leases
    contracted_by_lessor = np.zeros((len(scenario.lessors), len(periods)))
    committed_by_lessor = np.zeros_like(contracted_by_lessor)
    lessor_pos = {x.id: i for i, x in enumerate(scenario.lessors)}
    for lease in scenario.lease_contracts:
        rows = frame[frame["contract"] == lease.id].set_index("period").reindex(periods)
        contracted = rows["contracted_gw"].fillna(0.0).to_numpy()
        used = rows["used_gw"].fillna(0.0).to_numpy()
        profile = _lease_profile(lease, scenario)
        if (used > contracted + tol).any() or (used < -tol).any():
            bad.append(f"{lease.id}: leased GW used above the contracted GW")
        share = 1.0 if lease.committed else float(rows["take_up_share"].iloc[0])
        if not -tol <= share <= 1 + tol or np.abs(contracted - share * profile).max() > tol:
            bad.append(f"{lease.id}: contracted GW off the contract's profile")
        contracted_by_lessor[lessor_pos[lease.lessor]] += contracted
        if lease.committed:
            committed_by_lessor[lessor_pos[lease.lessor]] += contracted
    for i, lessor in enumerate(scenario.lessors):
        cap = lessor.capacity_target_gw
        if cap is None:
            continue
        limit = np.maximum(cap, committed_by_lessor[i])
        over = contracted_by_lessor[i] > limit + tol
        if over.any() and (contracted_by_lessor[i] - committed_by_lessor[i])[over].max() > tol:
            bad.append(f"{lessor.id}: leases above the lessor's capacity")
    return bad


def recompute_objective(
    plan: Plan, scenario: Scenario, penalties: Penalties | None = None
) -> float:
    """The objective [$B NPV] recomputed from the plan's frames and the scenario alone."""
    pen = penalties or Penalties()
    grid = scenario.periods
    n = grid.count("lp")
    ypp = grid.years_per_period
    rate = scenario.discount_rate_per_year
    disc = (1 + rate) ** -(np.arange(n) * ypp)
    d_end = (1 + rate) ** -(n * ypp)
    age = (n - np.arange(n)) * ypp

    def salvage(life: float) -> np.ndarray:
        return np.asarray(np.clip(1 - age / life, 0, 1) * d_end / disc)

    costs = recompute_cash_costs(plan, scenario)
    total = float((costs.sum(axis=1).to_numpy() * disc).sum())
    total -= float(
        (costs["it_capex"].to_numpy() * salvage(scenario.costs.it_depreciation_years) * disc).sum()
    )
    total -= float(
        (costs["shell_capex"].to_numpy() * salvage(scenario.costs.shell_life_years) * disc).sum()
    )
    on = plan.onsite
    for o in scenario.onsite_options:
        rows = on[on["option"] == o.id].groupby("period")["build_gw"].sum()
        build = rows.reindex(grid.labels("lp"), fill_value=0.0).to_numpy()
        total -= float((build * o.capex_busd_per_gw * salvage(o.life_years) * disc).sum())
    idle = {
        v.id: v.capex_busd_per_gw / scenario.costs.it_depreciation_years * ypp
        + pen.stranded_busd_per_gw_period
        for v in scenario.vendors
    }
    dv = plan.deliveries
    stranded = (dv["stranded_gw"] * dv["vendor"].map(idle)).groupby(dv["period"]).sum()
    total += float((stranded.reindex(grid.labels("lp")).to_numpy() * disc).sum())
    head = plan.regions.groupby("period")["headroom_short_gw"].sum().reindex(grid.labels("lp"))
    total += pen.headroom_busd_per_gw_period * float((head.to_numpy() * disc).sum())
    unpowered = plan.sites.groupby("period")["unpowered_gw"].sum().reindex(grid.labels("lp"))
    total += pen.unpowered_busd_per_gw_period * float((unpowered.to_numpy() * disc).sum())
    total += pen.budget_overrun_busd_per_busd * float(
        (plan.cash["overrun_busd"].to_numpy() * disc).sum()
    )
    total += pen.coverage_shortfall_busd_per_gw_period * float(
        (plan.power_mix["coverage_short_gw"].to_numpy() * disc).sum()
    )
    if plan.objective_kind == "net_value":
        value = scenario.demand.revenue_busd_per_gw_year_at_start * ypp
        total += value * float((plan.demand["unserved_gw"].to_numpy() * disc).sum())
    for v in scenario.vendors:
        deadline = grid.index(v.deadline_period)
        if v.binding_gw > 0 and deadline < n:
            energized = dv.loc[dv["vendor"] == v.id, "energized_gw"].to_numpy()
            missing = v.binding_gw - float(energized[: deadline + 1].sum())
            total += pen.contract_shortfall_busd_per_gw * max(0.0, missing) * disc[deadline]
    return total
