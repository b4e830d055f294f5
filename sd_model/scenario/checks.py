"""Checks across a scenario's tables: references, duplicates, periods, totals.

Each check returns `Problem` objects located by table name and 1-based row;
the file loader translates table names to file names. Field-level checks
(types, signs, ranges) are done by the entity models themselves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sd_model.scenario.counterparties import check_counterparties
from sd_model.scenario.errors import Problem
from sd_model.scenario.keys import TABLE_ROW_KEYS, row_key
from sd_model.scenario.milestones import check_milestones
from sd_model.scenario.periods import Horizon

if TYPE_CHECKING:
    from sd_model.scenario.definition import Scenario
    from sd_model.scenario.schedule import Schedule

__all__ = ["TOTAL_TOLERANCE_GW", "check_scenario", "check_schedule"]

TOTAL_TOLERANCE_GW = 1e-6


def check_scenario(scenario: Scenario) -> list[Problem]:
    """Return every cross-table problem of ``scenario`` (empty when valid)."""
    return [
        *_duplicates(scenario),
        *_references(scenario),
        *_periods(scenario),
        *check_schedule(scenario, scenario.announced_schedule),
        *_years(scenario),
        *_leases(scenario),
        *check_counterparties(scenario),
        *check_milestones(scenario),
    ]


def _duplicates(scenario: Scenario) -> Iterable[Problem]:
    for table in TABLE_ROW_KEYS:
        rows = [r.model_dump() for r in getattr(scenario, table)]
        counts = Counter(row_key(table, r) for r in rows)
        seen: set[str] = set()
        for i, row in enumerate(rows, start=1):
            key = row_key(table, row)
            if counts[key] > 1 and key in seen:
                columns = "/".join(TABLE_ROW_KEYS[table])
                yield Problem(table, f"each {columns} to appear once", i, columns, key)
            seen.add(key)


def _one_of(kind: str, ids: Iterable[str]) -> str:
    return f"one of the {kind} defined in the scenario ({', '.join(sorted(ids)) or 'none'})"


def _references(scenario: Scenario) -> Iterable[Problem]:
    regions = {r.id for r in scenario.regions}
    options = {o.id for o in scenario.onsite_options}
    for i, site in enumerate(scenario.sites, start=1):
        if site.region not in regions:
            yield Problem("sites", _one_of("regions", regions), i, "region", site.region)
        for option in site.onsite_option_ids:
            if option not in options:
                yield Problem(
                    "sites", _one_of("on-site options", options), i, "onsite_option_ids", option
                )
    for table in ("headroom", "ppa_options"):
        for i, row in enumerate(getattr(scenario, table), start=1):
            if row.region not in regions:
                yield Problem(table, _one_of("regions", regions), i, "region", row.region)


def _period_problem(
    scenario: Scenario, table: str, row: int, field: str, label: str, horizon: Horizon = "sd"
) -> Problem | None:
    try:
        scenario.periods.index(label, horizon)
    except ValueError as err:
        return Problem(table, str(err).split(", got")[0], row, field, label)
    return None


def _periods(scenario: Scenario) -> Iterable[Problem]:
    found: list[Problem | None] = []
    for i, step in enumerate(scenario.headroom, start=1):
        found.append(_period_problem(scenario, "headroom", i, "from_period", step.from_period))
    for i, site in enumerate(scenario.sites, start=1):
        label = site.earliest_energization_period
        found.append(_period_problem(scenario, "sites", i, "earliest_energization_period", label))
        if site.contract_in_service_period:
            found.append(
                _period_problem(
                    scenario,
                    "sites",
                    i,
                    "contract_in_service_period",
                    site.contract_in_service_period,
                )
            )
    for i, vendor in enumerate(scenario.vendors, start=1):
        first = _period_problem(
            scenario, "vendors", i, "earliest_delivery_period", vendor.earliest_delivery_period
        )
        last = _period_problem(scenario, "vendors", i, "deadline_period", vendor.deadline_period)
        found += [first, last]
        if first is None and last is None:
            grid = scenario.periods
            if grid.index(vendor.deadline_period) < grid.index(vendor.earliest_delivery_period):
                found.append(
                    Problem(
                        "vendors",
                        f"a deadline not before earliest_delivery_period "
                        f"({vendor.earliest_delivery_period})",
                        i,
                        "deadline_period",
                        vendor.deadline_period,
                    )
                )
    return [p for p in found if p is not None]


def check_schedule(
    scenario: Scenario, schedule: Schedule, where: str = "announced_schedule"
) -> list[Problem]:
    """Problems of a delivery schedule against a scenario's vendors, sites, grid and contracts."""
    return list(_schedule(scenario, schedule, where))


