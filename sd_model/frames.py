"""ScenarioFrames: the one numeric view of a Scenario, built once per horizon.

The simulation and the LP read a scenario's numbers through this view, never
through private copies. Entity tables are DataFrames indexed by id with the
scenario's own unit-suffixed column names; per-period series are indexed by
period label over one horizon (``"lp"`` or ``"sd"``). The calendar (hours per
period, quarters to periods, discounting) is the grid's
(`sd_model.scenario.periods.PeriodGrid`); the lease profile is defined here
and only here.

Examples
--------
>>> import sd_model
>>> frames = sd_model.load_scenario("tests/scenarios/tiny").frames("lp")
>>> frames.sites.loc["TXA", "max_gw"]
np.float64(1.0)
>>> frames.headroom_gw.index.name, frames.headroom_gw.columns.name
('period', 'region')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from pydantic import BaseModel

from sd_model.scenario.entities import (
    LeaseContract,
    Lessor,
    OnsiteOption,
    PPAOption,
    Region,
    Site,
    Vendor,
)
from sd_model.scenario.periods import Horizon, PeriodGrid, parse_period

if TYPE_CHECKING:
    from sd_model.scenario.definition import Scenario

__all__ = [
    "ScenarioFrames",
    "lease_profile_gw",
    "lease_timing",
    "reference_demand_gw",
    "vintage_index",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class ScenarioFrames:
    """A scenario's numbers as frames over one horizon.

    Attributes
    ----------
    scenario
        The scenario viewed (its scalar sections are read from it directly).
    horizon
        ``"lp"`` or ``"sd"``: which end of the period grid the series run to.
    periods
        Period labels of the horizon (index named ``period``).
    regions, sites, vendors, onsite_options, lessors, lease_contracts
        One row per entity, indexed by its id, columns as in the scenario.
    ppa_options
        One row per PPA option, indexed ``"REGION:technology"``.
    headroom_gw
        Large-load headroom per period and region [GW facility, cumulative].
    ppa_coverage_target
        Clean-energy coverage target per period [-].
    external_funding_busd
        External funding arriving in each period [$B per period]: each
        year's amount spread evenly over its periods.
    compute_demand_gw
        Reference compute demand at the start of each period [GW of reference
        compute] (`reference_demand_gw`: the selected outlook's path, or
        ``demand_growth_per_year``); the LP's demand, and the simulation's when
        the price is on its reference path.
    revenue_busd_per_gw_year
        Revenue of one GW of reference compute served, per period [$B per GW-year]:
        ``revenue_busd_per_gw_year_at_start`` / the market's reference perf/W
        (``demand.reference_perf_per_watt_by_year``, default 1: revenue per physical
        GW of the reference generation is held constant; see docs/buildout.md,
        "Demand and revenue"). Both models earn it.
    lease_profile_gw
        Each lease contract's GW per period at full take-up [GW IT]
        (`lease_profile_gw`; an option starts no earlier than its lead time).
    announced_gw
        Announced deliveries per period and vendor, summed over sites [GW IT].
    delivery_perf_per_watt
        Perf/W of a vendor's hardware delivered in each period [-]
        (`vintage_index`: ``perf_per_watt_relative`` grown at
        ``perf_per_watt_growth_per_year`` per delivery year).
    delivery_capex_busd_per_gw
        IT capex per GW of a vendor's hardware delivered in each period [$B/GW]
        (``capex_busd_per_gw`` changed at ``capex_change_per_year`` per delivery year).
    """

    scenario: Scenario
    horizon: Horizon
    periods: pd.Index
    regions: pd.DataFrame
    sites: pd.DataFrame
    vendors: pd.DataFrame
    ppa_options: pd.DataFrame
    onsite_options: pd.DataFrame
    lessors: pd.DataFrame
    lease_contracts: pd.DataFrame
    headroom_gw: pd.DataFrame
    ppa_coverage_target: pd.Series
    external_funding_busd: pd.Series
    compute_demand_gw: pd.Series
    revenue_busd_per_gw_year: pd.Series
    lease_profile_gw: pd.DataFrame
    announced_gw: pd.DataFrame
    delivery_perf_per_watt: pd.DataFrame
    delivery_capex_busd_per_gw: pd.DataFrame

    @classmethod
    def from_scenario(cls, scenario: Scenario, horizon: Horizon = "lp") -> ScenarioFrames:
        """Build the view of ``scenario`` over ``horizon`` (prefer ``scenario.frames()``).

        Long because it builds each field of the view in turn, one expression each.
        """
        grid = scenario.periods
        labels = pd.Index(grid.labels(horizon), name="period")
        funding = scenario.financing.external_funding_busd_by_year
        ppas = _table(scenario.ppa_options, PPAOption)
        ppas.index = pd.Index(
            [f"{p.region}:{p.technology}" for p in scenario.ppa_options], name="ppa_option"
        )
        return cls(
            scenario=scenario,
            horizon=horizon,
            periods=labels,
            regions=_table(scenario.regions, Region, "region"),
            sites=_table(scenario.sites, Site, "site"),
            vendors=_table(scenario.vendors, Vendor, "vendor"),
            ppa_options=ppas,
            onsite_options=_table(scenario.onsite_options, OnsiteOption, "onsite_option"),
            lessors=_table(scenario.lessors, Lessor, "lessor"),
            lease_contracts=_table(scenario.lease_contracts, LeaseContract, "lease_contract"),
            headroom_gw=_by_period(
                {r.id: scenario.headroom_gw(r.id, horizon) for r in scenario.regions},
                labels,
                "region",
            ),
            ppa_coverage_target=pd.Series(
                scenario.ppa_coverage_target(horizon), index=labels, name="ppa_coverage_target"
            ),
            external_funding_busd=pd.Series(
                [funding.get(grid.year(p), 0.0) * grid.years_per_period for p in labels],
                index=labels,
                name="external_funding_busd",
                dtype=float,
            ),
            compute_demand_gw=pd.Series(
                reference_demand_gw(scenario, len(labels))[:-1],
                index=labels,
                name="compute_demand_gw",
            ),
            revenue_busd_per_gw_year=pd.Series(
                [
                    scenario.demand.revenue_busd_per_gw_year_at_start
                    / scenario.demand.reference_perf_per_watt(grid.year(p))
                    for p in labels
                ],
                index=labels,
                name="revenue_busd_per_gw_year",
                dtype=float,
            ),
            lease_profile_gw=_by_period(
                {
                    c.id: lease_profile_gw(*lease_timing(c, grid), c.gw, len(labels))
                    for c in scenario.lease_contracts
                },
                labels,
                "lease_contract",
            ),
            announced_gw=_by_period(
                dict(
                    zip(
                        [v.id for v in scenario.vendors],
                        _announced(scenario, [v.id for v in scenario.vendors], list(labels)),
                        strict=True,
                    )
                ),
                labels,
                "vendor",
            ),
            delivery_perf_per_watt=_curve(
                scenario, labels, "perf_per_watt_relative", "perf_per_watt_growth_per_year"
            ),
            delivery_capex_busd_per_gw=_curve(
                scenario, labels, "capex_busd_per_gw", "capex_change_per_year"
            ),
        )

    @property
    def grid(self) -> PeriodGrid:
        """The scenario's period grid (the calendar)."""
        return self.scenario.periods

    @property
    def period_year(self) -> pd.Series:
        """Calendar year of each period."""
        return pd.Series([self.grid.year(p) for p in self.periods], index=self.periods)

    def discount(self) -> FloatArray:
        """Discount factor at the start of each period at the scenario's rate [-]."""
        return self.grid.discount_factors(self.scenario.discount_rate_per_year, self.horizon)

    def discount_at_end(self) -> float:
        """Discount factor at the end of the horizon [-]."""
        years = len(self.periods) * self.grid.years_per_period
        return float((1.0 + self.scenario.discount_rate_per_year) ** -years)


