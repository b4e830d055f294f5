"""The "Why" of each LP case, in a planner's words, built from the plan's decisions.

For each case with an LP plan: what the plan is worth (NPV of its money,
penalties apart); which vendors it takes and drops and what
their hardware costs; at which sites it builds (and how they are powered),
which it leaves and what makes those dearer; which limits bind and what one
unit more of them is worth; how much demand it serves. Every sentence is
computed from the plan and the scenario; nothing is written per scenario.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimization.coupling.compare import Case, Comparison
from optimization.lp.plan import Plan
from sd_model import Scenario

__all__ = ["CaseWhy", "limit_values_to_show", "why"]

_GW = 0.005  # GW below this count as none (solver noise)
_SHOWN_LIMITS = 3
_LIMIT_WORDS = {
    "site_max": "room at site {key}",
    "grid_limit": "grid connection of {key}",
    "ppa_max": "PPA {key}",
}


CaseWhy = tuple[str, tuple[str, ...]]


def limit_values_to_show(plan: Plan, count: int = _SHOWN_LIMITS) -> pd.DataFrame:
    """The limits worth naming: the largest positive values of 1 GW more, at most ``count``.

    Where the plan marks its values as verified (a ``verified`` column, by
    re-solving with the limit raised), only verified ones are shown; where it
    names the scenario key of a limit (``scenario_key``), that key is kept
    for the reader to try with ``--set``.
    """
    values = plan.limit_values
    if values.empty:
        return values
    chosen = values.loc[values["value_busd_per_gw"] > 1e-6]
    if "verified" in chosen.columns:
        chosen = chosen.loc[chosen["verified"].astype(bool)]
    return chosen.sort_values("value_busd_per_gw", ascending=False).head(count)


def _vendors(plan: Plan, scenario: Scenario) -> str:
    delivered = plan.deliveries.groupby("vendor")["delivered_gw"].sum()
    taken, dropped = [], []
    for vendor in scenario.vendors:
        gw = float(delivered.get(vendor.id, 0.0))
        terms = f"${vendor.capex_busd_per_gw:,.0f}B/GW"
        if vendor.financing_busd_per_gw > 0:
            terms += f", ${vendor.financing_busd_per_gw:,.1f}B/GW vendor-financed"
        if vendor.perf_per_watt_relative != 1:
            terms += f", {vendor.perf_per_watt_relative:.2f}× compute per watt"
        if vendor.perf_per_watt_growth_per_year != 0:
            terms += f", perf/W {vendor.perf_per_watt_growth_per_year:+.0%}/yr by delivery year"
        if vendor.capex_change_per_year != 0:
            terms += f", capex {vendor.capex_change_per_year:+.0%}/yr by delivery year"
        text = f"{vendor.id} ({terms})"
        if gw >= _GW:
            taken.append(f"{gw:.2f} of {vendor.contract_total_gw:g} GW from {text}")
        else:
            dropped.append(f"{text}, {vendor.contract_total_gw:g} GW offered")
    sentence = "Takes " + ("; ".join(taken) if taken else "no hardware")
    if dropped:
        sentence += "; drops " + "; ".join(dropped)
    return sentence + "."


def _site_traits(scenario: Scenario, site_id: str) -> dict[str, float]:
    site = scenario.site(site_id)
    region = scenario.region(site.region)
    return {
        "energy": region.delivered_price_usd_per_mwh,
        "lead": float(region.interconnection_lead_quarters),
        "start": float(scenario.periods.index(site.earliest_energization_period)),
        "shell": site.shell_capex_busd_per_gw,
    }


def _dearer(scenario: Scenario, site_id: str, chosen: list[str]) -> str:
    """What makes an unused site worse than the median chosen site (at most two traits)."""
    mine = _site_traits(scenario, site_id)
    typical = {k: float(np.median([_site_traits(scenario, s)[k] for s in chosen])) for k in mine}
    site = scenario.site(site_id)
    reasons = []
    if mine["energy"] > typical["energy"] * 1.1:
        reasons.append(f"delivered energy ${mine['energy']:.0f}/MWh in {site.region}")
    if mine["lead"] > typical["lead"] and site.contracted_grid_gw == 0:  # a contract skips it
        reasons.append(f"a {mine['lead']:.0f}-quarter grid queue")
    if mine["start"] > typical["start"]:
        reasons.append(f"energizes from {site.earliest_energization_period} only")
    if mine["shell"] > typical["shell"] * 1.05:
        reasons.append(f"shell ${mine['shell']:.1f}B/GW")
    return f"{site_id} ({', '.join(reasons[:2])})" if reasons else site_id


def _sites(plan: Plan, scenario: Scenario) -> str:
    last = plan.sites.loc[plan.sites["period"] == plan.sites["period"].iloc[-1]]
    peak = plan.sites.groupby("site")["it_gw"].max()
    chosen = [s.id for s in scenario.sites if float(peak.get(s.id, 0.0)) >= _GW]
    if not chosen:
        return "Builds at no candidate site."
    rows = last.set_index("site")
    built = []
    for site_id in sorted(chosen, key=lambda s: -float(peak[s])):
        text = f"{site_id} {float(peak[site_id]):.2f} GW ({scenario.site(site_id).region}"
        if site_id in rows.index:
            grid, onsite = (
                float(rows.at[site_id, "grid_draw_gw"]),
                float(rows.at[site_id, "onsite_gw"]),
            )
            if onsite > grid + _GW:
                text += ", mostly on-site power"
        built.append(text + ")")
    sentence = "Builds at " + ", ".join(built) + " (peak IT)"
    unused = [s.id for s in scenario.sites if s.id not in chosen]
    if unused:
        sentence += "; leaves " + ", ".join(_dearer(scenario, s, chosen) for s in unused)
    return sentence + "."


def _money(plan: Plan) -> str:
    """The plan's own worth: the NPV of its money, penalties apart."""
    text = (
        f"The plan is worth {plan.npv_busd:+,.1f} $B NPV (revenue less cost, as the LP counts it)"
    )
    if plan.penalty_busd > 1e-6:
        text += f", with limit violations priced at {plan.penalty_busd:,.1f} (not money)"
    return text + "."


