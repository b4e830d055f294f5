"""The scenario: typed entities, the period calendar, loading, keys and provenance.

A scenario is a folder of YAML and CSV files (see `sd_model.scenario.io`); once
loaded it is a frozen `Scenario` whose every number carries its unit in its
name and its source in the sources table.
"""

from sd_model.scenario.definition import Scenario, Source
from sd_model.scenario.errors import Problem, ScenarioError
from sd_model.scenario.periods import PeriodGrid
from sd_model.scenario.schedule import Schedule

__all__ = ["PeriodGrid", "Problem", "Scenario", "ScenarioError", "Schedule", "Source"]
