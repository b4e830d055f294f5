"""The README's two command blocks stay the project's promise, and CI runs the second."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def command_blocks() -> list[list[str]]:
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```(?:bash|sh|shell|console)?\n(.*?)```", text, re.S)
    return [[line for line in b.strip().splitlines() if line.strip()] for b in blocks]


def test_readme_starts_with_install_and_run_then_install_and_test() -> None:
    first, second = command_blocks()[:2]
    assert first[0].startswith("pip install .") and first[-1].startswith("gwplan ")
    assert second[0].startswith("pip install") and "[dev]" in second[0]
    assert "pytest" in second[-1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    second = command_blocks()[1]
    start = ci.index(second[0])
    assert ci[start : start + len(second)] == second


# The README's Python block runs in tests/test_docs_snippets.py, with every docs page's.
