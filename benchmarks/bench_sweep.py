"""Benchmark sweeps: an SD Monte Carlo and an LP sweep on each executor, in one run.

Measures throughput [samples/s] of

(a) a 10,000-sample simulation sweep of the reference scenario (demand
    growth, every region's queue time, Nvidia's tranche), chunks of 500
    samples, each chunk one vectorized batch;
(b) a 200-sample LP sweep (starting cash, PJM's energy price, ERCOT's
    headroom), warm re-solves on one persistent model per chunk of 25;

on the in-process executor, local processes (2) and a 2-worker Dask
LocalCluster, and checks that every executor returns the same table.

Usage::

    python benchmarks/bench_sweep.py [--sd-samples 10000] [--lp-samples 200]
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

import sd_model
from optimization.sweeps import (
    Choice,
    ChunkEvaluator,
    Parameter,
    PlanMetrics,
    SimulationMetrics,
    Uniform,
    sweep,
)
from optimization.sweeps.executors import ExecutorKind

SD_PARAMETERS: dict[str, Parameter] = {
    "demand.demand_growth_per_year": Uniform(0.3, 0.9),
    "regions.*.interconnection_lead_quarters": Uniform(8, 24),
    "vendors.nvidia.contract_total_gw": Choice((4.0, 10.0)),
}
LP_PARAMETERS: dict[str, Parameter] = {
    "financing.starting_cash_busd": Uniform(10, 60),
    "regions.PJM.wholesale_price_usd_per_mwh": Uniform(30, 60),
    "headroom.ERCOT:2027Q1.headroom_gw": Uniform(0.2, 1.0),
}
EXECUTORS: tuple[ExecutorKind, ...] = ("inprocess", "processes", "dask")


def run(
    name: str,
    parameters: dict[str, Parameter],
    samples: int,
    evaluate: ChunkEvaluator,
    chunk_size: int,
) -> None:
    scenario = sd_model.load_scenario("reference")
    tables: dict[str, pd.DataFrame] = {}
    for executor in EXECUTORS:
        tick = time.perf_counter()
        tables[executor] = sweep(
            scenario,
            parameters,
            samples=samples,
            seed=11,
            evaluate=evaluate,
            executor=executor,
            workers=2,
            chunk_size=chunk_size,
        )
        seconds = time.perf_counter() - tick
        failed = int((tables[executor]["error"] != "").sum())
        print(
            f"{name:4} {executor:10} {samples:6d} samples {seconds:8.2f} s "
            f"{samples / seconds:9.1f} samples/s  ({failed} failed)"
        )
    base = tables["inprocess"]
    same = all(t.equals(base) for t in tables.values())
    print(f"{name:4} same table on every executor: {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sd-samples", type=int, default=10_000)
    parser.add_argument("--lp-samples", type=int, default=200)
    args = parser.parse_args()
    run("SD", SD_PARAMETERS, args.sd_samples, SimulationMetrics(), 500)
    run("LP", LP_PARAMETERS, args.lp_samples, PlanMetrics(), 25)


if __name__ == "__main__":
    main()