def reference_demand_gw(scenario: Scenario, n_periods: int) -> FloatArray:
    """Reference compute demand at the period boundaries 0..n [GW of reference compute].

    :math:`D_{k+1} = D_k (1 + g_{y(k)})^{1/n_y}`: period k grows at the rate of
    its calendar year :math:`y(k)` (`sd_model.scenario.sections.Demand.growth_in`),
    :math:`n_y` periods a year; :math:`D_0` = ``compute_demand_gw_at_start``.

    Examples
    --------
    >>> import sd_model
    >>> s = sd_model.load_scenario("tests/scenarios/tiny")
    >>> float(reference_demand_gw(s, 4)[0]) == s.demand.compute_demand_gw_at_start
    True
    """
    grid, demand = scenario.periods, scenario.demand
    labels = grid.labels("sd")
    years = [grid.year(labels[min(k, len(labels) - 1)]) for k in range(n_periods)]
    factors = [(1.0 + demand.growth_in(y)) ** grid.years_per_period for y in years]
    steps = np.concatenate([[1.0], np.cumprod(np.asarray(factors, dtype=np.float64))])
    return np.asarray(demand.compute_demand_gw_at_start * steps, dtype=np.float64)


def vintage_index(scenario: Scenario, labels: Sequence[str], rate: float) -> FloatArray:
    """:math:`(1 + r)^{y - y_0}` per period: a value changing at ``rate`` per delivery year.

    :math:`y` is the period's calendar year and :math:`y_0` the grid's first year.

    Examples
    --------
    >>> import sd_model
    >>> s = sd_model.load_scenario("tests/scenarios/tiny")
    >>> vintage_index(s, ["2026Q4", "2027Q1"], 0.5).tolist()
    [1.0, 1.5]
    """
    grid = scenario.periods
    first = grid.year(grid.start_period)
    ages = np.array([grid.year(p) - first for p in labels], dtype=np.float64)
    return np.asarray(np.power(1.0 + rate, ages), dtype=np.float64)


