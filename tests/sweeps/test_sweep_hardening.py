"""Issue 17 for sweeps: flags checked up front, damaged chunks recomputed, workers end with
their driver, and every evaluator applies the cross-field rules of ``gwplan validate``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import sd_model
from optimization.cli.main import EXIT_BAD_INPUT, main
from optimization.sweeps import PlanMetrics, SimulationMetrics, Uniform
from optimization.sweeps.distributions import draw_samples
from tests.conftest import TINY


@pytest.fixture(scope="module")
def scenario() -> sd_model.Scenario:
    return sd_model.load_scenario(TINY)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--samples", "0"], "--samples"),
        (["--chunk-size", "0"], "--chunk-size"),
        (["--chunk-size", "-5"], "--chunk-size"),
        (["--workers", "-1"], "--workers"),
        (["--seed", "-1"], "--seed"),
        (["--executor", "dask", "--address", "tcp://127.0.0.1:1"], "did not answer"),
        (["--executor", "dask", "--address", "scheduler:8786"], "tcp://"),
        (["--resume"], "--resume needs --out"),
        (["--param", "puee=uniform(1,2)"], "puee"),
        (["--param", "pue=uniform(5,6)"], "no value fits"),
        (["--param", "sites.TXA.max_gw=uniform(0.1,0.3)"], "shell_ready_gw_at_start"),
    ],
)
def test_bad_flags_exit_2_before_any_sample_runs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, flags: list[str], named: str
) -> None:
    out = tmp_path / "sweep"
    args = ["sweep", str(TINY), "--param", "pue=uniform(1.1,1.3)", "--samples", "4"]
    where = [] if "--resume" in flags else ["--out", str(out)]
    code, _, err = run(capsys, *args, "--executor", "inprocess", *flags, *where)
    assert code == EXIT_BAD_INPUT, err
    assert named in err and "Traceback" not in err
    assert not out.exists()


def stored_table(out: Path) -> pd.DataFrame:
    return pd.concat(pd.read_parquet(p) for p in sorted((out / "chunks").glob("*.parquet")))


def test_a_damaged_chunk_is_reported_and_recomputed_on_resume(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "sweep"
    args = ["sweep", str(TINY), "--param", "sites.TXB.max_gw=uniform(0.2,1.5)", "--samples", "12"]
    args += ["--seed", "5", "--chunk-size", "5", "--executor", "inprocess", "--out", str(out)]
    assert run(capsys, *args)[0] == 0
    whole = stored_table(out)
    chunk = out / "chunks" / "chunk-000001.parquet"
    chunk.write_bytes(chunk.read_bytes()[: chunk.stat().st_size // 2])
    code, _, err = run(capsys, *args, "--resume")
    assert code == 0, err
    assert "recomputed a damaged chunk: chunk-000001.parquet" in err
    pd.testing.assert_frame_equal(stored_table(out), whole)


def test_every_evaluator_rejects_what_validate_rejects(scenario: sd_model.Scenario) -> None:
    # TXA has 0.4 GW of ready shells: a max_gw below it breaks a rule between two fields.
    inputs = draw_samples({"sites.TXA.max_gw": Uniform(0.1, 1.0)}, 12, seed=3)
    for evaluate in (SimulationMetrics(), PlanMetrics()):
        errors = evaluate(scenario, inputs)["error"].to_dict()
        for sample, value in inputs["sites.TXA.max_gw"].to_dict().items():
            try:
                scenario.with_overrides({"sites.TXA.max_gw": value}, note="check")
                valid = True
            except sd_model.ScenarioError:
                valid = False
            assert (errors[sample] == "") == valid, (type(evaluate).__name__, value)
        assert "" in errors.values() and set(errors.values()) != {""}


DRIVER = """
import os, sys, time
from optimization.sweeps.executors import LocalProcessExecutor
pool = LocalProcessExecutor(workers=2)._pool
# Short tasks first, so that both workers are up and have run their initializer.
for future in [pool.submit(time.sleep, 0.5) for _ in range(8)]:
    future.result()
futures = [pool.submit(time.sleep, 120) for _ in range(2)]
print(*pool._processes, flush=True)
time.sleep(120)
"""


def _children(pid: int) -> set[int]:
    listed = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True
    )
    return {int(p) for p in listed.stdout.split()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "zombie" in status.read_text(encoding="utf-8"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses ps and /proc")
def test_workers_and_the_resource_tracker_end_when_the_driver_is_killed() -> None:
    driver = subprocess.Popen(
        [sys.executable, "-c", DRIVER], stdout=subprocess.PIPE, text=True, cwd=Path.cwd()
    )
    assert driver.stdout is not None
    workers = {int(p) for p in driver.stdout.readline().split()}
    helpers = _children(driver.pid)  # the workers and the resource tracker
    assert len(workers) == 2 and workers <= helpers
    os.kill(driver.pid, signal.SIGKILL)
    driver.wait()
    deadline = time.monotonic() + 30
    while any(_alive(p) for p in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = [p for p in helpers if _alive(p)]
    for pid in survivors:  # a failing run must not leave its workers behind
        os.kill(pid, signal.SIGKILL)
    assert not survivors
