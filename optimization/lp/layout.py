"""Where each value of a `Plan` frame comes from in a model, built once per model.

`frame_layout` returns the model's `FrameLayout` (key columns, the Pyomo data
objects behind each value column, group positions), kept on the model so that
re-solves only read values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from optimization.lp.data import ModelData
from optimization.solver import SolveResult

__all__ = [
    "SITE_COLUMNS",
    "FrameLayout",
    "dense_cons",
    "dense_vars",
    "dual_values",
    "frame_layout",
    "group_sum",
    "key_frame",
    "param_values",
    "raw_values",
    "values_of",
    "with_period",
]


class FrameLayout:
    """What a plan's frames are made of that a built model never changes.

    Built on a model's first extraction and kept on the model
    (``m._gwplan_layout``): the frames' key columns (site, vendor, period, ...),
    the variables whose values fill each frame, in row order, group
    boundaries for the per-group sums, and the constraints whose duals are
    read. Re-solves only read values into copies of these templates.
    """

    def __init__(self, m: Any, data: ModelData) -> None:
        """Lay out every variable group the extraction reads, once.

        Long because each frame's layout is a few lines and they share the index sets.
        """
        n = data.n_periods
        periods_ = list(range(n))
        labels = m.period_label
        self.model_vars = var_identity(m)
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
        self.energized = with_period(en, labels)
        vendor_ids, site_ids = list(data.vendors.index), list(data.sites.index)
        region_ids = list(data.regions.index)
        vendor_pos = {v: j for j, v in enumerate(vendor_ids)}
        self.energized_vt = np.array(
            [vendor_pos[v] * n + t for v, t in zip(en["vendor"], en["t"], strict=True)], dtype=int
        )

        vt = [(v, t) for v in vendor_ids for t in periods_]
        st = [(s, t) for s in site_ids for t in periods_]
        kt = [(k, t) for k in data.ppa_options.index for t in periods_]
        rt = [(r, t) for r in region_ids for t in periods_]
        sot = [(s, o, t) for s, o in m.SO for t in periods_]
        self.n_vt, self.n_st, self.n_rt = len(vt), len(st), len(rt)
        self.deliver = dense_vars(m.deliver, vt)
        self.stranded = dense_vars(m.stranded, vt)
        self.vendor_finance = dense_vars(m.vendor_finance, vt)
        self.deliveries = key_frame(vt, ["vendor", "t"], labels)
        self.vt_t = np.tile(np.arange(n), len(vendor_ids))

        self.onsite_vars = [dense_vars(getattr(m, a), sot) for a in _ONSITE]
        self.onsite = key_frame(sot, ["site", "option", "t"], labels)
        site_pos = {s: i for i, s in enumerate(site_ids)}
        self.onsite_st = np.array([site_pos[s] * n + t for s, _, t in sot], dtype=int)

        self.site_vars = [dense_vars(getattr(m, a), st) for a in _SITES]
        region_of = data.sites["region"].to_dict()
        region_pos = {r: i for i, r in enumerate(region_ids)}
        sites = pd.DataFrame(st, columns=["site", "t"])
        sites.insert(1, "region", sites["site"].map(region_of))
        self.sites = with_period(sites, labels)
        self.site_rt = np.array([region_pos[region_of[s]] * n + t for s, t in st], dtype=int)
        self.site_t = np.array([t for _, t in st], dtype=int)
        self.site_grid0 = np.repeat(
            data.sites["interconnected_gw_at_start"].to_numpy(dtype=float), n
        )

        self.ppa_vars = [dense_vars(m.ppa_sign, kt), dense_vars(m.ppa_online, kt)]
        ppa = pd.DataFrame(kt, columns=["option", "t"])
        ppa.insert(1, "region", ppa["option"].str.split(":").str[0])
        ppa.insert(2, "technology", ppa["option"].str.split(":").str[1])
        self.ppa = with_period(ppa, labels)
        self.ppa_cf = np.repeat(data.ppa_options["capacity_factor"].to_numpy(dtype=float), n)
        self.ppa_t = np.array([t for _, t in kt], dtype=int)

        self.headroom_params = [m.p_headroom[r, t] for r, t in rt]
        self.headroom_short = dense_vars(m.headroom_short, rt)
        self.headroom_duals = dense_cons(m.headroom, rt)
        self.regions = key_frame(rt, ["region", "t"], labels)
        self.regions["headroom_scenario_key"] = headroom_keys(data, rt)
        self.region_cuts = np.arange(0, len(rt) + 1, n) if n else np.zeros(1, dtype=int)

        self.period = period_col
        self.coverage_params = [m.p_coverage[t] for t in periods_]
        self.coverage_short = [m.coverage_short[t] for t in periods_]
        self.cash_vars = [
            [getattr(m, a)[t] for t in periods_] for a in ("cash", "debt", "borrow", "repay")
        ]
        self.overrun = [m.budget_overrun[t] for t in periods_]
        self.funding_params = [m.p_funding[t] for t in periods_]
        self.cash_duals = dense_cons(m.cash_balance, periods_)
        self.compute_duals = dense_cons(m.compute_balance, periods_)
        self.demand_params = [m.p_demand[t] for t in periods_]
        self.served = [m.served[t] for t in periods_]
        years = np.asarray(data.period_year)
        self.years, self.year_of = np.unique(years, return_inverse=True)
        self.cost_exprs = [
            (term.name, term.kind, [term.expression[t] for t in periods_]) for term in m.cost_terms
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
        contracts = data.lease_contracts
        ct = [(c, t) for c in contracts.index for t in range(n)]
        self.lease_use = dense_vars(m.lease_use, ct) if ct else []
        take = {c: m.lease_take[c] for c in getattr(m, "C_opt", ())}
        self.lease_take = [take.get(c) for c, _ in ct]
        self.lease_t = np.array([t for _, t in ct], dtype=int)
        self.lease_price = [m.p_lease_price[c] for c, _ in ct]
        profile = data.frames.lease_profile_gw
        self.lease_profile = np.array([profile[c].iloc[t] for c, t in ct], dtype=float)
        theta = contracts["take_or_pay_share"]
        self.lease_theta = np.array([theta[c] for c, _ in ct], dtype=float)
        frame = pd.DataFrame(ct, columns=["contract", "t"])
        frame.insert(1, "lessor", [contracts.at[c, "lessor"] for c, _ in ct])
        frame.insert(2, "region", [contracts.at[c, "region"] for c, _ in ct])
        frame.insert(3, "site", [contracts.at[c, "site"] for c, _ in ct])
        frame.insert(4, "committed", [bool(contracts.at[c, "committed"]) for c, _ in ct])
        self.leases = with_period(frame, labels)

    def valid_for(self, m: Any) -> bool:
        """Whether ``m`` still has the variables this layout was built for."""
        return var_identity(m) == self.model_vars


_SITES = ("it", "shell_start", "shell", "grid_request", "connected", "grid_draw", "unpowered")
SITE_COLUMNS = (
    "it_gw",
    "shell_start_gw",
    "shell_ready_gw",
    "grid_request_gw",
    "connected_gw",
    "grid_draw_gw",
    "unpowered_gw",
)
_ONSITE = ("onsite_build", "onsite_cap", "onsite_gen", "onsite_retire")


def var_identity(m: Any) -> tuple[tuple[int, int], ...]:
    """Which variable components a model has (a layout is rebuilt if this changes)."""
    return tuple((id(v), len(v)) for v in m.component_objects(pyo.Var, descend_into=True))


def dense_vars(var: Any, idx: list[Any]) -> list[Any]:
    """The VarData of ``var`` at each key of ``idx`` (None where it does not exist)."""
    return [var[k] if k in var else None for k in idx]  # noqa: SIM401 (no .get)


def dense_cons(con: Any, idx: list[Any]) -> list[Any]:
    """``con[k]`` for each ``k`` of ``idx`` (``None`` where the row is skipped)."""
    return [con[k] if k in con else None for k in idx]  # noqa: SIM401 (no .get)


def values_of(vars_: list[Any]) -> Any:
    """Values of ``vars_`` (missing variables and unset values are 0)."""
    return np.array([(v.value if v is not None else None) or 0.0 for v in vars_], dtype=float)


def raw_values(vars_: list[Any]) -> list[Any]:
    """Each variable's value as Pyomo holds it (``None`` if unset)."""
    return [v.value for v in vars_]


