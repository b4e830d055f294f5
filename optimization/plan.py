"""Plan: what `optimize` returns — tidy frames, objective terms, duals, diagnosis.

All frames are long ("tidy") pandas DataFrames with a ``period`` column (LP
period labels) and unit-suffixed value columns. Dual values are NPV $B
(discounted to the start of the horizon) per unit of the named limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from optimization.data import Mode, ModelData, ObjectiveKind
from optimization.solve import SolveResult, SolverStatus
from sd_model import Schedule

__all__ = ["Plan", "extract_plan"]

_TOL = 1e-9


@dataclass(frozen=True)
class Plan:
    """An optimized build-out plan.

    Attributes
    ----------
    scenario_name, mode, objective_kind
        What was solved.
    status
        Solver outcome; frames are empty unless `SolverStatus.OPTIMAL`.
    objective
        Objective value [$B NPV]; equals ``objective_terms.sum()``.
    objective_terms
        NPV per cost term [$B] (capex, energy, PPA, salvage credits, slack
        penalties, unserved-demand value, ...).
    energized
        period, site, vendor, new_gw (IT GW energized in the period), gw (stock).
    deliveries
        period, vendor, delivered_gw, energized_gw, stranded_gw (stock of
        delivered, not energized), vendor_finance_busd.
    sites
        period, site, region, it_gw, shell_start_gw, shell_ready_gw,
        grid_request_gw, connected_gw (facility), grid_draw_gw, unpowered_gw
        (facility load without supply: elastic slack), onsite_gw.
    onsite
        period, site, option, build_gw, capacity_gw, generation_gw.
    ppa
        period, option, region, technology, signed_gw, online_gw, clean_gw
        (average clean supply = capacity factor × online).
    regions
        period, region, new_connected_gw, headroom_gw, headroom_short_gw,
        headroom_value_busd_per_gw (value of 1 GW more headroom in that
        period only) and headroom_step_value_busd_per_gw (value of 1 GW more
        headroom from that period on: the planner's question, since
        connections are a stock).
    power_mix
        period, load_gw (facility), grid_gw, onsite_gw, clean_ppa_gw,
        coverage, coverage_target, coverage_short_gw.
    cash
        period, year, cash_busd, debt_busd, funding_busd, borrow_busd,
        repay_busd, vendor_finance_busd, overrun_busd, one column per cash
        cost term (``<term>_busd``), cash_value_busd_per_busd (value of $1B
        more cash in the period).
    budget_value
        year, value_busd_per_busd: value of $1B more external funding in the
        year (spread over its periods like the scenario's funding).
    demand
        period, demand_gw, served_gw, unserved_gw, compute_value_busd_per_gw.
    costs
        period, term, busd (undiscounted per-period cost), discount.
    limit_values
        limit (site_max, grid_limit, ppa_max), key (site or PPA option),
        value_busd_per_gw: value of 1 GW more of that limit.
    diagnosis
        Limits the plan could not meet, in a planner's words (empty when
        every limit holds without slack).
    binding_limits
        The constraints with the largest shadow values, in words.
    timings
        build_s, transfer_s, solver_s, load_s, extract_s [s].
    """

    scenario_name: str
    mode: Mode
    objective_kind: ObjectiveKind
    status: SolverStatus
    objective: float
    objective_terms: pd.Series
    energized: pd.DataFrame
    deliveries: pd.DataFrame
    sites: pd.DataFrame
    onsite: pd.DataFrame
    ppa: pd.DataFrame
    regions: pd.DataFrame
    power_mix: pd.DataFrame
    cash: pd.DataFrame
    budget_value: pd.DataFrame
    demand: pd.DataFrame
    costs: pd.DataFrame
    limit_values: pd.DataFrame
    diagnosis: tuple[str, ...]
    binding_limits: tuple[str, ...]
    timings: dict[str, float]
    iterations: int
    gap: float | None
    log: str

    @property
    def solve_time_s(self) -> float:
        """HiGHS's own run time [s]."""
        return self.timings.get("solver_s", 0.0)

    def to_schedule(self) -> Schedule:
        """Deliveries per period, vendor and site, for the stock-and-flow model.

        Each vendor's deliveries are matched first-in-first-out to the sites
        where its hardware is energized; hardware never energized in the
        horizon keeps an empty site.
        """
        records: list[tuple[str, str, str, float]] = []
        for vendor, rows in self.deliveries.groupby("vendor", sort=False):
            queue: list[tuple[str, list[float]]] = [
                (str(p), [float(g)])
                for p, g in zip(rows["period"], rows["delivered_gw"], strict=True)
            ]
            uses = self.energized[self.energized["vendor"] == vendor]
            uses = uses[uses["new_gw"] > _TOL]
            for site, gw in zip(uses["site"], uses["new_gw"], strict=True):
                need = float(gw)
                for period, left in queue:
                    take = min(need, left[0])
                    if take > _TOL:
                        records.append((period, str(vendor), str(site), take))
                        left[0] -= take
                        need -= take
                    if need <= _TOL:
                        break
            records += [(p, str(vendor), "", g[0]) for p, g in queue if g[0] > _TOL]
        return Schedule.from_records(records)

    def explain(self) -> str:
        """The diagnosis and binding limits as one text."""
        lines = [
            f"{self.scenario_name} ({self.mode}): {self.status.value}, "
            f"objective {self.objective:,.2f} $B NPV"
        ]
        lines += [f"  - {d}" for d in self.diagnosis] or ["  every limit is met"]
        lines += [f"  binding: {b}" for b in self.binding_limits]
        return "\n".join(lines)


