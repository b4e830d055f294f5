"""The Scenario: everything known before deciding, immutable and validated.

A Scenario mirrors its files: one tuple of rows per CSV table and one section
per block of ``scenario.yaml``. Variants are made with `Scenario.with_overrides`,
which returns a new, re-validated Scenario and records the change in the
sources table.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, Self

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    InstanceOf,
    ValidationError,
    model_validator,
)

from sd_model.scenario.counterparties import Counterparty
from sd_model.scenario.entities import (
    EquityStake,
    HeadroomStep,
    LeaseContract,
    Lessor,
    OnsiteOption,
    PPAOption,
    Region,
    Site,
    Vendor,
)
from sd_model.scenario.errors import Problem, ScenarioError, explain
from sd_model.scenario.field_bounds import CheckedNumbers
from sd_model.scenario.keys import TABLE_ROW_KEYS, set_value
from sd_model.scenario.milestones import VendorMilestone
from sd_model.scenario.periods import Horizon, PeriodGrid
from sd_model.scenario.schedule import Schedule
from sd_model.scenario.sections import (
    CostAssumptions,
    Demand,
    Financing,
    Policy,
    SimulationSettings,
)

if TYPE_CHECKING:
    import pandas as pd

    from sd_model.frames import ScenarioFrames

__all__ = ["Scenario", "Source", "SourceKind"]

SourceKind = Literal["sourced", "estimate", "assumption", "override"]


class Source(BaseModel):
    """Where a scenario value comes from.

    ``key`` is a scenario key (see `sd_model.scenario.keys`) and may use ``*`` or
    name a group, covering every value under it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    key: str = Field(min_length=1)
    kind: SourceKind
    reference: str = Field(
        default="", description="FIGURES.md row or public source this value comes from."
    )
    note: str = Field(default="", description="Arithmetic, or the reason for an assumption.")

    @model_validator(mode="after")
    def _check_justified(self) -> Self:
        if self.kind in ("sourced", "estimate") and not self.reference:
            raise ValueError(f"a reference for a {self.kind} value")
        if self.kind == "assumption" and not (self.note or self.reference):
            raise ValueError("a one-line reason for an assumption (note)")
        return self


