"""Time-series inputs: exogenous schedules (e.g. GW energized per quarter)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np
from numpy.typing import ArrayLike

from sd_model.engine.dims import Dimensions, FloatArray
from sd_model.engine.errors import ModelError

#: ``hold``: the last value whose time has come; ``linear``: interpolate.
Interpolation = Literal["hold", "linear"]


@dataclass(frozen=True)
class SeriesSpec:
    """A declared time series: strictly increasing times and one value per time.

    ``values`` is shaped ``(T, *dims)``, shared by all samples, or
    ``(samples, T, *dims)``.
    """

    times: tuple[float, ...]
    values: FloatArray
    interpolation: Interpolation

    @classmethod
    def build(
        cls, times: ArrayLike, values: ArrayLike, interpolation: str, n_dims: int, owner: str
    ) -> SeriesSpec:
        """Validate and freeze a series declaration."""
        t = np.asarray(times, dtype=np.float64).ravel()
        v = np.asarray(values, dtype=np.float64)
        if t.size == 0 or not np.isfinite(t).all() or (np.diff(t) <= 0).any():
            raise ModelError(f"times of series '{owner}' must be finite and strictly increasing")
        if interpolation not in get_args(Interpolation):
            raise ModelError(f"series '{owner}': interpolation must be 'hold' or 'linear'")
        time_axis = 1 if v.ndim == n_dims + 2 else 0
        if v.ndim < n_dims + 1 or v.shape[time_axis] != t.size:
            raise ModelError(
                f"values of series '{owner}' have shape {v.shape}; expected ({t.size}, ...) "
                f"or (samples, {t.size}, ...) for {t.size} times"
            )
        return cls(tuple(t.tolist()), v, interpolation)  # type: ignore[arg-type]

    def slices(self, n_dims: int) -> list[FloatArray]:
        """Values at each time, each with a leading sample axis when there is one."""
        if self.values.ndim == n_dims + 2:
            return [self.values[:, i] for i in range(len(self.times))]
        return [self.values[i] for i in range(len(self.times))]


class SeriesTable:
    """The compiled series of one run, evaluated at ``(time, dt)``.

    Parameters
    ----------
    times : list of float
        Strictly increasing times [time unit].
    values : list
        Value at each time in the engine layout (floats in single runs).
    interpolation : {"hold", "linear"}
        ``hold``: value ``i`` applies once ``time + dt/2 > times[i]`` (the STEP rule,
        so a quarterly schedule switches exactly on quarter boundaries); before
        ``times[0]`` the first value applies. ``linear``: linear interpolation in
        ``time``, end values held outside the table.
    """

    def __init__(self, times: list[float], values: list[Any], interpolation: str) -> None:
        self.times, self.values, self.hold = times, values, interpolation == "hold"

    def __call__(self, time: float, dt: float) -> Any:
        """Value of the series at ``time`` [series units]."""
        times, values = self.times, self.values
        if self.hold:
            return values[max(bisect_left(times, time + dt / 2) - 1, 0)]
        if len(times) == 1 or time <= times[0]:
            return values[0]
        if time >= times[-1]:
            return values[-1]
        i = bisect_right(times, time) - 1
        weight = (time - times[i]) / (times[i + 1] - times[i])
        return values[i] + weight * (values[i + 1] - values[i])


def compile_series(
    spec: SeriesSpec, dims: Dimensions, var_dims: tuple[str, ...], owner: str, single: bool
) -> tuple[SeriesTable, int | None]:
    """Convert a series to the engine layout; also return its sample count (or None)."""
    converted = [dims.to_layout(s, var_dims, owner) for s in spec.slices(len(var_dims))]
    samples = converted[0][0].shape[0] if converted[0][1] else None
    values = [compact(arr, single) for arr, _ in converted]
    return SeriesTable(list(spec.times), values, spec.interpolation), samples


def compact(arr: FloatArray, single: bool) -> Any:
    """In a single run, carry one-element values as Python floats (much faster)."""
    if single and arr.size == 1:
        return float(arr.reshape(()))
    return arr
