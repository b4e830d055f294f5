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
from collections.abc import Mapping
from typing import Any, Unpack

import pandas as pd
import pyomo.environ as pyo

from optimization.lp.component import is_mutable, push_parameters
from optimization.lp.conflicts import Requirement, conflict_lines, requirements
from optimization.lp.data import Mode, ModelData
from optimization.lp.diagnosis import binding_limits, diagnose
from optimization.lp.extraction import extract_plan
from optimization.lp.marginal import verify_headroom_values, verify_limit_values
from optimization.lp.model import COMPONENTS, apply_mode, build_model_from_data
from optimization.lp.options import PlanChanges, PlanOptions, plan_options
from optimization.lp.plan import Plan
from optimization.solver import SolveOptions, SolveResult, SolverSession, SolverStatus
from sd_model import Scenario, ScenarioError, Schedule

__all__ = ["InfeasibleError", "PlanningModel", "RebuildRequiredError", "SolveError", "optimize"]

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

    def __init__(
        self,
        diagnosis: tuple[str, ...],
        elastic_plan: Plan | None,
        conflicts: tuple[str, ...] = (),
    ) -> None:
        self.diagnosis = diagnosis
        self.elastic_plan = elastic_plan
        self.conflicts = conflicts
        lines = "\n".join(f"  - {d}" for d in diagnosis) or "  - (no slack explains it)"
        text = f"the strict plan is infeasible; relaxing the limits shows:\n{lines}"
        if conflicts:
            text += "\nwhat the broken limits conflict with:\n"
            text += "\n".join(f"  - {c}" for c in conflicts)
        binding = elastic_plan.binding_limits[:3] if elastic_plan is not None else ()
        if binding:  # the physical limits around them (a contract's own shortfall has no pair)
            text += "\nthe limits that bind in that plan:\n"
            text += "\n".join(f"  - {b}" for b in binding)
        super().__init__(text)


class RebuildRequiredError(ValueError):
    """An override changes the model's structure, not just its parameters."""


