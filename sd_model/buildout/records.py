"""Cumulative records the model keeps only to measure outcomes (they feed back into nothing).

Per site [GW facility]: interconnection requests filed and requests that
dropped out of the queue, summed from the start — with ``grid_connected_gw``
and ``grid_queue_gw`` they give the realised attrition and the realised
queue time of a run (`optimization.coupling.realised`).
"""

from __future__ import annotations

from sd_model.buildout.context import S
from sd_model.engine import Model

__all__ = ["add"]


def add(m: Model) -> None:
    """Declare the cumulative grid requests and withdrawals."""
    for stock, flow, source in (
        ("grid_requested_cum_gw", "grid_requested_cum_inflow", "grid_requesting_gw_per_period"),
        ("grid_withdrawn_cum_gw", "grid_withdrawn_cum_inflow", "grid_withdrawing_gw_per_period"),
    ):
        m.stock(stock, 0.0, dims=S, units="GW facility")
        m.flow(f"{flow}_gw_per_period", source, to_stock=stock, dims=S, units="GW facility/period")
