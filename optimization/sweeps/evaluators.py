"""Metrics a sweep computes per sample.

- `announced_gap_metrics`: the announced schedule against site capacity (no
  model run; the cheapest useful sweep).
- `SimulationMetrics`: the build-out simulation of a schedule, one vectorized
  batch per chunk; the figures of `sd_model.metrics.summary` over the
  planning horizon.
- `PlanMetrics`: the LP for each sample, re-solved warm on one persistent
  model per chunk when only its mutable parameters change.

Every evaluator records a sample whose values do not fit their fields (a
negative price, a lead time of 8.5 quarters) or break a rule between fields
(a site's ``max_gw`` below its ready shells; the rules of ``gwplan
validate``, see `sample_problems`) with its error and goes on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from optimization.lp.plan import Plan
from optimization.lp.planning import PlanningModel, RebuildRequiredError, optimize
from optimization.sweeps.runner import ERROR_COLUMN
from sd_model import Scenario, ScenarioError, Schedule, metrics, simulate
from sd_model.loop_metrics import loop_summary, loop_variables
from sd_model.scenario.key_values import check_value, is_integer_key
from sd_model.scenario.override_rules import override_problems
from sd_model.scenario.summary import announced_by_year

__all__ = [
    "PlanMetrics",
    "SimulationMetrics",
    "announced_gap_metrics",
    "sample_errors",
    "sample_problems",
    "whole_numbers",
]


def announced_gap_metrics(scenario: Scenario) -> dict[str, float]:
    """Announced deliveries against the site capacity that can be energized in time.

    Returns
    -------
    dict
        ``announced_gw`` [GW] in total, ``site_capacity_gw`` [GW] at the end of
        the horizon, ``peak_gap_gw`` [GW] (largest yearly excess of cumulative
        deliveries over capacity) and ``first_gap_year`` (0 when there is none).
    """
    years = announced_by_year(scenario)
    gaps = years.loc[years["gap_gw"] > 1e-9, "year"]
    return {
        "announced_gw": float(years["announced_gw"].sum()),
        "site_capacity_gw": float(years["site_capacity_gw"].iloc[-1]),
        "peak_gap_gw": float(years["gap_gw"].max()),
        "first_gap_year": float(gaps.iloc[0]) if len(gaps) else 0.0,
    }


def whole_numbers(inputs: pd.DataFrame) -> pd.DataFrame:
    """Round sampled values of whole-number fields (lead times in quarters) to integers."""
    for key in inputs.columns:
        if is_integer_key(str(key)) and pd.api.types.is_numeric_dtype(inputs[key]):
            inputs[key] = inputs[key].round().astype(int)
    return inputs


def sample_errors(inputs: pd.DataFrame) -> pd.Series:
    """Per sample, what is wrong with its values ('' when every value fits its field)."""
    messages = []
    for _, row in inputs.iterrows():
        found = []
        for key, value in row.items():
            problem = check_value(str(key), value)
            if problem is not None:
                found.append(f"{key}={value!r}: expected {problem}")
        messages.append("; ".join(found))
    return pd.Series(messages, index=inputs.index, dtype=object)


def sample_problems(scenario: Scenario, inputs: pd.DataFrame) -> pd.Series:
    """Per sample, every field and cross-field problem of its values ('' for a valid sample).

    The same verdict as `Scenario.with_overrides` (what ``gwplan validate``
    applies), at a fraction of its cost (`sd_model.scenario.override_rules`).
    """
    errors = sample_errors(inputs)
    messages = errors.to_dict()
    for sample, values in inputs.loc[errors == ""].iterrows():
        overrides = {str(k): v for k, v in values.items()}
        problems = override_problems(scenario, overrides)
        if problems:
            messages[sample] = f"bad sample: {'; '.join(problems)}"
    return pd.Series(messages, index=inputs.index, dtype=object)


@dataclass(frozen=True)
class SimulationMetrics:
    """Simulate each chunk as one vectorized batch and summarise every sample.

    Parameters
    ----------
    schedule
        ``"announced"`` (the scenario's) or ``"optimal"`` (the LP's plan for
        the scenario as given, solved once per chunk; the samples vary the
        world it meets).
    counterparty_loop
        Simulate with the counterparties' balance sheets in the loop
        (`sd_model.buildout.counterparties`) and add the loop's figures
        (`sd_model.loop_metrics.LOOP_FIGURES`: payments missed, whether a
        lessor or vendor breaches, ...).
    """

    schedule: Literal["announced", "optimal"] = "announced"
    counterparty_loop: bool = False

    def __repr__(self) -> str:
        """As before the loop existed when it is off (a sweep folder's spec stays resumable)."""
        loop = ", counterparty_loop=True" if self.counterparty_loop else ""
        return f"SimulationMetrics(schedule={self.schedule!r}{loop})"

    def __call__(self, scenario: Scenario, inputs: pd.DataFrame) -> pd.DataFrame:
        """Figures of `sd_model.metrics.summary` per sample, and ``error``.

        Label-valued keys (``demand.outlook=grid(mckinsey,bear)``) change the
        scenario, not a model constant: the samples are simulated in one batch
        per combination of labels.
        """
        errors = sample_problems(scenario, inputs)
        valid = inputs.loc[errors == ""]
        figures = pd.DataFrame(index=inputs.index)
        labels = [k for k in valid.columns if not pd.api.types.is_numeric_dtype(valid[k])]
        groups = valid.groupby(labels, sort=False) if labels else [((), valid)]
        parts = []
        for values, group in groups:
            row = values if isinstance(values, tuple) else (values,)
            named = dict(zip(labels, row, strict=True))
            try:
                varied = scenario.with_overrides(named, note="sweep sample") if named else scenario
                parts.append(self._batch(varied, group.drop(columns=labels)))
            except (ValueError, ScenarioError) as error:
                errors.loc[group.index] = f"cannot simulate these samples: {error}"
        if parts:
            figures = pd.concat(parts).reindex(inputs.index)
        return figures.assign(**{ERROR_COLUMN: errors})

    def _batch(self, scenario: Scenario, numbers: pd.DataFrame) -> pd.DataFrame:
        samples = {str(k): numbers[k].to_numpy(dtype=float) for k in numbers.columns}
        if not samples:  # a batch needs one sampled key; its base value changes nothing
            base = scenario.demand.compute_demand_gw_at_start
            samples = {"demand.compute_demand_gw_at_start": np.full(len(numbers), base)}
        loop = loop_variables(scenario) if self.counterparty_loop else ()
        batch = simulate(
            scenario,
            self._schedule(scenario),
            samples=samples,
            variables=(*metrics.SUMMARY_VARIABLES, *loop),
            counterparty_loop=self.counterparty_loop,
        )
        return _batch_summary(batch, scenario, numbers.index, self.counterparty_loop)

    def _schedule(self, scenario: Scenario) -> Schedule:
        if self.schedule == "announced":
            return scenario.announced_schedule
        return optimize(scenario).to_schedule()


def _batch_summary(
    batch: pd.DataFrame, scenario: Scenario, index: pd.Index, loop: bool = False
) -> pd.DataFrame:
    last = scenario.periods.count("lp")  # figures over the planning horizon
    times = batch.index.get_level_values("time")
    kept = batch.loc[times <= sorted(set(times))[last]]
    summary = metrics.summary(kept)
    assert isinstance(summary, pd.DataFrame)
    if loop:
        summary = summary.join(loop_summary(kept))
    summary.index = index
    return summary


@dataclass(frozen=True)
class PlanMetrics:
    """Solve the LP for each sample; warm re-solves on one persistent model per chunk."""

    def __call__(self, scenario: Scenario, inputs: pd.DataFrame) -> pd.DataFrame:
        """LP figures per sample (objective and its terms, GW energized), and ``error``."""
        errors = sample_problems(scenario, inputs).to_dict()
        model = PlanningModel(scenario)
        rows: dict[object, dict[str, float]] = {}
        for sample, values in inputs.iterrows():
            if errors[sample]:
                continue
            overrides = {str(k): v for k, v in values.items()}
            try:
                rows[sample] = _plan_figures(_solve(model, scenario, overrides))
            except ScenarioError as error:
                errors[sample] = "; ".join(map(str, error.problems))
            except Exception as error:  # a failed sample is a result
                errors[sample] = f"{type(error).__name__}: {error}"
        figures = pd.DataFrame.from_dict(rows, orient="index").reindex(inputs.index)
        return figures.assign(**{ERROR_COLUMN: pd.Series(errors).reindex(inputs.index)})


def _solve(model: PlanningModel, scenario: Scenario, overrides: dict[str, object]) -> Plan:
    try:
        return model.resolve(overrides)
    except RebuildRequiredError:  # a structural key (lead times, periods): build anew
        return optimize(scenario.with_overrides(overrides, note="sweep sample"))


def _plan_figures(plan: Plan) -> dict[str, float]:
    last = plan.energized["period"].max()
    energized = plan.energized.loc[plan.energized["period"] == last, "gw"].sum()
    figures = {
        "npv_busd": plan.npv_busd,
        "penalty_busd": plan.penalty_busd,
        "energized_gw_at_end": float(energized),
        "delivered_gw": float(plan.deliveries["delivered_gw"].sum()),
        "peak_stranded_gw": float(plan.deliveries.groupby("period")["stranded_gw"].sum().max()),
        "min_cash_busd": float(plan.cash["cash_busd"].min()),
        "limits_not_met": float(len(plan.diagnosis)),
    }
    figures |= {f"{term}_busd": float(v) for term, v in plan.objective_terms.items()}
    return figures
