"""`index.html`: the report's content as one self-contained page.

Figures are embedded as base64 PNG data URIs and tables as HTML tables;
the only style is a short inline ``<style>`` block, and nothing is loaded
from elsewhere. Links to the CSVs are relative to the report folder.
"""

from __future__ import annotations

import base64
from html import escape

import pandas as pd

from optimization.report.content import ReportContent
from optimization.report.loop_section import loop_html
from optimization.report.uncertainty import uncertainty_html

__all__ = ["html_table", "to_html"]

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto;
       max-width: 1240px; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: .92em; }
th, td { border: 1px solid #ddd; padding: .25em .6em; }
th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0 2em; } img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-style: italic; color: #444; }
.skipped { color: #666; font-style: italic; }
"""


def html_table(table: pd.DataFrame) -> str:
    """A table of text cells; every column but the first is right-aligned."""
    head = "".join(f"<th>{escape(str(c))}</th>" for c in table.columns)
    rows = []
    for row in table.itertuples(index=False):
        cells = [
            f"<td>{escape(str(v))}</td>" if i == 0 else f'<td class="num">{escape(str(v))}</td>'
            for i, v in enumerate(row)
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table>\n<tr>{head}</tr>\n" + "\n".join(rows) + "\n</table>"


def _items(items: list[str]) -> str:
    return "<ul>\n" + "\n".join(f"<li>{item}</li>" for item in items) + "\n</ul>"


def _figures(content: ReportContent) -> str:
    parts = []
    for figure in content.figures:
        spec = figure.spec
        if figure.sentence:
            parts.append(f'<p class="said" id="{escape(spec.name)}">{escape(figure.sentence)}</p>')
            continue
        if figure.png is None:
            parts.append(
                f'<p class="skipped">{escape(spec.name)} skipped: {escape(figure.skipped)}.</p>'
            )
            continue
        data = base64.b64encode(figure.png).decode("ascii")
        parts.append(
            f'<figure id="{escape(spec.name)}"><img alt="{escape(spec.caption)}" '
            f'src="data:image/png;base64,{data}">'
            f"<figcaption>{escape(spec.caption)}</figcaption></figure>"
        )
    return "\n".join(parts)


def _findings(content: ReportContent) -> str:
    if not content.findings:
        return "<p>No case has an LP plan, so there are no LP findings.</p>"
    parts = []
    for case in content.findings:
        parts.append(f"<h3>{escape(case.case)}</h3>")
        if not case.diagnosis and not case.binding:
            parts.append("<p>No shortfall and no binding limit.</p>")
        if case.diagnosis:
            parts.append("<p>Diagnosis:</p>" + _items([escape(t) for t in case.diagnosis]))
        if case.binding:
            parts.append("<p>Binding limits:</p>" + _items([escape(t) for t in case.binding]))
    return "\n".join(parts)


def _why(content: ReportContent) -> list[str]:
    if not content.why:
        return []
    parts = ['<h2 id="why">Why</h2>']
    for case, sentences in content.why:
        parts += [f"<h3>Why {escape(case)}</h3>", _items([escape(t) for t in sentences])]
    return parts


def to_html(content: ReportContent) -> str:
    """The whole page."""
    intro = f"Scenario <strong>{escape(content.scenario_name)}</strong>"
    if content.scenario_description:
        intro += f": {escape(content.scenario_description)}"
    cases = [f"<strong>{escape(n)}</strong>: {escape(t)}" for n, t in content.cases]
    headline = [f"<strong>{escape(h.lead)}</strong>: {escape(h.text)}" for h in content.headline]
    tables = [
        f'<a href="{escape(path)}">{escape(path)}</a>: {escape(text)}'
        for path, text in content.tables
    ]
    body = [
        f"<h1>{escape(content.title)}</h1>",
        f"<p>{intro}</p>",
        "<h2>Cases</h2>",
        _items(cases),
        "<h2>Headline</h2>",
        f"<p>{escape(content.horizon)}</p>",
        _items(headline),
        f"<p>{escape(content.coupling)}</p>",
        *_why(content),
        "<h2>Key metrics</h2>",
        html_table(content.key_metrics),
        *(
            [
                '<h2 id="coupling">Coupling: what the simulation passed back</h2>',
                f"<p>{escape(content.coupling_regions[1])}</p>",
                html_table(content.coupling_regions[0]),
            ]
            if content.coupling_regions is not None
            else []
        ),
        *(
            [
                '<h2 id="belief">Belief against outcome</h2>',
                f"<p>{escape(content.belief_note)}</p>",
                html_table(content.belief),
            ]
            if content.belief is not None
            else []
        ),
        '<h2 id="exposure">Circular exposure</h2>',
        f"<p>{escape(content.exposure_note)}</p>",
        html_table(content.exposure) if content.exposure is not None else "",
        *loop_html(content.loop, content.loop_note, html_table),
        "<h2>Figures</h2>",
        _figures(content),
        "<h2>What the LP found</h2>",
        _findings(content),
        *(
            uncertainty_html(content.uncertainty, html_table)
            if content.uncertainty is not None
            else []
        ),
        "<h2>Tables (CSV)</h2>",
        _items(tables),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(content.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
