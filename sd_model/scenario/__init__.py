"""The scenario: typed entities, the period calendar, loading, keys and provenance.

A scenario is a folder of YAML and CSV files (see `sd_model.scenario.io`); once
loaded it is a frozen `Scenario` whose every number carries its unit in its
name and its source in the sources table.

The public names below are imported on first use (PEP 562), so that a light
module of this package (e.g. `sd_model.scenario.catalog`, which lists the
bundled scenarios) does not load pandas and pydantic's models with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first access."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'sd_model.scenario' has no attribute '{name}'")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    """Module attributes, including the public names not imported yet."""
    return sorted({*globals(), *__all__})
