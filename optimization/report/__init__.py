"""Reports: a `Comparison` as a folder of figures, tables and two pages.

`write_report` writes, atomically, ``summary.md`` and a self-contained
``index.html`` with the same content, ``figures/*.png`` and
``tables/*.csv``. The figure functions are public too: each takes a
`Comparison` (and optionally the `Scenario`) and returns a matplotlib
`Figure` drawn without ``pyplot``, or ``None`` when there is nothing to draw.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> from sd_model import load_scenario
>>> from optimization.coupling.compare import compare
>>> from optimization.report import write_report
>>> scenario = load_scenario("tests/scenarios/tiny")
>>> comparison = compare(scenario, cases=("announced", "optimal"))
>>> files = write_report(comparison, Path(tempfile.mkdtemp()) / "report", scenario=scenario)
>>> sorted(files.figures)[:2]
['cash_and_debt', 'committed_payments']

The names below load on first use (PEP 562): reading a plan's tables
(`optimization.report.outputs`) does not import matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sd_model.lazy import lazy_exports

if TYPE_CHECKING:
    from optimization.report.catalog import FIGURES, FigureSpec, RenderedFigure, render_figures
    from optimization.report.exposure import exposure_table, formatted_exposure
    from optimization.report.figures import (
        cash_and_debt,
        energized_capacity,
        power_by_source,
        stranded_gap,
        utilization,
    )
    from optimization.report.lease_figures import committed_payments, own_vs_lease, tracking_view
    from optimization.report.plan_figures import coupling_iterations, shadow_prices, site_gw
    from optimization.report.tables import key_metrics, report_tables
    from optimization.report.uncertainty import Uncertainty
    from optimization.report.writer import ReportFiles, write_report

#: Where each public name lives.
_HOME = {
    "FIGURES": "optimization.report.catalog",
    "FigureSpec": "optimization.report.catalog",
    "RenderedFigure": "optimization.report.catalog",
    "render_figures": "optimization.report.catalog",
    "exposure_table": "optimization.report.exposure",
    "formatted_exposure": "optimization.report.exposure",
    "cash_and_debt": "optimization.report.figures",
    "energized_capacity": "optimization.report.figures",
    "power_by_source": "optimization.report.figures",
    "stranded_gap": "optimization.report.figures",
    "utilization": "optimization.report.figures",
    "committed_payments": "optimization.report.lease_figures",
    "own_vs_lease": "optimization.report.lease_figures",
    "tracking_view": "optimization.report.lease_figures",
    "coupling_iterations": "optimization.report.plan_figures",
    "shadow_prices": "optimization.report.plan_figures",
    "site_gw": "optimization.report.plan_figures",
    "key_metrics": "optimization.report.tables",
    "report_tables": "optimization.report.tables",
    "Uncertainty": "optimization.report.uncertainty",
    "ReportFiles": "optimization.report.writer",
    "write_report": "optimization.report.writer",
}

__all__ = [
    "FIGURES",
    "FigureSpec",
    "RenderedFigure",
    "ReportFiles",
    "Uncertainty",
    "cash_and_debt",
    "committed_payments",
    "coupling_iterations",
    "energized_capacity",
    "exposure_table",
    "formatted_exposure",
    "key_metrics",
    "own_vs_lease",
    "power_by_source",
    "render_figures",
    "report_tables",
    "shadow_prices",
    "site_gw",
    "stranded_gap",
    "tracking_view",
    "utilization",
    "write_report",
]


__getattr__, __dir__ = lazy_exports(__name__, _HOME, globals(), __all__)
