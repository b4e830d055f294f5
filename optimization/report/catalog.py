"""The report's figures in order: file name, caption, drawing function, and why one may be missing.

`render_figures` draws every figure of `FIGURES` to PNG bytes; a figure
whose data are empty (no LP case, no coupled case) comes back with
``png=None`` and the reason, so the pages can say it was skipped. A figure
whose data show nothing (a line flat in every case; see
`optimization.report.flat_figures`) comes back with ``png=None`` and the
``sentence`` the pages print in its place.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from matplotlib.figure import Figure

from optimization.coupling.compare import Comparison
from optimization.report import figures, flat_figures, lease_figures, plan_figures, site_map
from optimization.report.style import png_bytes
from sd_model import Scenario

__all__ = ["FIGURES", "FigureSpec", "RenderedFigure", "render_figures"]

Draw = Callable[[Comparison, Scenario | None], Figure | None]
SaysNothing = Callable[[Comparison, Scenario | None], str | None]


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the report."""

    name: str
    caption: str
    draw: Draw
    missing: str = "its data are empty"
    says_nothing: SaysNothing | None = None

    @property
    def file(self) -> str:
        """The PNG's path inside the report folder."""
        return f"figures/{self.name}.png"


@dataclass(frozen=True)
class RenderedFigure:
    """A drawn figure (``png``), a skipped one (``skipped`` says why) or a ``sentence`` instead."""

    spec: FigureSpec
    png: bytes | None
    skipped: str = ""
    sentence: str = ""


FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec(
        "energized_capacity",
        "Energized IT capacity per case; by vendor for the first case and the optimum. "
        "Grey: after the LP horizon, where plans stop and their fleets only age.",
        figures.energized_capacity,
    ),
    FigureSpec(
        "stranded_gap",
        "Delivered hardware against what of it is powered; the coloured gap is stranded GW. "
        "Grey: after the LP horizon.",
        figures.stranded_gap,
    ),
    FigureSpec(
        "power_by_source",
        "Facility power by source (grid, on-site, average clean PPA) and the PPA coverage ratio.",
        figures.power_by_source,
    ),
    FigureSpec(
        "cash_and_debt",
        "Cash and debt paths; cash below zero is a funding gap.",
        figures.cash_and_debt,
    ),
    FigureSpec(
        "utilization",
        "Utilization of the energized fleet: served compute over effective capacity.",
        figures.utilization,
        says_nothing=flat_figures.utilization_sentence,
    ),
    FigureSpec(
        "tracking_view",
        "Tracking view: utilization, PPA coverage ratio (with the policy target) and the "
        "usage-linked share of revenue, per case. Grey: after the LP horizon.",
        lease_figures.tracking_view,
        says_nothing=flat_figures.tracking_sentence,
    ),
    FigureSpec(
        "committed_payments",
        "Committed payments (take-or-pay lease minimum + IT capex of scheduled deliveries) "
        "against revenue per year, and their ratio. Grey: after the LP horizon.",
        lease_figures.committed_payments,
    ),
    FigureSpec(
        "own_vs_lease",
        "Own vs lease at each year end: owned energized IT per case, leased GW in use by "
        "lessor and idle leased GW (from the LP plan's leases where it has them, else simulated); "
        "owned IT alone when no case leases.",
        lease_figures.own_vs_lease,
        missing="the comparison has neither sites nor leases",
        says_nothing=flat_figures.own_vs_lease_sentence,
    ),
    FigureSpec(
        "site_gw",
        "Energized IT by site and by region at chosen year ends.",
        plan_figures.site_gw,
    ),
    FigureSpec(
        "site_map",
        "Where the GW are: energized IT per site at the end of the plan, per case, on plain "
        "latitude/longitude axes (coordinates: sites.csv; approximate town or county centres). "
        "Disc area is proportional to GW; colour is the grid region; a ring is an unused site.",
        site_map.site_map,
        missing="no site has coordinates (latitude_deg, longitude_deg in sites.csv), "
        "or the report was written without its scenario",
    ),
    FigureSpec(
        "shadow_prices",
        "Shadow prices of the LP cases: grid headroom by region over time, budget by year.",
        plan_figures.shadow_prices,
        missing="no case in this comparison has an LP plan",
    ),
    FigureSpec(
        "coupling_iterations",
        "The LP ↔ simulation fixed point: residual (log scale) and the LP's net present value "
        "per iteration.",
        plan_figures.coupling_iterations,
        missing="the comparison has no coupled case",
    ),
)


def render_figures(
    comparison: Comparison,
    scenario: Scenario | None = None,
    specs: tuple[FigureSpec, ...] | None = None,
    *,
    workers: int | None = None,
) -> list[RenderedFigure]:
    """Draw every figure (default: `FIGURES`) to PNG bytes, in order; empty ones are skipped.

    Parameters
    ----------
    comparison, scenario
        What to draw.
    specs
        The figures to draw (default: `FIGURES`).
    workers
        Processes drawing at once (default: up to 2, one per CPU). Figures
        are drawn by the Agg rasterizer, one CPU each: with ``workers > 1``
        and the ``fork`` start method, a forked child draws every other
        figure while this process draws the rest (the child inherits the
        comparison and matplotlib already loaded). Otherwise they are drawn
        here, one after the other.
    """
    chosen = FIGURES if specs is None else specs
    count = min(2, os.cpu_count() or 1) if workers is None else workers
    if count < 2 or len(chosen) < 4 or "fork" not in mp.get_all_start_methods():
        return [_render(spec, comparison, scenario) for spec in chosen]
    global _SHARED
    _SHARED = (comparison, scenario, chosen)  # inherited by the forked child
    try:
        with ProcessPoolExecutor(1, mp_context=mp.get_context("fork")) as pool:
            theirs = pool.submit(_render_share, 1, 2)
            ours = _render_share(0, 2)
            drawn = dict(ours + theirs.result())
    finally:
        _SHARED = None
    return [RenderedFigure(spec, *drawn[i]) for i, spec in enumerate(chosen)]


#: (comparison, scenario, specs) of the render in progress, for a forked child.
_SHARED: tuple[Comparison, Scenario | None, tuple[FigureSpec, ...]] | None = None


def _render_share(first: int, step: int) -> list[tuple[int, tuple[bytes | None, str, str]]]:
    """Draw figures ``first, first + step, ...`` of the render in progress (picklable result)."""
    assert _SHARED is not None  # set by render_figures before the fork
    comparison, scenario, specs = _SHARED
    out = []
    for i in range(first, len(specs), step):
        drawn = _render(specs[i], comparison, scenario)
        out.append((i, (drawn.png, drawn.skipped, drawn.sentence)))
    return out


def _render(spec: FigureSpec, comparison: Comparison, scenario: Scenario | None) -> RenderedFigure:
    sentence = spec.says_nothing(comparison, scenario) if spec.says_nothing else None
    if sentence:
        return RenderedFigure(spec, None, sentence=sentence)
    figure = spec.draw(comparison, scenario)
    if figure is None:
        return RenderedFigure(spec, None, spec.missing)
    return RenderedFigure(spec, png_bytes(figure))
