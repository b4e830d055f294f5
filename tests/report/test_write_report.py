"""The report folder: every file there, PNGs of the right size, pages with the same content."""

from __future__ import annotations

import base64
import re
import struct
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread

from optimization.coupling.compare import Comparison
from optimization.coupling.fixed_point import REGION_COLUMNS
from optimization.report import FIGURES, FigureSpec, ReportFiles
from optimization.report.style import HEIGHT_PX, WIDTH_PX, png_bytes
from sd_model import Scenario
from sd_model.output_folder import MARKER

TABLES = {
    "key_metrics.csv",
    "metrics.csv",
    "timeseries.csv",
    "by_year.csv",
    "by_vendor.csv",
    "deliveries.csv",
    "site_gw.csv",
    "shadow_prices.csv",
    "findings.csv",
    "coupling.csv",
    "coupling_regions.csv",
    "committed_payments.csv",
    "exposure.csv",
    "belief.csv",
    "belief_summary.csv",
    "realised_grid.csv",
}


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG header (signature, then the IHDR chunk)."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


class _Page(HTMLParser):
    """The parts of index.html the tests look at."""

    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []
        self.links: list[str] = []
        self.tags: set[str] = set()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        values = dict(attrs)
        if tag == "img":
            self.sources.append(values.get("src") or "")
        if tag == "a":
            self.links.append(values.get("href") or "")
        if tag == "table":
            self.tables.append([])
        if tag == "tr":
            self.tables[-1].append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse_page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def markdown_metrics(path: Path) -> list[list[str]]:
    """The key-metrics pipe table of summary.md, header first (separator row dropped)."""
    text = path.read_text(encoding="utf-8").split("## Key metrics", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in text.splitlines() if line.startswith("|")]
    rows = [r for r in rows if not re.fullmatch(r"\|[-:|]+\|", r)]
    return [[c.strip() for c in r.strip("|").split(" | ")] for r in rows]


def test_every_figure_table_and_page_is_written(report: ReportFiles) -> None:
    # each figure is drawn, or said in one sentence when its data show nothing
    assert sorted([*report.figures, *report.replaced]) == sorted(spec.name for spec in FIGURES)
    assert not set(report.figures) & set(report.replaced)
    assert set(report.tables) == TABLES
    assert report.skipped == {}
    on_disk = {p for p in report.folder.rglob("*") if p.is_file() and p.name != MARKER}
    assert on_disk == set(report.all())
    assert report.summary.name == "summary.md" and report.html.name == "index.html"


@pytest.mark.parametrize("spec", FIGURES, ids=lambda spec: spec.name)
def test_figures_are_non_empty_pngs_of_the_report_size(
    report: ReportFiles,
    spec: FigureSpec,
    comparison: Comparison,
    scenario: Scenario,
    tmp_path: Path,
) -> None:
    path = report.figures.get(spec.name)
    if path is None:  # said in a sentence in the report; drawn on request all the same
        figure = spec.draw(comparison, scenario)
        assert figure is not None
        path = tmp_path / "drawn.png"
        path.write_bytes(png_bytes(figure))
    assert png_size(path) == (WIDTH_PX, HEIGHT_PX)
    pixels = imread(path)
    assert pixels.shape[:2] == (HEIGHT_PX, WIDTH_PX)
    assert float(np.std(pixels[..., :3])) > 0.05  # more than a blank canvas


def test_tables_hold_the_comparison(report: ReportFiles, comparison: Comparison) -> None:
    metrics = pd.read_csv(report.tables["metrics.csv"], index_col="metric")
    pd.testing.assert_frame_equal(metrics, comparison.metrics, check_names=False)
    timeseries = pd.read_csv(report.tables["timeseries.csv"])
    assert len(timeseries) == len(comparison.timeseries)
    assert list(timeseries.columns[:2]) == ["case", "period"]
    coupling = pd.read_csv(report.tables["coupling.csv"])
    assert comparison.coupling is not None
    assert len(coupling) == len(comparison.coupling.iterations)
    regions = pd.read_csv(report.tables["coupling_regions.csv"])
    assert list(regions.columns) == REGION_COLUMNS
    assert set(regions["iteration"]) == set(coupling["number"])


