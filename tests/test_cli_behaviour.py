"""How the command line behaves around its output: pipes, progress lines, the full diagnosis."""

from __future__ import annotations

import subprocess
import sys

import pytest

from optimization.cli.main import main
from tests.conftest import TINY

GWPLAN = [sys.executable, "-c", "from optimization.cli.main import run; run()"]


def test_a_closed_pipe_ends_the_command_quietly_with_status_0() -> None:
    # `gwplan validate reference | head -2`: the reader leaves before gwplan prints
    done = subprocess.Popen(
        [*GWPLAN, "validate", "reference"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert done.stdout is not None and done.stderr is not None
    done.stdout.close()
    code = done.wait(timeout=120)
    problems = done.stderr.read().decode()
    done.stderr.close()
    assert code == 0
    assert problems == ""


def test_progress_is_plain_lines_when_stderr_is_not_a_terminal() -> None:
    done = subprocess.run(
        [*GWPLAN, "optimize", str(TINY)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0
    lines = done.stderr.splitlines()
    assert "gwplan: optimizing tiny (optimal) ..." in lines
    assert any(line.startswith("gwplan: optimizing tiny (optimal): done in ") for line in lines)
    assert "\r" not in done.stderr and "\x1b[" not in done.stderr  # no redrawn bar, no colours


def test_compare_prints_every_step_and_the_whole_diagnosis(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import dataclasses

    import pandas as pd

    from optimization.cli.compare import _print
    from optimization.coupling.compare import compare
    from sd_model import load_scenario

    assert main(["compare", str(TINY), "--case", "announced_timing"]) == 0
    assert "gwplan: [1/1] announced_timing" in capsys.readouterr().err
    scenario = load_scenario(str(TINY))
    comparison = compare(scenario, cases=("announced_timing",))
    texts = [f"limit number {i} is short by {i}.0 GW" for i in range(1, 10)]  # more than 6
    findings = pd.DataFrame({"case": "announced_timing", "kind": "diagnosis", "text": texts})
    _print(dataclasses.replace(comparison, findings=findings), scenario)
    printed = capsys.readouterr().out
    assert all(f"  - {text}" in printed for text in texts)


def test_simulate_states_both_horizons_side_by_side(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from sd_model import load_scenario

    grid = load_scenario(str(TINY)).periods
    assert main(["simulate", str(TINY)]) == 0
    out = capsys.readouterr().out
    assert "figures to the end of each horizon" in out
    header = "".join(line for line in out.splitlines()[:6])  # the header cells may wrap
    assert grid.lp_end_period in header and grid.sd_end_period in header
    assert main(["simulate", str(TINY), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert set(payload["summary_to_plan_end"]) == set(payload["summary"])
    assert payload["summary_to_plan_end"] != payload["summary"]


def test_scenarios_lists_without_the_dataframe_or_solver_stacks() -> None:
    heavy = ("pyomo", "highspy", "matplotlib", "scipy", "dask", "pandas")
    code = (
        "import sys\n"
        "from optimization.cli.main import main\n"
        "main(['scenarios'])\n"
        f"print('loaded:', sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "reference" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "loaded: []"
