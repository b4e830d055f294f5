"""Optimal against announced: simulate every case and put them side by side.

A *case* is a delivery schedule simulated in the build-out model, with the
LP plan it came from where there is one:

- ``announced``: the announced schedule, simulated as announced;
- ``announced_timing``: the LP with each vendor's deliveries fixed to the
  announced schedule (siting and power optimized), then its decisions simulated;
- ``optimal``: the LP's optimal siting, power and timing, then its decisions
  simulated;
- ``coupled``: the LP and the simulation iterated to a fixed point
  (`optimization.coupling.fixed_point`), then simulated;
- any user schedule, by name.

Every case is measured by the same simulation, so the figures compare like
with like; the LP's own objective and shadow prices are added where a case
has a plan. An LP case is simulated from its whole plan (`sd_model.Decisions`:
deliveries to their sites, shells, grid requests, on-site plants, PPAs and
lease take-ups), so the announced_timing case differs from announced wherever
its siting and power differ; it is also simulated without frictions, and
`optimization.coupling.belief` sets the plan against both outcomes. The
coupled case is simulated from its deliveries (the fixed point exchanges a
schedule).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from optimization.coupling.belief import BELIEF_COLUMNS, belief_summary, belief_table
from optimization.coupling.case_tables import (
    by_vendor,
    horizon_metrics,
    per_period,
    site_gw_by_year,
    year_end,
)
from optimization.coupling.fixed_point import CouplingOptions, CouplingResult, couple
from optimization.coupling.realised import realised_grid
from optimization.lp.plan import Plan
from optimization.lp.planning import PlanningModel
from optimization.solver import SolveOptions
from sd_model import Decisions, Scenario, Schedule, simulate

__all__ = ["DEFAULT_CASES", "Case", "CaseName", "Comparison", "compare", "simulate_case"]

CaseName = Literal["announced", "announced_timing", "optimal", "coupled"]
DEFAULT_CASES: tuple[CaseName, ...] = ("announced", "announced_timing", "optimal")
DESCRIPTIONS: Mapping[str, str] = {
    "announced": "the announced schedule, simulated as announced",
    "announced_timing": "announced deliveries per vendor and period; siting and power optimized",
    "optimal": "siting, power and timing optimized",
    "coupled": "optimized with the budget and demand the simulation implies (fixed point)",
}


@dataclass(frozen=True)
class Case:
    """One simulated schedule, with the LP plan it came from (if any).

    ``decisions`` is what was simulated when it is more than the schedule
    (an LP case's whole plan); ``frictionless`` its simulation without frictions.
    """

    name: str
    description: str
    schedule: Schedule
    simulation: pd.DataFrame
    plan: Plan | None = None
    decisions: Decisions | None = None
    frictionless: pd.DataFrame | None = None


@dataclass(frozen=True)
class Comparison:
    """Cases side by side, as tidy tables (units in column names).

    Attributes
    ----------
    metrics
        One row per figure, one column per case; figures are measured over
        the planning (LP) horizon, where every case has a plan.
    timeseries
        case, period and the trajectories of `optimization.coupling.case_tables.per_period`.
    by_year
        The same at each year's end (``year`` is the year that ended).
    energized_by_vendor, delivered_by_vendor
        case, period, vendor, gw.
    site_gw
        case, year, site, region, gw: energized IT per site at year end.
    deliveries
        period, vendor, one column of GW delivered per case, and
        ``<case> - <first case>`` differences.
    shadow_prices
        case, limit (headroom, budget, site_max, grid_limit, ppa_max), key,
        period, value, unit: what 1 unit more of the limit is worth.
    findings
        case, kind (diagnosis or binding), text: the LP's words.
    belief
        case, measure, key, period, lp, simulated, frictionless: each LP
        case's plan against the simulation of its decisions
        (`optimization.coupling.belief`).
    belief_summary
        case, figure, lp, simulated, frictionless, gap, frictions, model.
    realised_grid
        case and `optimization.coupling.realised.realised_grid` per region:
        requests filed, connected, dropped, realised attrition and queue time.
    """

    scenario_name: str
    cases: tuple[Case, ...]
    metrics: pd.DataFrame
    timeseries: pd.DataFrame
    by_year: pd.DataFrame
    energized_by_vendor: pd.DataFrame
    delivered_by_vendor: pd.DataFrame
    site_gw: pd.DataFrame
    deliveries: pd.DataFrame
    shadow_prices: pd.DataFrame
    findings: pd.DataFrame
    coupling: CouplingResult | None = field(default=None)
    belief: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=BELIEF_COLUMNS))
    belief_summary: pd.DataFrame = field(default_factory=pd.DataFrame)
    realised_grid: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def names(self) -> list[str]:
        """Case names in order."""
        return [c.name for c in self.cases]


def simulate_case(
    scenario: Scenario,
    name: str,
    schedule: Schedule,
    plan: Plan | None = None,
    description: str = "",
    decisions: Decisions | None = None,
) -> Case:
    """Simulate ``schedule`` (or ``decisions``, with and without frictions) as a named case."""
    described = description or DESCRIPTIONS.get(name, name)
    if decisions is None:
        return Case(name, described, schedule, simulate(scenario, schedule), plan)
    return Case(
        name,
        described,
        decisions.schedule,
        simulate(scenario, decisions=decisions),
        plan,
        decisions,
        simulate(scenario, decisions=decisions, frictions=False),
    )


def compare(
    scenario: Scenario,
    *,
    cases: Sequence[CaseName] = DEFAULT_CASES,
    schedules: Mapping[str, Schedule] | None = None,
    options: SolveOptions | None = None,
    coupling: CouplingOptions | None = None,
    progress: Callable[[str], None] | None = None,
) -> Comparison:
    """Build, simulate and compare the named cases (and any user schedules).

    Long because every case's solve, simulation and frames are assembled in one pass.

    Parameters
    ----------
    scenario
        The scenario every case shares.
    cases
        Which of the built-in cases to include, in order.
    schedules
        Further cases: ``{name: Schedule}``, simulated as given.
    options
        Solver options for the LP cases.
    coupling
        Settings of the ``coupled`` case's fixed-point iteration.
    progress
        Called with a short message as each case starts.

    Examples
    --------
    >>> from sd_model import load_scenario
    >>> result = compare(load_scenario("tests/scenarios/tiny"), cases=("announced", "optimal"))
    >>> result.names
    ['announced', 'optimal']
    """
    say = progress or (lambda message: None)
    built: list[Case] = []
    coupled_result: CouplingResult | None = None
    shared = _SharedModel(scenario, options)
    for name in cases:
        say(f"{name}: {DESCRIPTIONS[name]}")
        if name == "announced":
            built.append(simulate_case(scenario, name, scenario.announced_schedule))
        elif name == "coupled":
            coupled_result = couple(scenario, coupling or CouplingOptions(), options=options)
            built.append(
                Case(
                    name,
                    DESCRIPTIONS[name],
                    coupled_result.schedule,
                    coupled_result.simulation,
                    coupled_result.plan,
                    coupled_result.decisions,
                )
            )
        else:
            plan = shared.get().resolve(mode=name)
            decisions = plan.decisions
            built.append(
                simulate_case(scenario, name, decisions.schedule, plan, decisions=decisions)
            )
    for label, schedule in (schedules or {}).items():
        say(f"{label}: a user schedule")
        built.append(simulate_case(scenario, label, schedule, description=f"user schedule {label}"))
    return _tabulate(scenario, tuple(built), coupled_result)


class _SharedModel:
    """One LP (and HiGHS session) for every case, built on first use.

    Each case starts cold (`SolverSession.forget_basis`): the LP is
    degenerate, and a warm start from another case's basis may end at another
    optimal vertex, so the plans stay those of a model built per case.
    """

    def __init__(self, scenario: Scenario, options: SolveOptions | None) -> None:
        self._scenario, self._options = scenario, options
        self._model: PlanningModel | None = None

    def get(self) -> PlanningModel:
        if self._model is None:
            self._model = PlanningModel(self._scenario, options=self._options)
        self._model.session.forget_basis()
        return self._model


def _tabulate(
    scenario: Scenario, cases: tuple[Case, ...], coupled: CouplingResult | None
) -> Comparison:
    series = {c.name: per_period(c.simulation, scenario).assign(case=c.name) for c in cases}
    beliefs = [
        belief_table(c.plan, c.simulation, c.frictionless).assign(case=c.name)
        for c in cases
        if c.plan is not None and c.frictionless is not None
    ]
    belief = (
        pd.concat(beliefs, ignore_index=True).loc[:, ["case", *BELIEF_COLUMNS]]
        if beliefs
        else pd.DataFrame(columns=["case", *BELIEF_COLUMNS])
    )
    timeseries = pd.concat(series.values(), ignore_index=True)
    return Comparison(
        scenario_name=scenario.name,
        cases=cases,
        metrics=pd.DataFrame({c.name: _metrics(c, scenario) for c in cases}),
        timeseries=timeseries,
        by_year=pd.concat([year_end(frame) for frame in series.values()], ignore_index=True),
        energized_by_vendor=_stack(cases, lambda c: by_vendor(c.simulation, "energized_gw")),
        delivered_by_vendor=_stack(cases, lambda c: by_vendor(c.simulation, "delivered_cum_gw")),
        site_gw=_stack(cases, lambda c: site_gw_by_year(c.simulation, scenario)),
        deliveries=_deliveries(cases),
        shadow_prices=_stack(cases, _shadow_prices),
        findings=_stack(cases, _findings),
        coupling=coupled,
        belief=belief,
        belief_summary=belief_summary(belief, scenario),
        realised_grid=_stack(cases, lambda c: realised_grid(c.simulation, scenario)),
    )


def _stack(cases: Sequence[Case], table: Callable[[Case], pd.DataFrame]) -> pd.DataFrame:
    frames = [table(c).assign(case=c.name) for c in cases]
    stacked = pd.concat(frames, ignore_index=True)
    return stacked.loc[:, ["case", *[col for col in stacked.columns if col != "case"]]]


def _metrics(case: Case, scenario: Scenario) -> pd.Series:
    figures = horizon_metrics(case.simulation, scenario)
    if case.plan is not None:
        lp = {
            "lp_npv_busd": case.plan.npv_busd,
            "lp_penalty_busd": case.plan.penalty_busd,
            "lp_objective_busd": case.plan.objective,
        }
        lp |= {f"lp_{term}_busd": float(v) for term, v in case.plan.objective_terms.items()}
        figures = pd.concat([figures, pd.Series(lp)])
    return figures


def _deliveries(cases: Sequence[Case]) -> pd.DataFrame:
    wide = pd.concat(
        {c.name: c.schedule.frame.groupby(["period", "vendor"])["gw"].sum() for c in cases},
        axis=1,
    ).fillna(0.0)
    base = cases[0].name
    for c in cases[1:]:
        wide[f"{c.name} - {base}"] = wide[c.name] - wide[base]
    return wide.reset_index()


def _shadow_prices(case: Case) -> pd.DataFrame:
    columns = ["limit", "key", "period", "value", "unit", "scenario_key"]
    plan = case.plan
    if plan is None:
        return pd.DataFrame(columns=columns)
    regions = plan.regions
    if "headroom_scenario_key" not in regions:
        regions = regions.assign(headroom_scenario_key="")
    headroom = regions.loc[
        :, ["region", "period", "headroom_step_value_busd_per_gw", "headroom_scenario_key"]
    ]
    headroom = headroom.rename(
        columns={
            "region": "key",
            "headroom_step_value_busd_per_gw": "value",
            "headroom_scenario_key": "scenario_key",
        }
    ).assign(limit="headroom", unit="$B per GW from this period on")
    budget = plan.budget_value.rename(columns={"value_busd_per_busd": "value"})
    budget = budget.assign(
        limit="budget",
        key=budget["year"].astype(str),
        period="",
        unit="$B per $B of funding in the year",
        scenario_key="financing.external_funding_busd_by_year." + budget["year"].astype(str),
    ).drop(columns="year")
    limits = plan.limit_values.rename(columns={"value_busd_per_gw": "value"})
    limits = limits.assign(period="", unit="$B per GW")
    frame = pd.concat([headroom, budget, limits], ignore_index=True).loc[:, columns]
    return frame.loc[frame["value"].abs() > 1e-9].reset_index(drop=True)


def _findings(case: Case) -> pd.DataFrame:
    if case.plan is None:
        return pd.DataFrame(columns=["kind", "text"])
    rows = [("diagnosis", text) for text in case.plan.diagnosis]
    rows += [("binding", text) for text in case.plan.binding_limits]
    return pd.DataFrame(rows, columns=["kind", "text"])
