"""Benchmark the build-out model on the reference scenario.

Measures:

(a) one run of the reference scenario (announced schedule, Euler, dt = 0.25
    quarter, 32 quarters = 128 steps, every variable recorded, DataFrame included);
(b) a batch of N samples (default 10,000) of five uncertain parameters (demand
    growth, every region's interconnection lead, the compute price decline,
    AMD's share-price response, Nvidia's contract total) in one vectorized run,
    recording a few columns.

Usage::

    python benchmarks/bench_buildout.py [--samples 10000] [--repeats 3]

Timings are medians; on a shared 2-core machine repeat runs vary by up to 2x.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import sd_model
from sd_model import metrics

RECORDED = (
    "stranded_gw",
    "stranded_gw_periods",
    "delivered_cum_gw",
    "energized_gw",
    "energized_total_gw",
    "energized_from_stranded_cum_gw",
    "cash_busd",
    "funding_gap_busd",
    "debt_busd",
)


def samples(n: int, seed: int = 7) -> dict[str, np.ndarray]:
    """Uncertain parameters of the reference scenario, one value per sample."""
    rng = np.random.default_rng(seed)
    return {
        "demand.demand_growth_per_year": rng.uniform(0.2, 1.0, n),
        "regions.*.interconnection_lead_quarters": rng.uniform(6.0, 28.0, n),
        "demand.compute_price_decline_per_year": rng.uniform(0.89, 0.975, n),
        "vendors.amd.share_price_response_per_gw": rng.uniform(0.0, 0.3, n),
        "vendors.nvidia.contract_total_gw": rng.choice([4.0, 10.0], n),
    }


def timed(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    """Median wall time of ``fn`` over ``repeats`` calls [s], and its last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    """Run the benchmark and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    scenario = sd_model.load_scenario("reference")
    single, frame = timed(lambda: sd_model.simulate(scenario), max(args.repeats, 5))
    print(f"single run: {single * 1e3:.0f} ms ({frame.shape[0]} rows x {frame.shape[1]} columns)")
    drawn = samples(args.samples)
    batch, result = timed(
        lambda: sd_model.simulate(scenario, samples=drawn, variables=RECORDED), args.repeats
    )
    per = batch / args.samples * 1e6
    print(f"batch of {args.samples}: {batch:.2f} s ({per:.0f} us per sample; {result.shape})")
    print(f"speed-up per sample vs single runs: {single / (batch / args.samples):.0f}x")
    stranded = metrics.stranded_gw(result).groupby(level="sample").max()
    print(
        "peak stranded GW over samples: "
        f"p10 {stranded.quantile(0.1):.2f}, p50 {stranded.median():.2f}, "
        f"p90 {stranded.quantile(0.9):.2f}"
    )


if __name__ == "__main__":
    main()
