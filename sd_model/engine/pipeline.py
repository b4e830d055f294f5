"""Ring buffer behind the fixed (pipeline) delay.

The pipeline stores, for each past step, the *mean* input rate over that step
as the integrator saw it: the Euler slope, or RK4's weighted average of its
four stages. Its output during step ``k`` is the mean input of step
``k - n``, with ``n = round(delay_time / dt)`` (halves rounded up, at least one,
fixed at the start of the run), and ``initial`` while ``k < n``. The output is therefore
constant within a step, RK4 stages included, and the material leaving an
upstream stock through the pipeline reaches the downstream stock exactly,
under both integrators.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np

from sd_model.engine.dims import FloatArray
from sd_model.engine.errors import SimulationError


def delay_steps(delay_time: Any, dt: float, owner: str) -> Any:
    """Whole steps in ``delay_time``: halves rounded up, and at least one (Vensim's rules).

    A delay time shorter than ``dt`` (zero included) acts as one step, as in
    Vensim ("the minimum delay time is TIME STEP"). A negative or non-finite
    delay time is a modelling error and raises.
    """
    delay = np.asarray(delay_time, dtype=np.float64)
    if not (np.isfinite(delay).all() and (delay >= 0).all()):
        bad = delay[~(np.isfinite(delay) & (delay >= 0))].flat[0]
        raise SimulationError(
            f"delay time of fixed delay '{owner}' must be a non-negative number, got {bad}"
        )
    # the 1e-9 absorbs round-off in delay / dt, so that 2.5 steps round up
    return np.maximum(np.floor(delay / dt + 0.5 + 1e-9).astype(np.int64), 1)


class Pipeline:
    """The in-transit contents of one fixed delay during a run.

    Parameters
    ----------
    name : str
        Name of the delay, for messages.
    shape : tuple of int
        Full engine shape of the delay's output (samples, model axes).
    """

    def __init__(self, name: str, shape: tuple[int, ...]) -> None:
        self.name, self.shape = name, shape
        self._queue: deque[Any] = deque()
        self._steps: np.ndarray[Any, np.dtype[np.int64]] | None = None
        self._ring: FloatArray = np.zeros(0)
        self._initial: Any = 0.0
        self._k = 0

    def reset(self, steps: Any, initial: Any) -> None:
        """Empty the pipeline: ``steps`` per element, ``initial`` output until filled."""
        steps = np.asarray(steps)
        self._k, self._initial = 0, initial
        if (steps == steps.flat[0]).all():
            self._steps = None
            self._queue = deque([initial] * int(steps.flat[0]))
            return
        self._steps = np.broadcast_to(steps, self.shape)
        self._ring = np.zeros((int(steps.max()), *self.shape))

    def output(self) -> Any:
        """Outflow rate during the current step [input units]."""
        if self._steps is None:
            return self._queue[0]
        back = self._k - self._steps
        rows = np.take_along_axis(self._ring, (back % len(self._ring))[np.newaxis], axis=0)[0]
        return np.where(back >= 0, rows, self._initial)

    def push(self, mean_input: Any) -> None:
        """Move one step on, taking in the mean input rate of the step just done."""
        if self._steps is None:
            self._queue.popleft()
            self._queue.append(mean_input)
        else:
            self._ring[self._k % len(self._ring)] = mean_input
        self._k += 1
