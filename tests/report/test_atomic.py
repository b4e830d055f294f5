"""A failure part-way through leaves an existing report untouched and no staging folder behind.

A report folder holding a file of the user's own is never replaced (issue 17).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from matplotlib.figure import Figure

from optimization.coupling.compare import Comparison
from optimization.report import FIGURES, FigureSpec, ReportFiles, catalog, write_report
from sd_model import Scenario
from sd_model.output_folder import OutputRefusedError


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def old_report(simulated_only_report: ReportFiles, tmp_path: Path) -> Path:
    """A report already in place (of another comparison)."""
    folder = tmp_path / "report"
    shutil.copytree(simulated_only_report.folder, folder)
    return folder


def _boom(comparison: Comparison, scenario: Scenario | None) -> Figure | None:
    raise RuntimeError("figure failed")


def test_a_failing_figure_leaves_the_old_folder_intact(
    old_report: Path,
    comparison: Comparison,
    scenario: Scenario,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = snapshot(old_report)
    failing = (*FIGURES[:2], FigureSpec("boom", "never drawn", _boom), *FIGURES[2:])
    monkeypatch.setattr(catalog, "FIGURES", failing)
    with pytest.raises(RuntimeError, match="figure failed"):
        write_report(comparison, old_report, scenario=scenario)
    assert snapshot(old_report) == before
    assert [p.name for p in old_report.parent.iterdir()] == ["report"]


def test_a_failing_png_write_midway_leaves_the_old_folder_intact(
    old_report: Path,
    comparison: Comparison,
    scenario: Scenario,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = snapshot(old_report)
    calls: list[int] = []
    save = Figure.savefig

    def fail_on_the_third(self: Figure, *args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        save(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", fail_on_the_third)
    with pytest.raises(OSError, match="disk full"):
        write_report(comparison, old_report, scenario=scenario)
    assert len(calls) == 3
    assert snapshot(old_report) == before
    assert [p.name for p in old_report.parent.iterdir()] == ["report"]


def test_a_successful_write_replaces_the_whole_folder(
    old_report: Path, comparison: Comparison, scenario: Scenario
) -> None:
    files = write_report(comparison, old_report, scenario=scenario)
    assert "the old report" not in files.summary.read_text(encoding="utf-8")
    assert [p.name for p in old_report.parent.iterdir()] == ["report"]


def test_a_file_of_the_users_own_is_never_deleted(
    old_report: Path, comparison: Comparison, scenario: Scenario
) -> None:
    (old_report / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(old_report)
    with pytest.raises(OutputRefusedError, match=r"notes\.txt"):
        write_report(comparison, old_report, scenario=scenario)
    assert snapshot(old_report) == before


def test_overwrite_false_refuses_an_existing_folder(
    old_report: Path, simulated_only: Comparison
) -> None:
    before = snapshot(old_report)
    with pytest.raises(FileExistsError):
        write_report(simulated_only, old_report, overwrite=False)
    assert snapshot(old_report) == before
