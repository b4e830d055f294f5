"""Couple the LP and the stock-and-flow model: a damped fixed-point iteration.

The LP is linear and static; the simulation is nonlinear and dynamic. They
exchange the full `Decisions` (deliveries per site, shell starts, grid
requests, on-site builds, PPA signings, lease take-ups: the simulation
follows every table) and the simulation passes back what it knows and the
LP does not:

- **grid** (`optimization.coupling.feedback`): per region, the effective
  lead time (the LP's lead plus the realised extra queue time, in whole
  quarters) and the connected share of requests (1 − realised attrition);
  the LP then files earlier and more;
- **budget**: the LP's cash balance earns the revenue of the compute it
  plans to serve, in a world without frictions; the simulation realises
  the revenue of the decisions with delays, attrition and utilization. Each
  year's realised revenue minus the revenue the previous LP plan counted on
  is added to the year's external funding (a shortfall lowers it; below
  zero it reduces the starting cash instead, since funding cannot be
  negative). The first iteration has no previous plan and adds nothing;
- **demand**: the LP's demand path follows the simulated demand year by
  year (a demand outlook whose growth in each year is the simulated one; the
  simulation adds the response to a falling price of compute).

Iteration k simulates decisions D_k, re-solves the LP with what the
simulation implies (warm on the same model; rebuilt when an effective lead
changes, since leads shape the LP), and takes a damped step toward the LP's
decisions P_k, table by table: ``D_{k+1} = D_k + damping × (P_k − D_k)``.
It stops when the residual |P_k − D_k| (GW, summed over the GW tables,
their keys and periods) is below the tolerance, or after ``max_iterations``
with a clear message. The first decisions are the LP's answer to the
simulation of the announced schedule. `CouplingResult.regions` records per
iteration and region what was passed back and the energized GW the LP
planned and the simulation realised from that plan's decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from optimization.coupling.decision_steps import decisions_distance, energized_by_region, step
from optimization.coupling.feedback import (
    SIMULATED_OUTLOOK,
    GridFeedback,
    demand_path_overrides,
    grid_feedback,
    with_simulated_outlook,
)
from optimization.lp.plan import Plan
from optimization.lp.planning import PlanningModel
from optimization.solver import SolveOptions
from sd_model import Decisions, Scenario, Schedule, simulate

__all__ = [
    "REGION_COLUMNS",
    "CouplingOptions",
    "CouplingResult",
    "Iteration",
    "couple",
    "implied_overrides",
]


@dataclass(frozen=True)
class CouplingOptions:
    """Settings of the fixed-point iteration.

    Attributes
    ----------
    max_iterations
        Iterations before giving up.
    tolerance_gw
        Largest residual |LP decisions − simulated decisions| that counts as
        converged [GW, summed over the GW tables, keys and periods].
    damping
        Share of the step toward the LP's decisions taken each iteration (0, 1].
    budget_feedback, demand_feedback, grid_feedback
        Pass the realised-revenue gap (as a funding correction), the
        simulated demand path, and the realised queue time and attrition
        (as effective leads and connected shares) to the LP.
    report_year
        Calendar year of the energized GW in the per-region table (the LP
        horizon's last year if it ends before).
    """

    max_iterations: int = 12
    tolerance_gw: float = 0.05
    damping: float = 0.6
    budget_feedback: bool = True
    demand_feedback: bool = True
    grid_feedback: bool = True
    report_year: int = 2030

    def __post_init__(self) -> None:
        if not 0 < self.damping <= 1:
            raise ValueError(f"damping must be in (0, 1], got {self.damping}")
        if self.max_iterations < 1 or self.tolerance_gw <= 0:
            raise ValueError("max_iterations >= 1 and tolerance_gw > 0 are needed")


REGION_COLUMNS = [
    "iteration",
    "region",
    "lead_quarters",
    "effective_lead_quarters",
    "connection_share",
    "lp_energized_gw",
    "simulated_energized_gw",
]
"""Columns of `CouplingResult.regions`: per iteration and region, the LP's own
lead, the effective lead and connected share passed to that iteration's LP,
and the energized GW [IT] at the end of the report year the LP planned and
the simulation realised from that plan's decisions."""


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
    """The outcome of the iteration, with every step.

    ``decisions`` are the simulated decisions at the end (``schedule`` their
    deliveries); ``regions`` the per-region feedback (`REGION_COLUMNS`) of
    every iteration, for `report_year`.
    """

    converged: bool
    message: str
    iterations: tuple[Iteration, ...]
    decisions: Decisions
    simulation: pd.DataFrame
    plan: Plan
    first_plan: Plan
    regions: pd.DataFrame
    report_year: int

    @property
    def schedule(self) -> Schedule:
        """The deliveries of the final decisions."""
        return self.decisions.schedule

    def table(self) -> pd.DataFrame:
        """The iterations as a table."""
        return pd.DataFrame([vars(i) for i in self.iterations]).set_index("number")


@dataclass
class _Loop:
    """The iteration's running state."""

    simulation: pd.DataFrame
    feedback: GridFeedback
    model: PlanningModel | None = None
    built_leads: dict[str, Any] | None = None
    decisions: Decisions | None = None
    planned: pd.Series | None = None


def couple(
    scenario: Scenario,
    settings: CouplingOptions | None = None,
    *,
    options: SolveOptions | None = None,
) -> CouplingResult:
    """Iterate LP and simulation to a fixed point (see the module docstring).

    Long because each iteration's feedback, plan, record and step share the loop's state.

    Examples
    --------
    >>> from sd_model import load_scenario
    >>> result = couple(load_scenario("tests/scenarios/tiny"))
    >>> result.converged
    True
    """
    settings = settings or CouplingOptions()
    planner = with_simulated_outlook(scenario) if settings.demand_feedback else scenario
    year = min(settings.report_year, max(scenario.periods.years("lp")))
    state = _Loop(simulate(scenario, scenario.announced_schedule), GridFeedback.none(scenario))
    history: list[Iteration] = []
    regions: list[pd.DataFrame] = []
    first_plan: Plan | None = None
    for number in range(1, settings.max_iterations + 1):
        if settings.grid_feedback:
            state.feedback = grid_feedback(state.simulation, scenario, state.feedback)
        overrides = implied_overrides(planner, state.simulation, settings, state.planned)
        plan = _solve(state, planner, overrides, options, first=number == 1)
        first_plan = first_plan or plan
        state.planned = planned_revenue(plan)
        proposal = plan.decisions
        residual = (
            decisions_distance(proposal, state.decisions)
            if state.decisions is not None
            else float("inf")
        )
        history.append(_record(number, residual, plan, overrides, scenario))
        outcome = simulate(scenario, decisions=proposal)
        regions.append(_region_rows(number, scenario, state.feedback, plan, outcome, year))
        if residual <= settings.tolerance_gw:
            assert state.decisions is not None
            message = f"converged in {number} iterations (residual {residual:.3g} GW)"
            return CouplingResult(
                True,
                message,
                tuple(history),
                state.decisions,
                state.simulation,
                plan,
                first_plan,
                pd.concat(regions, ignore_index=True),
                year,
            )
        if state.decisions is None:  # the first proposal is taken whole: its outcome is known
            state.decisions, state.simulation = proposal, outcome
        else:
            state.decisions = step(state.decisions, proposal, settings.damping)
            state.simulation = simulate(scenario, decisions=state.decisions)
    assert state.decisions is not None and first_plan is not None
    last = history[-1].residual_gw
    message = (
        f"did not converge in {settings.max_iterations} iterations: the LP's decisions still "
        f"differ from the simulated ones by {last:.3g} GW (tolerance {settings.tolerance_gw} GW); "
        "try more iterations or a smaller damping"
    )
    return CouplingResult(
        False,
        message,
        tuple(history),
        state.decisions,
        state.simulation,
        plan,
        first_plan,
        pd.concat(regions, ignore_index=True),
        year,
    )


def _solve(
    state: _Loop,
    planner: Scenario,
    overrides: dict[str, Any],
    options: SolveOptions | None,
    *,
    first: bool,
) -> Plan:
    """The LP's plan under the feedback: rebuilt when an effective lead changed, else warm."""
    leads = state.feedback.lead_overrides(planner)
    shares = dict(state.feedback.connection_share)
    if state.model is None or leads != state.built_leads:
        base = planner.with_overrides(leads, note="coupling: effective leads") if leads else planner
        state.model = PlanningModel(base, options=options, connection_share=shares)
        state.built_leads = leads
    return state.model.resolve(
        overrides, mode="optimal" if first else None, connection_share=shares
    )


def _region_rows(
    number: int,
    scenario: Scenario,
    feedback: GridFeedback,
    plan: Plan,
    outcome: pd.DataFrame,
    year: int,
) -> pd.DataFrame:
    """One iteration's rows of `CouplingResult.regions`."""
    lp, simulated = energized_by_region(plan, outcome, scenario, year)
    rows = [
        (
            number,
            r.id,
            int(r.interconnection_lead_quarters),
            int(feedback.lead_quarters.get(r.id, r.interconnection_lead_quarters)),
            float(feedback.connection_share.get(r.id, 1.0)),
            float(lp.get(r.id, 0.0)),
            float(simulated.get(r.id, 0.0)),
        )
        for r in scenario.regions
    ]
    return pd.DataFrame(rows, columns=REGION_COLUMNS)


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
    """LP parameter changes implied by a simulation (funding by year, demand path).

    ``planned``: the revenue by year the previous LP plan counted on
    (`planned_revenue`); without it the budget feedback adds nothing. The
    demand path goes back year by year when ``scenario`` has the coupling's
    outlook (`optimization.coupling.feedback.with_simulated_outlook`), else
    as the simulated average growth over the LP horizon.
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
        overrides.update(_demand_overrides(scenario, simulation))
    return overrides


def _demand_overrides(scenario: Scenario, simulation: pd.DataFrame) -> dict[str, Any]:
    if SIMULATED_OUTLOOK in scenario.demand.outlooks:
        return demand_path_overrides(scenario, simulation)
    grid = scenario.periods
    demand = simulation["compute_demand_gw"].to_numpy()
    span = min(grid.count("lp"), len(demand) - 1)
    if not (demand[0] > 0 and demand[span] > 0):
        return {}
    growth = (demand[span] / demand[0]) ** (1 / (span * grid.years_per_period)) - 1
    # the implied constant rate replaces the outlook
    return {"demand.demand_growth_per_year": float(growth), "demand.outlook": ""}


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
    growth = _mean_growth(plan, scenario)
    return Iteration(number, residual, plan.npv_busd, float(added), growth)


def _mean_growth(plan: Plan, scenario: Scenario) -> float:
    """The average yearly growth of the demand path the LP planned against [1/yr]."""
    demand = plan.demand["demand_gw"].to_numpy(dtype=float)
    years = (len(demand) - 1) * scenario.periods.years_per_period
    if years <= 0 or demand[0] <= 0 or demand[-1] <= 0:
        return float("nan")
    return float((demand[-1] / demand[0]) ** (1 / years) - 1)
