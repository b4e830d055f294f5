"""Scenario sweeps and Monte Carlo: sample scenario keys, evaluate on an executor, summarise.

Examples
--------
>>> import sd_model
>>> from optimization.sweeps import Uniform, sweep
>>> table = sweep(
...     sd_model.load_scenario("reference"),
...     {"sites.DAN.max_gw": Uniform(1.0, 2.4)},
...     samples=8,
...     seed=1,
...     executor="inprocess",
... )
>>> len(table)
8
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping

import pandas as pd

from optimization.sweeps.distributions import (
    Choice,
    Grid,
    LogNormal,
    Normal,
    Parameter,
    SamplingMethod,
    Triangular,
    Uniform,
    draw_samples,
)
from optimization.sweeps.evaluators import (
    PlanMetrics,
    SimulationMetrics,
    announced_gap_metrics,
    whole_numbers,
)
from optimization.sweeps.executors import Executor, ExecutorKind, make_executor
from optimization.sweeps.runner import ChunkEvaluator, PerSample, run_sweep
from optimization.sweeps.store import SweepMismatchError, SweepStore
from optimization.sweeps.summary import exceedance_probability, percentiles, tornado_inputs
from sd_model import Scenario

__all__ = [
    "ANNOUNCED_GAP",
    "Choice",
    "ChunkEvaluator",
    "Grid",
    "LogNormal",
    "Normal",
    "Parameter",
    "PerSample",
    "PlanMetrics",
    "SimulationMetrics",
    "SweepMismatchError",
    "Triangular",
    "Uniform",
    "draw_samples",
    "exceedance_probability",
    "percentiles",
    "scenario_fingerprint",
    "sweep",
    "tornado_inputs",
]

ANNOUNCED_GAP = PerSample(announced_gap_metrics)


def scenario_fingerprint(scenario: Scenario) -> str:
    """A short hash of everything in the scenario (to refuse resuming another one's sweep)."""
    settings = scenario.model_dump(exclude={"announced_schedule"})
    schedule = scenario.announced_schedule.summed().to_csv(index=False)
    return hashlib.sha256(f"{settings!r}\n{schedule}".encode()).hexdigest()[:16]


def sweep(
    scenario: Scenario,
    parameters: Mapping[str, Parameter],
    *,
    samples: int = 100,
    seed: int = 0,
    method: SamplingMethod = "lhs",
    evaluate: ChunkEvaluator = ANNOUNCED_GAP,
    executor: ExecutorKind | Executor = "processes",
    address: str | None = None,
    workers: int | None = None,
    chunk_size: int = 50,
    out: str | os.PathLike[str] | None = None,
    resume: bool = False,
    progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """Sample ``parameters``, evaluate every sample and return a tidy table.

    Long because the executor choice, resume and progress share one loop over chunks.

    Parameters
    ----------
    scenario
        The scenario every sample varies.
    parameters
        ``{scenario key: distribution or Grid}`` with the keys of ``--set``.
    samples, seed, method
        How to draw (see `draw_samples`); the same seed gives the same table
        on every executor. Values of whole-number fields (lead times in
        quarters) are rounded to the nearest integer.
    evaluate
        Chunk evaluator (default: announced deliveries against site capacity).
    executor
        ``"inprocess"``, ``"processes"`` (local, one per core) or ``"dask"``
        (at ``address``, or a local cluster when it is None), or an executor.
    address
        Dask scheduler address, e.g. ``tcp://10.0.0.5:8786``.
    workers
        Worker processes for ``"processes"`` or a local Dask cluster.
    chunk_size
        Samples per task.
    out, resume
        Folder where chunks are saved as they finish; ``resume`` continues a
        sweep stored there.
    progress
        Called with the number of samples each time a chunk finishes.

    Returns
    -------
    pandas.DataFrame
        One row per sample (index ``sample``): sampled inputs, metrics and
        ``error`` (empty when the sample succeeded).
    """
    inputs = whole_numbers(draw_samples(parameters, samples, seed=seed, method=method))
    store = None
    if out is not None:
        spec = {
            "parameters": {k: repr(v) for k, v in parameters.items()},
            "samples": samples,
            "seed": seed,
            "method": method,
            "evaluate": repr(evaluate),
            "chunk_size": chunk_size,
            "scenario": scenario.name,
            "scenario_fingerprint": scenario_fingerprint(scenario),
        }
        store = SweepStore(out, spec, resume=resume)
    runner = (
        make_executor(executor, address=address, workers=workers)
        if isinstance(executor, str)
        else executor
    )
    try:
        return run_sweep(
            scenario,
            inputs,
            evaluate,
            executor=runner,
            chunk_size=chunk_size,
            store=store,
            progress=progress,
        )
    finally:
        if isinstance(executor, str):
            runner.close()