def _limits(plan: Plan) -> str | None:
    if plan.penalty_busd > 1e-6:  # priced limit violations: the limits' values are not money
        return (
            f"It violates limits it cannot meet (priced at {plan.penalty_busd:,.1f}, not money; "
            "see its diagnosis), so the values of its limits are not quoted as money here."
        )
    shown = limit_values_to_show(plan)
    if shown.empty:
        return "No site, grid or PPA limit binds: more of any would not change the plan."
    parts = []
    for row in shown.to_dict(orient="records"):
        words = _LIMIT_WORDS.get(str(row["limit"]), "{key}").format(key=row["key"])
        part = f"{words} (1 GW more is worth ${float(row['value_busd_per_gw']):,.2f}B"
        key = row.get("scenario_key", "")
        part += f"; try --set {key}=...)" if isinstance(key, str) and key else ")"
        parts.append(part)
    return "What holds it back: " + "; ".join(parts) + "."


def _demand(plan: Plan) -> str | None:
    demand = plan.demand
    if demand.empty:
        return None
    asked, served = float(demand["demand_gw"].iloc[-1]), float(demand["served_gw"].iloc[-1])
    if asked <= _GW:
        return None
    share = served / asked
    when = demand["period"].iloc[-1]
    text = f"Serves {served:.2f} of the {asked:.2f} GW of compute demanded in {when}"
    if share < 0.995:
        text += (
            f" ({share:.0%}): the rest would cost more than it earns within the plan, "
            "or needs more of the limits above"
        )
    return text + "."


def why(comparison: Comparison, scenario: Scenario) -> tuple[CaseWhy, ...]:
    """Per LP case: its name and the sentences saying why the plan looks as it does."""
    out = []
    for case in comparison.cases:
        if case.plan is None:
            continue
        out.append((case.name, _case_why(case, case.plan, scenario)))
    return tuple(out)


def _case_why(case: Case, plan: Plan, scenario: Scenario) -> tuple[str, ...]:
    lines = [
        _money(plan),
        _vendors(plan, scenario),
        _sites(plan, scenario),
        _limits(plan),
        _demand(plan),
    ]
    return tuple(line for line in lines if line)
