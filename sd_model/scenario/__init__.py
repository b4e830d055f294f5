"""The scenario: typed entities, the period calendar, loading, keys and provenance.

A scenario is a folder of YAML and CSV files (see `sd_model.scenario.io`); once
loaded it is a frozen `Scenario` whose every number carries its unit in its
name and its source in the sources table.

The public names below are imported on first use (PEP 562), so that a light
module of this package (e.g. `sd_model.scenario.catalog`, which lists the
bundled scenarios) does not load pandas and pydantic's models with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sd_model.lazy import lazy_exports

if TYPE_CHECKING:
    from sd_model.scenario.definition import Scenario, Source
    from sd_model.scenario.errors import Problem, ScenarioError
    from sd_model.scenario.periods import PeriodGrid
    from sd_model.scenario.schedule import Schedule

_HOMES = {
    "PeriodGrid": "sd_model.scenario.periods",
    "Problem": "sd_model.scenario.errors",
    "Scenario": "sd_model.scenario.definition",
    "ScenarioError": "sd_model.scenario.errors",
    "Schedule": "sd_model.scenario.schedule",
    "Source": "sd_model.scenario.definition",
}

__all__ = ["PeriodGrid", "Problem", "Scenario", "ScenarioError", "Schedule", "Source"]


__getattr__, __dir__ = lazy_exports(__name__, _HOMES, globals(), __all__)