def dual_values(result: SolveResult, cons: list[Any]) -> Any:
    """Value of one unit more of each row's limit [$B NPV per unit] (0 where skipped)."""
    get = result.duals.get
    return np.array([-get(c, 0.0) if c is not None else 0.0 for c in cons], dtype=float)


def param_values(params: list[Any]) -> list[Any]:
    """Each mutable parameter's current value."""
    return [pyo.value(p) for p in params]


def headroom_keys(data: ModelData, rt: list[tuple[str, int]]) -> list[str]:
    """The override key of the headroom step in force at each (region, period); "" before any.

    Raising headroom from a period on means raising that step and every later
    step of the region (the key names the first of them).
    """
    periods = data.periods
    steps: dict[str, list[str]] = {}
    for step in sorted(
        data.scenario.headroom, key=lambda h: data.scenario.periods.index(h.from_period)
    ):
        steps.setdefault(step.region, []).append(step.from_period)
    keys = []
    for region, t in rt:
        position = data.scenario.periods.index(periods[t])
        started = [p for p in steps.get(region, []) if data.scenario.periods.index(p) <= position]
        keys.append(f"headroom.{region}:{started[-1]}.headroom_gw" if started else "")
    return keys


def key_frame(idx: list[Any], names: list[str], labels: Mapping[int, str]) -> pd.DataFrame:
    """Index tuples as a frame with named key columns and period labels."""
    frame = pd.DataFrame(idx, columns=names)
    return with_period(frame, labels)


def with_period(frame: pd.DataFrame, labels: Mapping[int, str]) -> pd.DataFrame:
    """``frame`` with its ``t`` column replaced by a leading ``period`` column."""
    frame = frame.copy()
    frame.insert(0, "period", frame.pop("t").map(labels))
    return frame


def group_sum(pos: Any, weights: Any, size: int) -> Any:
    """Sums of ``weights`` by position ``pos`` in ``0..size-1``."""
    if not size:
        return np.zeros(0)
    return np.bincount(pos, weights=weights, minlength=size)[:size].astype(float, copy=False)


def frame_layout(m: Any, data: ModelData) -> FrameLayout:
    """The layout of ``m``'s plan frames, built on first use and kept on the model."""
    layout: FrameLayout | None = getattr(m, "_gwplan_layout", None)
    if layout is None or not layout.valid_for(m):
        layout = FrameLayout(m, data)
        m._gwplan_layout = layout
    return layout
