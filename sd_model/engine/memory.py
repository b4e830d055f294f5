"""The delay times a DELAY N remembers, and its order lowered to fit the step.

Vensim's DELAY N differs from DELAY1 and DELAY3 when the delay time changes:
its output "depends only on the values delay time had in previous Time
Steps", it is "treated as a discrete delay function" and it "will conserve
quantities" (Vensim Help, DELAY N). gwplan keeps a register of past delay
times: with ``m`` stages, stage ``j`` (1 to ``m``) drains during step ``k`` at
``content_j / (D_{k-j} / m)``, where ``D_i`` is the delay time read at the
start of step ``i`` and ``D_i = D_0`` for ``i < 0``. The delay time read with
the material that enters during step ``k`` drains stage 1 in step ``k + 1``
and moves one stage down the chain per step, with that material; no stage
uses the delay time read now, so the output depends on earlier ones only.

The order is lowered once, at the start, to the largest ``m <= order`` with
``m * dt <= D_0`` (at least 1), since a stage shorter than a step makes Euler
overshoot. ``D_0`` is the shortest over the elements of a subscripted delay
(as in PySD) but taken per sample, so a batch gives its single runs. The
``order - m`` unused stages at the front of the chain pass the input straight
through: their stage time is the sentinel :data:`BYPASS` and they stay empty.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: Stage time of a stage that is not used: it passes its inflow through.
BYPASS = 0.0


def drain(content: Any, stage_time: Any, upstream: Any) -> Any:
    """Outflow of one DELAY N stage [units/time]: ``content / stage_time``, or its inflow."""
    if type(stage_time) is float:
        return upstream if stage_time == BYPASS else content / stage_time
    if isinstance(stage_time, np.ndarray) and not stage_time.all():  # some samples bypass
        used = stage_time != BYPASS
        return np.where(used, content / np.where(used, stage_time, 1.0), upstream)
    return content / stage_time


def lowered_order(order: int, delay_time: Any, dt: float) -> Any:
    """Largest order ``m <= order`` with ``m * dt <= D``, at least 1, per sample.

    ``D`` is the shortest delay time over the elements of a sample (the
    leading axis of an array is the sample axis). An int when every sample
    gets the same order, else an int array shaped ``(samples, 1, ...)``. A
    non-finite or non-positive delay time keeps ``order`` (the run then stops
    on that value with its own error).
    """
    times = np.asarray(delay_time, dtype=np.float64)
    if times.ndim:
        times = times.min(axis=tuple(range(1, times.ndim)), keepdims=True)
    with np.errstate(invalid="ignore"):
        # the 1e-9 absorbs round-off in delay / dt, so that 3 * 0.1 fits in 0.3
        fits = np.floor(times / dt * (1 + 1e-9))
    fits = np.where(np.isfinite(fits) & (times > 0), fits, order)
    orders = np.clip(fits, 1, order).astype(np.int64)
    if (orders == orders.flat[0]).all():
        return int(orders.flat[0])
    return orders


class StageTimes:
    """The stage times of one DELAY N during a run.

    Parameters
    ----------
    name : str
        Name of the delay, for messages.
    order : int
        Declared number of stages.
    """

    def __init__(self, name: str, order: int) -> None:
        self.name, self.order = name, order
        self.active: Any = order  # stages in use (int, or int array per sample)
        self._past: list[Any] = []  # delay times of the last `order` steps, a ring
        self._last = 0  # index in _past of the delay time of the previous step

    def reset(self, delay_time: Any, dt: float) -> None:
        """Start a run: lower the order if needed; the past delay times are ``delay_time``."""
        self.active = lowered_order(self.order, delay_time, dt)
        self._past = [delay_time] * self.order
        self._last = 0

    def stage_time(self, stage: int, current: Any) -> Any:
        """Time of stage ``stage`` (1-based) during this step [time unit], or BYPASS.

        Active stage ``i`` (1 for the first stage in use) uses the delay time
        read ``i`` steps ago. ``current``, the delay time read now, is not
        used: it is an argument so that the stage time is evaluated after it.
        """
        if type(self.active) is not int:
            return self._stage_time_per_sample(stage)
        lag = stage - (self.order - self.active)
        if lag < 1:
            return BYPASS
        return self._past[(self._last - lag + 1) % self.order] / self.active

    def _stage_time_per_sample(self, stage: int) -> Any:
        """Stage time when samples use different orders: BYPASS where unused."""
        times: Any = BYPASS
        for active in np.unique(self.active):
            lag = stage - (self.order - int(active))
            if lag >= 1:
                past = self._past[(self._last - lag + 1) % self.order]
                times = np.where(self.active == active, past / active, times)
        return times

    def push(self, delay_time: Any) -> None:
        """Move one step on, remembering the delay time read at its start."""
        self._last = (self._last + 1) % self.order
        self._past[self._last] = delay_time
