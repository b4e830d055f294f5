"""Construction pipelines: what is started arrives a fixed lead time later.

Shells, on-site generation and PPAs share one structure: a start flow fills
an "under construction" stock, and the same material leaves it for the
finished stock one lead time later (a fixed delay; the lead time in quarters
is converted to periods and kept at least one step, since a fixed delay
needs a delay of at least dt/2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sd_model.buildout.arrays import reading
from sd_model.engine import EquationSpec, Model

__all__ = ["Pipeline", "add_pipeline"]


@dataclass(frozen=True)
class Pipeline:
    """The names of one pipeline's variables.

    Attributes
    ----------
    started
        Flow into ``building`` [units/period].
    lead_quarters
        Constant holding the lead time [quarters].
    lead_periods
        Auxiliary: the lead time in periods, at least one step.
    due, completing
        The delayed start flow, and the flow it drives from ``building`` to ``finished``.
    building, finished
        The stocks.
    """

    started: str
    lead_quarters: str
    lead_periods: str
    due: str
    completing: str
    building: str
    finished: str


def add_pipeline(
    m: Model,
    pipeline: Pipeline,
    start: EquationSpec,
    *,
    q2p: float,
    dims: Sequence[str],
    units: str,
) -> None:
    """Declare the start flow (equation ``start``), the lead time, the delay and the completion."""
    dims = tuple(dims)
    m.flow(pipeline.started, start, to_stock=pipeline.building, dims=dims, units=units)
    m.aux(
        pipeline.lead_periods,
        reading(lambda quarters, dt: np.maximum(quarters * q2p, dt), pipeline.lead_quarters, "dt"),
        dims=dims,
        units="period",
    )
    m.fixed_delay(
        pipeline.due, pipeline.started, pipeline.lead_periods, initial=0.0, dims=dims, units=units
    )
    m.flow(
        pipeline.completing,
        pipeline.due,
        from_stock=pipeline.building,
        to_stock=pipeline.finished,
        dims=dims,
        units=units,
    )
