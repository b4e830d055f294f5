"""The command line starts without the heavy libraries, and its option lists match their types."""

from __future__ import annotations

import subprocess
import sys
from typing import get_args

import pytest

from optimization.cli import choices

HEAVY = ("pyomo", "highspy", "matplotlib", "scipy", "dask", "pandas")


@pytest.mark.parametrize("args", [["--help"], ["optimize", "--help"], ["compare", "--help"]])
def test_help_loads_no_heavy_library(args: list[str]) -> None:
    code = (
        "import sys\n"
        "from optimization.cli.main import app\n"
        "try:\n"
        f"    app({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('loaded:', sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Usage" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "loaded: []"


def test_option_lists_match_their_literal_types() -> None:
    from optimization.coupling.compare import CaseName
    from optimization.lp.data import Mode, ObjectiveKind
    from optimization.sweeps.distributions import SamplingMethod
    from optimization.sweeps.executors import ExecutorKind
    from sd_model.buildout.loops import Loop

    assert get_args(Mode) == choices.MODES
    assert get_args(ObjectiveKind) == choices.OBJECTIVES
    assert tuple(sorted(get_args(Loop))) == choices.LOOPS
    assert get_args(CaseName) == choices.CASES
    assert get_args(ExecutorKind) == choices.EXECUTORS
    assert get_args(SamplingMethod) == choices.METHODS
