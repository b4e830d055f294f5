r"""Bubble-risk figures of a simulation: is the announced capacity used, and paid for.

The brief's first decisive factor is utilization: do the announced gigawatts
meet workloads that are actually served, and does the revenue they earn cover
what the lab has committed to pay? These functions take a
:func:`sd_model.simulate` result (one run, or a batch indexed by
``(sample, time)``) and return one value per run (a float, or a Series
indexed by ``sample``); `sd_model.metrics.summary` includes them.

* ``idle_gw_mean`` [GW] — physical capacity (energized plus leased) not
  serving demand, :math:`(1-u)\,K`, averaged over the periods.
* ``idle_gw_peak`` [GW] — its largest value.
* ``revenue_shortfall_busd`` [$B] — committed payments (lease take-or-pay
  minimum plus IT capex due) above revenue, summed over calendar years:
  :math:`\sum_y \max(0, C_y - R_y)`.
* ``low_utilization_periods`` [periods] — periods with utilization below
  ``LOW_UTILIZATION`` (0.7, the debt-financed breakeven of FIGURES A8, L).

Examples
--------
>>> import sd_model
>>> from sd_model import bubble
>>> result = sd_model.simulate(sd_model.load_scenario("reference"))
>>> sorted(bubble.bubble_risk(result))[:2]
['idle_gw_mean', 'idle_gw_peak']
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

__all__ = ["BUBBLE_VARIABLES", "LOW_UTILIZATION", "bubble_risk", "idle_gw"]

#: Utilization below which an AI fleet financed with debt loses money (FIGURES A8, L).
LOW_UTILIZATION = 0.7

#: The variables `bubble_risk` reads.
BUBBLE_VARIABLES: tuple[str, ...] = (
    "capacity_total_gw",
    "committed_payments_busd_per_period",
    "revenue_busd_per_period",
    "utilization",
)

Figure = float | pd.Series


def idle_gw(result: pd.DataFrame) -> pd.Series:
    """Capacity not serving demand [GW] over time: (1 - utilization) × (energized + leased)."""
    return ((1.0 - result["utilization"]) * result["capacity_total_gw"]).rename("idle_gw")


def bubble_risk(result: pd.DataFrame) -> dict[str, Figure]:
    """The bubble-risk figures of a run or of each sample of a batch (see the module doc)."""
    flows = _flows(result)
    idle = idle_gw(flows)
    low = (flows["utilization"] < LOW_UTILIZATION).astype(float)
    return {
        "idle_gw_mean": _reduce(idle, "mean"),
        "idle_gw_peak": _reduce(idle, "max"),
        "low_utilization_periods": _reduce(low, "sum"),
        "revenue_shortfall_busd": _shortfall(flows),
    }


def _is_batch(result: pd.DataFrame) -> bool:
    return isinstance(result.index, pd.MultiIndex) and "sample" in result.index.names


def _flows(result: pd.DataFrame) -> pd.DataFrame:
    """The rows of the periods (the last row of each run is the end boundary)."""
    if _is_batch(result):
        last = result.groupby(level="sample").cumcount(ascending=False) == 0
        return result.loc[~last.to_numpy()]
    return result.iloc[:-1]


def _reduce(series: pd.Series, how: Literal["mean", "max", "sum"]) -> Figure:
    if isinstance(series.index, pd.MultiIndex):
        return series.groupby(level="sample").agg(how).astype(float)
    return float(getattr(np, how)(series.to_numpy(dtype=float)))


def _shortfall(flows: pd.DataFrame) -> Figure:
    year = flows["period"].str[:4].astype(int).to_numpy()
    gap = flows["committed_payments_busd_per_period"] - flows["revenue_busd_per_period"]
    if _is_batch(flows):
        keys = [flows.index.get_level_values("sample"), year]
        yearly = gap.groupby(keys).sum().clip(lower=0.0)
        return yearly.groupby(level=0).sum().rename_axis("sample").astype(float)
    return float(gap.groupby(year).sum().clip(lower=0.0).sum())
