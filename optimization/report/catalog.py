"""The report's figures in order: file name, caption, drawing function, and why one may be missing.

`render_figures` draws every figure of `FIGURES` to PNG bytes; a figure
whose data are empty (no LP case, no coupled case) comes back with
``png=None`` and the reason, so the pages can say it was skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.figure import Figure

from optimization.coupling.compare import Comparison
from optimization.report import figures, lease_figures, plan_figures
from optimization.report.style import png_bytes
from sd_model import Scenario

__all__ = ["FIGURES", "FigureSpec", "RenderedFigure", "render_figures"]

Draw = Callable[[Comparison, Scenario | None], Figure | None]


@dataclass(frozen=True)
class FigureSpec:
    """One figure of the report."""

    name: str
    caption: str
    draw: Draw
    missing: str = "its data are empty"

    @property
    def file(self) -> str:
        """The PNG's path inside the report folder."""
        return f"figures/{self.name}.png"


@dataclass(frozen=True)
class RenderedFigure:
    """A drawn figure (``png``) or a skipped one (``png is None``, ``skipped`` says why)."""

    spec: FigureSpec
    png: bytes | None
    skipped: str = ""


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
    ),
    FigureSpec(
        "tracking_view",
        "Tracking view: utilization, PPA coverage ratio (with the policy target) and the "
        "usage-linked share of revenue, per case. Grey: after the LP horizon.",
        lease_figures.tracking_view,
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
    ),
    FigureSpec(
        "site_gw",
        "Energized IT by site and by region at chosen year ends.",
        plan_figures.site_gw,
    ),
    FigureSpec(
        "shadow_prices",
        "Shadow prices of the LP cases: grid headroom by region over time, budget by year.",
        plan_figures.shadow_prices,
        missing="no case in this comparison has an LP plan",
    ),
    FigureSpec(
        "coupling_iterations",
        "The LP ↔ simulation fixed point: residual (log scale) and LP objective per iteration.",
        plan_figures.coupling_iterations,
        missing="the comparison has no coupled case",
    ),
)


def render_figures(
    comparison: Comparison,
    scenario: Scenario | None = None,
    specs: tuple[FigureSpec, ...] | None = None,
) -> list[RenderedFigure]:
    """Draw every figure (default: `FIGURES`) to PNG bytes, in order; empty ones are skipped."""
    rendered = []
    for spec in FIGURES if specs is None else specs:
        figure = spec.draw(comparison, scenario)
        if figure is None:
            rendered.append(RenderedFigure(spec, None, spec.missing))
        else:
            rendered.append(RenderedFigure(spec, png_bytes(figure)))
    return rendered