def _frame(var: Any, names: list[str], value: str) -> pd.DataFrame:
    values = var.extract_values()
    if not values:
        return pd.DataFrame({**{n: pd.Series(dtype=object) for n in names}, value: []})
    keys = list(values)
    rows = [k if isinstance(k, tuple) else (k,) for k in keys]
    frame = pd.DataFrame(rows, columns=names)
    frame[value] = np.array([values[k] if values[k] is not None else 0.0 for k in keys])
    return frame


def _dense(
    var: Any, idx: list[Any], names: list[str], value: str = "x", *, cache: dict[Any, Any]
) -> pd.Series:
    """Values of ``var`` on the full index ``idx`` (missing entries are 0)."""
    values = var.extract_values()
    key = (id(idx), tuple(names))
    if key not in cache:
        cache[key] = pd.MultiIndex.from_tuples(idx, names=names)
    data = np.array([values.get(k) or 0.0 for k in idx], dtype=float)
    return pd.Series(data, index=cache[key], name=value)


def _duals(result: SolveResult, con: Any, names: list[str]) -> pd.Series:
    keys = list(con.keys())
    vals = [-result.duals.get(con[k], 0.0) for k in keys]
    if len(names) == 1:
        return pd.Series(vals, index=pd.Index(keys, name=names[0]), dtype=float)
    index = pd.MultiIndex.from_tuples(keys, names=names) if keys else None
    return pd.Series(vals, index=index, dtype=float)


