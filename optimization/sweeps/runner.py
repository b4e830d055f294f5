"""Run a sweep: split the sampled inputs into chunks, evaluate them on an executor, store them.

An *evaluator* turns a chunk of sampled inputs (one row per sample, one column
per scenario key) into one row of metrics per sample, with an ``error`` column
that is empty for samples that succeeded. Evaluators must be picklable
(module-level functions or frozen dataclasses) so that they can run in other
processes or on a Dask cluster.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from optimization.sweeps.executors import Executor
from optimization.sweeps.store import SweepStore
from sd_model import Scenario, ScenarioError

__all__ = ["Chunk", "ChunkEvaluator", "PerSample", "run_sweep"]

ERROR_COLUMN = "error"
ChunkEvaluator = Callable[[Scenario, pd.DataFrame], pd.DataFrame]


@dataclass(frozen=True)
class Chunk:
    """A slice of the sweep's inputs, identified by its position."""

    chunk_id: int
    inputs: pd.DataFrame


@dataclass(frozen=True)
class PerSample:
    """Adapt a per-sample metric function into a chunk evaluator.

    ``metrics(scenario) -> {name: value}`` is called on the scenario with each
    sample's values applied as overrides; a sample whose overrides or
    evaluation fail is recorded with its error instead of stopping the sweep.
    """

    metrics: Callable[[Scenario], Mapping[str, float]]

    def __call__(self, scenario: Scenario, inputs: pd.DataFrame) -> pd.DataFrame:
        """Metrics (and ``error``) for each row of ``inputs``, indexed like it."""
        rows: list[dict[str, Any]] = []
        for _, values in inputs.iterrows():
            try:
                overrides = {str(key): value for key, value in values.items()}
                varied = scenario.with_overrides(overrides, note="sweep sample")
                rows.append({**self.metrics(varied), ERROR_COLUMN: ""})
            except ScenarioError as error:
                rows.append({ERROR_COLUMN: f"bad sample: {'; '.join(map(str, error.problems))}"})
            except Exception as error:  # a failed sample is a result, not the end of the sweep
                rows.append({ERROR_COLUMN: _describe(error)})
        return pd.DataFrame(rows, index=inputs.index)


@dataclass(frozen=True)
class _ChunkTask:
    scenario: Scenario
    evaluate: ChunkEvaluator

    def __call__(self, chunk: Chunk) -> pd.DataFrame:
        return self.evaluate(self.scenario, chunk.inputs)


def run_sweep(
    scenario: Scenario,
    inputs: pd.DataFrame,
    evaluate: ChunkEvaluator,
    *,
    executor: Executor,
    chunk_size: int = 50,
    store: SweepStore | None = None,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Evaluate every sample and return inputs, metrics and errors, one row per sample.

    Parameters
    ----------
    scenario
        The scenario every sample varies.
    inputs
        Sampled values indexed by ``sample`` (see `draw_samples`).
    evaluate
        Turns a chunk of inputs into metrics (see the module docstring).
    executor
        Where chunks run (see `optimization.sweeps.executors`).
    chunk_size
        Samples per task; larger chunks amortise start-up, smaller ones
        balance load and lose less when interrupted.
    store
        Where finished chunks are saved as they complete; chunks it already
        holds are skipped (resume).
    progress
        Called with the number of samples each time a chunk finishes.
    """
    chunks = [
        Chunk(number, inputs.iloc[start : start + chunk_size])
        for number, start in enumerate(range(0, len(inputs), chunk_size))
    ]
    expected = {c.chunk_id: c.inputs.index for c in chunks}
    done = store.done(expected) if store is not None else set()
    if progress is not None:
        progress(sum(len(c.inputs) for c in chunks if c.chunk_id in done))
    tables = []
    todo = [c for c in chunks if c.chunk_id not in done]
    for chunk, result in executor.map_unordered(_ChunkTask(scenario, evaluate), todo):
        if isinstance(result, BaseException):
            result = pd.DataFrame({ERROR_COLUMN: _describe(result)}, index=chunk.inputs.index)
        table = chunk.inputs.join(result)
        if store is not None:
            store.write(chunk.chunk_id, table)
        else:
            tables.append(table)
        if progress is not None:
            progress(len(chunk.inputs))
    if store is not None:
        stored = store.read()
        stored.attrs["damaged_chunks"] = list(store.damaged)
        return stored
    return pd.concat(tables).sort_index() if tables else inputs.assign(**{ERROR_COLUMN: ""})


def _describe(error: BaseException) -> str:
    last = traceback.extract_tb(error.__traceback__)[-1:] if error.__traceback__ else []
    where = f" (at {last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno})" if last else ""
    return f"{type(error).__name__}: {error}{where}"
