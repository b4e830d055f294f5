"""Plan: what `optimize` returns — tidy frames, objective terms, duals, diagnosis.

All frames are long ("tidy") pandas DataFrames with a ``period`` column (LP
period labels) and unit-suffixed value columns. Dual values are NPV $B
(discounted to the start of the horizon) per unit of the named limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from optimization.lp.data import Mode, ObjectiveKind
from optimization.solver import SolverStatus
from sd_model import Schedule
from sd_model.scenario.decisions import Decisions

__all__ = ["Plan"]

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
        Objective value [$B NPV, minimised]; equals ``objective_terms.sum()``
        = ``penalty_busd - npv_busd`` under the ``"net_value"`` objective (under
        ``"cost"`` revenue is left out of the objective, not of cash).
    objective_terms
        NPV per cost term [$B] (capex, energy, PPA, salvage credits, revenue as
        a negative cost, priced limit violations, ...).
    term_kinds
        Each term's kind: ``"cash"``, ``"noncash"`` (money, no cash in the
        horizon) or ``"penalty"`` (the price of a violated limit, not money).
    npv_busd
        Net present value of money [$B]: revenue minus every cost, salvage
        value included; penalties excluded.
    penalty_busd
        NPV of the priced limit violations [$B-equivalent, not money]; 0 when
        every limit is met.
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
        period, site, option, build_gw, capacity_gw, generation_gw, retire_gw
        (bridge plant retired in the period).
    ppa
        period, option, region, technology, signed_gw, online_gw, clean_gw
        (average clean supply = capacity factor × online).
    regions
        period, region, new_connected_gw, headroom_gw, headroom_short_gw,
        headroom_value_busd_per_gw (value of 1 GW more headroom in that
        period only) and headroom_step_value_busd_per_gw (value of 1 GW more
        headroom from that period on: the planner's question, since
        connections are a stock), headroom_scenario_key (the override key
        of the headroom step in force, "" before the region's first step:
        1 GW more from the period on raises it and the region's later steps).
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
    term_kinds: pd.Series
    npv_busd: float
    penalty_busd: float
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

    @property
    def decisions(self) -> Decisions:
        """Every decision of the plan for the simulation (see `optimization.lp.decisions`)."""
        from optimization.lp.decisions import plan_decisions

        return plan_decisions(self)

    def to_schedule(self) -> Schedule:
        """Deliveries per period, vendor and site, for the stock-and-flow model.

        Each vendor's deliveries are matched first-in-first-out to the sites
        where its hardware is energized, in the order it is energized (so no
        hardware is energized before it is delivered); hardware never energized in the
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
            order = {label: i for i, label in enumerate(dict.fromkeys(self.deliveries["period"]))}
            uses = uses.sort_values("period", key=lambda p: p.map(order), kind="stable")
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
            f"net present value {self.npv_busd:,.2f} $B"
            + (
                f"; priced limit violations {self.penalty_busd:,.2f} (not money)"
                if self.penalty_busd > 1e-6
                else ""
            )
        ]
        lines += [f"  - {d}" for d in self.diagnosis] or ["  every limit is met"]
        lines += [f"  binding: {b}" for b in self.binding_limits]
        return "\n".join(lines)
