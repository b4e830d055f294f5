"""The LP's view of a scenario: its `ScenarioFrames` over the LP horizon.

`ModelData` holds no copy of the scenario's numbers: components read the
entity frames (indexed by id, with the scenario's own column names) and the
per-period series of `sd_model.frames.ScenarioFrames`, and convert to the
LP's units with the helpers here:

- capacity in GW (IT unless the name says facility), money in $B,
- lead times in whole periods (`ModelData.lead_periods`: quarters rounded up
  to the grid),
- prices as $B per GW of average load over one period
  (`ModelData.busd_per_gw_period`: ``usd_per_mwh * hours_per_period * 1e-6``),
  so that coefficients stay within a few orders of magnitude of one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, TypeVar

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sd_model import Scenario, Schedule
from sd_model.frames import ScenarioFrames

__all__ = ["Mode", "ModelData", "ObjectiveKind", "Penalties", "deliveries_by_vendor_period"]

Mode = Literal["optimal", "announced_timing"]
"""How much of the timing the LP may choose.

``"optimal"``: deliveries, siting and power are all decisions.
``"announced_timing"``: each vendor's deliveries per period are fixed to the
announced schedule; siting, shells and power are optimized around them.
"""

ObjectiveKind = Literal["net_value", "cost"]
"""``"net_value"`` (default): maximise the NPV of money (revenue minus cost) less
the priced limit violations. ``"cost"``: minimise the NPV of cost and penalties;
revenue still reaches cash (defers deployment to contract deadlines)."""

F64 = NDArray[np.float64]
Numbers = TypeVar("Numbers", float, F64, pd.Series, pd.DataFrame)


@dataclass(frozen=True)
class Penalties:
    """Prices of the elastic slacks: limits the elastic plan may break, and at what price.

    A penalty is not money: the plan reports it apart (``Plan.penalty_busd``).
    Prices are per unit of *time* (per GW-year), so the plan does not depend on
    the period length; they are set above any economic value in the model, so
    that a slack is used only when the limit cannot be met at all, and the
    diagnosis then says which limit and by how much.

    Attributes
    ----------
    headroom_busd_per_gw_year
        Each facility GW connected beyond a region's headroom [$B per GW-year].
    contract_shortfall_busd_per_gw
        Each GW of a binding contract not delivered and energized by its
        deadline, once [$B per GW].
    unpowered_busd_per_gw_year
        Each facility GW of load present at the start that neither the grid nor
        on-site plant can supply [$B per GW-year].
    """

    headroom_busd_per_gw_year: float = 80.0
    contract_shortfall_busd_per_gw: float = 200.0
    unpowered_busd_per_gw_year: float = 240.0


@dataclass(frozen=True)
class ModelData:
    """The numbers of one LP: a scenario's frames over the LP horizon, read in LP units.

    Attributes
    ----------
    frames
        The scenario's `ScenarioFrames` over the LP horizon.
    objective
        ``"net_value"`` or ``"cost"`` (the value of compute is zero).
    penalties
        Prices of the elastic slacks.
    announced_gw
        Announced deliveries per period and vendor [GW]; ``None`` reads
        ``frames.announced_gw`` (a re-solve keeps the base scenario's).
    connection_share
        Share of each region's interconnection requests the plan expects to
        connect [-], by region id; a region not listed connects every request
        (1). The coupling sets it from the simulation's realised attrition
        (`optimization.coupling.feedback`).
    """

    frames: ScenarioFrames
    objective: ObjectiveKind = "net_value"
    penalties: Penalties = field(default_factory=Penalties)
    announced_gw: pd.DataFrame | None = None
    connection_share: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def from_scenario(
        cls,
        scenario: Scenario,
        *,
        objective: ObjectiveKind = "net_value",
        penalties: Penalties | None = None,
        connection_share: Mapping[str, float] | None = None,
    ) -> ModelData:
        """The LP's view of ``scenario``.

        Parameters
        ----------
        scenario
            The scenario to plan.
        objective
            With ``"cost"`` the value of compute is zero.
        penalties
            Slack prices; defaults to `Penalties()`.
        connection_share
            Expected connected share of requests per region [-] (default 1).
        """
        shares = dict(connection_share or {})
        unknown = sorted(set(shares) - {r.id for r in scenario.regions})
        if unknown:
            raise ValueError(f"connection_share names regions not in the scenario: {unknown}")
        return cls(
            scenario.frames("lp"),
            objective,
            penalties or Penalties(),
            connection_share=shares,
        )

    # -- the scenario's tables --------------------------------------------------
    @property
    def scenario(self) -> Scenario:
        """The scenario viewed (scalar sections are read from it)."""
        return self.frames.scenario

    @property
    def regions(self) -> pd.DataFrame:
        """Regions by id."""
        return self.frames.regions

    @property
    def sites(self) -> pd.DataFrame:
        """Candidate sites by id."""
        return self.frames.sites

    @property
    def vendors(self) -> pd.DataFrame:
        """Vendors by id."""
        return self.frames.vendors

    @property
    def ppa_options(self) -> pd.DataFrame:
        """PPA options by ``"REGION:technology"``."""
        return self.frames.ppa_options

    @property
    def onsite_options(self) -> pd.DataFrame:
        """On-site generation options by id."""
        return self.frames.onsite_options

    @property
    def lease_contracts(self) -> pd.DataFrame:
        """Lease contracts by id."""
        return self.frames.lease_contracts

    @property
    def lessors(self) -> pd.DataFrame:
        """Lessors by id."""
        return self.frames.lessors

    @property
    def announced(self) -> pd.DataFrame:
        """Announced deliveries per period and vendor [GW]."""
        return self.frames.announced_gw if self.announced_gw is None else self.announced_gw

    # -- the calendar -------------------------------------------------------------
    @cached_property
    def periods(self) -> tuple[str, ...]:
        """LP period labels."""
        return tuple(self.frames.periods)

    @property
    def n_periods(self) -> int:
        """Number of LP periods."""
        return len(self.frames.periods)

    @property
    def years_per_period(self) -> float:
        """Length of one period [yr]."""
        return self.frames.grid.years_per_period

    @property
    def hours_per_period(self) -> float:
        """Hours in one period [h]."""
        return self.frames.grid.hours_per_period

    @cached_property
    def period_year(self) -> F64:
        """Calendar year of each period."""
        return np.asarray(self.frames.period_year, dtype=np.int64)

    @cached_property
    def discount(self) -> F64:
        """Discount factor at the start of each period [-]: (1 + r) ** -(t · years per period)."""
        return self.frames.discount()

    @property
    def discount_end(self) -> float:
        """Discount factor at the end of the horizon [-]."""
        return self.frames.discount_at_end()

    def position(self, label: str) -> int:
        """Position of period ``label`` on the grid (may lie beyond the LP horizon)."""
        return self.frames.grid.index(label, "sd")

    def lead_periods(self, quarters: pd.Series) -> pd.Series:
        """Lead times in whole periods of the grid (rounded up) [periods]."""
        return quarters.map(self.frames.grid.periods_from_quarters).astype(int)

    def per_period(self, per_year: Numbers) -> Numbers:
        """An amount per year as the amount per period."""
        return per_year * self.years_per_period

    def busd_per_gw_period(self, usd_per_mwh: Numbers) -> Numbers:
        """A price [$/MWh] as $B per GW of average load over one period."""
        return usd_per_mwh * (self.hours_per_period * 1e-6)

    @property
    def it_life_periods(self) -> int:
        """Life of IT hardware in whole periods (``costs.it_depreciation_years``, at least 1)."""
        life = self.scenario.costs.it_depreciation_years * self.frames.grid.periods_per_year
        return max(1, round(life))

    @cached_property
    def vendor_life_years(self) -> dict[str, float]:
        """Service life of each vendor's hardware [yr].

        The vendor's ``useful_life_years``, else ``costs.it_depreciation_years``, as in
        the simulation.
        """
        default = self.scenario.costs.it_depreciation_years
        lives = self.vendors["useful_life_years"]
        return {str(v): default if pd.isna(life) else float(life) for v, life in lives.items()}

    @cached_property
    def vendor_life_periods(self) -> dict[str, int]:
        """`vendor_life_years` in whole periods (at least 1; `it_life_periods` by default)."""
        ppy = self.frames.grid.periods_per_year
        return {v: max(1, round(years * ppy)) for v, years in self.vendor_life_years.items()}

    @cached_property
    def contract_connected_gw(self) -> pd.DataFrame:
        """Grid supply in service under each site's signed utility contract [GW facility].

        Period × site: ``contracted_grid_gw`` from the period that holds
        ``contract_in_service_period`` on, 0 before it and at sites without a contract.
        """
        t = np.arange(self.n_periods)
        columns = {}
        for s, row in self.sites.iterrows():
            gw = float(row["contracted_grid_gw"])
            start = self.position(row["contract_in_service_period"]) if gw > 0 else self.n_periods
            columns[str(s)] = np.where(t >= start, gw, 0.0)
        frame = pd.DataFrame(columns, index=self.frames.periods, dtype=float)
        frame.columns.name = "site"
        return frame

    def start_fleet_left(self) -> F64:
        """Share of the fleet running at the start still running at each period's end [-].

        The start fleet retires evenly over one IT life, as in the simulation.
        """
        t = np.arange(self.n_periods)
        return np.asarray(np.clip(1.0 - (t + 1) / self.it_life_periods, 0.0, 1.0))

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
