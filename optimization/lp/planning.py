"""The planner's entry points: `optimize` and the persistent `PlanningModel`.

`PlanningModel` builds the LP once and keeps a persistent HiGHS session;
`PlanningModel.resolve` applies scenario overrides that map onto mutable
parameters (budgets, prices incl. lease prices, headroom, limits, demand, coverage
targets) and
re-solves warm without rebuilding.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from typing import Any

from optimization.lp.data import Mode, ModelData, ObjectiveKind, Penalties
from optimization.lp.diagnosis import binding_limits, diagnose
from optimization.lp.extraction import extract_plan
from optimization.lp.model import Component, apply_mode, build_model_from_data
from optimization.lp.plan import Plan
from optimization.solver import SolveOptions, SolveResult, SolverSession, SolverStatus
from sd_model import Scenario, Schedule

__all__ = ["InfeasibleError", "PlanningModel", "RebuildRequiredError", "SolveError", "optimize"]

# Fields whose overrides only change mutable Params (see `PlanningModel.resolve`).
MUTABLE_FIELDS = frozenset(
    {
        "starting_cash_busd",
        "external_funding_busd_by_year",
        "debt_capacity_busd",
        "debt_rate_per_year",
        "headroom_gw",
        "energy_price_usd_per_mwh",
        "capacity_price_usd_per_mwh",
        "price_usd_per_mwh",
        "max_gw",
        "grid_limit_gw",
        "cost_usd_per_mwh",
        "compute_demand_gw_at_start",
        "demand_growth_per_year",
        "revenue_busd_per_gw_year_at_start",
        "ppa_coverage_target_by_year",
    }
)
_MUTABLE_TABLES = {
    "sites": {"max_gw", "grid_limit_gw"},
    "ppa_options": {"price_usd_per_mwh", "max_gw"},
    "regions": {"energy_price_usd_per_mwh", "capacity_price_usd_per_mwh"},
    "onsite_options": {"cost_usd_per_mwh"},
    "headroom": {"headroom_gw"},
    "lease_contracts": {"price_busd_per_gw_year"},
}
_DUALS = ("headroom", "cash_balance", "compute_balance", "site_max", "grid_limit", "ppa_max")


class SolveError(RuntimeError):
    """The solver stopped without an optimal plan (time limit, numerical trouble)."""


class InfeasibleError(RuntimeError):
    """A strict model has no feasible plan.

    Attributes
    ----------
    diagnosis
        What the elastic version of the same model had to relax, in a
        planner's words.
    elastic_plan
        That elastic plan, or ``None`` if it could not be solved either.
    """

    def __init__(self, diagnosis: tuple[str, ...], elastic_plan: Plan | None) -> None:
        self.diagnosis = diagnosis
        self.elastic_plan = elastic_plan
        lines = "\n".join(f"  - {d}" for d in diagnosis) or "  - (no slack explains it)"
        super().__init__(f"the strict plan is infeasible; relaxing the limits shows:\n{lines}")


class RebuildRequiredError(ValueError):
    """An override changes the model's structure, not just its parameters."""


