"""Benchmark gwplan's main job: ``gwplan compare reference --out DIR`` end to end.

Measures, in one run and as medians of ``--repeats`` repetitions:

(a) the command end to end in a fresh process (imports included), as a
    planner runs it;
(b) in-process phases: the comparison of the four cases (announced,
    announced timing, optimal, coupled) and writing the report folder.

Usage::

    python benchmarks/bench_compare.py [--scenario reference] [--repeats 3]

The goal is (a) under 30 s on the project's 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sd_model
from optimization.coupling.compare import compare
from optimization.report import write_report


def _median(times: list[float]) -> str:
    return f"{statistics.median(times):7.2f} s (min {min(times):.2f}, max {max(times):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="reference")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    command, compare_s, report_s = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeats):
            out = Path(tmp) / f"cli{i}"
            tick = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "optimization.cli.main",
                    "compare",
                    args.scenario,
                    "--out",
                    str(out),
                ],
                check=True,
                capture_output=True,
            )
            command.append(time.perf_counter() - tick)
            scenario = sd_model.load_scenario(args.scenario)
            tick = time.perf_counter()
            comparison = compare(
                scenario, cases=("announced", "announced_timing", "optimal", "coupled")
            )
            compare_s.append(time.perf_counter() - tick)
            tick = time.perf_counter()
            write_report(comparison, Path(tmp) / f"report{i}", scenario=scenario)
            report_s.append(time.perf_counter() - tick)
    print(f"scenario {args.scenario}, {args.repeats} repeats")
    print(f"gwplan compare --out, end to end (new process): {_median(command)}")
    print(f"  compare(): 4 cases, coupling included       : {_median(compare_s)}")
    print(f"  write_report()                              : {_median(report_s)}")


if __name__ == "__main__":
    main()
