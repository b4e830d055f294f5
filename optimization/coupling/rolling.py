"""Rolling-horizon planning: plan a look-ahead window, execute its first year, re-plan.

Each step starts from the state the simulation reached: the LP of that step
is built for a scenario that starts at the step's period, with the sites'
energized load, ready shells and grid connections, the off-site fleet, the
cash, the vendors' remaining contracts and financing, the demand reached and
the headroom not yet used all read off the simulation
(`state_at`). The LP plans ``window_years`` ahead; the simulation follows
that plan's full `Decisions` (deliveries per site, shell starts, grid
requests, on-site builds, PPA signings, lease take-ups), the decisions of the
first ``step_years`` are executed, and the next step re-plans the rest from
the state the simulation reached. With ``feedback`` each step's LP also
takes the simulated revenue gap, demand path, and the realised queue time
and attrition per region (effective leads and connected shares,
`optimization.coupling.feedback`).

The simulated *world* may differ from the planner's scenario
(``realization``: overrides such as a longer queue), which is how a plan
meets an uncertain future: the planner re-plans from what actually happened.

Approximations, because the LP has no stock for them: shells under
construction and grid requests still in the queue count as available at the
step's start (optimistic by at most one lead time; the simulation enforces
the real timing, and the next step re-plans from it); on-site generation
running or being built counts as grid connection (priced at grid rates); hardware
delivered but not yet energized stays in the simulation, not in the next LP;
existing debt reduces the debt capacity and its interest is not re-counted;
PPAs already signed are not carried into the next LP's coverage; a running
lease restarts at the step with the rest of its term (and of its ramp, from
zero).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from optimization.coupling.decision_steps import joined, split_at
from optimization.coupling.feedback import GridFeedback, grid_feedback, with_simulated_outlook
from optimization.coupling.fixed_point import CouplingOptions, implied_overrides
from optimization.lp.plan import Plan
from optimization.lp.planning import optimize
from optimization.solver import SolveOptions
from sd_model import Decisions, Scenario, Schedule, simulate
from sd_model.scenario.periods import format_period, parse_period

__all__ = ["RollingOptions", "RollingResult", "RollingStep", "rolling_horizon", "state_at"]


@dataclass(frozen=True)
class RollingOptions:
    """Window and step of the rolling horizon [years].

    Steps are taken through the scenario's LP horizon; each window may look
    beyond it, up to the simulation's horizon, so that long lead times
    (grid queues of five years) can still be planned for late in the run.

    ``feedback`` passes each step's simulated net revenue (as funding), demand
    path, effective leads and connected shares to its LP, as the fixed-point
    coupling does.
    """

    window_years: int = 5
    step_years: int = 1
    feedback: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.step_years <= self.window_years:
            raise ValueError("rolling horizon needs 1 <= step_years <= window_years")


@dataclass(frozen=True)
class RollingStep:
    """One planning step."""

    start_period: str
    window_end_period: str
    npv_busd: float
    executed_gw: float
    cash_at_start_busd: float
    energized_at_start_gw: float


@dataclass(frozen=True)
class RollingResult:
    """The executed decisions, their simulation and every step's plan."""

    steps: tuple[RollingStep, ...]
    plans: tuple[Plan, ...]
    decisions: Decisions
    simulation: pd.DataFrame

    @property
    def schedule(self) -> Schedule:
        """The deliveries of the executed decisions."""
        return self.decisions.schedule

    def table(self) -> pd.DataFrame:
        """The steps as a table."""
        return pd.DataFrame([vars(s) for s in self.steps]).set_index("start_period")


