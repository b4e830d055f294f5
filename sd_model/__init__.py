"""The world: scenario types, loading, the stock-and-flow engine and the build-out model.

Examples
--------
>>> import sd_model
>>> scenario = sd_model.load_scenario("reference")
>>> scenario.periods.start_period
'2026Q1'
"""

from sd_model.buildout import simulate
from sd_model.scenario.definition import Scenario, Source
from sd_model.scenario.errors import Problem, ScenarioError
from sd_model.scenario.io import list_scenarios, load_scenario, load_schedule, save_scenario
from sd_model.scenario.periods import PeriodGrid
from sd_model.scenario.schedule import Schedule

__all__ = [
    "PeriodGrid",
    "Problem",
    "Scenario",
    "ScenarioError",
    "Schedule",
    "Source",
    "list_scenarios",
    "load_scenario",
    "load_schedule",
    "save_scenario",
    "simulate",
]
