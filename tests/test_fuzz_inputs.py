"""Seeded fuzzing of scenario input (issue 17): exit 0 or a located exit 2, nothing else.

Every mutation of `tests.fuzz_mutations` is applied alone to a fresh copy of
a scenario (the bundled ``reference`` and the small test scenario), then
``gwplan validate`` runs on it, and ``gwplan optimize`` too when validate
accepts it. Each run must end in time (an alarm, not a timeout of the whole
suite), never with a traceback or exit 1, with a located message on exit 2,
and, for a mutation that keeps the meaning, with an unchanged scenario.

Set ``GWPLAN_FUZZ_REPORT`` to a file path to get the counts per kind and
outcome as JSON (quoted in the issue's closing note).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest

import sd_model
from optimization.cli.main import EXIT_BAD_INPUT, main
from tests.conftest import TINY
from tests.fuzz_mutations import KINDS, Mutation

SEED = 17
ROUNDS = {"tiny": 12, "reference": 4}  # per mutation kind
RUN_LIMIT_S = 30  # one validate or optimize; all of them take well under a second


class Hang(BaseException):
    """Raised by the alarm (a BaseException, so gwplan's own handlers cannot swallow it)."""


@contextmanager
def alarm(seconds: float) -> Iterator[None]:
    def ring(number: int, frame: FrameType | None) -> None:
        raise Hang

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int | str, str]:
    """Exit code (or 'hang'), and stderr."""
    try:
        with alarm(RUN_LIMIT_S):
            code: int | str = main(list(args))
    except Hang:
        code = "hang"
    return code, capsys.readouterr().err


def verdict(
    mutation: Mutation, folder: Path, code: int | str, err: str, original: sd_model.Scenario
) -> str:
    """The outcome's name; failures start with 'BAD'."""
    if code == "hang":
        return "BAD hang"
    if "Traceback" in err or code not in (0, EXIT_BAD_INPUT):
        return f"BAD exit {code}"
    if code == EXIT_BAD_INPUT:
        located = str(folder) in err or bool(mutation.sets)
        missing = [part for part in mutation.where if part not in err]
        if not located or missing:
            return f"BAD unlocated (missing {missing})"
        return "rejected (exit 2, located)"
    if mutation.expect == "reject":
        return "BAD silently accepted"
    if mutation.expect == "same":
        loaded = sd_model.load_scenario(folder)
        if loaded.model_dump(exclude={"name"}) != original.model_dump(exclude={"name"}):
            return "BAD silent change"
        return "accepted, unchanged"
    return "accepted (exit 0)"


def fuzz(
    capsys: pytest.CaptureFixture[str], source: Path, rounds: int, work: Path
) -> tuple[Counter[tuple[str, str]], list[str]]:
    original = sd_model.load_scenario(source)
    rng = random.Random(f"{SEED}-{source.name}")
    counts: Counter[tuple[str, str]] = Counter()
    failures = []
    for number in range(rounds * len(KINDS)):
        kind = list(KINDS)[number % len(KINDS)]
        folder = work / f"{source.name}-{number}" / source.name
        shutil.copytree(source, folder)
        mutation = KINDS[kind](folder, rng)
        if mutation is None:
            continue
        sets = [a for s in mutation.sets for a in ("--set", s)]
        code, err = run(capsys, "validate", str(folder), *sets)
        outcome = verdict(mutation, folder, code, err, original)
        if code == 0:
            code, err = run(capsys, "optimize", str(folder), *sets, "--time-limit", "20")
            if code != 0:
                outcome = verdict(mutation, folder, code, err, original)
                outcome = f"{outcome} by optimize" if outcome.startswith("BAD") else outcome
        counts[(kind, outcome)] += 1
        if outcome.startswith("BAD"):
            failures.append(f"{kind} {mutation.detail}: {outcome}\n{err[-600:]}")
        shutil.rmtree(folder.parent)
    return counts, failures


def test_no_single_mutation_crashes_hangs_or_silently_changes_gwplan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    reference = next(s.path for s in sd_model.list_scenarios() if s.name == "reference")
    totals: Counter[tuple[str, str]] = Counter()
    failures: list[str] = []
    for source, rounds in ((TINY, ROUNDS["tiny"]), (reference, ROUNDS["reference"])):
        counts, bad = fuzz(capsys, source, rounds, tmp_path)
        totals += counts
        failures += bad
    report = os.environ.get("GWPLAN_FUZZ_REPORT")
    if report:
        rows = [{"kind": k, "outcome": o, "count": n} for (k, o), n in sorted(totals.items())]
        Path(report).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    assert sum(totals.values()) > 150
    assert not failures, "\n\n".join(failures[:10])
    # Every kind ran, and every 'reject' kind was in fact rejected at least once.
    assert {kind for kind, _ in totals} == set(KINDS)