class PlanningModel:
    """A built LP with a persistent solver, for one scenario and its parameter variants.

    Parameters
    ----------
    scenario
        The scenario to plan.
    mode, fixed, objective, strict, extra_components, penalties
        As for `optimization.build_model`.
    options
        Solver options.

    Examples
    --------
    >>> from sd_model import load_scenario
    >>> model = PlanningModel(load_scenario("tests/scenarios/tiny"))
    >>> plan = model.solve()
    >>> tighter = model.resolve({"financing.starting_cash_busd": 5})
    >>> tighter.objective >= plan.objective - 1e-6
    True
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        mode: Mode = "optimal",
        fixed: Schedule | None = None,
        objective: ObjectiveKind = "net_value",
        strict: bool = False,
        extra_components: Sequence[Component] = (),
        penalties: Penalties | None = None,
        options: SolveOptions | None = None,
    ) -> None:
        tick = time.perf_counter()
        self.base_scenario = scenario
        self.scenario = scenario
        self.mode: Mode = mode
        self.fixed = fixed
        self.objective_kind: ObjectiveKind = objective
        self.strict = strict
        self.penalties = penalties
        self.data = ModelData.from_scenario(scenario, objective=objective, penalties=penalties)
        self.model = build_model_from_data(
            self.data, mode=mode, fixed=fixed, strict=strict, extra_components=extra_components
        )
        self.session = SolverSession(options)
        self.build_s = time.perf_counter() - tick

    def solve(self) -> Plan:
        """Solve the model as it stands and return the plan.

        Raises
        ------
        InfeasibleError
            In strict mode, when no plan meets every limit; carries the
            elastic diagnosis.
        SolveError
            When HiGHS stops without an optimal solution for another reason.
        """
        m = self.model
        result = self._solve()
        if result.status == SolverStatus.OPTIMAL:
            return self._plan(result, build_s=self.build_s)
        if self.strict and result.status in (
            SolverStatus.INFEASIBLE,
            SolverStatus.INFEASIBLE_OR_UNBOUNDED,
        ):
            m.p_slack_ub.set_value(float("inf"))
            try:
                elastic = self._solve()
                plan = (
                    self._plan(elastic, build_s=self.build_s)
                    if (elastic.status == SolverStatus.OPTIMAL)
                    else None
                )
            finally:
                m.p_slack_ub.set_value(0.0)
            raise InfeasibleError(plan.diagnosis if plan else (), plan)
        raise SolveError(f"HiGHS stopped with status {result.status.value}:\n{result.log[-2000:]}")

    def resolve(
        self,
        overrides: Mapping[str, Any] | None = None,
        *,
        mode: Mode | None = None,
        fixed: Schedule | None = None,
    ) -> Plan:
        """Change parameters (and optionally the mode) and re-solve warm, without rebuilding.

        Parameters
        ----------
        overrides
            Scenario override keys (`sd_model.scenario.keys`) applied to the *base*
            scenario, e.g. ``{"financing.starting_cash_busd": 10,
            "headroom.PJM:2026Q1.headroom_gw": 2.0}``. Only values held in
            mutable parameters may change (see ``MUTABLE_FIELDS``).
        mode, fixed
            A new mode or fixed schedule (fixes/unfixes deliveries).

        Raises
        ------
        RebuildRequiredError
            If a key changes the model's structure (lead times, sites,
            periods, ...): build a new `PlanningModel` for it.
        """
        overrides = dict(overrides or {})
        for key in overrides:
            _check_mutable(key)
        self.scenario = (
            self.base_scenario.with_overrides(overrides) if overrides else self.base_scenario
        )
        # overrides only reach mutable fields: the announced schedule is the base's
        self.data = ModelData._derive(
            self.scenario,
            objective=self.objective_kind,
            penalties=self.penalties,
            announced=self.data.announced,
        )
        self.model.gwplan_data = self.data
        push_parameters(self.model, self.data)
        if mode is not None or fixed is not None:
            self.mode = mode or self.mode
            self.fixed = fixed
            apply_mode(self.model, self.data, mode=self.mode, fixed=fixed)
        return self.solve()

    def _solve(self) -> SolveResult:
        return self.session.solve(self.model, [getattr(self.model, n) for n in _DUALS])

    def _plan(self, result: SolveResult, *, build_s: float) -> Plan:
        tick = time.perf_counter()
        timings = {
            "build_s": build_s,
            "transfer_s": result.transfer_s,
            "solver_s": result.solver_s,
            "load_s": result.load_s,
        }
        self.build_s = 0.0  # only the first plan of a model pays for its build
        plan = extract_plan(
            self.model,
            result,
            scenario_name=self.scenario.name,
            mode=self.mode,
            objective_kind=self.objective_kind,
            diagnosis=(),
            binding_limits=(),
            timings=timings,
        )
        plan = dataclasses.replace(
            plan, diagnosis=diagnose(plan, self.data), binding_limits=binding_limits(plan)
        )
        timings["extract_s"] = time.perf_counter() - tick
        return plan


def _check_mutable(key: str) -> None:
    parts = key.split(".")
    table_fields = _MUTABLE_TABLES.get(parts[0])
    if table_fields is not None:
        ok = len(parts) == 3 and parts[2] in table_fields
    else:
        ok = len(parts) >= 2 and parts[1] in MUTABLE_FIELDS
    if not ok:
        raise RebuildRequiredError(
            f"{key!r} changes the LP's structure, not a mutable parameter; build a new "
            "PlanningModel (or call optimize) for a scenario with this override"
        )


def push_parameters(m: Any, data: ModelData) -> None:
    """Copy every mutable parameter's value from ``data`` into the model."""
    n = data.n_periods
    for i, s in enumerate(data.site_ids):
        m.p_site_max[s] = float(data.site_max_gw[i])
        m.p_grid_limit[s] = float(data.site_grid_limit[i])
    for i, r in enumerate(data.region_ids):
        m.p_energy_price[r] = float(data.market_busd_per_gw_period[i])
        m.p_capacity_price[r] = float(
            data.energy_busd_per_gw_period[i] - data.market_busd_per_gw_period[i]
        )
        for t in range(n):
            m.p_headroom[r, t] = float(data.headroom_gw[i, t])
    for i, k in enumerate(data.ppa_ids):
        m.p_ppa_price[k] = float(data.ppa_price_busd_per_gw_period[i])
        m.p_ppa_max[k] = float(data.ppa_max_gw[i])
    for i, o in enumerate(data.onsite_ids):
        m.p_onsite_cost[o] = float(data.onsite_cost_busd_per_gw_period[i])
    for t in range(n):
        m.p_funding[t] = float(data.funding[t])
        m.p_demand[t] = float(data.demand_gw[t])
        m.p_value[t] = float(data.value_busd_per_gw_period[t])
        m.p_coverage[t] = float(data.coverage[t])
    for i, c in enumerate(data.lease_ids):
        m.p_lease_price[c] = float(data.lease_price_busd_per_gw_period[i])
    m.p_cash0 = data.cash0
    m.p_debt_cap = data.debt_cap
    m.p_debt_rate = data.debt_rate_per_period


