"""Plain arrays the LP is built from, derived once from a Scenario.

`ModelData.from_scenario` is the only place in `optimization` that reads a
`sd_model.Scenario`; the components see numbers, never entities. Everything is
converted to the LP's units here:

- capacity in GW (IT unless the name says facility), money in $B,
- lead times in whole periods (quarters rounded up to the grid),
- prices as $B per GW of average load over one period
  (``hours_per_period * usd_per_mwh * 1e-6``), so that coefficients stay
  within a few orders of magnitude of one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from sd_model import Scenario, Schedule
from sd_model.buildout.inputs import lease_profile_gw
from sd_model.scenario.periods import parse_period

__all__ = [
    "HOURS_PER_YEAR",
    "Mode",
    "ModelData",
    "ObjectiveKind",
    "Penalties",
    "lease_profiles",
]

Mode = Literal["optimal", "announced_timing"]
"""How much of the timing the LP may choose.

``"optimal"``: deliveries, siting and power are all decisions.
``"announced_timing"``: each vendor's deliveries per period are fixed to the
announced schedule; siting, shells and power are optimized around them.
"""

ObjectiveKind = Literal["net_value", "cost"]
"""``"net_value"`` (default): NPV of cost plus the value of unserved compute
demand (equivalently: maximize the value of energized compute minus cost).
``"cost"``: NPV of cost only (defers deployment to contract deadlines)."""

HOURS_PER_YEAR = 8760.0
F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


@dataclass(frozen=True)
class Penalties:
    """Prices of the elastic slacks [$B per unit per period, undiscounted].

    They are set well above any economic value in the model so that a slack
    is used only when the limit cannot be met at all.

    Attributes
    ----------
    headroom_busd_per_gw_period
        Facility GW connected beyond a region's headroom, per period.
    budget_overrun_busd_per_busd
        Each $B of cash injected to keep cash non-negative.
    contract_shortfall_busd_per_gw
        Each GW of a binding contract not delivered by its deadline.
    coverage_shortfall_busd_per_gw_period
        Each GW of average clean supply missing from the PPA target, per period.
    stranded_busd_per_gw_period
        Each GW of delivered hardware not energized, per period, on top of its
        idle depreciation. Above the headroom price (per facility GW × PUE),
        so that the elastic plan first says how much more headroom would
        power the hardware, and strands only what headroom cannot fix.
    unpowered_busd_per_gw_period
        Each facility GW of running load without grid or on-site supply
        (possible only for load present at the start), per period.
    """

    headroom_busd_per_gw_period: float = 20.0
    budget_overrun_busd_per_busd: float = 5.0
    contract_shortfall_busd_per_gw: float = 200.0
    coverage_shortfall_busd_per_gw_period: float = 5.0
    stranded_busd_per_gw_period: float = 30.0
    unpowered_busd_per_gw_period: float = 60.0


@dataclass(frozen=True)
class ModelData:
    """Numbers for one LP, indexed by position (sites, vendors, ... periods).

    Arrays over periods have length ``n_periods``; per-entity arrays follow the
    order of the id tuples. Lead times are in periods.
    """

    # calendar
    periods: tuple[str, ...]
    years_per_period: float
    hours_per_period: float
    period_year: I64
    discount: F64  # (1 + r) ** -(t * years_per_period)
    discount_end: float  # discount factor at the end of the horizon
    # scenario-wide
    pue: float
    offsite_gw: float
    opex_busd_per_gw_period: float
    it_life_years: float
    shell_life_years: float
    # regions
    region_ids: tuple[str, ...]
    region_lead: I64
    energy_busd_per_gw_period: F64  # energy + capacity price
    market_busd_per_gw_period: F64  # energy price only (virtual PPA settlement)
    headroom_gw: F64  # [region, period], facility GW of new connections
    # sites
    site_ids: tuple[str, ...]
    site_region: I64
    site_max_gw: F64
    site_energized0: F64
    site_shell0: F64
    site_grid0: F64
    site_grid_limit: F64
    site_shell_lead: I64
    site_shell_capex: F64
    site_earliest: I64
    site_onsite: tuple[tuple[int, ...], ...]
    # vendors
    vendor_ids: tuple[str, ...]
    vendor_total_gw: F64
    vendor_binding_gw: F64
    vendor_earliest: I64
    vendor_deadline: I64  # may be >= n_periods (outside the LP horizon)
    vendor_max_rate: F64
    vendor_capex: F64
    vendor_perf: F64
    vendor_fin_per_gw: F64
    vendor_fin_cap: F64
    # PPA options
    ppa_ids: tuple[str, ...]
    ppa_region: I64
    ppa_price_busd_per_gw_period: F64  # per GW of average delivered energy
    ppa_cf: F64
    ppa_lead: I64
    ppa_max_gw: F64
    # on-site options
    onsite_ids: tuple[str, ...]
    onsite_capex: F64
    onsite_lead: I64
    onsite_cost_busd_per_gw_period: F64
    onsite_avail: F64
    onsite_life_years: F64
    # money
    cash0: float
    funding: F64
    debt_cap: float
    debt_rate_per_period: float
    debt_share: float
    # demand and policy
    demand_gw: F64
    value_busd_per_gw_period: F64
    coverage: F64
    # announced deliveries [vendor, period] within the LP horizon
    announced: F64
    penalties: Penalties = field(default_factory=Penalties)
    # leases (empty without lease contracts)
    lease_ids: tuple[str, ...] = ()
    lease_lessor: I64 = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    lease_region: tuple[str, ...] = ()
    lease_site: tuple[str, ...] = ()
    lease_committed: tuple[bool, ...] = ()
    lease_profile_gw: F64 = field(default_factory=lambda: np.zeros((0, 0)))  # [contract, period]
    lease_price_busd_per_gw_period: F64 = field(default_factory=lambda: np.zeros(0))
    lease_take_or_pay: F64 = field(default_factory=lambda: np.zeros(0))
    lessor_ids: tuple[str, ...] = ()
    lessor_cap_gw: F64 = field(default_factory=lambda: np.zeros(0))  # inf when not known

    @property
    def n_periods(self) -> int:
        """Number of LP periods."""
        return len(self.periods)

    @classmethod
    def from_scenario(
        cls,
        scenario: Scenario,
        *,
        objective: ObjectiveKind = "net_value",
        penalties: Penalties | None = None,
    ) -> ModelData:
        """Derive the LP's data from ``scenario``.

        Parameters
        ----------
        scenario
            The scenario to plan.
        objective
            With ``"cost"`` the value of compute is zero.
        penalties
            Slack prices; defaults to `Penalties()`.
        """
        return cls._derive(scenario, objective=objective, penalties=penalties)

    @classmethod
    def _derive(
        cls,
        scenario: Scenario,
        *,
        objective: ObjectiveKind = "net_value",
        penalties: Penalties | None = None,
        announced: F64 | None = None,
    ) -> ModelData:
        """`from_scenario`, reusing ``announced`` when the caller knows it is unchanged."""
        grid = scenario.periods
        labels = tuple(grid.labels("lp"))
        n = len(labels)
        ypp = grid.years_per_period
        hours = HOURS_PER_YEAR * ypp
        to_busd = hours * 1e-6  # $/MWh -> $B per GW over one period
        lead = grid.periods_from_quarters
        t_years = np.arange(n) * ypp
        rate = scenario.discount_rate_per_year
        regions = scenario.regions
        region_pos = {r.id: i for i, r in enumerate(regions)}
        sites = scenario.sites
        vendors = scenario.vendors
        onsite = scenario.onsite_options
        onsite_pos = {o.id: i for i, o in enumerate(onsite)}
        ppas = scenario.ppa_options
        fin = scenario.financing
        demand = scenario.demand

        def period_index(label: str) -> int:
            return grid.index(label, "sd")

        years = np.array([grid.year(label) for label in labels], dtype=np.int64)
        funding = np.array(
            [fin.external_funding_busd_by_year.get(int(y), 0.0) * ypp for y in years]
        )
        value = demand.revenue_busd_per_gw_year_at_start * ypp * np.ones(n)
        if objective == "cost":
            value = np.zeros(n)
        return cls(
            periods=labels,
            years_per_period=ypp,
            hours_per_period=hours,
            period_year=years,
            discount=np.asarray((1.0 + rate) ** -t_years, dtype=np.float64),
            discount_end=float((1.0 + rate) ** -(n * ypp)),
            pue=scenario.pue,
            offsite_gw=scenario.offsite_energized_gw_at_start,
            opex_busd_per_gw_period=scenario.costs.opex_busd_per_gw_year * ypp,
            it_life_years=scenario.costs.it_depreciation_years,
            shell_life_years=scenario.costs.shell_life_years,
            region_ids=tuple(r.id for r in regions),
            region_lead=_ints(lead(r.interconnection_lead_quarters) for r in regions),
            energy_busd_per_gw_period=_floats(
                (r.energy_price_usd_per_mwh + r.capacity_price_usd_per_mwh) * to_busd
                for r in regions
            ),
            market_busd_per_gw_period=_floats(
                r.energy_price_usd_per_mwh * to_busd for r in regions
            ),
            headroom_gw=np.array([scenario.headroom_gw(r.id, "lp") for r in regions]).reshape(
                len(regions), n
            ),
            site_ids=tuple(s.id for s in sites),
            site_region=_ints(region_pos[s.region] for s in sites),
            site_max_gw=_floats(s.max_gw for s in sites),
            site_energized0=_floats(s.energized_gw_at_start for s in sites),
            site_shell0=_floats(s.shell_ready_gw_at_start for s in sites),
            site_grid0=_floats(s.interconnected_gw_at_start for s in sites),
            site_grid_limit=_floats(
                max(s.grid_limit_gw, s.interconnected_gw_at_start) for s in sites
            ),
            site_shell_lead=_ints(lead(s.shell_lead_quarters) for s in sites),
            site_shell_capex=_floats(s.shell_capex_busd_per_gw for s in sites),
            site_earliest=_ints(period_index(s.earliest_energization_period) for s in sites),
            site_onsite=tuple(tuple(onsite_pos[o] for o in s.onsite_option_ids) for s in sites),
            vendor_ids=tuple(v.id for v in vendors),
            vendor_total_gw=_floats(v.contract_total_gw for v in vendors),
            vendor_binding_gw=_floats(v.binding_gw for v in vendors),
            vendor_earliest=_ints(period_index(v.earliest_delivery_period) for v in vendors),
            vendor_deadline=_ints(period_index(v.deadline_period) for v in vendors),
            vendor_max_rate=_floats(v.max_delivery_gw_per_period for v in vendors),
            vendor_capex=_floats(v.capex_busd_per_gw for v in vendors),
            vendor_perf=_floats(v.perf_per_watt_relative for v in vendors),
            vendor_fin_per_gw=_floats(v.financing_busd_per_gw for v in vendors),
            vendor_fin_cap=_floats(v.financing_cap_busd for v in vendors),
            ppa_ids=tuple(f"{p.region}:{p.technology}" for p in ppas),
            ppa_region=_ints(region_pos[p.region] for p in ppas),
            ppa_price_busd_per_gw_period=_floats(p.price_usd_per_mwh * to_busd for p in ppas),
            ppa_cf=_floats(p.capacity_factor for p in ppas),
            ppa_lead=_ints(lead(p.lead_quarters) for p in ppas),
            ppa_max_gw=_floats(p.max_gw for p in ppas),
            onsite_ids=tuple(o.id for o in onsite),
            onsite_capex=_floats(o.capex_busd_per_gw for o in onsite),
            onsite_lead=_ints(lead(o.lead_quarters) for o in onsite),
            onsite_cost_busd_per_gw_period=_floats(o.cost_usd_per_mwh * to_busd for o in onsite),
            onsite_avail=_floats(o.availability_factor for o in onsite),
            onsite_life_years=_floats(o.life_years for o in onsite),
            cash0=fin.starting_cash_busd,
            funding=funding,
            debt_cap=fin.debt_capacity_busd,
            debt_rate_per_period=fin.debt_rate_per_year * ypp,
            debt_share=fin.facility_debt_share,
            demand_gw=np.asarray(
                demand.compute_demand_gw_at_start
                * (1.0 + demand.demand_growth_per_year) ** t_years,
                dtype=np.float64,
            ),
            value_busd_per_gw_period=value,
            coverage=scenario.ppa_coverage_target("lp"),
            announced=deliveries_by_vendor_period(
                scenario.announced_schedule, tuple(v.id for v in vendors), labels
            )
            if announced is None
            else announced,
            penalties=penalties or Penalties(),
            **_lease_arrays(scenario, n),
        )

    def salvage_fraction(self, life_years: float) -> F64:
        """Book value left at the horizon end per $B spent in each period, discounted.

        Straight-line depreciation over ``life_years``, expressed relative to
        the period of spending: ``max(0, 1 - age_at_end / life) * d_end / d_t``.
        """
        age = (self.n_periods - np.arange(self.n_periods)) * self.years_per_period
        remaining = np.clip(1.0 - age / life_years, 0.0, 1.0)
        return np.asarray(remaining * self.discount_end / self.discount, dtype=np.float64)


def deliveries_by_vendor_period(
    schedule: Schedule, vendor_ids: tuple[str, ...], periods: tuple[str, ...]
) -> F64:
    """GW per vendor and period of ``schedule``, summed over sites [GW]."""
    if len(schedule) == 0:
        return np.zeros((len(vendor_ids), len(periods)))
    return np.asarray(schedule.by_vendor_period(vendor_ids, periods), dtype=np.float64)


def lease_profiles(scenario: Scenario) -> dict[str, F64]:
    """Each lease contract's GW per LP period at full take-up, by contract id [GW IT].

    The ramp/term profile of `sd_model` (linear ramp from ``start_period``
    over ``ramp_quarters``, held ``term_years``, averaged exactly over each
    period). An uncommitted option cannot start before the plan start plus
    its ``lead_quarters`` (rounded up to whole periods): a later start shifts
    the whole contract (ramp and term) to that period.
    """
    grid = scenario.periods
    n = grid.count("lp")
    q2p, ppy = grid.periods_per_year / 4, float(grid.periods_per_year)
    origin = parse_period(grid.start_period, grid.frequency)
    out: dict[str, F64] = {}
    for lease in scenario.lease_contracts:
        start = float(parse_period(lease.start_period, grid.frequency) - origin)
        if not lease.committed:
            start = max(start, float(grid.periods_from_quarters(lease.lead_quarters)))
        ramp = lease.ramp_quarters * q2p
        end = start + ramp + lease.term_years * ppy
        out[lease.id] = np.asarray(lease_profile_gw(start, ramp, end, lease.gw, n), dtype=float)
    return out


def _lease_arrays(scenario: Scenario, n: int) -> dict[str, Any]:
    """The `ModelData` lease fields (empty without lease contracts)."""
    leases = scenario.lease_contracts
    if not leases:
        return {}
    ypp = scenario.periods.years_per_period
    lessors = scenario.lessors
    lessor_pos = {x.id: i for i, x in enumerate(lessors)}
    profiles = lease_profiles(scenario)
    return {
        "lease_ids": tuple(c.id for c in leases),
        "lease_lessor": _ints(lessor_pos[c.lessor] for c in leases),
        "lease_region": tuple(c.region for c in leases),
        "lease_site": tuple(c.site for c in leases),
        "lease_committed": tuple(bool(c.committed) for c in leases),
        "lease_profile_gw": np.array([profiles[c.id] for c in leases]).reshape(len(leases), n),
        "lease_price_busd_per_gw_period": _floats(c.price_busd_per_gw_year * ypp for c in leases),
        "lease_take_or_pay": _floats(c.take_or_pay_share for c in leases),
        "lessor_ids": tuple(x.id for x in lessors),
        "lessor_cap_gw": _floats(
            np.inf if x.capacity_target_gw is None else x.capacity_target_gw for x in lessors
        ),
    }


def _floats(values: Iterable[float]) -> F64:
    return np.array(list(values), dtype=np.float64)


def _ints(values: Iterable[int]) -> I64:
    return np.array(list(values), dtype=np.int64)
