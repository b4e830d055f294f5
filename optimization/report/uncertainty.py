"""The report's uncertainty section: what a sweep varied and how the outcomes spread.

`Uncertainty` carries a sweep's summary (built by
`optimization.sweeps.outputs.uncertainty`); the writer adds its tables and
figures to the report folder, and both pages show the same section.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

import pandas as pd

__all__ = ["Uncertainty", "uncertainty_html", "uncertainty_markdown"]

#: Renders a table of text cells for a page format (passed in by the page, which owns it).
TableRenderer = Callable[[pd.DataFrame], str]


@dataclass(frozen=True)
class Uncertainty:
    """A sweep's results, ready to show.

    Attributes
    ----------
    samples, failed
        How many samples ran, and how many failed (with their errors in the sweep table).
    varied
        ``(scenario key, distribution)`` of each uncertain input.
    model
        What each sample ran, in words.
    percentiles
        One row per figure: P10, P50, P90, mean, samples.
    risks
        risk, metric, probability.
    tornado, tornado_metric
        The one-at-a-time swings (largest first) of ``tornado_metric``, or None.
    figures
        ``(file name, caption, PNG bytes)`` of the sweep's figures.
    """

    samples: int
    failed: int
    varied: tuple[tuple[str, str], ...]
    model: str
    percentiles: pd.DataFrame
    risks: pd.DataFrame
    tornado: pd.DataFrame | None
    tornado_metric: str | None
    figures: tuple[tuple[str, str, bytes], ...]

    def tables(self) -> dict[str, pd.DataFrame]:
        """CSV name → table, for the report's ``tables/`` folder."""
        found = {
            "uncertainty_percentiles.csv": self.percentiles.reset_index(names="metric"),
            "uncertainty_risks.csv": self.risks,
        }
        if self.tornado is not None:
            found["uncertainty_tornado.csv"] = self.tornado
        return found

    def intro(self) -> str:
        """One sentence: how many samples of what."""
        failed = f", {self.failed} failed" if self.failed else ""
        return f"{self.samples} samples{failed}; each sample runs {self.model}."


def _shown(table: pd.DataFrame) -> pd.DataFrame:
    return table.map(lambda v: f"{v:,.3g}" if isinstance(v, float) else v)


def uncertainty_markdown(section: Uncertainty, render: TableRenderer) -> list[str]:
    """The section as Markdown lines; ``render`` is the page's table renderer."""
    lines = ["## Uncertainty", "", section.intro(), "", "Varied:", ""]
    lines += [f"- `{key}`: {law}" for key, law in section.varied]
    lines += ["", render(_shown(section.percentiles.reset_index(names="figure"))), ""]
    lines += [render(_shown(section.risks)), ""]
    if section.tornado is not None:
        lines += [f"Tornado of {section.tornado_metric}:", "", render(_shown(section.tornado)), ""]
    for file, caption, _ in section.figures:
        lines += [f"![{caption}]({file})", "", f"*{caption}*", ""]
    return lines


def uncertainty_html(section: Uncertainty, render: TableRenderer) -> list[str]:
    """The section as HTML fragments; ``render`` is the page's table renderer."""
    parts = ["<h2>Uncertainty</h2>", f"<p>{escape(section.intro())}</p>", "<p>Varied:</p>"]
    parts.append(
        "<ul>"
        + "".join(f"<li><code>{escape(k)}</code>: {escape(law)}</li>" for k, law in section.varied)
        + "</ul>"
    )
    parts += [
        render(_shown(section.percentiles.reset_index(names="figure"))),
        render(_shown(section.risks)),
    ]
    if section.tornado is not None:
        parts += [
            f"<p>Tornado of {escape(str(section.tornado_metric))}:</p>",
            render(_shown(section.tornado)),
        ]
    for _, caption, png in section.figures:
        data = base64.b64encode(png).decode("ascii")
        parts.append(
            f'<figure><img alt="{escape(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{escape(caption)}</figcaption></figure>"
        )
    return parts
