"""Plan: what `optimize` returns — tidy frames, objective terms, duals, diagnosis.

All frames are long ("tidy") pandas DataFrames with a ``period`` column (LP
period labels) and unit-suffixed value columns. Dual values are NPV $B
(discounted to the start of the horizon) per unit of the named limit.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from optimization.data import Mode, ModelData, ObjectiveKind
from optimization.solve import SolveResult, SolverStatus
from sd_model import Schedule

__all__ = ["Plan", "extract_plan"]

_TOL = 1e-9
_LEASE_COLUMNS = [
    "period",
    "contract",
    "lessor",
    "region",
    "site",
    "committed",
    "take_up_share",
    "contracted_gw",
    "used_gw",
    "idle_gw",
    "payment_busd",
    "minimum_busd",
    "take_or_pay_idle_busd",
]
_OWN_LEASE_COLUMNS = [
    "period",
    "owned_gw",
    "leased_gw",
    "lease_share",
    "leased_contracted_gw",
    "leased_idle_gw",
    "lease_payment_busd",
    "lease_minimum_busd",
    "take_or_pay_idle_busd",
]


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
    leases
        period, contract, lessor, region, site, committed, take_up_share
        (1 for committed contracts), contracted_gw, used_gw, idle_gw,
        payment_busd (used × price + idle × take-or-pay share × price),
        minimum_busd (the take-or-pay minimum owed whatever the use),
        take_or_pay_idle_busd (the part paid for idle GW); empty without
        lease contracts.
    own_lease
        period, owned_gw (IT load energized at the candidate sites),
        leased_gw (leased GW in use), lease_share (leased / (owned +
        leased)), leased_contracted_gw, leased_idle_gw, lease_payment_busd,
        lease_minimum_busd (committed take-or-pay payments),
        take_or_pay_idle_busd.
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
    leases: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_LEASE_COLUMNS))
    own_lease: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=_OWN_LEASE_COLUMNS)
    )

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


class _Layout:
    """What a plan's frames are made of that a built model never changes.

    Built on a model's first extraction and kept on the model
    (``m._gwplan_layout``): the frames' key columns (site, vendor, period, ...),
    the variables whose values fill each frame, in row order, group
    boundaries for the per-group sums, and the constraints whose duals are
    read. Re-solves only read values into copies of these templates.
    """

    def __init__(self, m: Any, data: ModelData) -> None:
        n = data.n_periods
        periods_ = list(range(n))
        labels = m.period_label
        self.model_vars = _var_identity(m)
        period_col = np.array([labels[t] for t in periods_], dtype=object)

        # energized: sparse over SVT, sorted by (site, vendor, t)
        keys = list(m.energize.keys())
        en = pd.DataFrame(keys, columns=["site", "vendor", "t"])
        if len(en):
            en = en.sort_values(["site", "vendor", "t"])
        order = en.index.to_numpy()
        self.energize = [m.energize[keys[i]] for i in order]
        en = en.reset_index(drop=True)
        sv = (en["site"] + "\x00" + en["vendor"]).to_numpy() if len(en) else np.array([])
        cuts = np.flatnonzero(sv[1:] != sv[:-1]) + 1 if len(sv) else np.array([], dtype=int)
        self.energized_groups = np.concatenate(([0], cuts, [len(sv)])).astype(int)
        self.energized_t = en["t"].to_numpy()
        self.energized = _with_period(en, labels)
        vendor_pos = {v: j for j, v in enumerate(data.vendor_ids)}
        self.energized_vt = np.array(
            [vendor_pos[v] * n + t for v, t in zip(en["vendor"], en["t"], strict=True)], dtype=int
        )

        vt = [(v, t) for v in data.vendor_ids for t in periods_]
        st = [(s, t) for s in data.site_ids for t in periods_]
        kt = [(k, t) for k in data.ppa_ids for t in periods_]
        rt = [(r, t) for r in data.region_ids for t in periods_]
        sot = [(s, o, t) for s, o in m.SO for t in periods_]
        self.n_vt, self.n_st, self.n_rt = len(vt), len(st), len(rt)
        self.deliver = _dense_vars(m.deliver, vt)
        self.stranded = _dense_vars(m.stranded, vt)
        self.vendor_finance = _dense_vars(m.vendor_finance, vt)
        self.deliveries = _keys(vt, ["vendor", "t"], labels)
        self.vt_t = np.tile(np.arange(n), len(data.vendor_ids))

        self.onsite_vars = [_dense_vars(getattr(m, a), sot) for a in _ONSITE]
        self.onsite = _keys(sot, ["site", "option", "t"], labels)
        site_pos = {s: i for i, s in enumerate(data.site_ids)}
        self.onsite_st = np.array([site_pos[s] * n + t for s, _, t in sot], dtype=int)

        self.site_vars = [_dense_vars(getattr(m, a), st) for a in _SITES]
        region_of = {s: data.region_ids[data.site_region[i]] for i, s in enumerate(data.site_ids)}
        sites = pd.DataFrame(st, columns=["site", "t"])
        sites.insert(1, "region", sites["site"].map(region_of))
        self.sites = _with_period(sites, labels)
        self.site_rt = np.array(
            [int(data.site_region[site_pos[s]]) * n + t for s, t in st], dtype=int
        )
        self.site_t = np.array([t for _, t in st], dtype=int)
        self.site_grid0 = np.repeat(np.asarray(data.site_grid0, dtype=float), n)

        self.ppa_vars = [_dense_vars(m.ppa_sign, kt), _dense_vars(m.ppa_online, kt)]
        ppa = pd.DataFrame(kt, columns=["option", "t"])
        ppa.insert(1, "region", ppa["option"].str.split(":").str[0])
        ppa.insert(2, "technology", ppa["option"].str.split(":").str[1])
        self.ppa = _with_period(ppa, labels)
        self.ppa_cf = np.repeat(np.asarray(data.ppa_cf, dtype=float), n)
        self.ppa_t = np.array([t for _, t in kt], dtype=int)

        self.headroom_params = [m.p_headroom[r, t] for r, t in rt]
        self.headroom_short = _dense_vars(m.headroom_short, rt)
        self.headroom_duals = _dense_cons(m.headroom, rt)
        self.regions = _keys(rt, ["region", "t"], labels)
        self.region_cuts = np.arange(0, len(rt) + 1, n) if n else np.zeros(1, dtype=int)

        self.period = period_col
        self.coverage_params = [m.p_coverage[t] for t in periods_]
        self.coverage_short = [m.coverage_short[t] for t in periods_]
        self.cash_vars = [
            [getattr(m, a)[t] for t in periods_] for a in ("cash", "debt", "borrow", "repay")
        ]
        self.overrun = [m.budget_overrun[t] for t in periods_]
        self.funding_params = [m.p_funding[t] for t in periods_]
        self.cash_duals = _dense_cons(m.cash_balance, periods_)
        self.compute_duals = _dense_cons(m.compute_balance, periods_)
        self.demand_params = [m.p_demand[t] for t in periods_]
        self.unserved = [m.unserved[t] for t in periods_]
        years = np.asarray(data.period_year)
        self.years, self.year_of = np.unique(years, return_inverse=True)
        self.cost_exprs = [
            (term.name, term.cash, [term.expression[t] for t in periods_]) for term in m.cost_terms
        ]
        self.cost_t = np.tile(np.arange(n), len(self.cost_exprs))
        self.costs = pd.DataFrame(
            {
                "period": np.tile(period_col, len(self.cost_exprs)),
                "term": np.repeat(np.array([c[0] for c in self.cost_exprs], dtype=object), n),
            }
        )
        self._lease_layout(m, data, labels)
        self.limits = [
            (name, key, con[key])
            for name, con in (
                ("site_max", m.site_max),
                ("grid_limit", m.grid_limit),
                ("ppa_max", m.ppa_max),
            )
            for key in con
        ]

    def _lease_layout(self, m: Any, data: ModelData, labels: Mapping[int, str]) -> None:
        """Templates of the ``leases`` frame: dense over (contract, period)."""
        n = data.n_periods
        ct = [(c, t) for c in data.lease_ids for t in range(n)]
        self.lease_use = _dense_vars(m.lease_use, ct) if ct else []
        take = {c: m.lease_take[c] for c in getattr(m, "C_opt", ())}
        self.lease_take = [take.get(c) for c, _ in ct]
        self.lease_t = np.array([t for _, t in ct], dtype=int)
        self.lease_price = [m.p_lease_price[c] for c, _ in ct]
        i = {c: k for k, c in enumerate(data.lease_ids)}
        self.lease_profile = np.array([data.lease_profile_gw[i[c], t] for c, t in ct], dtype=float)
        self.lease_theta = np.array([data.lease_take_or_pay[i[c]] for c, _ in ct], dtype=float)
        frame = pd.DataFrame(ct, columns=["contract", "t"])
        frame.insert(1, "lessor", [data.lessor_ids[int(data.lease_lessor[i[c]])] for c, _ in ct])
        frame.insert(2, "region", [data.lease_region[i[c]] for c, _ in ct])
        frame.insert(3, "site", [data.lease_site[i[c]] for c, _ in ct])
        frame.insert(4, "committed", [bool(data.lease_committed[i[c]]) for c, _ in ct])
        self.leases = _with_period(frame, labels)

    def valid_for(self, m: Any) -> bool:
        return _var_identity(m) == self.model_vars


_SITES = ("it", "shell_start", "shell", "grid_request", "connected", "grid_draw", "unpowered")
_SITE_COLUMNS = (
    "it_gw",
    "shell_start_gw",
    "shell_ready_gw",
    "grid_request_gw",
    "connected_gw",
    "grid_draw_gw",
    "unpowered_gw",
)
_ONSITE = ("onsite_build", "onsite_cap", "onsite_gen")


def _var_identity(m: Any) -> tuple[tuple[int, int], ...]:
    """Which variable components a model has (a layout is rebuilt if this changes)."""
    return tuple((id(v), len(v)) for v in m.component_objects(pyo.Var, descend_into=True))


def _dense_vars(var: Any, idx: list[Any]) -> list[Any]:
    """The VarData of ``var`` at each key of ``idx`` (None where it does not exist)."""
    return [var[k] if k in var else None for k in idx]  # noqa: SIM401 (no .get)


def _dense_cons(con: Any, idx: list[Any]) -> list[Any]:
    return [con[k] if k in con else None for k in idx]  # noqa: SIM401 (no .get)


def _values(vars_: list[Any]) -> Any:
    """Values of ``vars_`` (missing variables and unset values are 0)."""
    return np.array([(v.value if v is not None else None) or 0.0 for v in vars_], dtype=float)


def _raw(vars_: list[Any]) -> list[Any]:
    return [v.value for v in vars_]


def _dual_values(result: SolveResult, cons: list[Any]) -> Any:
    get = result.duals.get
    return np.array([-get(c, 0.0) if c is not None else 0.0 for c in cons], dtype=float)


def _param_values(params: list[Any]) -> list[Any]:
    return [pyo.value(p) for p in params]


def _keys(idx: list[Any], names: list[str], labels: Mapping[int, str]) -> pd.DataFrame:
    frame = pd.DataFrame(idx, columns=names)
    return _with_period(frame, labels)


def _with_period(frame: pd.DataFrame, labels: Mapping[int, str]) -> pd.DataFrame:
    """``frame`` with its ``t`` column replaced by a leading ``period`` column."""
    frame = frame.copy()
    frame.insert(0, "period", frame.pop("t").map(labels))
    return frame


def _group_sum(pos: Any, weights: Any, size: int) -> Any:
    """Sums of ``weights`` by position ``pos`` in ``0..size-1``."""
    if not size:
        return np.zeros(0)
    return np.bincount(pos, weights=weights, minlength=size)[:size].astype(float, copy=False)


def _layout(m: Any, data: ModelData) -> _Layout:
    layout: _Layout | None = getattr(m, "_gwplan_layout", None)
    if layout is None or not layout.valid_for(m):
        layout = _Layout(m, data)
        m._gwplan_layout = layout
    return layout


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
    n = data.n_periods
    lay = _layout(m, data)

    new_gw = _values(lay.energize)
    gw = np.empty_like(new_gw)
    cuts = lay.energized_groups
    for a, b in itertools.pairwise(cuts):
        gw[a:b] = np.cumsum(new_gw[a:b])
    energized = lay.energized.copy()
    energized["new_gw"] = new_gw
    energized["gw"] = gw

    vendor_finance = _values(lay.vendor_finance)
    deliveries = lay.deliveries.copy()
    deliveries["delivered_gw"] = _values(lay.deliver)
    deliveries["energized_gw"] = _group_sum(lay.energized_vt, new_gw, lay.n_vt)
    deliveries["stranded_gw"] = _values(lay.stranded)
    deliveries["vendor_finance_busd"] = vendor_finance

    onsite = lay.onsite.copy()
    for column, vars_ in zip(
        ("build_gw", "capacity_gw", "generation_gw"), lay.onsite_vars, strict=True
    ):
        onsite[column] = _values(vars_)
    sites = lay.sites.copy()
    site_values = {c: _values(v) for c, v in zip(_SITE_COLUMNS, lay.site_vars, strict=True)}
    for column, values in site_values.items():
        sites[column] = values
    onsite_gw = _group_sum(lay.onsite_st, onsite["generation_gw"].to_numpy(), lay.n_st)
    sites["onsite_gw"] = onsite_gw

    ppa = lay.ppa.copy()
    ppa["signed_gw"] = _values(lay.ppa_vars[0])
    online = _values(lay.ppa_vars[1])
    ppa["online_gw"] = online
    clean = online * lay.ppa_cf
    ppa["clean_gw"] = clean

    new_conn = site_values["connected_gw"] - lay.site_grid0
    headroom_value = _dual_values(result, lay.headroom_duals)
    step_value = np.empty_like(headroom_value)
    rc = lay.region_cuts
    for a, b in itertools.pairwise(rc):
        step_value[a:b] = np.cumsum(headroom_value[a:b][::-1])[::-1]
    regions = lay.regions.copy()
    regions["new_connected_gw"] = _group_sum(lay.site_rt, new_conn, lay.n_rt)
    regions["headroom_gw"] = _param_values(lay.headroom_params)
    regions["headroom_short_gw"] = _values(lay.headroom_short)
    regions["headroom_value_busd_per_gw"] = headroom_value
    regions["headroom_step_value_busd_per_gw"] = step_value

    load = data.pue * _group_sum(lay.site_t, site_values["it_gw"], n)
    clean_ppa = _group_sum(lay.ppa_t, clean, n)
    power_mix = pd.DataFrame(
        {
            "period": lay.period.copy(),
            "load_gw": load,
            "grid_gw": _group_sum(lay.site_t, site_values["grid_draw_gw"], n),
            "onsite_gw": _group_sum(lay.site_t, onsite_gw, n),
            "clean_ppa_gw": clean_ppa,
            "coverage": np.divide(clean_ppa, load, out=np.zeros(n), where=load > 0),
            "coverage_target": _param_values(lay.coverage_params),
            "coverage_short_gw": _values(lay.coverage_short),
        }
    )

    cost_values: list[list[float]] = []
    cash_terms: dict[str, list[float]] = {}
    npv: dict[str, float] = {}
    discount = [float(d) for d in data.discount]
    for name, cash_term, exprs in lay.cost_exprs:
        vals = [_evaluate(e) for e in exprs]
        cost_values.append(vals)
        npv[name] = float(sum(d * v for d, v in zip(discount, vals, strict=True)))
        if cash_term:
            cash_terms[f"{name}_busd"] = vals
    costs = lay.costs.copy()
    costs["busd"] = np.array([v for vals in cost_values for v in vals], dtype=float)
    costs["discount"] = np.tile(np.asarray(data.discount, dtype=float), len(cost_values))

    cash_value = _dual_values(result, lay.cash_duals)
    cash0 = pyo.value(m.p_cash0)
    funding = _param_values(lay.funding_params)
    if n:
        funding[0] = funding[0] + cash0
    cash = pd.DataFrame(
        {
            "period": lay.period.copy(),
            "year": data.period_year,
            "cash_busd": _raw(lay.cash_vars[0]),
            "debt_busd": _raw(lay.cash_vars[1]),
            "funding_busd": funding,
            "borrow_busd": _raw(lay.cash_vars[2]),
            "repay_busd": _raw(lay.cash_vars[3]),
            "vendor_finance_busd": _group_sum(lay.vt_t, vendor_finance, n),
            "overrun_busd": _values(lay.overrun),
            **cash_terms,
            "cash_value_busd_per_busd": cash_value,
        }
    )
    budget_value = pd.DataFrame(
        {
            "year": lay.years,
            "value_busd_per_busd": _group_sum(
                lay.year_of, cash_value * data.years_per_period, len(lay.years)
            ),
        }
    )
    demand_gw = np.array(_param_values(lay.demand_params), dtype=float)
    unserved = _raw(lay.unserved)
    demand = pd.DataFrame(
        {
            "period": lay.period.copy(),
            "demand_gw": demand_gw,
            "served_gw": demand_gw - np.array(unserved, dtype=float),
            "unserved_gw": unserved,
            "compute_value_busd_per_gw": _dual_values(result, lay.compute_duals),
        }
    )
    get = result.duals.get
    limit_values = pd.DataFrame(
        [(name, key, -get(con, 0.0)) for name, key, con in lay.limits],
        columns=["limit", "key", "value_busd_per_gw"],
    )
    terms = pd.Series(npv, name="npv_busd")
    leases, own_lease = _lease_frames(lay, n, site_values["it_gw"])
    return Plan(
        scenario_name=scenario_name,
        mode=mode,
        objective_kind=objective_kind,
        status=result.status,
        objective=float(result.objective if result.objective is not None else terms.sum()),
        objective_terms=terms,
        energized=energized,
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
        leases=leases,
        own_lease=own_lease,
    )


_NODE_KINDS: dict[type, int] = {}
"""Expression node class → 0 (a number), 1 (an operation), 2 (a variable or parameter)."""


def _node_kind(e: Any) -> int:
    from pyomo.common.numeric_types import native_types

    cls = e.__class__
    kind = 0 if cls in native_types else 1 if e.is_expression_type() else 2
    _NODE_KINDS[cls] = kind
    return kind


def _evaluate(expr: Any) -> float:
    """``float(pyo.value(expr))`` without Pyomo's generic visitor (same operations)."""
    kinds = _NODE_KINDS

    def walk(e: Any) -> Any:
        kind = kinds.get(e.__class__)
        if kind is None:
            kind = _node_kind(e)
        if kind == 0:
            return e
        if kind == 1:
            return e._apply_operation([walk(a) for a in e.args])
        x = e.value
        if x is None:
            raise ValueError
        return x

    try:
        return float(walk(expr))
    except (ValueError, ZeroDivisionError, TypeError):
        return float(pyo.value(expr))  # Pyomo's own evaluation and error


