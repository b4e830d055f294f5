"""Exact semantics of the builtins: switching times, rounding, extrapolation, dims."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sd_model.engine import Lookup, Model, if_then_else, maximum, minimum, pulse, ramp, step


def test_step_switches_when_time_plus_half_dt_passes_the_start() -> None:
    assert step(4.75, 10.0, 5.0, dt=0.25) == 0.0
    assert step(5.0 - 1e-12, 10.0, 5.0, dt=0.25) == 10.0  # round-off in t does not matter
    assert step(4.0, 10.0, 4.3, dt=1.0) == 10.0  # off-grid start rounds to the nearest step
    assert_allclose(step(np.array([4.0, 5.0]), 2.0, 5.0, 0.5), [0.0, 2.0])


def test_ramp_and_pulse() -> None:
    assert ramp(1.0, 2.0, 1.0) == 0.0
    assert ramp(2.5, 2.0, 1.0, end=2.0) == 2.0
    on = [float(pulse(t, 1.0, 0.5, dt=0.25)) for t in np.arange(0.0, 2.0, 0.25)]
    assert on == [0, 0, 0, 0, 1, 1, 0, 0]
    assert sum(float(pulse(t, 1.0, 0.0, dt=0.25)) for t in np.arange(0.0, 2.0, 0.25)) == 1


def test_pulse_integrates_to_its_width_in_a_model() -> None:
    m = Model()
    m.stock("total", 0.0)
    m.flow("inflow", lambda time, dt: pulse(time, 2.0, 3.0, dt, magnitude=4.0), to_stock="total")
    frame = m.run(stop=10.0, dt=0.25)
    assert frame["total"].iloc[-1] == pytest.approx(12.0)


def test_lookup_extrapolation() -> None:
    hold = Lookup([0.0, 1.0, 2.0], [0.0, 10.0, 12.0])
    line = Lookup([0.0, 1.0, 2.0], [0.0, 10.0, 12.0], extrapolation="linear")
    assert hold(-1.0) == 0.0 and hold(3.0) == 12.0 and hold(1.5) == 11.0
    assert line(-1.0) == -10.0 and line(3.0) == 14.0
    xs = np.array([-1.0, 0.5, 1.5, 3.0])
    assert_allclose(hold(xs), [0.0, 5.0, 11.0, 12.0])
    assert_allclose(line(xs), [-10.0, 5.0, 11.0, 14.0])
    assert_allclose([line(float(x)) for x in xs], line(xs), rtol=1e-15)
    assert Lookup([1.0], [7.0])(5.0) == 7.0


def test_time_series_hold_and_linear() -> None:
    m = Model(time_units="quarter")
    m.time_series("held", [0.0, 1.0, 2.0], [1.0, 2.0, 3.0])
    m.time_series("lerp", [0.0, 1.0, 2.0], [1.0, 2.0, 3.0], interpolation="linear")
    frame = m.run(stop=3.0, dt=0.25)
    assert list(frame["held"].loc[[0.75, 1.0, 2.75]]) == [1.0, 2.0, 3.0]
    assert_allclose(frame["lerp"].loc[[0.5, 1.25, 3.0]], [1.5, 2.25, 3.0])


def test_time_series_per_sample_and_per_vendor() -> None:
    m = Model({"vendor": ["a", "b"]})
    values = np.arange(12.0).reshape(2, 3, 2)  # (samples, times, vendor)
    m.time_series("schedule", [0.0, 1.0, 2.0], values, dims=("vendor",))
    frame = m.run(stop=2.0, dt=1.0)
    assert_allclose(frame.loc[(1, 2.0), ["schedule[a]", "schedule[b]"]], [10.0, 11.0])


def test_fixed_delay_rounds_half_steps_up_and_holds_initial() -> None:
    m = Model()
    m.aux("signal", lambda time: time)
    m.fixed_delay("late", "signal", 1.25, initial=-1.0)  # 2.5 steps of 0.5 -> 3 steps
    frame = m.run(stop=5.0, dt=0.5)
    assert list(frame["late"].loc[[0.0, 1.0, 1.5, 4.0]]) == [-1.0, -1.0, 0.0, 2.5]


def test_fixed_delay_per_sample_delay_times() -> None:
    m = Model()
    m.constant("lag", 1.0)
    m.aux("signal", lambda time: time)
    m.fixed_delay("late", "signal", "lag", initial=0.0)
    frame = m.run(stop=4.0, dt=0.5, params={"lag": [1.0, 2.0]})
    late = frame["late"].to_numpy().reshape(2, -1)  # (sample, time)
    assert late[0, -1] == 3.0 and late[1, -1] == 2.0


def test_delay_n_holds_its_initial_equilibrium() -> None:
    m = Model()
    m.constant("inflow", 3.0)
    m.delay("out", "inflow", 6.0, order=7)
    frame = m.run(stop=10.0, dt=0.5, method="rk4")
    assert_allclose(frame["out"], 3.0, rtol=1e-12)


def test_trend_of_exponential_growth() -> None:
    m = Model()
    m.stock("sales", 100.0)
    m.flow("growth", lambda sales: 0.1 * sales, to_stock="sales")
    m.trend("sales_trend", "sales", 2.0, initial_trend=0.1)
    frame = m.run(stop=20.0, dt=0.125, method="rk4")
    # for x = e^{gt} the average lags x by the factor 1 / (1 + g T), so the trend stays g
    assert frame["sales_trend"].iloc[0] == pytest.approx(0.1)
    assert_allclose(frame["sales_trend"].iloc[-40:], 0.1, rtol=1e-6)


def test_smoothing_follows_a_ramp_with_a_lag() -> None:
    m = Model()
    m.aux("signal", lambda time: 2.0 * time)
    m.smooth("smoothed", "signal", 3.0, initial=0.0)
    frame = m.run(stop=10.0, dt=0.125, method="rk4")
    t = frame.index.to_numpy()
    assert_allclose(frame["smoothed"], 2.0 * (t - 3.0 * (1 - np.exp(-t / 3.0))), atol=1e-6)


def test_elementwise_helpers_match_numpy() -> None:
    assert minimum(1.0, 2.0) == 1.0 and maximum(1.0, 2.0) == 2.0
    assert np.isnan(minimum(float("nan"), 1.0))
    assert_allclose(minimum(np.array([1.0, 3.0]), 2.0), [1.0, 2.0])
    assert_allclose(maximum(np.array([1.0, 3.0]), 2.0), [2.0, 3.0])
    assert if_then_else(False, 1.0, 2.0) == 2.0
    assert_allclose(if_then_else(np.array([True, False]), 1.0, 2.0), [1.0, 2.0])


def test_dims_broadcast_like_named_axes() -> None:
    m = Model({"site": ["abilene", "lordstown"], "vendor": ["amd", "nvidia", "broadcom"]})
    m.constant("site_share", [0.25, 0.75], dims=("site",))
    m.constant("vendor_gw", [6.0, 10.0, 10.0], dims=("vendor",))
    m.aux(
        "allocated_gw",
        lambda site_share, vendor_gw: site_share * vendor_gw,
        dims=("site", "vendor"),
    )
    axis = m.axis("vendor")
    m.aux(
        "site_gw", lambda allocated_gw: allocated_gw.sum(axis=axis, keepdims=True), dims=("site",)
    )
    frame = m.run(stop=1.0)
    assert frame["allocated_gw[lordstown,nvidia]"].iloc[0] == 7.5
    assert_allclose(frame[["site_gw[abilene]", "site_gw[lordstown]"]].iloc[0], [6.5, 19.5])
    with pytest.raises(Exception, match="model's order"):
        m.constant("wrong_order", np.ones((3, 2)), dims=("vendor", "site"))
