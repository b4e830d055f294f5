"""Couple the LP and the stock-and-flow model: a damped fixed-point iteration.

The LP is linear and static; the simulation is nonlinear and dynamic. They
talk through the Schedule and two trajectories the simulation implies:

- **budget**: the LP's cash balance earns the revenue of the compute it
  plans to serve, in a world without frictions; the simulation realises
  the revenue of the schedule with delays, attrition and utilization. Each
  year's realised revenue minus the revenue the previous LP plan counted on
  is added to the year's external funding (a shortfall lowers it; below
  zero it reduces the starting cash instead, since funding cannot be
  negative). The first iteration has no previous plan and adds nothing;
- **demand**: the LP's demand path grows at a constant rate; the growth rate
  is set to the simulated demand's average growth over the LP horizon (the
  simulation adds the response to a falling price of compute).

Iteration k simulates schedule S_k, re-solves the LP (warm, on the same
persistent model) with what the simulation implies, and takes a damped
step toward the LP's schedule P_k: ``S_{k+1} = S_k + damping × (P_k − S_k)``.
It stops when the residual |P_k − S_k| (GW delivered, summed over vendors
and periods) is below the tolerance, or after ``max_iterations`` with a
clear message. The first schedule is the LP's answer to the simulation of
the announced schedule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from optimization.lp.plan import Plan
from optimization.lp.planning import PlanningModel
from optimization.solver import SolveOptions
from sd_model import Scenario, Schedule, simulate

__all__ = ["CouplingOptions", "CouplingResult", "Iteration", "couple", "implied_overrides"]


@dataclass(frozen=True)
class CouplingOptions:
    """Settings of the fixed-point iteration.

    Attributes
    ----------
    max_iterations
        Iterations before giving up.
    tolerance_gw
        Largest residual |LP schedule − simulated schedule| that counts as
        converged [GW, summed over vendors and periods].
    damping
        Share of the step toward the LP's schedule taken each iteration (0, 1].
    budget_feedback, demand_feedback
        Pass the realised-revenue gap (as a funding correction) and the
        simulated demand growth to the LP.
    """

    max_iterations: int = 12
    tolerance_gw: float = 0.05
    damping: float = 0.6
    budget_feedback: bool = True
    demand_feedback: bool = True

    def __post_init__(self) -> None:
        if not 0 < self.damping <= 1:
            raise ValueError(f"damping must be in (0, 1], got {self.damping}")
        if self.max_iterations < 1 or self.tolerance_gw <= 0:
            raise ValueError("max_iterations >= 1 and tolerance_gw > 0 are needed")


@dataclass(frozen=True)
class Iteration:
    """What one iteration did."""

    number: int
    residual_gw: float
    npv_busd: float
    funding_added_busd: float
    demand_growth_per_year: float


@dataclass(frozen=True)
class CouplingResult:
    """The outcome of the iteration, with every step."""

    converged: bool
    message: str
    iterations: tuple[Iteration, ...]
    schedule: Schedule
    simulation: pd.DataFrame
    plan: Plan
    first_plan: Plan

    def table(self) -> pd.DataFrame:
        """The iterations as a table."""
        return pd.DataFrame([vars(i) for i in self.iterations]).set_index("number")


def couple(
    scenario: Scenario,
    settings: CouplingOptions | None = None,
    *,
    options: SolveOptions | None = None,
    model: PlanningModel | None = None,
) -> CouplingResult:
    """Iterate LP and simulation to a fixed point (see the module docstring).

    ``model``: a `PlanningModel` of ``scenario`` to reuse (its mode is set to
    ``optimal``; ``options`` then do not apply); by default one is built.

    Examples
    --------
    >>> from sd_model import load_scenario
    >>> result = couple(load_scenario("tests/scenarios/tiny"))
    >>> result.converged
    True
    """
    settings = settings or CouplingOptions()
    model = model or PlanningModel(scenario, options=options)
    simulation = simulate(scenario, scenario.announced_schedule)
    schedule: Schedule | None = None
    history: list[Iteration] = []
    first_plan: Plan | None = None
    planned: pd.Series | None = None
    for number in range(1, settings.max_iterations + 1):
        overrides = implied_overrides(scenario, simulation, settings, planned)
        plan = model.resolve(overrides, mode="optimal" if number == 1 else None)
        first_plan = first_plan or plan
        planned = planned_revenue(plan)
        proposal = plan.to_schedule()
        residual = _distance(proposal, schedule) if schedule is not None else float("inf")
        history.append(_record(number, residual, plan, overrides, scenario))
        if residual <= settings.tolerance_gw:
            return _result(
                True,
                history,
                schedule or proposal,
                simulation,
                plan,
                first_plan,
                f"converged in {number} iterations (residual {residual:.3g} GW)",
            )
        schedule = proposal if schedule is None else _step(schedule, proposal, settings.damping)
        simulation = simulate(scenario, schedule)
    assert schedule is not None and first_plan is not None
    last = history[-1].residual_gw
    message = (
        f"did not converge in {settings.max_iterations} iterations: the LP's schedule still "
        f"differs from the simulated one by {last:.3g} GW (tolerance {settings.tolerance_gw} GW); "
        "try more iterations or a smaller damping"
    )
    return _result(False, history, schedule, simulation, plan, first_plan, message)


def planned_revenue(plan: Plan) -> pd.Series:
    """The revenue an LP plan counts on, by year [$B]."""
    cash = plan.cash
    if "revenue_busd" not in cash.columns:
        return pd.Series(dtype=float)
    return cash.groupby("year")["revenue_busd"].sum()


def implied_overrides(
    scenario: Scenario,
    simulation: pd.DataFrame,
    settings: CouplingOptions,
    planned: pd.Series | None = None,
) -> dict[str, Any]:
    """LP parameter changes implied by a simulation (funding by year, demand growth).

    ``planned``: the revenue by year the previous LP plan counted on
    (`planned_revenue`); without it the budget feedback adds nothing.
    """
    overrides: dict[str, Any] = {}
    grid = scenario.periods
    years = grid.years("lp")
    if settings.budget_feedback and planned is not None:
        frame = simulation.iloc[:-1]  # the last row is the end boundary
        year = frame["period"].str[:4].astype(int)
        realised = frame["revenue_busd_per_period"].groupby(year.to_numpy()).sum()
        by_year = realised.sub(planned, fill_value=0.0)
        base = scenario.financing.external_funding_busd_by_year
        deficit = 0.0
        for y in years:
            total = base.get(y, 0.0) + float(by_year.get(y, 0.0))
            deficit += min(total, 0.0)
            overrides[f"financing.external_funding_busd_by_year.{y}"] = max(total, 0.0)
        start_cash = scenario.financing.starting_cash_busd
        overrides["financing.starting_cash_busd"] = max(start_cash + deficit, 0.0)
    if settings.demand_feedback:
        demand = simulation["compute_demand_gw"].to_numpy()
        span = min(grid.count("lp"), len(demand) - 1)
        if demand[0] > 0 and demand[span] > 0:
            growth = (demand[span] / demand[0]) ** (1 / (span * grid.years_per_period)) - 1
            overrides["demand.demand_growth_per_year"] = float(growth)
            overrides["demand.outlook"] = ""  # the implied constant rate replaces the outlook
    return overrides


def _deliveries(schedule: Schedule) -> pd.Series:
    return schedule.frame.groupby(["period", "vendor"])["gw"].sum()


def _distance(a: Schedule, b: Schedule) -> float:
    left, right = _deliveries(a).align(_deliveries(b), fill_value=0.0)
    return float(np.abs(left - right).sum())


def _step(current: Schedule, target: Schedule, damping: float) -> Schedule:
    keep = current.frame.assign(gw=lambda f: f["gw"] * (1 - damping))
    move = target.frame.assign(gw=lambda f: f["gw"] * damping)
    return Schedule(pd.concat([keep, move], ignore_index=True))


def _record(
    number: int, residual: float, plan: Plan, overrides: dict[str, Any], scenario: Scenario
) -> Iteration:
    base = scenario.financing.external_funding_busd_by_year
    added = sum(
        v - base.get(int(k.rsplit(".", 1)[1]), 0.0)
        for k, v in overrides.items()
        if k.startswith("financing.external_funding_busd_by_year.")
    )
    start = scenario.financing.starting_cash_busd
    added += overrides.get("financing.starting_cash_busd", start) - start
    growth = overrides.get("demand.demand_growth_per_year", scenario.demand.demand_growth_per_year)
    return Iteration(number, residual, plan.npv_busd, float(added), float(growth))


def _result(
    converged: bool,
    history: list[Iteration],
    schedule: Schedule,
    simulation: pd.DataFrame,
    plan: Plan,
    first_plan: Plan,
    message: str,
) -> CouplingResult:
    return CouplingResult(
        converged, message, tuple(history), schedule, simulation, plan, first_plan
    )
