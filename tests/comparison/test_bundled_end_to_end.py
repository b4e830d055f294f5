"""The main job end to end on every bundled scenario: four cases compared, the report written."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

import sd_model
from optimization.coupling.compare import compare
from optimization.report import FIGURES, write_report

BUNDLED = [info.name for info in sd_model.list_scenarios()]


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


@pytest.mark.parametrize("name", BUNDLED)
def test_compare_and_report(name: str, tmp_path: Path) -> None:
    scenario = sd_model.load_scenario(name)
    comparison = compare(scenario, cases=("announced", "announced_timing", "optimal", "coupled"))
    assert comparison.coupling is not None and comparison.coupling.converged, (
        comparison.coupling.message if comparison.coupling else "no coupling"
    )
    files = write_report(comparison, tmp_path / "report", scenario=scenario)
    assert files.skipped == {}
    # every bundled scenario gives Oracle and AMD balance sheets (the reference's
    # counterparties.csv): the report has the loop section and its figure besides the catalog's
    assert "loop_liquidity" in files.figures
    catalog = set(files.figures) - {"loop_liquidity"}
    assert {spec.name for spec in FIGURES} == catalog | set(files.replaced)
    for path in files.figures.values():
        assert png_size(path) == (1200, 700)
        assert path.stat().st_size > 20_000  # a drawn figure, not an empty canvas
    for path in (files.summary, files.html, *files.tables.values()):
        assert path.stat().st_size > 0
    summary = files.summary.read_text()
    assert "Key metrics" in summary
    # issue 8: every report shows the circular exposure and the tracking view (issue 16:
    # or the sentence saying its panels are flat)
    assert "Circular exposure" in summary
    assert "## The circular loop under stress" in summary and "loop_summary.csv" in files.tables
    assert "tracking_view" in files.figures or "tracking view is not drawn" in summary
    assert "exposure.csv" in files.tables
