"""Benchmark the siting / PPA / timing LP: build, transfer, HiGHS, load — and a raw lower bound.

For the reference scenario and synthetic scenarios (``sd_model.testing.
synthetic_scenario``) this measures, in one process:

- build: ModelData + Pyomo model construction (`PlanningModel.__init__`),
- transfer: handing the model to HiGHS (default interface "matrix": Pyomo's
  standard-form compile + ``passModel``; "pyomo_persistent": contrib 'highs'
  ``set_instance``),
- highs: HiGHS's own run time (``getRunTime``),
- load: primal values and duals back into Pyomo,
- extract: building the Plan's frames, diagnosis and binding limits,
- e2e: ``optimize()`` end to end (wall),
- raw: the same LP (compiled once by Pyomo's LinearStandardFormCompiler, not
  timed) passed to ``highspy`` as CSC matrices: passModel + run — the lower
  bound for any modelling layer,
- resolve: a persistent re-solve after halving the starting cash, against a
  fresh build + solve of the same changed scenario; ``later_resolve`` is the
  median of the next five re-solves (other cash values), as in a sweep.

Each case is measured with both `SolveOptions.interface` values, round-robin
when ``--repeat`` > 1, after a warm-up solve of the tiny scenario (imports
are not timed).

Run from the repository root::

    /work/venv/bin/python benchmarks/bench_lp.py                 # default sizes
    /work/venv/bin/python benchmarks/bench_lp.py --sizes 10x16 50x40 --repeat 3
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
from typing import Any

import highspy
import numpy as np
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from optimization import PlanningModel, SolveOptions, optimize
from sd_model import Scenario, load_scenario
from sd_model.testing import synthetic_scenario

DEFAULT_SIZES = ("10x16", "50x40", "100x40", "200x40")
INTERFACES = ("pyomo_persistent", "matrix")


def raw_highs(model: Any) -> dict[str, float]:
    """Pass the compiled LP to highspy directly; time passModel and run."""
    repn = LinearStandardFormCompiler().write(model, mixed_form=True, set_sense=None)
    a = repn.A.tocsc()
    n_rows, n_cols = a.shape
    lo = np.full(n_rows, -highspy.kHighsInf)
    hi = np.full(n_rows, highspy.kHighsInf)
    rhs = np.asarray(repn.rhs, dtype=float)
    for i, row in enumerate(repn.rows):
        if row.bound_type <= 0:
            lo[i] = rhs[i]
        if row.bound_type >= 0:
            hi[i] = rhs[i]
    col_lo = np.array([v.lb if v.lb is not None else -highspy.kHighsInf for v in repn.columns])
    col_hi = np.array([v.ub if v.ub is not None else highspy.kHighsInf for v in repn.columns])
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, n_rows
    lp.col_cost_ = np.asarray(repn.c.toarray()).ravel()
    lp.col_lower_, lp.col_upper_ = col_lo, col_hi
    lp.row_lower_, lp.row_upper_ = lo, hi
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    tick = time.perf_counter()
    h.passModel(lp)
    transfer = time.perf_counter() - tick
    tick = time.perf_counter()
    h.run()
    run = time.perf_counter() - tick
    h.getSolution()
    return {
        "raw_transfer_s": transfer,
        "raw_highs_s": run,
        "raw_total_s": transfer + run,
        "raw_objective": h.getInfo().objective_function_value + float(repn.c_offset[0]),
        "columns": float(n_cols),
        "rows": float(n_rows),
        "nonzeros": float(a.nnz),
    }


def measure(scenario: Scenario, interface: str) -> dict[str, float]:
    """One round of every measurement for ``scenario`` through ``interface``."""
    options = SolveOptions(interface=interface)  # type: ignore[arg-type]
    gc.collect()
    tick = time.perf_counter()
    plan = optimize(scenario, options=options)
    e2e = time.perf_counter() - tick
    t = plan.timings
    out = {
        "build_s": t["build_s"],
        "transfer_s": t["transfer_s"],
        "highs_s": t["solver_s"],
        "load_s": t["load_s"],
        "extract_s": t["extract_s"],
        "e2e_s": e2e,
        "objective": plan.objective,
    }
    out["overhead_s"] = e2e - t["solver_s"]
    out["overhead_pct_of_solve"] = 100 * out["overhead_s"] / max(t["solver_s"], 1e-9)
    out["model_overhead_s"] = t["build_s"] + t["transfer_s"] + t["load_s"]
    model = PlanningModel(scenario, options=options)
    model.solve()
    out.update(raw_highs(model.model))
    cash = scenario.financing.starting_cash_busd
    change = {"financing.starting_cash_busd": cash * 0.5}
    tick = time.perf_counter()
    model.resolve(change)
    out["resolve_s"] = time.perf_counter() - tick
    # a sweep's later re-solves: the parameter-to-row map is built by then
    later = []
    for factor in (0.45, 0.4, 0.35, 0.3, 0.25):
        tick = time.perf_counter()
        model.resolve({"financing.starting_cash_busd": cash * factor})
        later.append(time.perf_counter() - tick)
    out["later_resolve_s"] = statistics.median(later)
    tick = time.perf_counter()
    optimize(scenario.with_overrides(change), options=options)
    out["rebuild_solve_s"] = time.perf_counter() - tick
    out["resolve_speedup"] = out["rebuild_solve_s"] / out["resolve_s"]
    out["later_resolve_speedup"] = out["rebuild_solve_s"] / out["later_resolve_s"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", nargs="*", default=list(DEFAULT_SIZES), help="synthetic sizes SITESxQUARTERS"
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds per case (median shown)")
    parser.add_argument("--no-reference", action="store_true")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--interfaces", nargs="*", default=list(INTERFACES), help="SolveOptions.interface values"
    )
    args = parser.parse_args()
    for interface in args.interfaces:  # warm-up: imports and first-use costs are not timed
        optimize(load_scenario("tests/scenarios/tiny"), options=SolveOptions(interface=interface))
    cases: list[tuple[str, Scenario]] = []
    if not args.no_reference:
        cases.append(("reference", load_scenario("reference")))
    for size in args.sizes:
        sites, quarters = (int(x) for x in size.split("x"))
        cases.append((size, synthetic_scenario(sites, quarters, seed=0)))
    results: dict[str, dict[str, dict[str, float]]] = {}
    cols = (
        "columns",
        "rows",
        "build_s",
        "transfer_s",
        "highs_s",
        "load_s",
        "extract_s",
        "e2e_s",
        "overhead_pct_of_solve",
        "raw_transfer_s",
        "raw_highs_s",
        "resolve_s",
        "rebuild_solve_s",
        "resolve_speedup",
        "later_resolve_s",
        "later_resolve_speedup",
    )
    print("| case | interface | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 2) + "|")
    for name, scenario in cases:
        rounds: dict[str, list[dict[str, float]]] = {i: [] for i in args.interfaces}
        for _ in range(args.repeat):
            for interface in args.interfaces:
                rounds[interface].append(measure(scenario, interface))
        results[name] = {}
        for interface, runs in rounds.items():
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            results[name][interface] = med
            scale = max(1, abs(med["objective"]))
            assert abs(med["objective"] - med["raw_objective"]) <= 1e-6 * scale
            cells = [
                f"{med[c]:,.0f}" if c in ("columns", "rows") else f"{med[c]:.3g}" for c in cols
            ]
            print(f"| {name} | {interface} | " + " | ".join(cells) + " |", flush=True)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=2)


if __name__ == "__main__":
    main()