def test_the_coupling_table_shows_what_was_passed_back(report: ReportFiles) -> None:
    markdown = report.summary.read_text(encoding="utf-8")
    page = report.html.read_text(encoding="utf-8")
    for text in ("effective lead [quarters]", "connected share", "simulated energized GW 2027"):
        assert text in markdown and text in page
    findings = pd.read_csv(report.tables["findings.csv"])
    assert list(findings.columns) == ["case", "kind", "text"]


def test_html_is_self_contained_with_figures_as_data_uris(report: ReportFiles) -> None:
    text = report.html.read_text(encoding="utf-8")
    page = parse_page(report.html)
    assert "http://" not in text and "https://" not in text
    assert not page.tags & {"script", "link", "iframe", "object"}
    assert len(page.sources) == len(report.figures)
    prefix = "data:image/png;base64,"
    assert all(src.startswith(prefix) for src in page.sources)
    embedded = {base64.b64decode(src[len(prefix) :]) for src in page.sources}
    assert embedded == {path.read_bytes() for path in report.figures.values()}
    assert sorted(page.links) == sorted(f"tables/{name}" for name in report.tables)


def test_html_and_markdown_show_the_same_key_metrics(report: ReportFiles) -> None:
    from_markdown = markdown_metrics(report.summary)
    from_html = parse_page(report.html).tables[0]
    assert from_markdown == from_html
    assert from_markdown[0] == ["metric", "announced", "announced_timing", "optimal", "coupled"]
    assert len(from_markdown) > 10


def test_both_pages_carry_title_cases_headline_findings_and_coupling(
    report: ReportFiles, comparison: Comparison
) -> None:
    markdown = report.summary.read_text(encoding="utf-8")
    html_text = "".join(
        "".join(row) for table in parse_page(report.html).tables for row in table
    )  # table text, for the metric labels
    page = report.html.read_text(encoding="utf-8")
    for text in ("Tiny report", "tiny", *(c.description for c in comparison.cases)):
        assert text in markdown and text in page
    for finding in comparison.findings["text"]:
        assert finding in markdown
    assert comparison.coupling is not None
    assert comparison.coupling.message in markdown and comparison.coupling.message in page
    assert "strands up to" in markdown and "strands up to" in page
    assert "Peak stranded hardware [GW]" in markdown and "Peak stranded hardware" in html_text
    for spec in FIGURES:  # its caption, or the sentence said in its place
        said = report.replaced.get(spec.name)
        assert (said or spec.caption) in markdown
        assert said is None or said in page


def test_headline_numbers_come_from_the_comparison(
    report: ReportFiles, comparison: Comparison
) -> None:
    markdown = report.summary.read_text(encoding="utf-8")
    announced = comparison.metrics["announced"].astype(float)
    peak = float(announced["peak_stranded_gw"])
    assert f"strands up to {peak:.2f} GW" in markdown
    cost = float(announced["npv_cost_busd"])
    assert f"costs ${cost:,.1f}B discounted" in markdown


def test_a_comparison_without_lp_cases_or_scenario_still_writes_a_report(
    simulated_only_report: ReportFiles,
) -> None:
    files = simulated_only_report
    # the site map needs the scenario's coordinates: this report was written without it
    assert set(files.skipped) == {"shadow_prices", "coupling_iterations", "site_map"}
    assert len(files.figures) + len(files.replaced) == len(FIGURES) - 3
    assert "coupling.csv" not in files.tables
    assert "exposure.csv" not in files.tables  # written without the scenario
    assert pd.read_csv(files.tables["shadow_prices.csv"]).empty
    markdown = files.summary.read_text(encoding="utf-8")
    assert "Scenario **tiny**" in markdown
    assert "shadow_prices* skipped: no case in this comparison has an LP plan" in markdown
    assert "no LP findings" in markdown
    page = files.html.read_text(encoding="utf-8")
    assert "shadow_prices skipped" in page and "No coupled case" in page
    assert markdown_metrics(files.summary) == parse_page(files.html).tables[0]
    for path in files.figures.values():
        assert png_size(path) == (WIDTH_PX, HEIGHT_PX)