class Scenario(CheckedNumbers):
    """A planning scenario.

    Examples
    --------
    >>> from sd_model import load_scenario
    >>> s = load_scenario("reference")
    >>> longer = s.with_overrides({"regions.PJM.interconnection_lead_quarters": 24})
    >>> longer.region("PJM").interconnection_lead_quarters
    24
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    def __init__(self, /, **data: Any) -> None:
        """Build in code; bad input raises a `ScenarioError` naming table, row, field and value."""
        try:
            super().__init__(**data)
        except ValidationError as error:
            from sd_model.scenario.code_built import scenario_problems

            raise ScenarioError(scenario_problems(error, data), data.get("name")) from None

    # Validation (files, nested rows, ``model_validate``) must not run this
    # __init__: it reports by file and row itself. pydantic skips an __init__
    # marked like its own (as its RootModel does).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    name: str
    description: str = ""
    periods: PeriodGrid
    pue: float = Field(ge=1, le=3, description="Facility power over IT power [-].")
    discount_rate_per_year: float = Field(ge=0, le=1, description="Real discount rate [1/yr].")
    offsite_energized_gw_at_start: float = Field(
        default=0.0,
        ge=0,
        allow_inf_nan=False,
        description="IT load running at the start outside the candidate sites [GW].",
    )
    regions: tuple[Region, ...]
    headroom: tuple[HeadroomStep, ...] = ()
    sites: tuple[Site, ...]
    vendors: tuple[Vendor, ...]
    milestones: tuple[VendorMilestone, ...] = ()
    ppa_options: tuple[PPAOption, ...] = ()
    onsite_options: tuple[OnsiteOption, ...] = ()
    lessors: tuple[Lessor, ...] = ()
    lease_contracts: tuple[LeaseContract, ...] = ()
    equity_stakes: tuple[EquityStake, ...] = ()
    counterparties: tuple[Counterparty, ...] = ()
    perspective: str = Field(
        default="lab",
        description="Whose plan this is: 'lab' (the buyer of compute) or a lessor's id.",
    )
    financing: Financing
    demand: Demand
    policy: Policy = Policy()
    costs: CostAssumptions
    simulation: SimulationSettings | None = Field(
        default=None,
        description="Settings of the stock-and-flow model; None uses SimulationSettings().",
    )
    announced_schedule: InstanceOf[Schedule] = Field(default_factory=Schedule.empty)
    sources: tuple[Source, ...] = ()

    @model_validator(mode="after")
    def _check_references(self) -> Self:
        from sd_model.scenario.checks import check_scenario  # checks reads Scenario's tables

        problems = check_scenario(self)
        if problems:
            raise ScenarioError(problems, source=self.name)
        return self

    # -- look-ups -----------------------------------------------------------
    def region(self, region_id: str) -> Region:
        """The region with id ``region_id`` (KeyError if none)."""
        return self._regions_by_id[region_id]

    def site(self, site_id: str) -> Site:
        """The site with id ``site_id`` (KeyError if none)."""
        return self._sites_by_id[site_id]

    def vendor(self, vendor_id: str) -> Vendor:
        """The vendor with id ``vendor_id`` (KeyError if none)."""
        return self._vendors_by_id[vendor_id]

    def sites_in(self, region_id: str) -> tuple[Site, ...]:
        """Sites located in region ``region_id``."""
        return tuple(s for s in self.sites if s.region == region_id)

    def headroom_gw(self, region_id: str, horizon: Horizon = "lp") -> np.ndarray:
        """Region headroom per period of ``horizon`` [GW facility] (step function)."""
        values = np.zeros(self.periods.count(horizon))
        steps = sorted(
            (self.periods.index(h.from_period), h.headroom_gw)
            for h in self.headroom
            if h.region == region_id
        )
        for position, gw in steps:
            if position < len(values):
                values[position:] = gw
        return values

    def ppa_coverage_target(self, horizon: Horizon = "lp") -> np.ndarray:
        """PPA coverage target per period [-]; a year's value holds until the next listed year."""
        targets = self.policy.ppa_coverage_target_by_year
        out = np.zeros(self.periods.count(horizon))
        for i, label in enumerate(self.periods.labels(horizon)):
            year = self.periods.year(label)
            past = [y for y in targets if y <= year]
            out[i] = targets[max(past)] if past else 0.0
        return out

    def frames(self, horizon: Horizon = "lp") -> ScenarioFrames:
        """The numeric view of this scenario over ``horizon``, built once and kept.

        See `sd_model.frames.ScenarioFrames`: both the simulation and the LP
        read the scenario's numbers through it.
        """
        cache = self._frames
        if horizon not in cache:
            from sd_model.frames import ScenarioFrames  # the view imports this module

            cache[horizon] = ScenarioFrames.from_scenario(self, horizon)
        return cache[horizon]

    @cached_property
    def _frames(self) -> dict[Horizon, ScenarioFrames]:
        return {}

    @cached_property
    def _regions_by_id(self) -> dict[str, Region]:
        return {r.id: r for r in self.regions}

    @cached_property
    def _sites_by_id(self) -> dict[str, Site]:
        return {s.id: s for s in self.sites}

    @cached_property
    def _vendors_by_id(self) -> dict[str, Vendor]:
        return {v.id: v for v in self.vendors}

    def table(self, name: str) -> pd.DataFrame:
        """Table ``name`` (``sites``, ``vendors``, ...) as a DataFrame indexed by row key.

        See `sd_model.scenario.table_frames.table_frame`; the columns are the
        table's CSV columns. `with_table` takes the same form back.
        """
        from sd_model.scenario.table_frames import table_frame

        return table_frame(self, name)

    # -- variants -----------------------------------------------------------
    def with_table(self, name: str, frame: pd.DataFrame, *, note: str = "") -> Scenario:
        """A new scenario whose table ``name`` is ``frame``, validated like a file.

        See `sd_model.scenario.table_frames.with_table`.
        """
        from sd_model.scenario.table_frames import with_table

        return with_table(self, name, frame, note)

    def with_overrides(self, overrides: Mapping[str, Any], *, note: str = "") -> Scenario:
        """Return a new scenario with the values at the given keys replaced.

        Parameters
        ----------
        overrides
            ``{key: value}``; keys as in `sd_model.scenario.keys` (``*`` addresses
            every row of a table). Values are validated like file input.
        note
            Why the values changed; recorded in the sources table.

        Raises
        ------
        ScenarioError
            If a key does not exist or a value is invalid; every problem is
            listed, each naming its key.
        """
        data = self.model_dump()
        problems: list[Problem] = []
        changed: list[str] = []
        for key, value in overrides.items():
            try:
                changed += set_value(data, key, value)
            except KeyError as err:
                problems.append(Problem("overrides", str(err.args[0]), field=key, value=value))
        data["sources"] = list(self.sources) + [
            Source(key=k, kind="override", reference="override", note=note or "set by override")
            for k in changed
        ]
        try:
            scenario = Scenario.model_validate(data)
        except ValidationError as err:
            problems += _override_problems(err, data)
        except ScenarioError as err:
            problems += _relocate(err.problems, data)
        if problems:
            raise ScenarioError(problems, source=self.name)
        return scenario


def _relocate(problems: list[Problem], data: Mapping[str, Any]) -> list[Problem]:
    """Name cross-table problems by scenario key, since overrides have no file rows."""
    located = []
    for p in problems:
        key = p.field
        if p.where in TABLE_ROW_KEYS and p.row:
            row = data[p.where][p.row - 1]
            key = f"{p.where}.{':'.join(str(row[c]) for c in TABLE_ROW_KEYS[p.where])}.{p.field}"
        elif p.where != "scenario":
            key = f"{p.where}.{p.field}" if p.field else p.where
        located.append(Problem("overrides", p.expected, None, key, p.value))
    return located


def _override_problems(err: ValidationError, data: Mapping[str, Any]) -> list[Problem]:
    problems = []
    for e in err.errors():
        loc = list(e["loc"])
        if loc and loc[0] in TABLE_ROW_KEYS and len(loc) > 1 and isinstance(loc[1], int):
            row = data[str(loc[0])][loc[1]]
            loc[1] = ":".join(str(row[c]) for c in TABLE_ROW_KEYS[str(loc[0])])
        key = ".".join(str(part) for part in loc)
        problems.append(Problem("overrides", explain(e["msg"]), field=key, value=e.get("input")))
    return problems
