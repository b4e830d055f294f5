"""Fixed-step integrators: explicit Euler and classical fourth-order Runge-Kutta.

An integrator advances the stocks ``y`` from ``t`` to ``t + dt`` and returns
the values evaluated at ``t`` (what the results record for that time), the
new stocks and the *slope* it used, ``y_new = y + dt * slope``. The slope of a
fixed delay's intake is the mean input rate over the step, which the delay's
pipeline stores.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

Values = list[Any]
Evaluate = Callable[[Values, float], Values]
Derivatives = Callable[[Values], Values]
StepResult = tuple[Values, Values, Values]

#: Integration method of a run.
Method = Literal["euler", "rk4"]


def euler(
    evaluate: Evaluate, derivatives: Derivatives, y: Values, t: float, dt: float
) -> StepResult:
    """One explicit Euler step: ``y + dt * f(y, t)``; error O(dt) over a horizon."""
    values = evaluate(y, t)
    slope = derivatives(values)
    return values, [a + dt * b for a, b in zip(y, slope, strict=True)], slope


def rk4(evaluate: Evaluate, derivatives: Derivatives, y: Values, t: float, dt: float) -> StepResult:
    """One classical Runge-Kutta step; error O(dt^4) over a horizon for smooth models.

    Stages are evaluated at ``t``, twice at ``t + dt/2`` and at ``t + dt``;
    held inputs and fixed-delay outputs stay constant across the stages.
    """
    half = dt / 2
    values = evaluate(y, t)
    k1 = derivatives(values)
    k2 = derivatives(evaluate([a + half * b for a, b in zip(y, k1, strict=True)], t + half))
    k3 = derivatives(evaluate([a + half * b for a, b in zip(y, k2, strict=True)], t + half))
    k4 = derivatives(evaluate([a + dt * b for a, b in zip(y, k3, strict=True)], t + dt))
    slope = [(a + 2 * (b + c) + d) / 6 for a, b, c, d in zip(k1, k2, k3, k4, strict=True)]
    return values, [a + dt * b for a, b in zip(y, slope, strict=True)], slope


INTEGRATORS: dict[str, Callable[[Evaluate, Derivatives, Values, float, float], StepResult]] = {
    "euler": euler,
    "rk4": rk4,
}