class PlanningModel:
    """A built LP with a persistent solver, for one scenario and its parameter variants.

    Parameters
    ----------
    scenario
        The scenario to plan.
    plan
        What to plan (`PlanOptions`); defaults to `PlanOptions()`.
    options
        Solver options.
    **changes
        `PlanOptions` fields by name, replacing those of ``plan``.

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
        plan: PlanOptions | None = None,
        *,
        options: SolveOptions | None = None,
        **changes: Unpack[PlanChanges],
    ) -> None:
        tick = time.perf_counter()
        self.base_scenario = scenario
        self.scenario = scenario
        self.plan = plan_options(plan, changes)
        self.data = ModelData.from_scenario(
            scenario,
            objective=self.plan.objective,
            penalties=self.plan.penalties,
            connection_share=self.plan.connection_share,
        )
        self.model = build_model_from_data(self.data, self.plan)
        self.session = SolverSession(options)
        self.build_s = time.perf_counter() - tick

    @property
    def mode(self) -> Mode:
        """The planning mode in force."""
        return self.plan.mode

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
        if self.plan.strict and result.status in (
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
                conflicts = self._conflicts(plan) if plan is not None else ()
            finally:
                m.p_slack_ub.set_value(0.0)
            raise InfeasibleError(plan.diagnosis if plan else (), plan, conflicts)
        raise SolveError(f"HiGHS stopped with status {result.status.value}:\n{result.log[-2000:]}")

    def resolve(
        self,
        overrides: Mapping[str, Any] | None = None,
        *,
        mode: Mode | None = None,
        fixed: Schedule | None = None,
        connection_share: Mapping[str, float] | None = None,
    ) -> Plan:
        """Change parameters (and optionally the mode) and re-solve warm, without rebuilding.

        Parameters
        ----------
        overrides
            Scenario override keys (`sd_model.scenario.keys`) applied to the *base*
            scenario, e.g. ``{"financing.starting_cash_busd": 10,
            "headroom.PJM:2026Q1.headroom_gw": 2.0}``. Only values held in
            mutable parameters may change: the ``MUTABLE_KEYS`` of the
            components in `optimization.lp.model.COMPONENTS`.
        mode, fixed
            A new mode or fixed schedule (fixes/unfixes deliveries).
        connection_share
            A new expected connected share of interconnection requests per
            region [-] (`PlanOptions.connection_share`); ``None`` keeps it.

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
        if connection_share is not None:
            self.plan = dataclasses.replace(self.plan, connection_share=dict(connection_share))
        self.data = dataclasses.replace(
            self.data,
            frames=self.scenario.frames("lp"),
            announced_gw=self.data.announced,
            connection_share=self.plan.connection_share,
        )
        self.model.gwplan_data = self.data
        push_parameters(self.model, self.data, COMPONENTS)
        if mode is not None or fixed is not None:
            self.plan = dataclasses.replace(self.plan, mode=mode or self.plan.mode, fixed=fixed)
            apply_mode(self.model, self.data, mode=self.plan.mode, fixed=fixed)
        return self.solve()

    def _solve(self) -> SolveResult:
        return self.session.solve(self.model, [getattr(self.model, n) for n in _DUALS])

    def _conflicts(self, elastic: Plan) -> tuple[str, ...]:
        """The requirements the elastic plan's broken limits conflict with (see `conflicts`)."""

        def solve_without(requirement: Requirement) -> Plan | None:
            with requirement.relax():
                result = self._solve()
            if result.status != SolverStatus.OPTIMAL:
                return None
            return extract_plan(
                self.model,
                result,
                scenario_name=self.scenario.name,
                mode=self.mode,
                objective_kind=self.plan.objective,
                diagnosis=(),
                binding_limits=(),
                timings={},
            )

        candidates = requirements(self.model, self.data)
        return conflict_lines(elastic, self.data, candidates, solve_without)

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
            objective_kind=self.plan.objective,
            diagnosis=(),
            binding_limits=(),
            timings=timings,
        )
        if self.plan.verify_limits > 0 and not plan.limit_values.empty:
            limits, regions = self._verified(plan)
            plan = dataclasses.replace(plan, limit_values=limits, regions=regions)
        plan = dataclasses.replace(
            plan, diagnosis=diagnose(plan, self.data), binding_limits=binding_limits(plan)
        )
        timings["extract_s"] = time.perf_counter() - tick
        return plan

    def _verified(self, plan: Plan) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Limit and headroom values checked by warm re-solves (the model is restored after)."""
        frames = {"sites": self.data.sites, "ppa_options": self.data.ppa_options}
        current = {
            key: float(frames[key.split(".")[0]].loc[key.split(".")[1], key.rsplit(".", 1)[1]])
            for key in plan.limit_values["scenario_key"]
        }
        scenario, data = self.scenario, self.data
        saved = mutable_values(self.model)  # restored exactly, edits made by hand included

        def objective_with(overrides: dict[str, float]) -> float | None:
            try:
                relaxed = scenario.with_overrides(overrides)
            except ScenarioError:  # e.g. owning more of a site that is leased: not a relaxation
                return float("nan")
            frames = relaxed.frames("lp")
            self._use(dataclasses.replace(data, frames=frames, announced_gw=data.announced))
            result = self._solve()
            ok = result.status == SolverStatus.OPTIMAL and result.objective is not None
            return float(result.objective) if ok else None  # type: ignore[arg-type]

        def objective_with_headroom(region: str, first: int, step: float) -> float | None:
            self._use(data)
            for t in range(first, data.n_periods):
                self.model.p_headroom[region, t] = (
                    pyo.value(self.model.p_headroom[region, t]) + step
                )
            result = self._solve()
            ok = result.status == SolverStatus.OPTIMAL and result.objective is not None
            return float(result.objective) if ok else None  # type: ignore[arg-type]

        try:
            limits = verify_limit_values(
                plan.limit_values,
                current,
                plan.objective,
                objective_with,
                top=self.plan.verify_limits,
            )
            regions = verify_headroom_values(
                plan.regions, plan.objective, objective_with_headroom, top=self.plan.verify_limits
            )
            return limits, regions
        finally:
            self.data = data
            self.model.gwplan_data = data
            for param, value in saved:
                param.set_value(value)
            self._solve()  # warm, from the plan's own basis: the model holds the plan again

    def _use(self, data: ModelData) -> None:
        """Make ``data`` the model's numbers (mutable parameters only)."""
        self.data = data
        self.model.gwplan_data = data
        push_parameters(self.model, data, COMPONENTS)


def mutable_values(m: Any) -> list[tuple[Any, Any]]:
    """Every mutable parameter of ``m`` with its current value."""
    return [
        (p, p.value)
        for p in m.component_data_objects(pyo.Param, descend_into=True)
        if p.parent_component().mutable
    ]


def _check_mutable(key: str) -> None:
    if not is_mutable(key, COMPONENTS):
        raise RebuildRequiredError(
            f"{key!r} changes the LP's structure, not a mutable parameter; build a new "
            "PlanningModel (or call optimize) for a scenario with this override"
        )


def optimize(
    scenario: Scenario,
    plan: PlanOptions | None = None,
    *,
    options: SolveOptions | None = None,
    **changes: Unpack[PlanChanges],
) -> Plan:
    """Optimize siting, PPA coverage and deployment timing for ``scenario``.

    Parameters
    ----------
    scenario
        The scenario to plan.
    plan
        What to plan (`PlanOptions`: mode, fixed deliveries, objective,
        strictness, extra components, slack prices); defaults to
        `PlanOptions()`.
    options
        Solver options (time limit, threads, method, ...).
    **changes
        `PlanOptions` fields by name, replacing those of ``plan``
        (``optimize(scenario, mode="announced_timing", strict=True)``).

    Returns
    -------
    Plan
        Frames, objective terms, duals and diagnosis.

    Raises
    ------
    InfeasibleError
        With ``strict=True``, when no plan meets every limit.

    Examples
    --------
    >>> from sd_model import load_scenario
    >>> plan = optimize(load_scenario("tests/scenarios/tiny"))
    >>> plan.status.value
    'optimal'
    >>> bool(abs(plan.objective_terms.sum() - plan.objective) < 1e-6)
    True
    """
    return PlanningModel(scenario, plan, options=options, **changes).solve()