def rolling_horizon(
    scenario: Scenario,
    settings: RollingOptions | None = None,
    *,
    realization: Mapping[str, Any] | None = None,
    options: SolveOptions | None = None,
) -> RollingResult:
    """Plan, execute one step in the simulation, re-plan from the simulated state.

    Long because each step's simulate, plan and execute share the loop's state.

    Parameters
    ----------
    scenario
        What the planner believes.
    settings
        Window and step lengths.
    realization
        Overrides of the simulated world (what actually happens), e.g.
        ``{"regions.*.interconnection_lead_quarters": 16}``.
    options
        Solver options.

    Examples
    --------
    >>> from sd_model import load_scenario
    >>> result = rolling_horizon(load_scenario("tests/scenarios/tiny"))
    >>> list(result.table().index)
    ['2026Q1', '2027Q1']
    >>> list(result.table()["window_end_period"])
    ['2028Q4', '2028Q4']
    """
    settings = settings or RollingOptions()
    world = scenario.with_overrides(realization or {}, note="realization")
    grid = scenario.periods
    per_step = settings.step_years * grid.periods_per_year
    first, last = parse_period(grid.start_period, grid.frequency), grid.count("lp")
    lease_starts = {c.id: c.start_period for c in scenario.lease_contracts}
    executed = Decisions.from_schedule(Schedule.empty())
    following = executed  # what the simulation runs: executed + the latest plan's future
    feedback = GridFeedback.none(scenario)
    steps, plans = [], []
    for offset in range(0, last, per_step):
        start = format_period(first + offset, grid.frequency)
        horizon_end = first + grid.count("sd")  # a window may look past the LP horizon
        end_ordinal = (
            min(first + offset + settings.window_years * grid.periods_per_year, horizon_end) - 1
        )
        window_end = format_period(end_ordinal, grid.frequency)
        simulation = simulate(world, decisions=following)
        planned = state_at(scenario, simulation, start, window_end)
        if settings.feedback:
            feedback = grid_feedback(simulation, scenario, feedback)
            planned = with_simulated_outlook(planned)
            ahead = simulation.loc[simulation["period"] >= start]
            changes = {
                **implied_overrides(planned, ahead, CouplingOptions()),
                **feedback.lead_overrides(planned),
            }
            planned = planned.with_overrides(changes, note="simulated feedback")
        plan = optimize(planned, options=options, connection_share=feedback.connection_share)
        stop = format_period(first + offset + per_step, grid.frequency)
        # installs are cumulative within one plan; each step's plan restarts from the realised
        # state, so the steps' installs do not add up: hardware placement stays behavioural
        decided = dataclasses.replace(plan.decisions, installs=None)
        now, later = split_at(decided, stop, lease_starts)
        executed = joined(executed, now)
        following = joined(executed, later)
        row = simulation.loc[simulation["period"] == start].iloc[0]
        steps.append(
            RollingStep(
                start,
                window_end,
                plan.npv_busd,
                float(now.deliveries["delivered_gw"].sum()),
                float(row["cash_busd"]),
                float(row["energized_total_gw"]),
            )
        )
        plans.append(plan)
    return RollingResult(
        tuple(steps), tuple(plans), following, simulate(world, decisions=following)
    )


def state_at(scenario: Scenario, simulation: pd.DataFrame, start: str, window_end: str) -> Scenario:
    """The planner's scenario restarted at ``start`` from the simulated state (see module notes)."""
    row = simulation.loc[simulation["period"] == start].iloc[0]
    data = scenario.model_dump()
    data["periods"] = {**data["periods"], "start_period": start, "lp_end_period": window_end}
    data["offsite_energized_gw_at_start"] = float(row["offsite_load_gw"])
    data["sites"] = [_site(site, row, start) for site in data["sites"]]
    data["vendors"] = [_vendor(vendor, row, start) for vendor in data["vendors"]]
    data["milestones"] = _milestones(data["milestones"], data["vendors"], row, start)
    data["headroom"] = _headroom(data["headroom"], row, start)
    year = int(start[:4])
    data["financing"] = _financing(data["financing"], row, year)
    data["policy"] = {
        "ppa_coverage_target_by_year": _from_year(
            data["policy"]["ppa_coverage_target_by_year"], year
        )
    }
    data["demand"] = {
        **data["demand"],
        "compute_demand_gw_at_start": float(row["compute_demand_gw"]),
    }
    data["announced_schedule"] = _announced_rest(scenario, data["vendors"], start)
    data["lease_contracts"] = _leases_from(data["lease_contracts"], scenario, start)
    return Scenario.model_validate(data)


def _leases_from(
    contracts: list[dict[str, Any]], scenario: Scenario, start: str
) -> list[dict[str, Any]]:
    """Contracts as seen from ``start``: running ones restart there with what is left of them.

    A running contract keeps the rest of its ramp (restarting from zero, so
    its capacity is understated until the ramp ends) and the rest of its term;
    an ended one is dropped.
    """
    grid = scenario.periods
    kept = []
    for contract in contracts:
        elapsed = grid.index(start) - grid.index(contract["start_period"])
        if elapsed <= 0:
            kept.append(contract)
            continue
        ramp = grid.periods_from_quarters(contract["ramp_quarters"])
        term_left = contract["term_years"] - max(elapsed - ramp, 0) * grid.years_per_period
        if term_left > 1e-9:
            quarters_left = max(ramp - elapsed, 0) * 4 // grid.periods_per_year
            kept.append(
                {
                    **contract,
                    "start_period": start,
                    "term_years": term_left,
                    "ramp_quarters": quarters_left,
                }
            )
    return kept


