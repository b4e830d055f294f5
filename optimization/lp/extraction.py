"""From a solved model to a `Plan`: values read into cached frame templates.

`extract_plan` reads variable values, duals and parameters of a solved model
into the tidy frames of `optimization.lp.plan.Plan`. The layout of those
frames (key columns, the Pyomo data objects behind each value column, group
positions) is built once per model (`frame_layout`) and kept on it, so a re-solve
reads values only.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from optimization.lp.data import Mode, ModelData, ObjectiveKind
from optimization.lp.layout import (
    SITE_COLUMNS,
    FrameLayout,
    dual_values,
    frame_layout,
    group_sum,
    param_values,
    raw_values,
    values_of,
)
from optimization.lp.marginal import scenario_keys
from optimization.lp.plan import _LEASE_COLUMNS, _TOL, Plan
from optimization.solver import SolveResult

__all__ = ["extract_plan"]


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
    """Read an optimal model into a `Plan` (see `Plan` for the frames).

    Long because it fills every frame of `Plan` in one pass over the solved model.
    """
    data: ModelData = m.gwplan_data
    n = data.n_periods
    lay = frame_layout(m, data)

    new_gw = values_of(lay.energize)
    gw = np.empty_like(new_gw)
    cuts = lay.energized_groups
    life_of = data.vendor_life_periods
    group_vendor = lay.energized["vendor"].to_numpy()
    for a, b in itertools.pairwise(cuts):
        life = life_of[group_vendor[a]] if b > a else 1
        running = np.cumsum(new_gw[a:b])
        running[life:] -= running[:-life].copy()  # hardware retires one service life later
        gw[a:b] = running
    energized = lay.energized.copy()
    energized["new_gw"] = new_gw
    energized["gw"] = gw

    vendor_finance = values_of(lay.vendor_finance)
    deliveries = lay.deliveries.copy()
    deliveries["delivered_gw"] = values_of(lay.deliver)
    deliveries["energized_gw"] = group_sum(lay.energized_vt, new_gw, lay.n_vt)
    deliveries["stranded_gw"] = values_of(lay.stranded)
    deliveries["vendor_finance_busd"] = vendor_finance

    onsite = lay.onsite.copy()
    for column, vars_ in zip(
        ("build_gw", "capacity_gw", "generation_gw", "retire_gw"), lay.onsite_vars, strict=True
    ):
        onsite[column] = values_of(vars_)
    sites = lay.sites.copy()
    site_values = {c: values_of(v) for c, v in zip(SITE_COLUMNS, lay.site_vars, strict=True)}
    for column, values in site_values.items():
        sites[column] = values
    onsite_gw = group_sum(lay.onsite_st, onsite["generation_gw"].to_numpy(), lay.n_st)
    sites["onsite_gw"] = onsite_gw

    ppa = lay.ppa.copy()
    ppa["signed_gw"] = values_of(lay.ppa_vars[0])
    online = values_of(lay.ppa_vars[1])
    ppa["online_gw"] = online
    clean = online * lay.ppa_cf
    ppa["clean_gw"] = clean

    # new connections against headroom: a signed contract's supply uses none
    contract = data.contract_connected_gw.to_numpy().T.ravel()  # site-major, as the sites frame
    new_conn = site_values["connected_gw"] - lay.site_grid0 - contract
    headroom_value = dual_values(result, lay.headroom_duals)
    step_value = np.empty_like(headroom_value)
    rc = lay.region_cuts
    for a, b in itertools.pairwise(rc):
        step_value[a:b] = np.cumsum(headroom_value[a:b][::-1])[::-1]
    regions = lay.regions.copy()
    regions["new_connected_gw"] = group_sum(lay.site_rt, new_conn, lay.n_rt)
    regions["headroom_gw"] = param_values(lay.headroom_params)
    regions["headroom_short_gw"] = values_of(lay.headroom_short)
    regions["headroom_value_busd_per_gw"] = headroom_value
    regions["headroom_step_value_busd_per_gw"] = step_value

    load = data.scenario.pue * group_sum(lay.site_t, site_values["it_gw"], n)
    clean_ppa = group_sum(lay.ppa_t, clean, n)
    power_mix = pd.DataFrame(
        {
            "period": lay.period.copy(),
            "load_gw": load,
            "grid_gw": group_sum(lay.site_t, site_values["grid_draw_gw"], n),
            "onsite_gw": group_sum(lay.site_t, onsite_gw, n),
            "clean_ppa_gw": clean_ppa,
            "coverage": np.divide(clean_ppa, load, out=np.zeros(n), where=load > 0),
            "coverage_target": param_values(lay.coverage_params),
            "coverage_short_gw": values_of(lay.coverage_short),
        }
    )

    cost_values: list[list[float]] = []
    cash_terms: dict[str, list[float]] = {}
    npv: dict[str, float] = {}
    discount = [float(d) for d in data.discount]
    kinds: dict[str, str] = {}
    for name, kind, exprs in lay.cost_exprs:
        vals = [_evaluate(e) for e in exprs]
        cost_values.append(vals)
        npv[name] = float(sum(d * v for d, v in zip(discount, vals, strict=True)))
        kinds[name] = kind
        if kind == "cash":  # revenue as income, every other term as an outflow
            cash_terms[f"{name}_busd"] = [-v for v in vals] if name == "revenue" else vals
    costs = lay.costs.copy()
    costs["busd"] = np.array([v for vals in cost_values for v in vals], dtype=float)
    costs["discount"] = np.tile(np.asarray(data.discount, dtype=float), len(cost_values))

    cash_value = dual_values(result, lay.cash_duals)
    cash0 = pyo.value(m.p_cash0)
    funding = param_values(lay.funding_params)
    if n:
        funding[0] = funding[0] + cash0
    cash = pd.DataFrame(
        {
            "period": lay.period.copy(),
            "year": data.period_year,
            "cash_busd": raw_values(lay.cash_vars[0]),
            "debt_busd": raw_values(lay.cash_vars[1]),
            "funding_busd": funding,
            "borrow_busd": raw_values(lay.cash_vars[2]),
            "repay_busd": raw_values(lay.cash_vars[3]),
            "vendor_finance_busd": group_sum(lay.vt_t, vendor_finance, n),
            "overrun_busd": values_of(lay.overrun),
            **cash_terms,
            "cash_value_busd_per_busd": cash_value,
        }
    )
    budget_value = pd.DataFrame(
        {
            "year": lay.years,
            "value_busd_per_busd": group_sum(
                lay.year_of, cash_value * data.years_per_period, len(lay.years)
            ),
        }
    )
    demand_gw = np.array(param_values(lay.demand_params), dtype=float)
    served = np.array(raw_values(lay.served), dtype=float)
    demand = pd.DataFrame(
        {
            "period": lay.period.copy(),
            "demand_gw": demand_gw,
            "served_gw": served,
            "unserved_gw": np.maximum(demand_gw - served, 0.0),
            "compute_value_busd_per_gw": dual_values(result, lay.compute_duals),
        }
    )
    get = result.duals.get
    limit_values = pd.DataFrame(
        [(name, key, -get(con, 0.0)) for name, key, con in lay.limits],
        columns=["limit", "key", "value_busd_per_gw"],
    )
    limit_values.insert(2, "scenario_key", scenario_keys(limit_values))
    all_terms = pd.Series(npv, name="npv_busd")
    all_kinds = pd.Series(kinds, name="kind", dtype=object)
    money = all_terms[all_kinds != "penalty"]
    counted = all_terms.index != "revenue" if objective_kind == "cost" else slice(None)
    terms, term_kinds = all_terms[counted], all_kinds[counted]
    leases, own_lease = _lease_frames(lay, n, site_values["it_gw"])
    return Plan(
        scenario_name=scenario_name,
        mode=mode,
        objective_kind=objective_kind,
        status=result.status,
        objective=float(result.objective if result.objective is not None else terms.sum()),
        objective_terms=terms,
        term_kinds=term_kinds,
        npv_busd=-float(money.sum()),
        penalty_busd=float(all_terms[all_kinds == "penalty"].sum()),
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


def _lease_frames(lay: FrameLayout, n: int, site_it: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``leases`` frame and the per-period own/lease split."""
    take = np.array([1.0 if v is None else (v.value or 0.0) for v in lay.lease_take], dtype=float)
    contracted = lay.lease_profile * take
    used = values_of(lay.lease_use)
    idle = np.maximum(contracted - used, 0.0)
    price = np.array(param_values(lay.lease_price), dtype=float)
    leases = lay.leases.copy()
    leases["take_up_share"] = take
    leases["contracted_gw"] = contracted
    leases["used_gw"] = used
    leases["idle_gw"] = idle
    leases["payment_busd"] = price * (used + lay.lease_theta * idle)
    leases["minimum_busd"] = price * lay.lease_theta * contracted
    leases["take_or_pay_idle_busd"] = price * lay.lease_theta * idle
    leases = leases.loc[:, _LEASE_COLUMNS]
    owned = group_sum(lay.site_t, site_it, n)

    def per_period(column: str) -> Any:
        return group_sum(lay.lease_t, leases[column].to_numpy(dtype=float), n)

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
