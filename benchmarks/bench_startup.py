"""Benchmark how fast the command line starts: ``gwplan --help``, ``scenarios``, ``keys``.

Each command runs in a fresh interpreter (``python -c "...run()"``), so the
time includes Python's own start and every import the command needs; the
heavy stacks (Pyomo, HiGHS, matplotlib, SciPy, Dask) load only in the
commands that solve, plot or sweep. Also prints which of them each command
loaded.

Usage::

    python benchmarks/bench_startup.py [--repeats 5]

Timings are medians; on a shared 2-core machine repeat runs vary by up to 2x.
"""

from __future__ import annotations

import argparse
import ast
import statistics
import subprocess
import sys
import time

HEAVY = ("pyomo", "highspy", "matplotlib", "scipy", "dask", "pandas")
COMMANDS = (["--help"], ["scenarios"], ["keys", "reference", "lead"], ["validate", "reference"])


def _once(args: list[str]) -> tuple[float, list[str]]:
    code = (
        "import sys\n"
        "from optimization.cli.main import main\n"
        f"main({args!r})\n"
        f"print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    loaded = next(line for line in done.stdout.splitlines() if line.startswith("LOADED"))
    return elapsed, list(ast.literal_eval(loaded[len("LOADED ") :]))


def main() -> None:
    """Print the median wall time and the heavy modules loaded, per command."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats
    print(f"{'command':<28} {'median_s':>9}  heavy modules loaded")
    for args in COMMANDS:
        runs = [_once(args) for _ in range(repeats)]
        median = statistics.median(t for t, _ in runs)
        print(f"gwplan {' '.join(args):<21} {median:9.2f}  {', '.join(runs[0][1]) or '-'}")


if __name__ == "__main__":
    main()
