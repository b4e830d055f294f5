"""Issue 19: every planner-facing scale in one run, as ratios to a fixed numpy workload.

Each row runs in a fresh process per repetition, round-robin with a
calibration row (a fixed numpy workload: 40 products of 400x400 matrices and
a sort of 2M numbers), so a result reads as ``row / calibration`` and holds
on a noisy shared machine. With ``--base DIR`` (a worktree of the base
commit, e.g. ``git worktree add /work/wt-19-base <commit>``) every row is
also measured on that tree in the same run, and the table gives
``branch / base``.

Rows:

- ``help``: ``gwplan --help`` as a process;
- ``optimize``: ``gwplan optimize reference`` as a process;
- ``compare``: ``gwplan compare reference --out DIR`` as a process;
- ``batch``: 10,000 samples of the reference build-out in one vectorized
  run, recording what `sd_model.metrics.summary` reads, plus the summary
  (in-process time, imports excluded);
- ``lp``: a synthetic scenario (``--lp-sites`` x 20 quarters) built, solved
  and extracted (``optimize()``; in-process), with the share of the time
  outside HiGHS; ``--lp-options`` picks the SolveOptions
  (default: ``{}``, i.e. ``SolveOptions()``).

Usage::

    python benchmarks/bench_scale.py --base /work/wt-19-base --repeats 3 --lp-sites 200

Results, and what moved HiGHS's own time at 1,000 sites: ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CALIBRATION = """
import time, numpy as np
rng = np.random.default_rng(0)
a = rng.random((400, 400)); x = rng.random(2_000_000)
t = time.perf_counter()
for _ in range(40):
    a = (a @ a) / 400.0
np.sort(x)
print(time.perf_counter() - t)
"""

BATCH = """
import sys, time
sys.path.insert(0, "benchmarks")
import numpy as np
import sd_model
from sd_model import metrics
from bench_buildout import samples
scenario = sd_model.load_scenario("reference")
drawn = samples(10_000)
t = time.perf_counter()
frame = sd_model.simulate(scenario, samples=drawn, variables=metrics.SUMMARY_VARIABLES)
metrics.summary(frame)
print(time.perf_counter() - t)
"""

LP = """
import json, sys, time
from optimization import SolveOptions, optimize
from sd_model.testing import synthetic_scenario
scenario = synthetic_scenario({sites}, 20, seed=0)
options = SolveOptions(**json.loads({options!r}))
t = time.perf_counter()
plan = optimize(scenario, options=options)
total = time.perf_counter() - t
split = {{k: plan.timings[k] for k in ("build_s", "transfer_s", "solver_s", "extract_s")}}
out = {{"total": total, "highs": split["solver_s"], "objective": plan.objective, **split}}
print(json.dumps(out))
"""


def _run(tree: Path, args: list[str], inprocess: bool) -> float | dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    tick = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *args], cwd=tree, env=env, capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - tick
    if not inprocess:
        return wall
    last = done.stdout.strip().splitlines()[-1]
    return json.loads(last) if last.startswith("{") else float(last)


def _rows(out: str, lp_sites: int, lp_options: str) -> dict[str, tuple[list[str], bool]]:
    cli = ["-m", "optimization.cli.main"]
    rows = {
        "calibration": (["-c", CALIBRATION], True),
        "help": ([*cli, "--help"], False),
        "optimize": ([*cli, "optimize", "reference"], False),
        "compare": ([*cli, "compare", "reference", "--out", out], False),
        "batch": (["-c", BATCH], True),
    }
    if lp_sites:
        rows["lp"] = (["-c", LP.format(sites=lp_sites, options=lp_options)], True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, help="a worktree of the base commit")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--lp-sites", type=int, default=0, help="0: skip the LP row")
    parser.add_argument("--lp-options", default="{}")
    parser.add_argument("--only", nargs="*", help="rows to run (default all)")
    args = parser.parse_args()
    trees = {"branch": Path.cwd()} | ({"base": args.base.resolve()} if args.base else {})
    results: dict[tuple[str, str], list[float]] = {}
    extra: dict[tuple[str, str], list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        rows = _rows(str(Path(tmp) / "report"), args.lp_sites, args.lp_options)
        names = [r for r in rows if r == "calibration" or not args.only or r in args.only]
        for _ in range(args.repeats):
            for name in names:
                for label, tree in trees.items():
                    value = _run(tree, *rows[name])
                    if isinstance(value, dict):
                        extra.setdefault((name, label), []).append(value)
                        value = value["total"]
                    results.setdefault((name, label), []).append(value)
    calib = {label: statistics.median(results["calibration", label]) for label in trees}
    print(f"calibration (numpy workload), median [s]: {calib}")
    print("| row | tree | median s | min | max | / calibration | branch / base |")
    print("|---|---|---|---|---|---|---|")
    for name in names[1:]:
        for label in trees:
            times = results[name, label]
            med = statistics.median(times)
            ratio = ""
            if label == "branch" and "base" in trees:
                ratio = f"{med / statistics.median(results[name, 'base']):.2f}"
            print(
                f"| {name} | {label} | {med:.2f} | {min(times):.2f} | {max(times):.2f} "
                f"| {med / calib[label]:.1f} | {ratio} |"
            )
            for run in extra.get((name, label), []):
                share = 100 * (run["total"] - run["highs"]) / run["total"]
                print(
                    f"|   | {label} run | total {run['total']:.2f}: build {run['build_s']:.2f}, "
                    f"transfer {run['transfer_s']:.2f}, HiGHS {run['highs']:.2f}, extract "
                    f"{run['extract_s']:.2f}; outside HiGHS {share:.1f}%, objective "
                    f"{run['objective']:.6f} | | | | |"
                )


if __name__ == "__main__":
    main()
