"""Decisions: everything a plan fixes, the exchange format between the LP and the simulation.

A `Schedule` says only what is delivered when. `Decisions` carries the whole
plan, one tidy table per kind of decision (units in the column names):

==================  =============================================  ====================
table               columns                                        unit
==================  =============================================  ====================
``deliveries``      period, vendor, site, delivered_gw             GW IT in the period
``shell_starts``    period, site, shell_start_gw                   GW IT started
``grid_requests``   period, site, grid_request_gw                  GW facility filed
``onsite_builds``   period, site, option, build_gw                 GW nameplate started
``ppa_signings``    period, option, signed_gw                      GW nameplate signed
``lease_takeups``   contract, take_up_share                        share of the option
``installs``        period, site, install_gw                       GW IT energized
==================  =============================================  ====================

Deliveries are always given (an empty ``site`` is hardware whose site is
left open). Every other table is optional: a table that is present fixes
that decision everywhere (a site or period without rows gets none); a
missing table (``None``) leaves the decision to the simulation's
behavioural rules (docs/buildout.md, "Decisions").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import pandas as pd

from sd_model.scenario.errors import Problem, ScenarioError
from sd_model.scenario.schedule import Schedule

if TYPE_CHECKING:
    from sd_model.scenario.definition import Scenario

__all__ = ["DECISION_COLUMNS", "Decisions"]

#: Table name -> (key columns, value column).
DECISION_COLUMNS: Mapping[str, tuple[tuple[str, ...], str]] = {
    "deliveries": (("period", "vendor", "site"), "delivered_gw"),
    "shell_starts": (("period", "site"), "shell_start_gw"),
    "grid_requests": (("period", "site"), "grid_request_gw"),
    "onsite_builds": (("period", "site", "option"), "build_gw"),
    "ppa_signings": (("period", "option"), "signed_gw"),
    "lease_takeups": (("contract",), "take_up_share"),
    "installs": (("period", "site"), "install_gw"),
}


def _tidy(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table with its columns in order, keys as stripped text, values as float."""
    keys, value = DECISION_COLUMNS[name]
    missing = [c for c in (*keys, value) if c not in frame.columns and c != "site"]
    if missing:
        raise ValueError(f"decision table '{name}' lacks columns {missing}")
    data = frame.copy()
    for key in keys:
        if key not in data.columns:
            data[key] = ""
        data[key] = data[key].fillna("").astype(str).str.strip()
    data[value] = pd.to_numeric(data[value]).astype(float)
    return data.loc[:, [*keys, value]].reset_index(drop=True)


@dataclass(frozen=True, eq=False)  # tables compare with pandas, not ==
class Decisions:
    """A plan's decisions, table by table (see the module docstring for the columns).

    Parameters
    ----------
    deliveries
        GW IT delivered per period, vendor and planned site.
    shell_starts, grid_requests, onsite_builds, ppa_signings, lease_takeups
        Fixed decisions, or ``None`` to leave them to the simulation's rules.
    installs
        GW IT the plan energizes per period and site, or ``None``: when
        given, a site runs no more hardware by a period's end than the plan
        has installed there by then (a plan may keep delivered hardware
        idle in storage rather than pay to run it); late hardware catches up.

    Examples
    --------
    >>> d = Decisions.from_schedule(Schedule.from_records([("2026Q3", "amd", "ABI", 0.5)]))
    >>> d.fixed
    ('deliveries',)
    >>> d.schedule.total_gw()
    0.5
    """

    deliveries: pd.DataFrame
    shell_starts: pd.DataFrame | None = None
    grid_requests: pd.DataFrame | None = None
    onsite_builds: pd.DataFrame | None = None
    ppa_signings: pd.DataFrame | None = None
    lease_takeups: pd.DataFrame | None = None
    installs: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        for name, frame in self.tables():
            object.__setattr__(self, name, _tidy(name, frame))

    @classmethod
    def from_schedule(cls, schedule: Schedule) -> Decisions:
        """Deliveries only (every other decision behavioural)."""
        frame = schedule.frame.rename(columns={"gw": "delivered_gw"})
        return cls(deliveries=frame)

    @property
    def schedule(self) -> Schedule:
        """The deliveries as a `Schedule` (period, vendor, site, gw)."""
        return Schedule(self.deliveries.rename(columns={"delivered_gw": "gw"}))

    @property
    def fixed(self) -> tuple[str, ...]:
        """Names of the tables present (the decisions they fix), in table order."""
        return tuple(name for name, _ in self.tables())

    def tables(self) -> Iterator[tuple[str, pd.DataFrame]]:
        """(name, table) of every table present."""
        for f in fields(self):
            frame = getattr(self, f.name)
            if frame is not None:
                yield f.name, frame

    def check(self, scenario: Scenario) -> list[Problem]:
        """Every row that does not fit ``scenario`` (ids, periods, signs), located."""
        from sd_model.scenario.decisions_check import check_decisions

        return check_decisions(self, scenario)

    def validated(self, scenario: Scenario, source: str | None = None) -> Decisions:
        """These decisions, or `ScenarioError` listing every problem `check` finds."""
        problems = self.check(scenario)
        if problems:
            raise ScenarioError(problems, source=source or "decisions")
        return self
