"""Result folders of single runs: an LP plan or a simulation as CSV tables + a JSON summary.

Every folder is written atomically (`sd_model.output_folder.atomic_folder`).
"""

from __future__ import annotations

import json
import os
from dataclasses import fields
from pathlib import Path
from typing import Any

import pandas as pd

from optimization.coupling.case_tables import per_period, year_end
from optimization.lp.plan import Plan
from sd_model import Scenario, metrics
from sd_model.output_folder import atomic_folder

__all__ = [
    "energized_by_year",
    "plan_summary",
    "simulation_by_year",
    "simulation_summary",
    "write_plan",
    "write_simulation",
]


def energized_by_year(plan: Plan) -> pd.DataFrame:
    """Energized IT GW at the end of each year, per vendor (rows) and year (columns) [GW]."""
    frame = plan.energized
    if frame.empty:
        return pd.DataFrame()
    frame = frame.assign(year=frame["period"].str[:4].astype(int))
    last = frame.groupby("year")["period"].transform("max")
    at_year_end = frame.loc[frame["period"] == last]
    table = at_year_end.pivot_table(index="vendor", columns="year", values="gw", aggfunc="sum")
    return table.fillna(0.0)


def plan_summary(plan: Plan) -> dict[str, Any]:
    """The plan's headline numbers as JSON-ready values."""
    by_year = energized_by_year(plan)
    return {
        "scenario": plan.scenario_name,
        "mode": plan.mode,
        "objective_kind": plan.objective_kind,
        "status": plan.status.value,
        "npv_busd": plan.npv_busd,
        "penalty_busd": plan.penalty_busd,
        "objective_busd": plan.objective,
        "objective_terms_busd": {str(k): float(v) for k, v in plan.objective_terms.items()},
        "objective_term_kinds": {str(k): str(v) for k, v in plan.term_kinds.items()},
        "energized_gw_by_year": {
            str(vendor): {str(year): float(gw) for year, gw in row.items()}
            for vendor, row in by_year.iterrows()
        },
        "diagnosis": list(plan.diagnosis),
        "binding_limits": list(plan.binding_limits),
        "timings_s": dict(plan.timings),
    }


def write_plan(plan: Plan, folder: str | os.PathLike[str]) -> Path:
    """Write every table of ``plan`` as ``<name>.csv`` plus ``summary.json`` and the solver log.

    The plan's decisions go to ``decisions/`` (`sd_model.read_decisions` reads them back;
    ``gwplan simulate --decisions``).
    """
    from sd_model.scenario.decisions_io import write_decision_tables

    with atomic_folder(folder) as staging:
        write_decision_tables(plan.decisions, staging / "decisions")
        for spec in fields(plan):
            value = getattr(plan, spec.name)
            if isinstance(value, pd.DataFrame):
                value.to_csv(staging / f"{spec.name}.csv", index=False)
        summary = json.dumps(plan_summary(plan), indent=2, default=str)
        (staging / "summary.json").write_text(summary, encoding="utf-8")
        (staging / "highs.log").write_text(plan.log, encoding="utf-8")
    return Path(folder)


def simulation_by_year(result: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """A simulation's trajectories at each year's end (see `case_tables.per_period`)."""
    table = year_end(per_period(result, scenario))
    return table.loc[:, ["year", *[c for c in table.columns if c not in ("year", "period")]]]


def simulation_summary(result: pd.DataFrame) -> dict[str, float]:
    """Horizon figures of a single simulation run (see `sd_model.metrics.summary`)."""
    summary = metrics.summary(result)
    if not isinstance(summary, pd.Series):
        raise ValueError("expected a single run, got a batch of samples")
    return {str(k): float(v) for k, v in summary.items()}


def write_simulation(
    result: pd.DataFrame, scenario: Scenario, folder: str | os.PathLike[str]
) -> Path:
    """Write ``simulation.csv`` (every variable), ``by_year.csv`` and ``summary.json``."""
    with atomic_folder(folder) as staging:
        result.to_csv(staging / "simulation.csv")
        simulation_by_year(result, scenario).to_csv(staging / "by_year.csv", index=False)
        payload = {"scenario": scenario.name, "summary": simulation_summary(result)}
        text = json.dumps(payload, indent=2, default=str)
        (staging / "summary.json").write_text(text, encoding="utf-8")
    return Path(folder)
