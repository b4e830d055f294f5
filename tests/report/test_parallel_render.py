"""Figures drawn by a forked child are the bytes a serial render gives."""

from __future__ import annotations

from optimization.coupling.compare import Comparison
from optimization.report.catalog import render_figures
from sd_model import Scenario


def test_two_workers_draw_the_same_figures_as_one(
    comparison: Comparison, scenario: Scenario
) -> None:
    serial = render_figures(comparison, scenario, workers=1)
    forked = render_figures(comparison, scenario, workers=2)
    assert [r.spec.name for r in forked] == [r.spec.name for r in serial]
    assert [(r.png, r.skipped) for r in forked] == [(r.png, r.skipped) for r in serial]
    assert sum(r.png is not None for r in serial) >= 4  # enough figures to fork
