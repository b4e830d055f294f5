"""`summary.md`: the report's content as Markdown, figures and CSVs linked by relative path."""

from __future__ import annotations

import pandas as pd

from optimization.report.content import ReportContent
from optimization.report.loop_section import loop_markdown
from optimization.report.uncertainty import uncertainty_markdown

__all__ = ["markdown_table", "to_markdown"]


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_table(table: pd.DataFrame) -> str:
    """A pipe table of text cells; the first column left-aligned, the others right-aligned."""
    columns = [str(c) for c in table.columns]
    lines = [
        "| " + " | ".join(_cell(c) for c in columns) + " |",
        "|" + "|".join([":---", *["---:"] * (len(columns) - 1)]) + "|",
    ]
    for row in table.itertuples(index=False):
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    return "\n".join(lines)


def _cases(content: ReportContent) -> list[str]:
    return ["## Cases", "", *[f"- **{name}**: {text}" for name, text in content.cases], ""]


def _figures(content: ReportContent) -> list[str]:
    lines = ["## Figures", ""]
    for figure in content.figures:
        spec = figure.spec
        if figure.sentence:
            lines += [f"- *{spec.name}*: {figure.sentence}", ""]
        elif figure.png is None:
            lines += [f"- *{spec.name}* skipped: {figure.skipped}.", ""]
        else:
            lines += [f"![{spec.caption}]({spec.file})", "", f"*{spec.caption}*", ""]
    return lines


def _exposure(content: ReportContent) -> list[str]:
    lines = ["## Circular exposure", "", content.exposure_note, ""]
    if content.exposure is not None:
        lines += [markdown_table(content.exposure), ""]
    return lines


def _coupling(content: ReportContent) -> list[str]:
    if content.coupling_regions is None:
        return []
    table, note = content.coupling_regions
    return ["## Coupling: what the simulation passed back", "", note, "", markdown_table(table), ""]


def _belief(content: ReportContent) -> list[str]:
    if content.belief is None:
        return []
    lines = ["## Belief against outcome", "", content.belief_note, ""]
    return [*lines, markdown_table(content.belief), ""]


def _findings(content: ReportContent) -> list[str]:
    lines = ["## What the LP found", ""]
    if not content.findings:
        return [*lines, "No case has an LP plan, so there are no LP findings.", ""]
    for case in content.findings:
        lines += [f"### {case.case}", ""]
        if not case.diagnosis and not case.binding:
            lines += ["No shortfall and no binding limit.", ""]
        if case.diagnosis:
            lines += ["Diagnosis:", "", *[f"- {t}" for t in case.diagnosis], ""]
        if case.binding:
            lines += ["Binding limits:", "", *[f"- {t}" for t in case.binding], ""]
    return lines


def _why(content: ReportContent) -> list[str]:
    if not content.why:
        return []
    lines = ["## Why", ""]
    for case, sentences in content.why:
        lines += [f"### Why {case}", "", *[f"- {t}" for t in sentences], ""]
    return lines


def to_markdown(content: ReportContent) -> str:
    """The whole summary page."""
    intro = f"Scenario **{content.scenario_name}**"
    if content.scenario_description:
        intro += f": {content.scenario_description}"
    lines = [f"# {content.title}", "", intro, "", *_cases(content)]
    lines += ["## Headline", "", content.horizon, ""]
    lines += [f"- **{h.lead}**: {h.text}" for h in content.headline]
    lines += ["", content.coupling, "", *_why(content), "## Key metrics", ""]
    lines += [markdown_table(content.key_metrics), "", *_coupling(content)]
    lines += [*_belief(content), *_exposure(content)]
    lines += loop_markdown(content.loop, content.loop_note, markdown_table)
    lines += [*_figures(content), *_findings(content)]
    if content.uncertainty is not None:
        lines += uncertainty_markdown(content.uncertainty, markdown_table)
    lines += ["## Tables (CSV)", ""]
    lines += [f"- [{path}]({path}): {text}" for path, text in content.tables]
    return "\n".join(lines) + "\n"