def _schedule(scenario: Scenario, schedule: Schedule, where: str) -> Iterable[Problem]:
    frame = schedule.frame
    vendors = {v.id for v in scenario.vendors}
    sites = {s.id for s in scenario.sites}
    # Plain lists and one check per distinct period: sweeps run this for every sample.
    columns = [frame[c].tolist() for c in ("vendor", "site", "period", "gw")]
    bad_periods: dict[str, Problem | None] = {}
    totals: dict[str, float] = {}
    for i, (vendor, site, period, gw) in enumerate(zip(*columns, strict=True), start=1):
        totals[vendor] = totals.get(vendor, 0.0) + float(gw)
        if vendor not in vendors:
            yield Problem(where, _one_of("vendors", vendors), i, "vendor", vendor)
        if site and site not in sites:
            yield Problem(where, _one_of("sites", sites) + " or empty", i, "site", site)
        label = str(period)
        if label not in bad_periods:
            bad_periods[label] = _period_problem(scenario, where, 1, "period", label)
        problem = bad_periods[label]
        if problem is not None:
            yield Problem(where, problem.expected, i, "period", label)
    for vendor in scenario.vendors:
        total = totals.get(vendor.id, 0.0)
        if total > vendor.contract_total_gw + TOTAL_TOLERANCE_GW:
            yield Problem(
                where,
                f"scheduled GW for vendor '{vendor.id}' at most its contract_total_gw "
                f"({vendor.contract_total_gw:g} GW)",
                None,
                "gw",
                round(total, 6),
            )


def _years(scenario: Scenario) -> Iterable[Problem]:
    years = scenario.periods.years("sd")
    first, last = years[0], years[-1]
    series = {
        "financing.external_funding_busd_by_year": scenario.financing.external_funding_busd_by_year,
        "policy.ppa_coverage_target_by_year": scenario.policy.ppa_coverage_target_by_year,
    }
    for field, values in series.items():
        for year in values:
            if not first <= year <= last:
                yield Problem(
                    "scenario", f"a year from {first} to {last} (the SD horizon)", None, field, year
                )


def _leases(scenario: Scenario) -> Iterable[Problem]:
    """Leases name known lessors, regions and sites the lab does not own; stakes known parties."""
    lessors = {lessor.id for lessor in scenario.lessors}
    regions = {r.id for r in scenario.regions}
    site_region = {s.id: s.region for s in scenario.sites}
    owned_gw = {s.id: s.max_gw for s in scenario.sites}
    for i, lease in enumerate(scenario.lease_contracts, start=1):
        if lease.lessor not in lessors:
            yield Problem("lease_contracts", _one_of("lessors", lessors), i, "lessor", lease.lessor)
        if lease.region and lease.region not in regions:
            expected = _one_of("regions", regions) + " or empty"
            yield Problem("lease_contracts", expected, i, "region", lease.region)
        if lease.site and lease.site not in site_region:
            expected = _one_of("sites", site_region) + " or empty"
            yield Problem("lease_contracts", expected, i, "site", lease.site)
        elif lease.site and lease.region in regions and site_region[lease.site] != lease.region:
            expected = f"a site in region {lease.region} (site {lease.site} is in "
            expected += f"{site_region[lease.site]})"
            yield Problem("lease_contracts", expected, i, "site", lease.site)
        elif lease.site and owned_gw[lease.site] > 0:
            # the lessor's capacity at the site is the lease; owning it too counts it twice
            expected = f"a site the lab does not own (site {lease.site} has max_gw "
            expected += f"{owned_gw[lease.site]} > 0: set it to 0 or leave the lease's site empty)"
            yield Problem("lease_contracts", expected, i, "site", lease.site)
        problem = _period_problem(
            scenario, "lease_contracts", i, "start_period", lease.start_period
        )
        if problem is not None:
            yield problem
    parties = {"lab"} | lessors | {v.id for v in scenario.vendors}
    held: dict[str, float] = {}
    for i, stake in enumerate(scenario.equity_stakes, start=1):
        for field in ("holder", "company"):
            party = getattr(stake, field)
            if party not in parties:
                expected = _one_of("parties", parties) + " ('lab', a vendor or a lessor)"
                yield Problem("equity_stakes", expected, i, field, party)
        if stake.holder == stake.company:
            yield Problem(
                "equity_stakes", "a holder other than the company", i, "holder", stake.holder
            )
        held[stake.company] = held.get(stake.company, 0.0) + stake.share
    for company, share in held.items():
        if share > 1 + 1e-9:
            yield Problem(
                "equity_stakes",
                f"shares of '{company}' adding up to at most 1",
                None,
                "share",
                round(share, 6),
            )
    if scenario.perspective not in {"lab"} | lessors:
        yield Problem(
            "scenario",
            _one_of("lessors", lessors) + " or 'lab'",
            None,
            "perspective",
            scenario.perspective,
        )
