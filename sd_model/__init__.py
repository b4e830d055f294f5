"""The world: scenario types, loading, the stock-and-flow engine and the build-out model.

The public names below are imported on first use (PEP 562), so that
``import sd_model.engine`` loads the engine alone, without the scenario
machinery (pydantic, YAML, the build-out model).

Examples
--------
>>> import sd_model
>>> scenario = sd_model.load_scenario("reference")
>>> scenario.periods.start_period
'2026Q1'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sd_model.lazy import lazy_exports

if TYPE_CHECKING:
    from sd_model.buildout import simulate
    from sd_model.scenario.catalog import list_scenarios
    from sd_model.scenario.decisions import Decisions
    from sd_model.scenario.decisions_io import read_decisions, write_decisions
    from sd_model.scenario.definition import Scenario, Source
    from sd_model.scenario.errors import Problem, ScenarioError
    from sd_model.scenario.io import load_scenario, load_schedule, save_scenario
    from sd_model.scenario.periods import PeriodGrid
    from sd_model.scenario.schedule import Schedule

#: Public name -> module that defines it.
_HOMES = {
    "Decisions": "sd_model.scenario.decisions",
    "PeriodGrid": "sd_model.scenario.periods",
    "Problem": "sd_model.scenario.errors",
    "Scenario": "sd_model.scenario.definition",
    "ScenarioError": "sd_model.scenario.errors",
    "Schedule": "sd_model.scenario.schedule",
    "Source": "sd_model.scenario.definition",
    "list_scenarios": "sd_model.scenario.catalog",
    "read_decisions": "sd_model.scenario.decisions_io",
    "write_decisions": "sd_model.scenario.decisions_io",
    "load_scenario": "sd_model.scenario.io",
    "load_schedule": "sd_model.scenario.io",
    "save_scenario": "sd_model.scenario.io",
    "simulate": "sd_model.buildout",
}

__all__ = [
    "Decisions",
    "PeriodGrid",
    "Problem",
    "Scenario",
    "ScenarioError",
    "Schedule",
    "Source",
    "list_scenarios",
    "load_scenario",
    "load_schedule",
    "read_decisions",
    "save_scenario",
    "simulate",
    "write_decisions",
]


__getattr__, __dir__ = lazy_exports(__name__, _HOMES, globals(), __all__)
