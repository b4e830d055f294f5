"""Ill-posed models and runs fail with messages that name the variable and the time."""

from __future__ import annotations

import numpy as np
import pytest

from sd_model.engine import Lookup, Model, ModelError, NonFiniteError, SimulationError


def decay() -> Model:
    m = Model()
    m.constant("lifetime", 4.0)
    m.stock("level", 10.0)
    m.flow("loss", lambda level, lifetime: level / lifetime, from_stock="level")
    return m


def test_name_used_but_never_defined_is_named_with_a_suggestion() -> None:
    m = decay()
    m.aux("half_life", lambda lifetim: 0.69 * lifetim)
    with pytest.raises(ModelError, match=r"'half_life' uses 'lifetim'.*did you mean 'lifetime'"):
        m.run(stop=1.0)


def test_algebraic_loop_without_a_stock_is_reported_as_a_path() -> None:
    m = decay()
    m.aux("a", lambda b, level: b + level)
    m.aux("b", lambda a: 0.5 * a)
    with pytest.raises(
        ModelError, match=r"algebraic loop with no stock in it: (a -> b -> a|b -> a -> b)"
    ):
        m.simulator()


def test_a_loop_through_a_smooth_is_not_algebraic() -> None:
    m = Model()
    m.aux("price", lambda perceived: 10.0 - perceived)
    m.smooth("perceived", "price", 2.0, initial=0.0)
    frame = m.run(stop=20.0, dt=0.25, method="rk4")
    assert frame["perceived"].iloc[-1] == pytest.approx(5.0, rel=1e-3)


def test_negative_delay_time_is_reported_with_the_time() -> None:
    m = Model()
    m.aux("lead", lambda time: 2.0 - time)
    m.delay("out", 1.0, "lead")
    with pytest.raises(
        SimulationError, match=r"'out' at time 2: delay time of 'out' must be positive"
    ):
        m.run(stop=5.0, dt=0.5)


def test_fixed_delay_time_must_be_a_non_negative_number() -> None:
    for bad, shown in ((-1.0, "-1.0"), (float("nan"), "nan")):
        m = Model()
        m.fixed_delay("out", 1.0, bad)
        with pytest.raises(SimulationError, match=f"non-negative number, got {shown}"):
            m.run(stop=2.0, dt=1.0)


def test_dt_must_divide_the_horizon() -> None:
    with pytest.raises(SimulationError, match=r"not a whole number of steps of dt=0\.3"):
        decay().run(stop=1.0, dt=0.3)
    with pytest.raises(SimulationError, match="save_every"):
        decay().run(stop=1.0, dt=0.25, save_every=0.3)
    with pytest.raises(SimulationError, match="dt must be a positive number"):
        decay().run(stop=1.0, dt=0.0)


def test_lookup_with_unsorted_x_is_rejected() -> None:
    with pytest.raises(ModelError, match=r"strictly increasing: x\[2\]=1.0 follows x\[1\]=2.0"):
        Lookup([0.0, 2.0, 1.0], [0.0, 1.0, 2.0])
    with pytest.raises(ModelError, match="lookup 'effect'"):
        decay().lookup("effect", "level", [1.0, 1.0], [0.0, 1.0])


def test_nan_produced_during_a_run_names_the_variable_and_time() -> None:
    m = decay()
    m.flow("inflow", lambda time: np.sqrt(2.0 - time), to_stock="level")
    with pytest.raises(NonFiniteError, match=r"flow 'inflow' became NaN at time 2.5$"):
        m.run(stop=5.0, dt=0.5)
    m2 = decay()
    m2.flow("inflow", lambda time: -np.log(2.0 - time), to_stock="level")
    with pytest.raises(NonFiniteError, match=r"flow 'inflow' became infinite at time 2$"):
        m2.run(stop=5.0, dt=0.5)


def test_infinite_auxiliary_is_reported_in_a_batch() -> None:
    m = decay()
    m.aux("ratio", lambda level: 1.0 / (level - 10.0))
    with pytest.raises(NonFiniteError, match=r"aux 'ratio' became infinite at time 0 \(sample 1\)"):
        m.run(stop=1.0, params={"level": [5.0, 10.0]})


def test_exception_in_an_equation_names_the_variable_and_time() -> None:
    m = decay()
    m.aux("boom", lambda time: 1.0 / (time - 3.0) if time < 4 else 0.0)
    with pytest.raises(SimulationError, match=r"aux 'boom' failed at time 3: ZeroDivisionError"):
        m.run(stop=5.0)


def test_flow_must_be_attached_to_a_stock_with_the_same_dims() -> None:
    m = Model({"vendor": ["a", "b"]})
    m.stock("level", 1.0, dims=("vendor",))
    m.flow("loose", 1.0)
    with pytest.raises(ModelError, match="'loose' is attached to no stock"):
        m.simulator()
    m2 = Model({"vendor": ["a", "b"]})
    m2.stock("level", 1.0, dims=("vendor",))
    m2.flow("inflow", 1.0, to_stock="level")
    with pytest.raises(
        ModelError, match=r"'inflow' has dims \(\) but stock 'level' has \('vendor',\)"
    ):
        m2.simulator()
    m3 = decay()
    m3.flow("odd", 1.0, to_stock="lifetime")
    with pytest.raises(ModelError, match="'lifetime', which is not a stock"):
        m3.simulator()


def test_declaration_errors() -> None:
    m = decay()
    with pytest.raises(ModelError, match="declared twice"):
        m.constant("lifetime", 1.0)
    with pytest.raises(ModelError, match="reserved"):
        m.constant("time", 1.0)
    with pytest.raises(ModelError, match="not a valid variable name"):
        m.constant("two words", 1.0)
    with pytest.raises(ModelError, match=r"\*args"):
        m.aux("bad", lambda *values: 0.0)
    with pytest.raises(ModelError, match="undeclared dimension"):
        m.constant("per_site", [1.0], dims=("site",))
    with pytest.raises(ModelError, match="positive integer"):
        m.delay("late", 1.0, 2.0, order=0)
    with pytest.raises(ModelError, match="not a constant, input or stock"):
        m.simulator(params={"loss": 1.0})


def test_wrong_shapes_are_explained() -> None:
    m = Model({"vendor": ["a", "b", "c"]})
    with pytest.raises(ModelError, match=r"expected \(3,\)"):
        m.constant("capex", [1.0, 2.0], dims=("vendor",))
    m.constant("capex", [1.0, 2.0, 3.0], dims=("vendor",))
    m.stock("spent", 0.0)
    m.flow("spending", lambda capex: capex.sum(axis=1), to_stock="spent")
    with pytest.raises(ModelError, match="keepdims=True"):
        m.run(stop=1.0, params={"capex": np.ones((2, 3))})


def test_initial_values_that_depend_on_each_other_are_a_loop() -> None:
    m = Model()
    m.stock("a", lambda b: b + 1.0)
    m.stock("b", lambda a: a - 1.0)
    with pytest.raises(ModelError, match="initial values depend on each other in a loop"):
        m.run(stop=1.0)


def test_non_negative_stock_may_not_start_negative() -> None:
    m = Model()
    m.stock("inventory", -1.0, non_negative=True)
    with pytest.raises(SimulationError, match="'inventory' starts negative"):
        m.run(stop=1.0)
