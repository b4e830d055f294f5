"""Every Python block of the README and of docs/*.md runs, in order, one namespace per page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def python_blocks(page: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", page.read_text(), re.S)


@pytest.mark.parametrize(
    "page", [p for p in PAGES if python_blocks(p)], ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_the_python_blocks_of_a_page_run(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # snippets may write files (report/)
    namespace: dict[str, object] = {"__name__": "docs"}
    for number, block in enumerate(python_blocks(page), start=1):
        exec(compile(block, f"{page.name} block {number}", "exec"), namespace)


def test_the_readme_what_if_moves_the_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's what-if must change the result (a region the plans do not use would not)."""
    (block,) = python_blocks(ROOT / "README.md")
    until_what_if = block[: block.index("result = sd_model.simulate")]
    namespace: dict[str, object] = {"__name__": "readme"}
    exec(compile(until_what_if, "README.md", "exec"), namespace)
    base, plan = namespace["base"], namespace["plan"]
    assert abs(plan.objective - base.objective) > 0.1  # type: ignore[attr-defined]
