"""Benchmark the stock-and-flow engine, and PySD on the same model when it is installed.

Measures, in one run:

(a) a single Euler run of a 10-stock capacity-cash-power model for 1,000 steps
    (all variables recorded, DataFrame included), and the same with RK4;
(b) 10,000 samples of it in one batch (3 parameters sampled, 3 columns saved
    every quarter);
(c) the same model written as a Vensim .mdl, loaded with pysd.read_vensim and
    run with the same controls: one run, and a Monte Carlo loop over the same
    3 parameters. The ratio is per-sample throughput, engine batch vs PySD loop.

Usage::

    python benchmarks/bench_engine.py [--samples 10000] [--repeats 7] [--pysd-runs 20]

Timings are medians; on a shared 2-core machine repeat runs vary by up to 2x.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from sd_model.engine import Model, maximum, minimum

STOP, DT, SAVE = 250.0, 0.25, 1.0  # quarters: 1,000 steps, results every quarter
SAMPLED = ("delivery_time", "grid_lead_time", "revenue_per_gw")
SAVED = ("energized", "cash", "debt")

CONSTANTS = {
    "order_rate": 2.0,
    "delivery_time": 3.0,
    "energize_time": 1.0,
    "service_life": 20.0,
    "shell_start_rate": 2.2,
    "shell_build_time": 6.0,
    "grid_request_rate": 2.5,
    "grid_lead_time": 8.0,
    "capex_per_gw": 10.0,
    "revenue_per_gw": 1.5,
    "opex_per_gw": 0.4,
    "borrow_fraction": 0.5,
    "repay_time": 20.0,
    "funding": 5.0,
    "cash_scale": 20.0,
}
INITIAL = {
    "orders_backlog": 10.0,
    "delivered": 0.0,
    "energized": 1.0,
    "retired": 0.0,
    "shells_building": 5.0,
    "shells_ready": 2.0,
    "grid_queue": 10.0,
    "grid_connected": 2.0,
    "cash": 30.0,
    "debt": 0.0,
}
# (name, Vensim expression, engine equation, from_stock, to_stock); auxiliaries have no stocks.
ELEMENTS: list[tuple[str, str, Callable[..., Any], str | None, str | None]] = [
    (
        "power_headroom",
        "MAX(0, MIN(shells_ready, grid_connected) - energized)",
        lambda shells_ready, grid_connected, energized: maximum(
            minimum(shells_ready, grid_connected) - energized, 0.0
        ),
        None,
        None,
    ),
    (
        "ordering",
        "order_rate * MAX(cash, 0) / (MAX(cash, 0) + cash_scale)",
        lambda order_rate, cash, cash_scale: (
            order_rate * maximum(cash, 0.0) / (maximum(cash, 0.0) + cash_scale)
        ),
        None,
        "orders_backlog",
    ),
    (
        "deliveries",
        "orders_backlog / delivery_time",
        lambda orders_backlog, delivery_time: orders_backlog / delivery_time,
        "orders_backlog",
        "delivered",
    ),
    (
        "energizing",
        "MIN(delivered, power_headroom) / energize_time",
        lambda delivered, power_headroom, energize_time: (
            minimum(delivered, power_headroom) / energize_time
        ),
        "delivered",
        "energized",
    ),
    (
        "retiring",
        "energized / service_life",
        lambda energized, service_life: energized / service_life,
        "energized",
        "retired",
    ),
    (
        "shell_starts",
        "shell_start_rate",
        lambda shell_start_rate: shell_start_rate,
        None,
        "shells_building",
    ),
    (
        "shell_completions",
        "shells_building / shell_build_time",
        lambda shells_building, shell_build_time: shells_building / shell_build_time,
        "shells_building",
        "shells_ready",
    ),
    (
        "grid_requests",
        "grid_request_rate",
        lambda grid_request_rate: grid_request_rate,
        None,
        "grid_queue",
    ),
    (
        "grid_connections",
        "grid_queue / grid_lead_time",
        lambda grid_queue, grid_lead_time: grid_queue / grid_lead_time,
        "grid_queue",
        "grid_connected",
    ),
    (
        "revenue",
        "energized * revenue_per_gw",
        lambda energized, revenue_per_gw: energized * revenue_per_gw,
        None,
        None,
    ),
    (
        "capex",
        "deliveries * capex_per_gw",
        lambda deliveries, capex_per_gw: deliveries * capex_per_gw,
        None,
        None,
    ),
    (
        "borrowing",
        "capex * borrow_fraction",
        lambda capex, borrow_fraction: capex * borrow_fraction,
        None,
        "debt",
    ),
    ("repayment", "debt / repay_time", lambda debt, repay_time: debt / repay_time, "debt", None),
    (
        "cash_in",
        "revenue + borrowing + funding",
        lambda revenue, borrowing, funding: revenue + borrowing + funding,
        None,
        "cash",
    ),
    (
        "cash_out",
        "capex + energized * opex_per_gw + repayment",
        lambda capex, energized, opex_per_gw, repayment: (
            capex + energized * opex_per_gw + repayment
        ),
        "cash",
        None,
    ),
]


def build_model() -> Model:
    """The 10-stock model on the engine (15 constants, 12 flows, 3 auxiliaries)."""
    m = Model(time_units="quarter")
    for name, value in CONSTANTS.items():
        m.constant(name, value)
    for name, value in INITIAL.items():
        m.stock(name, value)
    for name, _, equation, source, target in ELEMENTS:
        if source is None and target is None:
            m.aux(name, equation)
        else:
            m.flow(name, equation, from_stock=source, to_stock=target)
    return m


def vensim_text() -> str:
    """The same model as Vensim .mdl text."""
    inflows: dict[str, list[str]] = {s: [] for s in INITIAL}
    outflows: dict[str, list[str]] = {s: [] for s in INITIAL}
    for name, _, _, source, target in ELEMENTS:
        if source:
            outflows[source].append(name)
        if target:
            inflows[target].append(name)
    eqs = [f"{n} = {v}\n\t~\t\n\t~\t\t|" for n, v in CONSTANTS.items()]
    for stock, value in INITIAL.items():
        net = " + ".join(inflows[stock]) or "0"
        net += "".join(f" - {f}" for f in outflows[stock])
        eqs.append(f"{stock} = INTEG({net}, {value})\n\t~\t\n\t~\t\t|")
    eqs += [f"{name} = {expr}\n\t~\t\n\t~\t\t|" for name, expr, _, _, _ in ELEMENTS]
    control = [
        f"FINAL TIME = {STOP}\n\t~\tQuarter\n\t~\t\t|",
        "INITIAL TIME = 0\n\t~\tQuarter\n\t~\t\t|",
        f"SAVEPER = {SAVE}\n\t~\tQuarter\n\t~\t\t|",
        f"TIME STEP = {DT}\n\t~\tQuarter\n\t~\t\t|",
    ]
    return "{UTF-8}\n" + "\n\n".join(eqs + control) + "\n\n\\\\\\---/// Sketch information\n"


def median_seconds(fn: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``fn`` over ``repeats`` calls, after one warm-up."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def sampled_params(samples: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {name: CONSTANTS[name] * rng.uniform(0.5, 1.5, samples) for name in SAMPLED}


def bench_engine(samples: int, repeats: int) -> dict[str, float]:
    model = build_model()
    single = median_seconds(lambda: model.run(stop=STOP, dt=DT), repeats)
    single_rk4 = median_seconds(lambda: model.run(stop=STOP, dt=DT, method="rk4"), repeats)
    params = sampled_params(samples)
    batch = median_seconds(
        lambda: model.run(stop=STOP, dt=DT, params=params, save_every=SAVE, variables=SAVED),
        max(1, repeats // 2),
    )
    return {"single": single, "single_rk4": single_rk4, "batch": batch}


def bench_pysd(runs: int) -> dict[str, float]:
    import pysd

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ten_stocks.mdl"
        path.write_text(vensim_text())
        model = pysd.read_vensim(str(path))
    # Pass every control on every call: PySD keeps them (and params) between runs.
    controls = {"final_time": STOP, "time_step": DT, "saveper": SAVE}
    frame = model.run(return_columns=list(SAVED), **controls)
    ours = build_model().run(stop=STOP, dt=DT, save_every=SAVE, variables=SAVED)
    gap = float(
        np.max(
            np.abs(frame[list(SAVED)].to_numpy() - ours.to_numpy())
            / np.maximum(1.0, np.abs(ours.to_numpy()))
        )
    )
    single = median_seconds(lambda: model.run(**controls), max(3, runs // 2))
    params = sampled_params(runs)
    index = iter(range(10**9))

    def one_sample() -> object:
        i = next(index) % runs
        values = {name: float(params[name][i]) for name in SAMPLED}
        return model.run(params=values, return_columns=list(SAVED), **controls)

    per_sample = median_seconds(one_sample, runs)
    return {"single": single, "per_sample": per_sample, "max_rel_diff": gap}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--pysd-runs", type=int, default=20)
    args = parser.parse_args()
    ours = bench_engine(args.samples, args.repeats)
    per_sample = ours["batch"] / args.samples
    print(f"engine  single run, Euler, 1000 steps : {ours['single'] * 1e3:8.2f} ms")
    print(f"engine  single run, RK4,   1000 steps : {ours['single_rk4'] * 1e3:8.2f} ms")
    print(
        f"engine  batch of {args.samples} samples (Euler)  : {ours['batch']:8.3f} s "
        f"= {per_sample * 1e6:.1f} µs/sample, {1 / per_sample:,.0f} samples/s"
    )
    if importlib.util.find_spec("pysd") is None:
        print("pysd not installed: pip install 'gwplan[bench]' for the comparison")
        return
    theirs = bench_pysd(args.pysd_runs)
    print(f"pysd    single run, Euler, 1000 steps : {theirs['single'] * 1e3:8.2f} ms")
    print(
        f"pysd    Monte Carlo, per sample       : {theirs['per_sample'] * 1e3:8.2f} ms "
        f"= {1 / theirs['per_sample']:.1f} samples/s"
    )
    print(f"ratio   single run (pysd / engine)    : {theirs['single'] / ours['single']:8.1f} x")
    print(f"ratio   per-sample throughput (batch) : {theirs['per_sample'] / per_sample:8.0f} x")
    print(
        f"check   max relative difference of saved values, pysd vs engine: "
        f"{theirs['max_rel_diff']:.1e}"
    )


if __name__ == "__main__":
    main()
