"""Public testing helpers: an independent checker of LP plans.

`check_plan` and `recompute_objective` verify a `Plan` from its frames and the
scenario alone, without the model or `ModelData`, so that a test can tell a
plan that breaks a limit from one that the LP merely describes differently.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from optimization.lp.data import Penalties
from optimization.lp.plan import Plan
from sd_model import Scenario
from sd_model.scenario.entities import Site
from sd_model.scenario.sections import SimulationSettings

__all__ = ["check_plan", "recompute_cash_costs", "recompute_objective"]

_TOL = 1e-6


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
    plan: Plan,
    scenario: Scenario,
    *,
    tol: float = _TOL,
    fixed_timing: bool = False,
    connection_share: Mapping[str, float] | None = None,
) -> list[str]:
    """Every limit the plan breaks, checked from its frames and the scenario alone.

    Long because it checks every limit of the LP in turn, each in a few lines.

    Slacks reported in the plan (headroom, coverage, budget overrun) count as
    allowed relaxations. ``fixed_timing`` skips the ramp check (deliveries
    fixed by a schedule). ``connection_share``: the plan's expected connected
    share of requests per region (`PlanOptions.connection_share`, default 1).
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
        share = (connection_share or {}).get(r.id, 1.0)
        expected = (  # a signed contract connects on its date, with no request
            site.interconnected_gw_at_start
            + _lagged(req * share, lead(r.interconnection_lead_quarters))
            + _contract_in_service(site, periods)
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
        if unpowered.max(initial=0.0) > scenario.pue * site.energized_gw_at_start + tol:
            bad.append(f"{site.id}: unpowered load beyond the load present at the start")
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
            (
                s.loc[site.id].reindex(periods)["connected_gw"]
                - site.interconnected_gw_at_start
                - _contract_in_service(site, periods)
            )
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
    allowance = 1.0 + scenario.policy.ppa_hedge_allowance
    if (mix["clean_ppa_gw"] > allowance * mix["load_gw"] + tol).any():
        bad.append("contracted clean energy above the load's need plus the hedge allowance")
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
    """Cash costs per period [$B] recomputed from the plan's quantities and the scenario.

    Long because it recomputes every cash term in turn, one line or two each.
    """
    periods = scenario.periods.labels("lp")
    ypp = scenario.periods.years_per_period
    to_busd = scenario.periods.hours_per_period * 1e-6
    d = plan.deliveries
    s = plan.sites
    site_capex = {x.id: x.shell_capex_busd_per_gw for x in scenario.sites}
    market = {r.id: r.wholesale_price_usd_per_mwh * to_busd for r in scenario.regions}
    capacity = {
        r.id: (r.capacity_price_usd_per_mwh + r.delivery_price_usd_per_mwh) * to_busd
        for r in scenario.regions
    }
    billed = np.maximum(s["grid_draw_gw"], scenario.costs.minimum_demand_share * s["connected_gw"])
    options = {o.id: o for o in scenario.onsite_options}
    ppas = {f"{k.region}:{k.technology}": k for k in scenario.ppa_options}
    on = plan.onsite
    p = plan.ppa

    def per_period(values: pd.Series, frame: pd.DataFrame) -> np.ndarray:
        return values.groupby(frame["period"]).sum().reindex(periods, fill_value=0.0).to_numpy()

    out = pd.DataFrame(index=periods)
    out["it_capex"] = per_period(d["delivered_gw"] * _delivery_capex(d, scenario), d)
    out["shell_capex"] = per_period(s["shell_start_gw"] * s["site"].map(site_capex), s)
    out["opex"] = per_period(s["it_gw"] * scenario.costs.opex_busd_per_gw_year * ypp, s)
    out["grid_energy"] = per_period(
        s["grid_draw_gw"] * s["region"].map(market) + billed * s["region"].map(capacity), s
    )
    out["interconnection"] = per_period(
        s["grid_request_gw"] * scenario.costs.interconnection_busd_per_gw, s
    )
    out["onsite_capex"] = per_period(
        on["build_gw"] * on["option"].map(lambda o: options[o].capex_busd_per_gw), on
    )
    out["onsite_energy"] = per_period(
        on["generation_gw"] * on["option"].map(lambda o: options[o].cost_usd_per_mwh * to_busd), on
    )
    out["onsite_fixed_om"] = per_period(
        on["capacity_gw"] * on["option"].map(lambda o: options[o].fixed_om_busd_per_gw_year * ypp),
        on,
    )
    out["ppa"] = per_period(
        p["clean_gw"]
        * (
            p["option"].map(lambda k: ppas[k].price_usd_per_mwh * to_busd) - p["region"].map(market)
        ),
        p,
    )
    out["clean_certificates"] = (
        plan.power_mix["coverage_short_gw"].to_numpy()
        * scenario.policy.clean_certificate_price_usd_per_mwh
        * to_busd
    )
    out["revenue"] = -(
        plan.demand["served_gw"].to_numpy()
        * scenario.frames("lp").revenue_busd_per_gw_year.to_numpy()
        * ypp
    )
    settings = scenario.simulation or SimulationSettings()
    offsite = scenario.offsite_energized_gw_at_start * settings.offsite_lease_busd_per_gw_year
    if offsite > 0:
        life = max(1, round(scenario.costs.it_depreciation_years / ypp))
        left = np.clip(1.0 - (np.arange(len(periods)) + 1) / life, 0.0, 1.0)
        out["offsite_lease"] = offsite * ypp * left
    if scenario.lease_contracts:
        out["lease"] = _lease_payments(plan, scenario)
    out["interest"] = (
        plan.cash["debt_busd"].to_numpy() * scenario.financing.debt_rate_per_year * ypp
    )
    return out


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
        profile = scenario.frames("lp").lease_profile_gw[lease.id].to_numpy()
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


def _contract_in_service(site: Site, periods: list[str]) -> np.ndarray:
    """A site's signed-contract supply in service per period [GW facility]."""
    gw = np.zeros(len(periods))
    label = site.contract_in_service_period
    if site.contracted_grid_gw > 0 and label in periods:
        gw[periods.index(label) :] = site.contracted_grid_gw
    return gw


def _delivery_capex(deliveries: pd.DataFrame, scenario: Scenario) -> pd.Series:
    """IT capex per GW of each delivery row [$B/GW]: the vendor's price in its delivery year."""
    grid = scenario.periods
    first = grid.year(grid.start_period)
    vendors = {v.id: v for v in scenario.vendors}

    def price(vendor: str, period: str) -> float:
        v = vendors[vendor]
        return v.capex_busd_per_gw * (1 + v.capex_change_per_year) ** (grid.year(period) - first)

    return pd.Series(
        [price(v, p) for v, p in zip(deliveries["vendor"], deliveries["period"], strict=True)],
        index=deliveries.index,
        dtype=float,
    )


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
    if plan.objective_kind == "cost":
        costs = costs.drop(columns="revenue")
    total = float((costs.sum(axis=1).to_numpy() * disc).sum())
    d = plan.deliveries
    for v in scenario.vendors:  # IT hardware keeps book value over its own service life
        mine = d[d["vendor"] == v.id]
        spent = (mine["delivered_gw"] * _delivery_capex(mine, scenario)).groupby(mine["period"])
        spent_t = spent.sum().reindex(grid.labels("lp"), fill_value=0.0).to_numpy()
        life = v.useful_life_years or scenario.costs.it_depreciation_years
        total -= float((spent_t * salvage(life) * disc).sum())
    for term, life in (
        ("shell_capex", scenario.costs.shell_life_years),
        ("interconnection", scenario.costs.shell_life_years),
    ):
        total -= float((costs[term].to_numpy() * salvage(life) * disc).sum())
    on = plan.onsite
    for o in scenario.onsite_options:
        rows = on[on["option"] == o.id].groupby("period")["build_gw"].sum()
        build = rows.reindex(grid.labels("lp"), fill_value=0.0).to_numpy()
        total -= float((build * o.capex_busd_per_gw * salvage(o.life_years) * disc).sum())
    dv = plan.deliveries
    head = plan.regions.groupby("period")["headroom_short_gw"].sum().reindex(grid.labels("lp"))
    total += pen.headroom_busd_per_gw_year * ypp * float((head.to_numpy() * disc).sum())
    unpowered = plan.sites.groupby("period")["unpowered_gw"].sum().reindex(grid.labels("lp"))
    total += pen.unpowered_busd_per_gw_year * ypp * float((unpowered.to_numpy() * disc).sum())
    total += scenario.financing.emergency_funding_premium * float(
        (plan.cash["overrun_busd"].to_numpy() * disc).sum()
    )
    for v in scenario.vendors:
        deadline = grid.index(v.deadline_period)
        if v.binding_gw > 0 and deadline < n:
            energized = dv.loc[dv["vendor"] == v.id, "energized_gw"].to_numpy()
            missing = v.binding_gw - float(energized[: deadline + 1].sum())
            total += pen.contract_shortfall_busd_per_gw * max(0.0, missing) * disc[deadline]
    for milestone in scenario.milestones:
        tau = grid.index(milestone.period)
        if tau < n:
            bought = _purchased(plan, scenario, milestone.vendor, tau)
            missing = milestone.cumulative_gw - bought
            total += pen.contract_shortfall_busd_per_gw * max(0.0, missing) * disc[tau]
    return total


def _purchased(plan: Plan, scenario: Scenario, vendor: str, last: int) -> float:
    """GW bought from ``vendor`` for the lab to period ``last``: deliveries + leases' hardware."""
    periods = scenario.periods.labels("lp")[: last + 1]
    dv = plan.deliveries
    own = dv.loc[(dv["vendor"] == vendor) & dv["period"].isin(periods), "delivered_gw"].sum()
    leased = 0.0
    for lease in scenario.lease_contracts:
        if lease.hardware_vendor == vendor:
            rows = plan.leases[
                (plan.leases["contract"] == lease.id) & plan.leases["period"].isin(periods)
            ]
            leased += float(rows["contracted_gw"].max()) if len(rows) else 0.0
    return float(own) + leased
