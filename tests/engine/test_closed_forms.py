"""The engine against closed-form solutions, and the observed order of each integrator."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sd_model.engine import Method, Model


def exponential(rate: float) -> Model:
    m = Model(time_units="year")
    m.constant("rate", rate, units="1/year")
    m.stock("level", 100.0, units="GW")
    m.flow("growth", lambda level, rate: rate * level, to_stock="level", units="GW/year")
    return m


@pytest.mark.parametrize("rate", [0.3, -0.5])
def test_exponential_growth_and_decay_match_closed_form(rate: float) -> None:
    frame = exponential(rate).run(stop=5.0, dt=1 / 64, method="rk4")
    times = frame.index.to_numpy()
    assert_allclose(frame["level"], 100.0 * np.exp(rate * times), rtol=1e-9)


def test_logistic_growth_matches_closed_form() -> None:
    m = Model()
    m.constant("r", 1.2)
    m.constant("capacity", 50.0)
    m.stock("population", 2.0)
    m.flow(
        "births",
        lambda population, r, capacity: r * population * (1 - population / capacity),
        to_stock="population",
    )
    frame = m.run(stop=10.0, dt=1 / 32, method="rk4")
    t = frame.index.to_numpy()
    expected = 50.0 / (1 + (50.0 / 2.0 - 1) * np.exp(-1.2 * t))
    assert_allclose(frame["population"], expected, rtol=1e-7)


def delayed_step(order: int, kind: str) -> Model:
    """A unit step input at time 0 through a delay or smooth with time 4."""
    m = Model()
    m.aux("signal", lambda time: 1.0 if time >= 0 else 0.0)
    if kind == "delay":
        m.delay("out", "signal", 4.0, order=order, initial=0.0)
    else:
        m.smooth("out", "signal", 4.0, order=order, initial=0.0)
    return m


def erlang_cdf(order: int, t: np.ndarray, mean: float) -> np.ndarray:
    rate = order / mean
    partial = sum((rate * t) ** k / math.factorial(k) for k in range(order))
    return 1 - np.exp(-rate * t) * partial


@pytest.mark.parametrize(
    ("order", "kind"), [(1, "delay"), (3, "delay"), (5, "delay"), (1, "smooth"), (3, "smooth")]
)
def test_delay_and_smooth_step_responses_are_erlang_cdfs(order: int, kind: str) -> None:
    frame = delayed_step(order, kind).run(stop=20.0, dt=1 / 64, method="rk4")
    t = frame.index.to_numpy()
    assert_allclose(frame["out"], erlang_cdf(order, t, 4.0), atol=1e-8)


def test_first_order_delay_step_response_is_one_minus_exp() -> None:
    frame = delayed_step(1, "delay").run(stop=12.0, dt=1 / 64, method="rk4")
    t = frame.index.to_numpy()
    assert_allclose(frame["out"], 1 - np.exp(-t / 4.0), atol=1e-9)


def max_error(method: Method, dt: float) -> float:
    """Largest error of y' = -y + sin(t), y(0)=1, whose solution is 1.5 e^-t + (sin t - cos t)/2."""
    m = Model()
    m.stock("y", 1.0)
    m.flow("change", lambda y, time: -y + np.sin(time), to_stock="y")
    frame = m.run(stop=4.0, dt=dt, method=method, variables=["y"], save_every=0.2)
    t = frame.index.to_numpy()
    exact = 1.5 * np.exp(-t) + (np.sin(t) - np.cos(t)) / 2
    return float(np.abs(frame["y"].to_numpy() - exact).max())


@pytest.mark.parametrize(("method", "order"), [("euler", 1), ("rk4", 4)])
def test_error_shrinks_with_the_order_of_the_method(method: Method, order: int) -> None:
    steps = [0.1, 0.05, 0.025]
    errors = [max_error(method, dt) for dt in steps]
    observed = np.polyfit(np.log(steps), np.log(errors), 1)[0]
    assert observed == pytest.approx(order, abs=0.15)