def _lease_frames(lay: _Layout, n: int, site_it: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``leases`` frame and the per-period own/lease split."""
    take = np.array([1.0 if v is None else (v.value or 0.0) for v in lay.lease_take], dtype=float)
    contracted = lay.lease_profile * take
    used = _values(lay.lease_use)
    idle = np.maximum(contracted - used, 0.0)
    price = np.array(_param_values(lay.lease_price), dtype=float)
    leases = lay.leases.copy()
    leases["take_up_share"] = take
    leases["contracted_gw"] = contracted
    leases["used_gw"] = used
    leases["idle_gw"] = idle
    leases["payment_busd"] = price * (used + lay.lease_theta * idle)
    leases["minimum_busd"] = price * lay.lease_theta * contracted
    leases["take_or_pay_idle_busd"] = price * lay.lease_theta * idle
    leases = leases.loc[:, _LEASE_COLUMNS]
    owned = _group_sum(lay.site_t, site_it, n)

    def per_period(column: str) -> Any:
        return _group_sum(lay.lease_t, leases[column].to_numpy(dtype=float), n)

    leased = per_period("used_gw")
    total = owned + leased
    own_lease = pd.DataFrame(
        {
            "period": lay.period.copy(),
            "owned_gw": owned,
            "leased_gw": leased,
            "lease_share": np.divide(leased, total, out=np.zeros(n), where=total > _TOL),
            "leased_contracted_gw": per_period("contracted_gw"),
            "leased_idle_gw": per_period("idle_gw"),
            "lease_payment_busd": per_period("payment_busd"),
            "lease_minimum_busd": per_period("minimum_busd"),
            "take_or_pay_idle_busd": per_period("take_or_pay_idle_busd"),
        }
    )
    return leases, own_lease