def extract_plan(
    m: Any,
    result: SolveResult,
    *,
    scenario_name: str,
    mode: Mode,
    objective_kind: ObjectiveKind,
    diagnosis: tuple[str, ...],
    binding_limits: tuple[str, ...],
    timings: dict[str, float],
) -> Plan:
    """Read an optimal model into a `Plan` (see `Plan` for the frames)."""
    data: ModelData = m.gwplan_data
    labels = m.period_label
    n = data.n_periods
    periods_ = list(range(n))
    cache: dict[Any, Any] = {}
    st = [(s, t) for s in data.site_ids for t in periods_]
    vt = [(v, t) for v in data.vendor_ids for t in periods_]

    energized = _frame(m.energize, ["site", "vendor", "t"], "new_gw").sort_values(
        ["site", "vendor", "t"]
    )
    energized["gw"] = energized.groupby(["site", "vendor"])["new_gw"].cumsum()

    deliver = _dense(m.deliver, vt, ["vendor", "t"], "delivered_gw", cache=cache)
    new_by_v = (
        energized.groupby(["vendor", "t"])["new_gw"].sum().reindex(deliver.index, fill_value=0.0)
    )
    deliveries = pd.DataFrame(
        {
            "delivered_gw": deliver,
            "energized_gw": new_by_v,
            "stranded_gw": _dense(m.stranded, vt, ["vendor", "t"], "x", cache=cache),
            "vendor_finance_busd": _dense(m.vendor_finance, vt, ["vendor", "t"], "x", cache=cache),
        }
    ).reset_index()

    region_of = {s: data.region_ids[data.site_region[i]] for i, s in enumerate(data.site_ids)}
    sot = [(s, o, t) for s, o in m.SO for t in periods_]
    sot_names = ["site", "option", "t"]
    onsite = pd.DataFrame(
        {
            "build_gw": _dense(m.onsite_build, sot, sot_names, cache=cache),
            "capacity_gw": _dense(m.onsite_cap, sot, sot_names, cache=cache),
            "generation_gw": _dense(m.onsite_gen, sot, sot_names, cache=cache),
        }
    ).reset_index()
    onsite_by_st = onsite.groupby(["site", "t"])["generation_gw"].sum()
    sites = pd.DataFrame(
        {
            "it_gw": _dense(m.it, st, ["site", "t"], "x", cache=cache),
            "shell_start_gw": _dense(m.shell_start, st, ["site", "t"], "x", cache=cache),
            "shell_ready_gw": _dense(m.shell, st, ["site", "t"], "x", cache=cache),
            "grid_request_gw": _dense(m.grid_request, st, ["site", "t"], "x", cache=cache),
            "connected_gw": _dense(m.connected, st, ["site", "t"], "x", cache=cache),
            "grid_draw_gw": _dense(m.grid_draw, st, ["site", "t"], "x", cache=cache),
            "unpowered_gw": _dense(m.unpowered, st, ["site", "t"], "x", cache=cache),
        }
    )
    sites["onsite_gw"] = onsite_by_st.reindex(sites.index, fill_value=0.0) if len(onsite) else 0.0
    sites = sites.reset_index()
    sites.insert(1, "region", sites["site"].map(region_of))

    kt = [(k, t) for k in data.ppa_ids for t in periods_]
    ppa = pd.DataFrame(
        {
            "signed_gw": _dense(m.ppa_sign, kt, ["option", "t"], "x", cache=cache),
            "online_gw": _dense(m.ppa_online, kt, ["option", "t"], "x", cache=cache),
        }
    ).reset_index()
    ppa.insert(1, "region", ppa["option"].str.split(":").str[0])
    ppa.insert(2, "technology", ppa["option"].str.split(":").str[1])
    cf = dict(zip(data.ppa_ids, data.ppa_cf, strict=True))
    ppa["clean_gw"] = ppa["online_gw"] * ppa["option"].map(cf).astype(float)

    rt = [(r, t) for r in data.region_ids for t in periods_]
    grid0 = pd.Series(data.site_grid0, index=list(data.site_ids))
    new_conn = (
        sites.assign(new=sites["connected_gw"] - sites["site"].map(grid0))
        .groupby(["region", "t"])["new"]
        .sum()
    )
    regions = pd.DataFrame(
        {
            "new_connected_gw": new_conn.reindex(
                pd.MultiIndex.from_tuples(rt), fill_value=0.0
            ).values,
            "headroom_gw": [pyo.value(m.p_headroom[r, t]) for r, t in rt],
            "headroom_short_gw": _dense(
                m.headroom_short, rt, ["region", "t"], "x", cache=cache
            ).values,
            "headroom_value_busd_per_gw": _duals(result, m.headroom, ["region", "t"])
            .reindex(pd.MultiIndex.from_tuples(rt), fill_value=0.0)
            .values,
        },
        index=pd.MultiIndex.from_tuples(rt, names=["region", "t"]),
    ).reset_index()
    regions["headroom_step_value_busd_per_gw"] = (
        regions.iloc[::-1].groupby("region")["headroom_value_busd_per_gw"].cumsum().iloc[::-1]
    )

    by_t = sites.groupby("t")
    power_mix = pd.DataFrame(
        {
            "load_gw": data.pue * by_t["it_gw"].sum(),
            "grid_gw": by_t["grid_draw_gw"].sum(),
            "onsite_gw": by_t["onsite_gw"].sum(),
            "clean_ppa_gw": ppa.groupby("t")["clean_gw"].sum().reindex(periods_, fill_value=0.0),
            "coverage_target": [pyo.value(m.p_coverage[t]) for t in periods_],
            "coverage_short_gw": [m.coverage_short[t].value or 0.0 for t in periods_],
        }
    ).reindex(periods_)
    power_mix.insert(
        4,
        "coverage",
        (power_mix["clean_ppa_gw"] / power_mix["load_gw"].where(power_mix["load_gw"] > 0)).fillna(
            0.0
        ),
    )
    power_mix = power_mix.rename_axis("t").reset_index()

    cost_rows = []
    cash_terms: dict[str, list[float]] = {}
    for term in m.cost_terms:
        vals = [float(pyo.value(term.expression[t])) for t in periods_]
        cost_rows += [
            (t, term.name, v, float(data.discount[t])) for t, v in zip(periods_, vals, strict=True)
        ]
        if term.cash:
            cash_terms[f"{term.name}_busd"] = vals
    costs = pd.DataFrame(cost_rows, columns=["t", "term", "busd", "discount"])

    cash_value = _duals(result, m.cash_balance, ["t"]).reindex(periods_, fill_value=0.0).to_numpy()
    cash = pd.DataFrame(
        {
            "t": periods_,
            "year": data.period_year,
            "cash_busd": [m.cash[t].value for t in periods_],
            "debt_busd": [m.debt[t].value for t in periods_],
            "funding_busd": [
                pyo.value(m.p_funding[t]) + (pyo.value(m.p_cash0) if t == 0 else 0.0)
                for t in periods_
            ],
            "borrow_busd": [m.borrow[t].value for t in periods_],
            "repay_busd": [m.repay[t].value for t in periods_],
            "vendor_finance_busd": deliveries.groupby("t")["vendor_finance_busd"]
            .sum()
            .reindex(periods_)
            .values,
            "overrun_busd": [m.budget_overrun[t].value or 0.0 for t in periods_],
            **cash_terms,
            "cash_value_busd_per_busd": cash_value,
        }
    )
    by_year = (cash_value * data.years_per_period).tolist()
    yearly = pd.Series(by_year, index=cash["year"]).groupby(level=0).sum()
    budget_value = pd.DataFrame(
        {"year": yearly.index.to_numpy(), "value_busd_per_busd": yearly.to_numpy()}
    )
    demand = pd.DataFrame(
        {
            "t": periods_,
            "demand_gw": [pyo.value(m.p_demand[t]) for t in periods_],
            "unserved_gw": [m.unserved[t].value for t in periods_],
            "compute_value_busd_per_gw": _duals(result, m.compute_balance, ["t"])
            .reindex(periods_, fill_value=0.0)
            .to_numpy(),
        }
    )
    demand.insert(2, "served_gw", demand["demand_gw"] - demand["unserved_gw"])

    frames = [energized, deliveries, sites, onsite, ppa, regions, power_mix, cash, demand, costs]
    for frame in frames:
        frame.insert(0, "period", frame.pop("t").map(labels))
    limit_values = pd.DataFrame(
        [
            (name, key, -result.duals.get(con[key], 0.0))
            for name, con in (
                ("site_max", m.site_max),
                ("grid_limit", m.grid_limit),
                ("ppa_max", m.ppa_max),
            )
            for key in con
        ],
        columns=["limit", "key", "value_busd_per_gw"],
    )
    terms = pd.Series({c: float(pyo.value(m.npv[c])) for c in m.COST_TERMS}, name="npv_busd")
    return Plan(
        scenario_name=scenario_name,
        mode=mode,
        objective_kind=objective_kind,
        status=result.status,
        objective=float(result.objective if result.objective is not None else terms.sum()),
        objective_terms=terms,
        energized=energized.reset_index(drop=True),
        deliveries=deliveries,
        sites=sites,
        onsite=onsite,
        ppa=ppa,
        regions=regions,
        power_mix=power_mix,
        cash=cash,
        budget_value=budget_value,
        demand=demand,
        costs=costs,
        limit_values=limit_values,
        diagnosis=diagnosis,
        binding_limits=binding_limits,
        timings=timings,
        iterations=result.iterations,
        gap=result.gap,
        log=result.log,
    )
