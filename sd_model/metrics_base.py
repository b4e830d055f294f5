"""Shared pieces of the metrics modules: reducing a result frame to one value per run.

A horizon figure is one float for a single run and one value per sample for a
batch (a result indexed by ``(sample, time)``).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

__all__ = ["LAB", "Figure", "Reduction"]

#: The party id of the lab (the planner buying compute) in equity stakes.
LAB = "lab"

#: A horizon figure: one float for a single run, one value per sample for a batch.
Figure = float | pd.Series


def _sum(result: pd.DataFrame, name: str) -> pd.Series:
    """Variable ``name`` summed over its elements (vendors, sites or regions)."""
    cols = [c for c in result.columns if c == name or c.startswith(f"{name}[")]
    if not cols:
        raise KeyError(f"the result has no variable '{name}' (was it recorded?)")
    return result[cols].sum(axis=1)


def _is_batch(result: pd.DataFrame) -> bool:
    return isinstance(result.index, pd.MultiIndex) and "sample" in result.index.names


Reduction = Literal["last", "max", "min", "mean"]


def _per_run(series: pd.Series, how: Reduction) -> Figure:
    """Reduce a trajectory to one value per run (per sample in a batch, vectorized)."""
    if isinstance(series.index, pd.MultiIndex) and "sample" in series.index.names:
        samples = series.index.get_level_values("sample")
        labels = pd.unique(samples)
        # a batch holds every sample over the same times, sample-major
        grid = series.to_numpy(dtype=float).reshape(len(labels), -1)
        reduced = grid[:, -1] if how == "last" else getattr(np, how)(grid, axis=1)
        return pd.Series(reduced, index=pd.Index(labels, name="sample"))
    values = series.to_numpy(dtype=float)
    return float(values[-1] if how == "last" else getattr(np, how)(values))


def _peak_by_run(yearly: pd.Series) -> Figure:
    if isinstance(yearly.index, pd.MultiIndex):
        return yearly.groupby(level=0).max().rename_axis("sample")
    return float(yearly.max())
