"""The numbers a planner reads from each bundled scenario, flattened for storage.

`collect` runs the comparison of every case (announced, announced_timing,
optimal, coupled) and returns one flat mapping ``"<case> | <figure>" -> value``:
the comparison's metrics (simulation summary and LP objective terms), each LP
case's objective and the energized GW per vendor at each year's end.
`tests/test_expected.py` compares it with the stored JSON in
`tests/expected/`; ``python -m pytest tests/test_expected.py --update-expected``
rewrites the files.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from optimization.coupling.compare import CaseName, compare
from sd_model import Scenario

EXPECTED_DIR = Path(__file__).parent / "expected"

#: Relative and absolute tolerance of a stored number [same unit as the number].
#: LP optima are deterministic for one HiGHS version; the slack allows another
#: platform's floating-point rounding, not another plan.
REL_TOL = 1e-4
ABS_TOL = 1e-4

CASES: tuple[CaseName, ...] = ("announced", "announced_timing", "optimal", "coupled")


def collect(scenario: Scenario) -> dict[str, float]:
    """The stored figures of ``scenario``, keyed ``"<case> | <figure>"``."""
    comparison = compare(scenario, cases=CASES)
    numbers: dict[str, float] = {}
    for case, column in comparison.metrics.items():
        for figure, value in column.items():
            if pd.notna(value):
                numbers[f"{case} | {figure}"] = float(value)
    for case in comparison.cases:
        if case.plan is not None:
            numbers[f"{case.name} | lp_status"] = float(case.plan.status.value == "optimal")
    energized = comparison.energized_by_vendor
    energized = energized.assign(year=energized["period"].str[:4])
    year_end = energized.groupby(["case", "vendor", "year"])["gw"].last()
    for row in year_end.reset_index().itertuples(index=False):
        numbers[f"{row.case} | energized_gw {row.vendor} {row.year}"] = float(str(row.gw))
    return dict(sorted(numbers.items()))


def load(name: str) -> dict[str, float]:
    """The stored figures of bundled scenario ``name``."""
    return dict(json.loads((EXPECTED_DIR / f"{name}.json").read_text()))


def store(name: str, numbers: Mapping[str, float]) -> None:
    """Write ``numbers`` as the stored figures of ``name`` (atomically)."""
    EXPECTED_DIR.mkdir(exist_ok=True)
    target = EXPECTED_DIR / f"{name}.json"
    staging = target.with_suffix(".json.tmp")
    staging.write_text(json.dumps(numbers, indent=1, sort_keys=True) + "\n")
    staging.replace(target)


def differences(stored: Mapping[str, float], now: Mapping[str, float]) -> list[str]:
    """Lines naming each figure that moved, appeared or disappeared."""
    lines = []
    for key in sorted(set(stored) | set(now)):
        before, after = stored.get(key), now.get(key)
        if before is None:
            lines.append(f"  new      {key}: {after:.6g}")
        elif after is None:
            lines.append(f"  gone     {key}: was {before:.6g}")
        elif not math.isclose(before, after, rel_tol=REL_TOL, abs_tol=ABS_TOL):
            lines.append(f"  changed  {key}: {before:.6g} -> {after:.6g}")
    return lines
