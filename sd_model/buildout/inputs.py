"""Scenario and schedule → the arrays the build-out model reads.

Everything the model needs from a :class:`~sd_model.Scenario` is laid out
here once, as numpy arrays over the model's dimensions (``vendor``, ``site``,
``region``), so that the sector modules only declare equations. Sites are
ordered by building priority (announced Stargate sites first, then the file
order), which the shell-start rule relies on.

The vendor dimension has one extra coordinate, ``installed``: the fleet
already running at the start (at candidate sites and off-site), which is
nobody's order and retires over the depreciation life.

A scenario with lessors adds a ``lessor`` dimension (last axis): the
committed lease contracts of each lessor summed into per-period series of
contracted GW, full payment and take-or-pay minimum (each contract's GW per
period is `sd_model.frames.ScenarioFrames.lease_profile_gw`). Without lessors there is
no such dimension and the model is the one it always was.

Uncertain parameters given as samples (see :func:`sd_model.buildout.sampling.sample_params`) become
engine ``params`` with a leading sample axis, keyed by the same names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sd_model.buildout.fixed import fixed_series
from sd_model.buildout.input_series import exogenous_series
from sd_model.buildout.lease_inputs import lease_inputs
from sd_model.scenario.decisions import Decisions
from sd_model.scenario.definition import Scenario
from sd_model.scenario.entities import OnsiteOption
from sd_model.scenario.periods import HOURS_PER_YEAR, Frequency, format_period, parse_period
from sd_model.scenario.schedule import Schedule
from sd_model.scenario.sections import SimulationSettings

__all__ = [
    "INSTALLED",
    "NO_BUILD_LIMIT_GW",
    "SCALAR_CONSTANTS",
    "TABLE_CONSTANTS",
    "ModelInputs",
    "model_inputs",
]

FloatArray = NDArray[np.float64]

#: Build limit of an on-site option without one [GW per year] (no limit in practice).
NO_BUILD_LIMIT_GW = 1e6

#: Vendor coordinate of the fleet running at the start.
INSTALLED = "installed"

#: (table, field) of a scenario key -> (model constant, dimension) for table fields.
TABLE_CONSTANTS: Mapping[tuple[str, str], tuple[str, str]] = {
    ("vendors", "capex_busd_per_gw"): ("it_capex_first_year_busd_per_gw", "vendor"),
    ("vendors", "perf_per_watt_relative"): ("perf_per_watt_first_year", "vendor"),
    ("vendors", "financing_busd_per_gw"): ("financing_busd_per_gw", "vendor"),
    ("vendors", "financing_cap_busd"): ("financing_cap_busd", "vendor"),
    ("vendors", "financing_repayment_years"): ("financing_repayment_years", "vendor"),
    ("vendors", "financing_rate_per_year"): ("financing_rate_per_year", "vendor"),
    ("vendors", "warrant_shares_million"): ("warrant_shares_million", "vendor"),
    ("vendors", "warrant_full_vest_gw"): ("warrant_full_vest_gw", "vendor"),
    ("vendors", "warrant_price_hurdle_usd"): ("warrant_price_hurdle_usd", "vendor"),
    ("vendors", "share_price_usd_at_start"): ("share_price_usd_at_start", "vendor"),
    ("vendors", "share_price_response_per_gw"): ("share_price_response_per_gw", "vendor"),
    ("sites", "max_gw"): ("site_max_gw", "site"),
    ("sites", "energized_gw_at_start"): ("site_energized_gw_at_start", "site"),
    ("sites", "shell_ready_gw_at_start"): ("shell_ready_gw_at_start", "site"),
    ("sites", "interconnected_gw_at_start"): ("interconnected_gw_at_start", "site"),
    ("sites", "grid_limit_gw"): ("grid_limit_gw", "site"),
    ("sites", "shell_lead_quarters"): ("shell_lead_quarters", "site"),
    ("sites", "shell_capex_busd_per_gw"): ("shell_capex_busd_per_gw", "site"),
    ("regions", "interconnection_lead_quarters"): ("interconnection_lead_quarters", "region"),
    ("regions", "queue_attrition_fraction"): ("queue_attrition_fraction", "region"),
    ("regions", "wholesale_price_usd_per_mwh"): ("wholesale_price_usd_per_mwh", "region"),
    ("regions", "capacity_price_usd_per_mwh"): ("capacity_price_usd_per_mwh", "region"),
    ("regions", "delivery_price_usd_per_mwh"): ("delivery_price_usd_per_mwh", "region"),
}

_GROWTH = "demand.demand_growth_per_year"

#: Scenario keys of scalar settings -> model constant.
SCALAR_CONSTANTS: Mapping[str, str] = {
    "pue": "pue",
    "offsite_energized_gw_at_start": "offsite_energized_gw_at_start",
    "financing.starting_cash_busd": "starting_cash_busd",
    "financing.valuation_busd_at_start": "valuation_busd_at_start",
    "financing.debt_capacity_busd": "debt_capacity_busd",
    "financing.debt_rate_per_year": "debt_rate_per_year",
    "financing.facility_debt_share": "facility_debt_share",
    "demand.compute_demand_gw_at_start": "compute_demand_gw_at_start",
    "demand.demand_growth_per_year": "demand_growth_per_year",
    "demand.compute_price_decline_per_year": "compute_price_decline_per_year",
    "demand.price_elasticity": "price_elasticity",
    "demand.revenue_busd_per_gw_year_at_start": "revenue_busd_per_gw_year_at_start",
    "demand.usage_linked_revenue_share_at_start": "usage_linked_revenue_share_at_start",
    "costs.it_depreciation_years": "it_depreciation_years",
    "costs.opex_busd_per_gw_year": "opex_busd_per_gw_year",
    "simulation.energization_quarters": "energization_quarters",
    "simulation.decision_quarters": "decision_quarters",
    "simulation.deferred_catch_up_quarters": "deferred_catch_up_quarters",
    "simulation.cash_buffer_quarters": "cash_buffer_quarters",
    "simulation.warrant_liquidity_share": "warrant_liquidity_share",
    "simulation.offsite_lease_busd_per_gw_year": "offsite_lease_busd_per_gw_year",
}


@dataclass(frozen=True)
class ModelInputs:
    """The scenario and schedule as arrays, ready to declare the model.

    Attributes
    ----------
    vendors, sites, regions : tuple of str
        Coordinates of the model's dimensions (sites in building-priority order).
    labels : list of str
        Period labels of the SD horizon.
    periods_per_year : int
        Periods in a year (4 for quarters).
    constants : dict
        Model constants: name -> (dims, value).
    series : dict
        Time series: name -> (dims, times, values, interpolation).
    site_region : ndarray
        Membership matrix shaped ``(1, 1, sites, regions)`` in the engine layout.
    settings : SimulationSettings
        The model settings in force.
    schedule_total_gw : dict
        Total scheduled GW per vendor (to scale a vendor's schedule by samples).
    lessors : tuple of str
        Coordinates of the ``lessor`` dimension (empty: the scenario has no lessors).
    onsite_technology : tuple of str
        Per site, the on-site option it builds ('' where it has none); sites that
        share an option share its yearly build limit.
    """

    vendors: tuple[str, ...]
    sites: tuple[str, ...]
    regions: tuple[str, ...]
    labels: list[str]
    periods_per_year: int
    constants: dict[str, tuple[tuple[str, ...], Any]]
    series: dict[str, tuple[tuple[str, ...], FloatArray, FloatArray, str]]
    site_region: FloatArray
    settings: SimulationSettings
    schedule_total_gw: dict[str, float] = field(default_factory=dict)
    lessors: tuple[str, ...] = ()
    onsite_technology: tuple[str, ...] = ()

    @property
    def dims(self) -> dict[str, tuple[str, ...]]:
        """Dimensions of the model, in axis order (``lessor`` last, only with lessors)."""
        dims = {"vendor": self.vendors, "site": self.sites, "region": self.regions}
        if self.lessors:
            dims["lessor"] = self.lessors
        return dims

    @property
    def hours_per_period(self) -> float:
        """Hours in one period [h] (the calendar's `HOURS_PER_YEAR`)."""
        return HOURS_PER_YEAR / self.periods_per_year

    @property
    def quarters_to_periods(self) -> float:
        """Periods per quarter (1 for a quarterly grid, 3 for a monthly one)."""
        return self.periods_per_year / 4

    def time_labels(self) -> list[str]:
        """Label of the period starting at each saved time 0..n (the last is the end)."""
        scenario_end = self.labels[-1]
        frequency: Frequency = "quarter" if self.periods_per_year == 4 else "month"
        return [*self.labels, format_period(parse_period(scenario_end, frequency) + 1, frequency)]


def model_inputs(
    scenario: Scenario,
    schedule: Schedule | None = None,
    decisions: Decisions | None = None,
    *,
    attrition: bool = True,
) -> ModelInputs:
    """Lay out ``scenario`` and ``schedule`` (default: the announced one) as model inputs.

    Long because it gathers every input table of the simulation in one pass.

    ``decisions`` (whose deliveries replace ``schedule``) add the series of
    what they fix (`sd_model.buildout.fixed`); without ``attrition`` no
    interconnection request drops out of the queue.

    Raises
    ------
    ValueError
        If the schedule names a vendor the scenario does not have.
    """
    if decisions is not None:
        schedule = decisions.schedule
    schedule = scenario.announced_schedule if schedule is None else schedule
    settings = scenario.simulation or SimulationSettings()
    vendor_ids = [v.id for v in scenario.vendors]
    unknown = sorted(set(schedule.total_by_vendor()) - set(vendor_ids))
    if unknown:
        raise ValueError(f"the schedule names vendors {unknown} that the scenario lacks")
    if INSTALLED in vendor_ids:
        raise ValueError(f"vendor id '{INSTALLED}' is reserved for the fleet running at the start")
    sites = sorted(scenario.sites, key=lambda s: not s.stargate)  # stable: file order within
    grid = scenario.periods
    labels = grid.labels("sd")
    constants = _table_constants(scenario, sites)
    constants.update(_scalar_constants(scenario, settings))
    constants.update(_derived_constants(scenario, sites, len(labels)))
    constants["schedule_scale"] = (("vendor",), np.ones(len(vendor_ids) + 1))
    constants["demand_outlook_selected"] = ((), float(bool(scenario.demand.outlook)))
    lives = [v.useful_life_years or 0.0 for v in scenario.vendors]  # 0: the scenario's life
    constants["vendor_life_years"] = (("vendor",), np.array([*lives, 0.0]))
    if not attrition:
        constants["queue_attrition_fraction"] = (("region",), np.zeros(len(scenario.regions)))
    series = exogenous_series(scenario, schedule, vendor_ids, settings, labels)
    site_ids = [s.id for s in sites]
    series.update(fixed_series(scenario, decisions, [*vendor_ids, INSTALLED], site_ids, labels))
    region_ids = [r.id for r in scenario.regions]
    membership = np.array([[float(s.region == r) for r in region_ids] for s in sites])
    lessor_ids = tuple(lessor.id for lessor in scenario.lessors)
    takeups = (
        {}
        if decisions is None or decisions.lease_takeups is None
        else {str(c): float(v) for c, v in decisions.lease_takeups.itertuples(index=False)}
    )
    lease_constants, lease_series = lease_inputs(scenario, lessor_ids, len(labels), takeups)
    constants.update(lease_constants)
    series.update(lease_series)
    rank_pad = (1,) if lessor_ids else ()
    totals = schedule.total_by_vendor()
    return ModelInputs(
        vendors=(*vendor_ids, INSTALLED),
        sites=tuple(s.id for s in sites),
        regions=tuple(region_ids),
        labels=labels,
        periods_per_year=grid.periods_per_year,
        constants=constants,
        series=series,
        site_region=membership.reshape(1, 1, len(sites), len(region_ids), *rank_pad),
        settings=settings,
        schedule_total_gw={v: totals.get(v, 0.0) for v in vendor_ids},
        lessors=lessor_ids,
        onsite_technology=tuple(
            o.id if o is not None else "" for o in _chosen_onsite(scenario, sites)
        ),
    )


def _table_constants(scenario: Scenario, sites: list[Any]) -> dict[str, Any]:
    """Table fields read through the scenario's one numeric view (`ScenarioFrames`)."""
    frames = scenario.frames("sd")
    tables = {
        "vendors": frames.vendors,
        "sites": frames.sites.loc[[site.id for site in sites]],  # building-priority order
        "regions": frames.regions,
    }
    out: dict[str, Any] = {}
    for (table, name), (constant, dim) in TABLE_CONSTANTS.items():
        values = tables[table][name].to_numpy(dtype=np.float64)
        if dim == "vendor":
            values = np.append(values, _installed_value(name))
        out[constant] = ((dim,), values)
    return out


def _installed_value(name: str) -> float:
    """Parameters of the fleet running at the start: reference generation, no deal terms."""
    return 1.0 if name == "perf_per_watt_relative" else 0.0


def _scalar_constants(scenario: Scenario, settings: SimulationSettings) -> dict[str, Any]:
    data = scenario.model_dump(include={"pue", "offsite_energized_gw_at_start"})
    data.update({f"{k}": v for k, v in _flat("financing", scenario.financing.model_dump())})
    data.update(dict(_flat("demand", scenario.demand.model_dump())))
    data.update(dict(_flat("costs", scenario.costs.model_dump())))
    data.update(dict(_flat("simulation", settings.model_dump())))
    return {name: ((), float(data[key])) for key, name in SCALAR_CONSTANTS.items()}


def _flat(section: str, values: Mapping[str, Any]) -> list[tuple[str, Any]]:
    return [(f"{section}.{k}", v) for k, v in values.items() if not isinstance(v, dict)]


def _derived_constants(scenario: Scenario, sites: list[Any], n_periods: int) -> dict[str, Any]:
    """Per-site gates and on-site options, per-region pooled PPA options."""
    grid = scenario.periods
    opening = []
    for s in sites:
        position = parse_period(s.earliest_energization_period, grid.frequency) - parse_period(
            grid.start_period, grid.frequency
        )
        opening.append(float(min(max(position, 0), n_periods + 1)))
    chosen = _chosen_onsite(scenario, sites)
    out: dict[str, Any] = {
        "site_opening_period": (("site",), np.array(opening)),
        "contracted_grid_gw": (("site",), np.array([s.contracted_grid_gw for s in sites])),
        "contract_in_service_time": (("site",), _contract_times(scenario, sites, n_periods)),
        "onsite_allowed": (("site",), np.array([float(o is not None) for o in chosen])),
        "onsite_build_limit_gw_per_year": (
            ("site",),
            np.array(
                [
                    NO_BUILD_LIMIT_GW
                    if o is None or o.max_build_gw_per_year is None
                    else o.max_build_gw_per_year
                    for o in chosen
                ]
            ),
        ),
    }
    for name, attr, default in (
        ("onsite_capex_busd_per_gw", "capex_busd_per_gw", 0.0),
        ("onsite_lead_quarters", "lead_quarters", 1.0),
        ("onsite_cost_usd_per_mwh", "cost_usd_per_mwh", 0.0),
        ("onsite_availability_factor", "availability_factor", 1.0),
        ("onsite_fixed_om_busd_per_gw_year", "fixed_om_busd_per_gw_year", 0.0),
        ("onsite_is_bridge", "bridge", 0.0),
    ):
        values = [float(getattr(o, attr)) if o is not None else default for o in chosen]
        out[name] = (("site",), np.array(values))
    out.update(_ppa_constants(scenario))
    return out


def _contract_times(scenario: Scenario, sites: list[Any], n_periods: int) -> FloatArray:
    """Per site, the contract's in-service time [periods since the start]; never: past the end."""
    grid, never = scenario.periods, float(n_periods + 1)
    origin = parse_period(grid.start_period, grid.frequency)
    times = [
        float(parse_period(s.contract_in_service_period, grid.frequency) - origin)
        if s.contracted_grid_gw > 0
        else never
        for s in sites
    ]
    return np.maximum(np.array(times, dtype=np.float64), 0.0)


def _chosen_onsite(scenario: Scenario, sites: list[Any]) -> list[OnsiteOption | None]:
    """Per site, the on-site option the simulation builds: the fastest it allows (or None)."""
    options = {o.id: o for o in scenario.onsite_options}
    return [
        min((options[i] for i in s.onsite_option_ids), key=lambda o: o.lead_quarters, default=None)
        for s in sites
    ]


def _ppa_constants(scenario: Scenario) -> dict[str, Any]:
    """A region's PPA options pooled: summed nameplate, nameplate-weighted CF, price and lead."""
    cap, cf, price, lead = [], [], [], []
    for region in scenario.regions:
        opts = [o for o in scenario.ppa_options if o.region == region.id and o.max_gw > 0]
        total = sum(o.max_gw for o in opts)
        cap.append(total)
        weights = [o.max_gw / total for o in opts] if total > 0 else []
        cf.append(sum(w * o.capacity_factor for w, o in zip(weights, opts, strict=True)) or 1.0)
        energy = sum(w * o.capacity_factor for w, o in zip(weights, opts, strict=True))
        price.append(
            sum(
                w * o.capacity_factor * o.price_usd_per_mwh
                for w, o in zip(weights, opts, strict=True)
            )
            / energy
            if energy > 0
            else 0.0
        )
        lead.append(sum(w * o.lead_quarters for w, o in zip(weights, opts, strict=True)) or 1.0)
    return {
        "ppa_max_gw": (("region",), np.array(cap)),
        "ppa_capacity_factor": (("region",), np.array(cf)),
        "ppa_price_usd_per_mwh": (("region",), np.array(price)),
        "ppa_lead_quarters": (("region",), np.array(lead)),
    }