def _announced_rest(scenario: Scenario, vendors: list[dict[str, Any]], start: str) -> Schedule:
    """The announced deliveries from ``start`` on, scaled into each vendor's remaining contract."""
    frame = scenario.announced_schedule.frame
    rest = Schedule(frame.loc[frame["period"] >= start])
    totals = rest.total_by_vendor()
    factors = {
        v["id"]: min(1.0, v["contract_total_gw"] / totals[v["id"]])
        for v in vendors
        if totals.get(v["id"], 0.0) > 0
    }
    return rest.scaled(factors)


def _site(site: dict[str, Any], row: pd.Series, start: str) -> dict[str, Any]:
    sid = site["id"]

    def value(name: str) -> float:
        return max(float(row[f"{name}[{sid}]"]), 0.0)

    shells = min(value("shells_ready_gw") + value("shells_under_construction_gw"), site["max_gw"])
    load = min(value("site_load_gw"), shells)
    power = sum(
        value(name)
        for name in (
            "grid_connected_gw",
            "grid_queue_gw",
            "onsite_operating_gw",
            "onsite_under_construction_gw",
        )
    )
    # a signed contract in service before the new start is part of the connection by then
    pending = site["contract_in_service_period"] >= start and site["contracted_grid_gw"] > 0
    contract = site["contracted_grid_gw"] if pending else 0.0
    return {
        **site,
        "energized_gw_at_start": load,
        "shell_ready_gw_at_start": shells,
        "interconnected_gw_at_start": power,
        "grid_limit_gw": max(site["grid_limit_gw"], power + contract),
        "earliest_energization_period": max(site["earliest_energization_period"], start),
        "contracted_grid_gw": contract,
        "contract_in_service_period": site["contract_in_service_period"] if pending else "",
    }


def _vendor(vendor: dict[str, Any], row: pd.Series, start: str) -> dict[str, Any]:
    vid = vendor["id"]
    delivered = float(row[f"delivered_cum_gw[{vid}]"])
    financed = float(row[f"vendor_financing_cum_busd[{vid}]"])
    remaining = max(vendor["contract_total_gw"] - delivered, 0.0)
    deadline = vendor["deadline_period"]
    binding = max(vendor["binding_gw"] - delivered, 0.0) if deadline >= start else 0.0
    return {
        **vendor,
        "contract_total_gw": remaining,
        "binding_gw": min(binding, remaining),
        "earliest_delivery_period": max(vendor["earliest_delivery_period"], start),
        "deadline_period": max(deadline, start),
        "financing_cap_busd": max(vendor["financing_cap_busd"] - financed, 0.0),
    }


def _milestones(
    milestones: list[dict[str, Any]], vendors: list[dict[str, Any]], row: pd.Series, start: str
) -> list[dict[str, Any]]:
    """Milestones ahead, less what the lab has delivered (within what its contract has left)."""
    left = {v["id"]: v["contract_total_gw"] for v in vendors}
    return [
        {
            **milestone,
            "cumulative_gw": min(
                max(
                    milestone["cumulative_gw"]
                    - float(row[f"delivered_cum_gw[{milestone['vendor']}]"]),
                    0.0,
                ),
                left[milestone["vendor"]],
            ),
        }
        for milestone in milestones
        if milestone["period"] >= start
    ]


def _headroom(steps: list[dict[str, Any]], row: pd.Series, start: str) -> list[dict[str, Any]]:
    """Headroom still free: each step less the connections made; earlier steps move to ``start``."""
    kept: dict[tuple[str, str], float] = {}
    for step in sorted(steps, key=lambda s: (s["region"], s["from_period"])):
        used = float(row[f"region_new_connections_gw[{step['region']}]"])
        period = max(step["from_period"], start)
        kept[(step["region"], period)] = max(step["headroom_gw"] - used, 0.0)
    return [{"region": r, "from_period": p, "headroom_gw": gw} for (r, p), gw in kept.items()]


def _financing(financing: dict[str, Any], row: pd.Series, year: int) -> dict[str, Any]:
    debt = float(row["debt_busd"])
    return {
        **financing,
        "starting_cash_busd": max(float(row["cash_busd"]), 0.0),
        "debt_capacity_busd": max(financing["debt_capacity_busd"] - debt, 0.0),
        "external_funding_busd_by_year": {
            y: v for y, v in financing["external_funding_busd_by_year"].items() if y >= year
        },
    }


def _from_year(by_year: dict[int, float], year: int) -> dict[int, float]:
    """Keep the years from ``year`` on, with the value in force at ``year`` carried in."""
    earlier = [y for y in by_year if y <= year]
    kept = {y: v for y, v in by_year.items() if y > year}
    if earlier:
        kept[year] = by_year[max(earlier)]
    return kept