def optimize(
    scenario: Scenario,
    *,
    mode: Mode = "optimal",
    fixed: Schedule | None = None,
    options: SolveOptions | None = None,
    strict: bool = False,
    objective: ObjectiveKind = "net_value",
    extra_components: Sequence[Component] = (),
    penalties: Penalties | None = None,
) -> Plan:
    """Optimize siting, PPA coverage and deployment timing for ``scenario``.

    Parameters
    ----------
    scenario
        The scenario to plan.
    mode
        ``"optimal"`` (default) or ``"announced_timing"`` (each vendor's
        deliveries per period fixed to the announced schedule).
    fixed
        A partial Schedule whose (vendor, period) deliveries are fixed.
    options
        Solver options (time limit, threads, method, ...).
    strict
        Turn the elastic slacks off; an infeasible model raises
        `InfeasibleError` with the diagnosis of its elastic version.
    objective
        ``"net_value"`` (default: cost minus the value of served compute)
        or ``"cost"``.
    extra_components
        Callables ``(m, data)`` adding constraints before the objective.
    penalties
        Slack prices.

    Returns
    -------
    Plan
        Frames, objective terms, duals and diagnosis.

    Examples
    --------
    >>> from sd_model import load_scenario
    >>> plan = optimize(load_scenario("tests/scenarios/tiny"))
    >>> plan.status.value
    'optimal'
    >>> bool(abs(plan.objective_terms.sum() - plan.objective) < 1e-6)
    True
    """
    return PlanningModel(
        scenario,
        mode=mode,
        fixed=fixed,
        objective=objective,
        strict=strict,
        extra_components=extra_components,
        penalties=penalties,
        options=options,
    ).solve()
