"""Write a report folder atomically: CSV tables, PNG figures, `summary.md`, `index.html`.

Everything is written into a staging folder beside the target
(`sd_model.output_folder.atomic_folder`) and renamed into place only when every file
is written: a failure part-way leaves an existing report untouched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from optimization.coupling.compare import Comparison
from optimization.report.catalog import render_figures
from optimization.report.content import build_content
from optimization.report.html import to_html
from optimization.report.loop_section import FIGURE_FILE, LoopSection, loop_or_reason
from optimization.report.markdown import to_markdown
from optimization.report.tables import report_tables
from optimization.report.uncertainty import Uncertainty
from sd_model import Scenario
from sd_model.output_folder import atomic_folder

__all__ = ["ReportFiles", "write_report"]


@dataclass(frozen=True)
class ReportFiles:
    """The paths a report folder holds after `write_report`.

    Attributes
    ----------
    folder
        The report folder.
    summary, html
        ``summary.md`` and ``index.html``.
    figures, tables
        Figure name → PNG path; CSV file name → CSV path.
    skipped
        Figure name → why it was not drawn (e.g. no LP case).
    replaced
        Figure name → the sentence printed instead of a chart that would show
        nothing (e.g. utilization flat at 100 % in every case).
    """

    folder: Path
    summary: Path
    html: Path
    figures: dict[str, Path] = field(default_factory=dict)
    tables: dict[str, Path] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    replaced: dict[str, str] = field(default_factory=dict)

    def all(self) -> list[Path]:
        """Every file written, pages first."""
        return [self.summary, self.html, *self.figures.values(), *self.tables.values()]


def write_report(
    comparison: Comparison,
    folder: str | os.PathLike[str],
    *,
    scenario: Scenario | None = None,
    title: str | None = None,
    overwrite: bool = True,
    uncertainty: Uncertainty | None = None,
    loop: LoopSection | bool = True,
) -> ReportFiles:
    """Write the comparison as a report folder, atomically.

    Long because it writes every part of the report folder in one staged pass.

    Parameters
    ----------
    comparison
        The cases to report (`optimization.coupling.compare.compare`).
    folder
        The report folder; replaced as a whole if it exists.
    scenario
        The scenario the comparison was made from: adds its description, the
        PPA coverage target and the end of the LP horizon to the figures.
    title
        The pages' title (default: "gwplan: optimal against announced (<scenario>)").
    overwrite
        Replace an existing folder (else raise `FileExistsError`).
    uncertainty
        A sweep's results (`optimization.sweeps.outputs.uncertainty`): adds
        an uncertainty section, its tables and its figures.
    loop
        The section "The circular loop under stress": True builds it when the
        scenario gives counterparties balance sheets (two more simulations,
        `optimization.report.loop_section.loop_section`) and otherwise says why
        there is none; a `LoopSection` already built is used as it is; False
        leaves the section out.

    Returns
    -------
    ReportFiles
        The paths written, and the figures skipped for lack of data.

    Examples
    --------
    >>> import tempfile
    >>> from sd_model import load_scenario
    >>> from optimization.coupling.compare import compare
    >>> scenario = load_scenario("tests/scenarios/tiny")
    >>> comparison = compare(scenario, cases=("announced", "optimal"))
    >>> files = write_report(comparison, Path(tempfile.mkdtemp()) / "report", scenario=scenario)
    >>> files.html.name, sorted(files.skipped)
    ('index.html', ['coupling_iterations'])
    """
    final = Path(folder)
    section, loop_note = (loop, "") if isinstance(loop, LoopSection) else (None, "")
    if loop is True:
        section, loop_note = loop_or_reason(scenario)
    with atomic_folder(final, overwrite=overwrite) as staging:
        tables = report_tables(comparison, scenario)
        if uncertainty is not None:
            tables |= uncertainty.tables()
        if section is not None:
            tables |= section.tables()
        (staging / "tables").mkdir()
        for name, frame in tables.items():
            frame.to_csv(staging / "tables" / name, index=False)
        figures = render_figures(comparison, scenario)
        (staging / "figures").mkdir()
        for figure in figures:
            if figure.png is not None:
                (staging / figure.spec.file).write_bytes(figure.png)
        for file, _, png in uncertainty.figures if uncertainty is not None else ():
            (staging / file).write_bytes(png)
        if section is not None:
            (staging / FIGURE_FILE).write_bytes(section.figure)
        content = build_content(
            comparison,
            figures,
            [f"tables/{n}" for n in tables],
            scenario=scenario,
            title=title,
            uncertainty=uncertainty,
            loop=section,
            loop_note=loop_note,
        )
        (staging / "summary.md").write_text(to_markdown(content), encoding="utf-8")
        (staging / "index.html").write_text(to_html(content), encoding="utf-8")
    return ReportFiles(
        folder=final,
        summary=final / "summary.md",
        html=final / "index.html",
        figures={
            **{f.spec.name: final / f.spec.file for f in figures if f.png is not None},
            **{Path(f).stem: final / f for f, _, _ in (uncertainty.figures if uncertainty else ())},
            **({Path(FIGURE_FILE).stem: final / FIGURE_FILE} if section is not None else {}),
        },
        tables={name: final / "tables" / name for name in tables},
        skipped={f.spec.name: f.skipped for f in figures if f.png is None and not f.sentence},
        replaced={f.spec.name: f.sentence for f in figures if f.sentence},
    )
