"""What planners read off a sweep: percentiles, risk probabilities and a tornado.

Pure functions over the sweep table (one row per sample: sampled inputs,
metrics and an ``error`` column).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from optimization.sweeps.distributions import Grid, Parameter

__all__ = ["exceedance_probability", "percentiles", "tornado_inputs"]


def _succeeded(table: pd.DataFrame) -> pd.DataFrame:
    if "error" not in table.columns:
        return table
    return table.loc[table["error"].fillna("") == ""]


def percentiles(
    table: pd.DataFrame, metrics: Sequence[str], quantiles: Sequence[float] = (0.1, 0.5, 0.9)
) -> pd.DataFrame:
    """P10/P50/P90 (or other quantiles) of each metric over the successful samples.

    Returns
    -------
    pandas.DataFrame
        One row per metric; columns ``P10``, ``P50``, ``P90``, ``mean`` and
        ``samples`` (how many succeeded).
    """
    ok = _succeeded(table)
    rows = {}
    for metric in metrics:
        values = pd.to_numeric(ok[metric], errors="coerce").dropna()
        row = {f"P{round(q * 100)}": float(values.quantile(q)) for q in quantiles}
        rows[metric] = {**row, "mean": float(values.mean()), "samples": len(values)}
    return pd.DataFrame.from_dict(rows, orient="index")


def exceedance_probability(
    table: pd.DataFrame, metric: str, threshold: float, *, above: bool = True
) -> float:
    """Share of successful samples whose ``metric`` is above (or below) ``threshold``.

    Examples
    --------
    >>> t = pd.DataFrame({"stranded_gw_peak": [0.5, 2.0, 4.0, 6.0], "error": ""})
    >>> exceedance_probability(t, "stranded_gw_peak", 3.0)
    0.5
    """
    values = pd.to_numeric(_succeeded(table)[metric], errors="coerce").dropna()
    if values.empty:
        return float("nan")
    hits = values > threshold if above else values < threshold
    return float(np.mean(hits))


def tornado_inputs(
    parameters: Mapping[str, Parameter], low: float = 0.1, high: float = 0.9
) -> pd.DataFrame:
    """One-at-a-time sensitivity cases: every parameter at its median, then each moved alone.

    Distributions move to their ``low`` and ``high`` quantiles, grids to their
    smallest and largest value.

    Returns
    -------
    pandas.DataFrame
        Rows ``base`` then ``(key, "low")`` / ``(key, "high")`` for each key,
        one column per key; evaluate it like any sweep input table.
    """
    median = {key: _at(p, 0.5) for key, p in parameters.items()}
    rows = [("base", "", median)]
    for key, parameter in parameters.items():
        for side, q in (("low", low), ("high", high)):
            rows.append((key, side, {**median, key: _at(parameter, q)}))
    frame = pd.DataFrame([r[2] for r in rows])
    frame.index = pd.MultiIndex.from_tuples([(r[0], r[1]) for r in rows], names=["moved", "side"])
    return frame


def _at(parameter: Parameter, q: float) -> float:
    if isinstance(parameter, Grid):  # extremes for the swing, the middle value for the base
        values = sorted(parameter.values)
        if q == 0.5:
            return float(values[len(values) // 2])
        return float(values[0] if q < 0.5 else values[-1])
    return float(parameter.ppf(np.array([q]))[0])