def _curve(scenario: Scenario, labels: pd.Index, value: str, rate: str) -> pd.DataFrame:
    """A vendor field by delivery period: its first-year value times its `vintage_index`."""
    return _by_period(
        {
            v.id: getattr(v, value) * vintage_index(scenario, list(labels), getattr(v, rate))
            for v in scenario.vendors
        },
        labels,
        "vendor",
    )


def lease_timing(lease: LeaseContract, grid: PeriodGrid) -> tuple[float, float, float]:
    """A lease contract's start, ramp length and end [periods since the grid's start].

    An uncommitted contract (an option) cannot start before its
    ``lead_quarters`` (rounded up to whole periods) have passed; a later start
    shifts the whole contract (ramp and term).
    """
    origin = parse_period(grid.start_period, grid.frequency)
    start = float(parse_period(lease.start_period, grid.frequency) - origin)
    if not lease.committed:
        start = max(start, float(grid.periods_from_quarters(lease.lead_quarters)))
    ramp = lease.ramp_quarters * grid.periods_per_quarter
    return start, ramp, start + ramp + lease.term_years * grid.periods_per_year


def lease_profile_gw(
    start: float, ramp: float, end: float, gw: float, n_periods: int
) -> FloatArray:
    """A lease's contracted GW averaged over each period ``[k, k+1)``, k = 0..n-1.

    The capacity ramps linearly from 0 at ``start`` to ``gw`` at
    ``start + ramp`` and stops at ``end`` (all in periods since the start of
    the grid, possibly negative). The averages are exact integrals of that
    profile, so a ramp or an end inside a period counts its share.

    Examples
    --------
    >>> lease_profile_gw(1.0, 2.0, 5.0, 1.0, 6).round(3).tolist()
    [0.0, 0.25, 0.75, 1.0, 1.0, 0.0]
    """

    def integral(t: FloatArray) -> FloatArray:  # of the ramp from -inf (no end) to t
        x = np.maximum(t - start, 0.0)
        if ramp <= 0:
            return x
        return np.where(x <= ramp, x * x / (2.0 * ramp), x - ramp / 2.0)

    edges = np.minimum(np.arange(n_periods + 1, dtype=np.float64), end)
    return np.asarray(gw * np.diff(integral(edges)), dtype=np.float64)


def _table(rows: Sequence[BaseModel], model: type[BaseModel], index: str = "") -> pd.DataFrame:
    """Entity rows as a frame with the model's field names (indexed by ``id`` if named)."""
    frame = pd.DataFrame([row.model_dump() for row in rows], columns=list(model.model_fields))
    if index:
        frame = frame.set_index("id")
        frame.index.name = index
    return frame


def _by_period(columns: dict[str, Any], labels: pd.Index, name: str) -> pd.DataFrame:
    """Per-period arrays keyed by entity id as a period × entity frame."""
    frame = pd.DataFrame(
        {k: np.asarray(v, dtype=float) for k, v in columns.items()}, index=labels, dtype=float
    )
    frame.columns.name = name
    return frame


def _announced(scenario: Scenario, vendor_ids: list[str], labels: list[str]) -> FloatArray:
    """GW per vendor and period of the announced schedule, summed over sites."""
    schedule = scenario.announced_schedule
    if len(schedule) == 0:
        return np.zeros((len(vendor_ids), len(labels)))
    return np.asarray(schedule.by_vendor_period(vendor_ids, labels), dtype=np.float64)
