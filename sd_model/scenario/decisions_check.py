"""Located checks of `Decisions` against a scenario: ids, periods on the grid, signs.

Each problem names the table's file (``deliveries.csv``), the 1-based data
row, the field and what was expected, so a planner editing the CSVs by hand
finds the cell to fix.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from sd_model.scenario.errors import Problem

if TYPE_CHECKING:
    from sd_model.scenario.decisions import Decisions
    from sd_model.scenario.definition import Scenario

__all__ = ["check_decisions", "id_sets"]


def id_sets(scenario: Scenario) -> dict[str, set[str]]:
    """The ids a decision key may name, per key column (``option`` per table below)."""
    frames = scenario.frames("sd")
    return {
        "vendor": {v.id for v in scenario.vendors},
        "site": {s.id for s in scenario.sites},
        "onsite_option": {o.id for o in scenario.onsite_options},
        "ppa_option": {str(i) for i in frames.ppa_options.index},
        "contract": {c.id for c in scenario.lease_contracts if not c.committed},
    }


def check_decisions(decisions: Decisions, scenario: Scenario) -> list[Problem]:
    """Every row of ``decisions`` that does not fit ``scenario``."""
    from sd_model.scenario.decisions import DECISION_COLUMNS

    ids = id_sets(scenario)
    grid = scenario.periods
    allowed = {s.id: set(s.onsite_option_ids) for s in scenario.sites}
    problems: list[Problem] = []
    for name, frame in decisions.tables():
        keys, value = DECISION_COLUMNS[name]
        where = f"{name}.csv"
        for row, record in enumerate(frame.to_dict(orient="records"), start=1):
            for key in keys:
                problem = _key_problem(name, key, str(record[key]), ids, grid.index)
                if problem:
                    problems.append(Problem(where, problem, row, key, record[key]))
            if name == "onsite_builds" and record["option"] in ids["onsite_option"]:
                site_options = allowed.get(str(record["site"]))
                if site_options is not None and record["option"] not in site_options:
                    expected = f"an on-site option site {record['site']} allows: " + (
                        ", ".join(sorted(site_options)) or "none"
                    )
                    problems.append(Problem(where, expected, row, "option", record["option"]))
            problems += _value_problems(where, row, value, float(record[value]))
    return problems


def _key_problem(
    table: str,
    key: str,
    text: str,
    ids: Mapping[str, set[str]],
    position: Callable[[str], int],
) -> str | None:
    """What is wrong with one key cell, or None."""
    if key == "period":
        try:
            position(text)
        except ValueError as exc:
            return str(exc).split(", got")[0]
        return None
    if key == "site" and table == "deliveries" and text == "":
        return None  # hardware whose site is left open
    kind = key
    if key == "option":
        kind = "onsite_option" if table == "onsite_builds" else "ppa_option"
    known = ids[kind]
    if text in known:
        return None
    listed = ", ".join(sorted(known)) or "none in this scenario"
    label = {"contract": "an optional lease contract"}.get(kind, f"a {kind.replace('_', ' ')}")
    return f"{label} of the scenario ({listed})"


def _value_problems(where: str, row: int, field: str, value: float) -> list[Problem]:
    if not math.isfinite(value) or value < 0:
        return [Problem(where, "a finite number >= 0", row, field, value)]
    if field == "take_up_share" and value > 1:
        return [Problem(where, "a share from 0 to 1", row, field, value)]
    return []
