"""Test inputs as functions of time: STEP, RAMP and PULSE with Vensim semantics.

They are plain vectorized functions: call them inside an equation that reads
``time`` and ``dt``, e.g. ``m.aux("orders", lambda time, dt: 100 + step(time, 20, 5, dt))``.

Switching times follow Vensim: an event at ``start`` takes effect in the step
whose time ``t`` satisfies ``t + dt/2 > start``. A switch on a grid time
therefore happens exactly at that time, free of round-off in ``t``; a switch
between grid times is rounded to the nearest one. Under RK4 the stages at
``t + dt/2`` of the step *before* a grid-aligned switch still see the old
value, so the discontinuity falls on the grid, where RK4 handles it best.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def step(time: Any, height: Any, start: Any, dt: float) -> Any:
    """Vensim ``STEP(height, start)``: 0 before ``start``, ``height`` from it on.

    Parameters
    ----------
    time : float or ndarray
        Model time [time unit].
    height : float or ndarray
        Value after the step [units of the result].
    start : float or ndarray
        Switching time [time unit].
    dt : float
        Integration time step [time unit].

    Returns
    -------
    float or ndarray
        ``height`` where ``time + dt/2 > start``, else 0.

    Examples
    --------
    >>> step(4.75, 10.0, 5.0, dt=0.25), step(5.0, 10.0, 5.0, dt=0.25)
    (0.0, 10.0)
    """
    return height * (time + dt / 2 > start)


def ramp(time: Any, slope: Any, start: Any, end: Any = None) -> Any:
    """Vensim ``RAMP(slope, start, end)``: a line rising from ``start``, flat after ``end``.

    Parameters
    ----------
    time : float or ndarray
        Model time [time unit].
    slope : float or ndarray
        Rate of rise [units of the result / time unit].
    start : float or ndarray
        Time the ramp begins [time unit].
    end : float or ndarray, optional
        Time the ramp stops rising [time unit]; never if omitted.

    Returns
    -------
    float or ndarray
        ``slope * (min(time, end) - start)`` after ``start``, else 0. The ramp is
        continuous, so no ``dt/2`` rule is needed.

    Examples
    --------
    >>> ramp(3.0, 2.0, 1.0), float(ramp(9.0, 2.0, 1.0, end=4.0))
    (4.0, 6.0)
    """
    span = time - start if end is None else np.minimum(time, end) - start
    return slope * span * (span > 0)


def pulse(time: Any, start: Any, width: Any, dt: float, magnitude: Any = 1.0) -> Any:
    """Vensim ``PULSE(start, width)``: ``magnitude`` for ``width`` time units from ``start``.

    Parameters
    ----------
    time : float or ndarray
        Model time [time unit].
    start : float or ndarray
        Time the pulse begins [time unit].
    width : float or ndarray
        Duration [time unit]; a width below ``dt`` (including 0) lasts one step.
    dt : float
        Integration time step [time unit].
    magnitude : float or ndarray
        Height of the pulse [units of the result].

    Returns
    -------
    float or ndarray
        ``magnitude`` while ``start < time + dt/2 <= start + max(width, dt)``, else 0.
        On a grid, the pulse covers exactly ``width / dt`` steps.

    Examples
    --------
    >>> [float(pulse(t, 1.0, 0.5, dt=0.25)) for t in (0.75, 1.0, 1.25, 1.5)]
    [0.0, 1.0, 1.0, 0.0]
    """
    shifted = time + dt / 2
    stop = start + np.maximum(width, dt)
    return magnitude * ((shifted > start) & (shifted <= stop))
