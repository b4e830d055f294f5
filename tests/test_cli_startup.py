"""The command line starts without the heavy libraries, and its option lists match their types."""

from __future__ import annotations

import subprocess
import sys
from typing import get_args

from optimization.cli import choices


def test_importing_the_cli_loads_no_heavy_library() -> None:
    code = (
        "import sys, optimization.cli.main; "
        "print(sorted(m for m in ('pyomo', 'matplotlib', 'dask', 'pandas', 'scipy') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


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
