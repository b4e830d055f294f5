"""Uncertain inputs: distributions and grids over scenario keys, and how to sample them.

Every distribution maps a uniform number u in (0, 1) to a value through its
inverse cumulative distribution (`ppf`), so that random sampling and Latin
hypercube sampling share one code path and the same seed gives the same
samples everywhere.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats
from scipy.stats import qmc

__all__ = [
    "Choice",
    "Distribution",
    "Grid",
    "LogNormal",
    "Normal",
    "Parameter",
    "SamplingMethod",
    "Triangular",
    "Uniform",
    "draw_samples",
]

SamplingMethod = Literal["lhs", "random"]
FloatArray = np.ndarray


@dataclass(frozen=True)
class Uniform:
    """Uniform between ``low`` and ``high``."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if not self.low <= self.high:
            raise ValueError(f"uniform needs low <= high, got {self.low}, {self.high}")

    def ppf(self, u: FloatArray) -> FloatArray:
        """Values at cumulative probabilities ``u``."""
        return self.low + u * (self.high - self.low)


@dataclass(frozen=True)
class Normal:
    """Normal with ``mean`` and standard deviation ``sd``, optionally truncated to [low, high]."""

    mean: float
    sd: float
    low: float = -np.inf
    high: float = np.inf

    def __post_init__(self) -> None:
        if self.sd <= 0 or not self.low < self.high:
            raise ValueError(f"normal needs sd > 0 and low < high, got {self}")

    def ppf(self, u: FloatArray) -> FloatArray:
        """Values at cumulative probabilities ``u`` (of the truncated law)."""
        a, b = (self.low - self.mean) / self.sd, (self.high - self.mean) / self.sd
        return np.asarray(stats.truncnorm.ppf(u, a, b, loc=self.mean, scale=self.sd))


@dataclass(frozen=True)
class LogNormal:
    """Log-normal with the given ``median`` and log-space standard deviation ``sigma``."""

    median: float
    sigma: float

    def __post_init__(self) -> None:
        if self.median <= 0 or self.sigma <= 0:
            raise ValueError(f"lognormal needs median > 0 and sigma > 0, got {self}")

    def ppf(self, u: FloatArray) -> FloatArray:
        """Values at cumulative probabilities ``u``."""
        return np.asarray(stats.lognorm.ppf(u, self.sigma, scale=self.median))


@dataclass(frozen=True)
class Triangular:
    """Triangular on [low, high] with its peak at ``mode``."""

    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError(f"triangular needs low <= mode <= high and low < high, got {self}")

    def ppf(self, u: FloatArray) -> FloatArray:
        """Values at cumulative probabilities ``u``."""
        width = self.high - self.low
        split = (self.mode - self.low) / width
        left = self.low + np.sqrt(u * width * (self.mode - self.low))
        right = self.high - np.sqrt((1 - u) * width * (self.high - self.mode))
        return np.where(u < split, left, right)


@dataclass(frozen=True)
class Choice:
    """One of ``values``, with optional ``weights`` (equal by default)."""

    values: tuple[float, ...]
    weights: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if not self.values:
            raise ValueError("choice needs at least one value")
        if self.weights is not None and (
            len(self.weights) != len(self.values) or min(self.weights) < 0 or sum(self.weights) <= 0
        ):
            raise ValueError("choice needs one non-negative weight per value, not all zero")

    def ppf(self, u: FloatArray) -> FloatArray:
        """Values at cumulative probabilities ``u``."""
        weights = np.asarray(self.weights or [1.0] * len(self.values), dtype=float)
        edges = np.cumsum(weights) / weights.sum()
        index = np.minimum(np.searchsorted(edges, u, side="right"), len(self.values) - 1)
        return np.asarray(self.values, dtype=float)[index]


@dataclass(frozen=True)
class Grid:
    """Every one of ``values``: grids over several keys form their full product.

    Values may be numbers or labels (e.g. periods such as ``"2027Q3"``).
    """

    values: tuple[float | str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if not self.values:
            raise ValueError("grid needs at least one value")


Distribution = Uniform | Normal | LogNormal | Triangular | Choice
Parameter = Distribution | Grid


def draw_samples(
    parameters: Mapping[str, Parameter],
    samples: int,
    *,
    seed: int,
    method: SamplingMethod = "lhs",
) -> pd.DataFrame:
    """Draw the sweep's inputs: one row per sample, one column per scenario key.

    Grid parameters form their full product; each grid point gets ``samples``
    draws of the distributions (or one row when there are no distributions).

    Parameters
    ----------
    parameters
        ``{scenario key: distribution or Grid}``.
    samples
        Draws of the distributions per grid point.
    seed
        Seed of the random generator: the same seed gives the same table.
    method
        ``"lhs"`` (Latin hypercube) or ``"random"``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``sample`` (0, 1, ...).
    """
    if samples < 1:
        raise ValueError(f"samples must be at least 1, got {samples}")
    grids = {k: p for k, p in parameters.items() if isinstance(p, Grid)}
    dists = {k: p for k, p in parameters.items() if not isinstance(p, Grid)}
    draws = _draw(dists, samples if dists else 1, seed, method)
    points: Sequence[tuple[float | str, ...]] = list(
        itertools.product(*(g.values for g in grids.values()))
    )
    blocks = []
    for point in points:
        block = draws.copy()
        for key, value in zip(grids, point, strict=True):
            block[key] = value
        blocks.append(block)
    table = pd.concat(blocks, ignore_index=True).loc[:, list(parameters)]
    table.index.name = "sample"
    return table


def _draw(
    dists: Mapping[str, Distribution], n: int, seed: int, method: SamplingMethod
) -> pd.DataFrame:
    if not dists:
        return pd.DataFrame(index=range(n))
    rng = np.random.default_rng(seed)
    if method == "lhs":
        u = qmc.LatinHypercube(d=len(dists), seed=rng).random(n)
    else:
        u = rng.random((n, len(dists)))
    u = np.clip(u, 1e-12, 1 - 1e-12)  # keep unbounded laws finite
    return pd.DataFrame({key: d.ppf(u[:, j]) for j, (key, d) in enumerate(dists.items())})
