"""System-dynamics builtins built from internal stocks and flows.

Material delays and smooths are chains of first-order stages, declared as
ordinary (internal) stocks and flows named ``<name>.<part>``, so both
integrators treat them exactly like the rest of the model
(:mod:`sd_model.engine.chains`). Orders are whole numbers, or constants read by
value, fixed when the model is defined. The fixed (pipeline) delay is a ring
buffer (:mod:`sd_model.engine.pipeline`).

=====================  ==========================================================
Vensim                 gwplan
=====================  ==========================================================
DELAY1, DELAY1I        ``delay(name, input, time, order=1, initial=...)``
DELAY3, DELAY3I        ``delay(..., order=3)``
DELAY N                ``delay(..., order=n, semantics="delay_n")``
DELAY FIXED            ``fixed_delay(name, input, time, initial=...)``
SMOOTH, SMOOTHI        ``smooth(name, input, time, order=1, initial=...)``
SMOOTH3, SMOOTH3I      ``smooth(..., order=3)``
TREND                  ``trend(name, input, average_time, initial_trend)``
WITH LOOKUP            ``lookup(name, input, x, y, extrapolation=...)``
=====================  ==========================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from sd_model.engine import chains
from sd_model.engine.chains import DelaySemantics, Order, Output, declare_delay, resolve_order
from sd_model.engine.declarations import ModelBase
from sd_model.engine.errors import ModelError
from sd_model.engine.lookup import Extrapolation, Lookup
from sd_model.engine.variables import Equation, EquationSpec, Variable, then, to_equation


class BuiltinsModel(ModelBase):
    """Declarations plus the standard builtins (see :class:`~sd_model.engine.Model`)."""

    def delay(
        self,
        name: str,
        input: EquationSpec,
        delay_time: EquationSpec,
        *,
        order: Order = 1,
        initial: EquationSpec | None = None,
        semantics: DelaySemantics = "delay3",
        from_stock: str | None = None,
        to_stock: str | None = None,
        units: str = "",
        dims: Sequence[str] = (),
        doc: str = "",
    ) -> str:
        """Material delay of order ``order`` (Vensim DELAY1/DELAY3/DELAY N and their I forms).

        ``order`` stages in series, each a stock drained at ``stage / stage_time``;
        the output flow ``name`` is the last stage's outflow. With a constant
        delay time the step response of a unit input is the Erlang(order) CDF,
        ``1 - exp(-t/τ)`` for order 1, and both semantics agree.

        Parameters
        ----------
        name : str
            Name of the output.
        input : callable, str or float
            Inflow rate [units].
        delay_time : callable, str or float
            Mean delay [time unit], read at every evaluation (it may vary); it
            must stay positive, else SimulationError.
        order : int or str
            Number of stages: a whole number, or the name of a constant
            declared before (read by value when the delay is declared).
        initial : callable, str or float, optional
            Initial outflow rate [units]; each stage starts at ``initial *
            delay_time / order``. Default: the input at the start (equilibrium).
        semantics : {"delay3", "delay_n"}
            ``"delay3"``: Vensim's DELAY1 and DELAY3, ``stage_time = delay_time /
            order`` now, in every stage. ``"delay_n"``: Vensim's DELAY N, stage
            ``j`` uses the delay time read ``j`` steps earlier, and the order is
            lowered at the start so that ``order * dt <= delay_time`` (with a
            StepWarning). See ``docs/engine.md``.
        from_stock, to_stock : str, optional
            Stock the input drains and stock the output fills.
        units : str
            Units of the output [free text].
        dims : sequence of str
            Dimensions, in model order.
        doc : str
            Description.
        """
        self._check_new(name)
        n = resolve_order(self, order, name)
        spec = (input, delay_time, initial)
        output = Output(units, doc, from_stock, to_stock)
        return declare_delay(self, name, spec, n, semantics, tuple(dims), output)

    def smooth(
        self,
        name: str,
        input: EquationSpec,
        smoothing_time: EquationSpec,
        *,
        order: Order = 1,
        initial: EquationSpec | None = None,
        units: str = "",
        dims: Sequence[str] = (),
        doc: str = "",
    ) -> str:
        """Exponential smoothing of order ``order`` (Vensim SMOOTH/SMOOTH3 and their I forms).

        Long because it declares the stages of a Vensim SMOOTH and their checks together.

        ``order`` first-order stages each with time ``smoothing_time / order``;
        the output ``name`` (a stock) is the last stage. Stage ``i`` changes at
        ``(previous - stage_i) / (smoothing_time / order)``.

        Parameters
        ----------
        name : str
            Name of the output.
        input : callable, str or float
            Quantity to smooth [units].
        smoothing_time : callable, str or float
            Time constant [time unit], positive.
        order : int or str
            Number of stages: a whole number, or the name of a constant
            declared before (read by value when the smooth is declared).
        initial : callable, str or float, optional
            Initial output (every stage); default: the input at the start.
        units : str
            Units of the output [free text].
        dims : sequence of str
            Dimensions, in model order.
        doc : str
            Description.
        """
        self._check_new(name)
        order = resolve_order(self, order, name)
        dims = tuple(dims)
        source = self._source(input, f"{name}.input", dims)
        stage_time = self._internal(
            "aux",
            f"{name}.stage_time",
            then(to_equation(smoothing_time, name), chains.stage_time(name, order)),
            dims,
            stages=order,
        )
        start = to_equation(initial, name) if initial is not None else chains.copy(source)
        previous = source
        for i in range(1, order + 1):
            last = i == order
            stage = name if last else f"{name}.stage{i}"
            self._declare(
                Variable(
                    stage,
                    "stock",
                    units if last else "",
                    dims,
                    doc if last else "",
                    internal=not last,
                    equation=start,
                )
            )
            self._internal(
                "flow",
                f"{name}.change{i}",
                Equation(_adjustment, (previous, stage, stage_time)),
                dims,
                to_stock=stage,
            )
            previous = stage
        return name

    def trend(
        self,
        name: str,
        input: EquationSpec,
        average_time: EquationSpec,
        *,
        initial_trend: EquationSpec = 0.0,
        units: str = "",
        dims: Sequence[str] = (),
        doc: str = "",
    ) -> str:
        """Fractional growth rate of ``input`` (Vensim TREND) [1/time unit].

        ``average = SMOOTHI(input, average_time, input / (1 + initial_trend * average_time))``
        and ``trend = (input - average) / (average_time * |average|)``, 0 where the
        denominator is 0 (ZIDZ). At the start the trend equals ``initial_trend``.
        """
        self._check_new(name)
        dims = tuple(dims)
        source = self._source(input, f"{name}.input", dims)
        avg_time = self._internal(
            "aux",
            f"{name}.average_time",
            then(to_equation(average_time, name), chains.stage_time(name, 1)),
            dims,
            stages=1,
        )
        growth = self._source(initial_trend, f"{name}.initial_trend", dims)
        average = self._internal(
            "stock", f"{name}.average", Equation(_trend_start, (source, avg_time, growth)), dims
        )
        self._internal(
            "flow",
            f"{name}.change",
            Equation(_adjustment, (source, average, avg_time)),
            dims,
            to_stock=average,
        )
        eq = Equation(_trend, (source, average, avg_time))
        return self._declare(Variable(name, "aux", units, dims, doc, equation=eq))

    def fixed_delay(
        self,
        name: str,
        input: EquationSpec,
        delay_time: EquationSpec,
        *,
        initial: EquationSpec | None = None,
        from_stock: str | None = None,
        to_stock: str | None = None,
        units: str = "",
        dims: Sequence[str] = (),
        doc: str = "",
    ) -> str:
        """Pipeline delay (Vensim DELAY FIXED): the output is the input ``delay_time`` earlier.

        Long because the argument checks and the pipeline declaration belong together.

        The delay is read once, at the start, and rounded to ``n`` whole steps
        (halves up, at least one); it may differ per sample or element. Output during step
        ``k`` is the mean input rate of step ``k - n`` (Euler: the input at
        ``t - n dt``; RK4: the weighted mean of its stages), ``initial`` while
        ``k < n``; it is constant within a step. Material is conserved exactly.

        Parameters
        ----------
        name : str
            Name of the output.
        input : callable, str or float
            Inflow rate [units].
        delay_time : callable, str or float
            Transit time [time unit], non-negative; read at the start only.
            Times shorter than ``dt`` (zero included) act as one step.
        initial : callable, str or float, optional
            Output before the first input arrives; default: the input at the start.
        from_stock, to_stock : str, optional
            Stock the input drains and stock the output fills.
        units : str
            Units of the output [free text].
        dims : sequence of str
            Dimensions, in model order.
        doc : str
            Description.
        """
        self._check_new(name)
        dims = tuple(dims)
        intake = self._internal("stock", f"{name}.intake", to_equation(0.0, name), dims)
        self._internal(
            "flow",
            f"{name}.input",
            to_equation(input, name),
            dims,
            from_stock=from_stock,
            to_stock=intake,
        )
        delay = self._internal("aux", f"{name}.delay_time", to_equation(delay_time, name), dims)
        start = to_equation(initial, name) if initial is not None else chains.copy(f"{name}.input")
        return self._declare(
            Variable(
                name,
                "pipeline",
                units,
                dims,
                doc,
                equation=start,
                to_stock=to_stock,
                delay_time=delay,
                intake=intake,
            )
        )

    def lookup(
        self,
        name: str,
        input: EquationSpec,
        x: ArrayLike,
        y: ArrayLike,
        *,
        extrapolation: Extrapolation = "hold",
        units: str = "",
        dims: Sequence[str] = (),
        doc: str = "",
    ) -> str:
        """Auxiliary ``name = table(input)`` for a graphical function (Vensim WITH LOOKUP).

        See :class:`~sd_model.engine.Lookup` for ``x``, ``y`` and ``extrapolation``.
        """
        table = Lookup(x, y, extrapolation, name)
        eq = then(to_equation(input, name), table)
        return self._declare(Variable(name, "aux", units, tuple(dims), doc, equation=eq))

    def _check_new(self, name: str) -> None:
        if name in self.variables:
            raise ModelError(f"'{name}' is declared twice")


def _adjustment(target: Any, level: Any, time: Any) -> Any:
    return (target - level) / time


def _trend_start(value: Any, average_time: Any, growth: Any) -> Any:
    return value / (1 + growth * average_time)


def _trend(value: Any, average: Any, average_time: Any) -> Any:
    denominator = average_time * abs(average)
    if type(denominator) is float:
        return (value - average) / denominator if denominator else 0.0
    safe = np.where(denominator == 0, 1.0, denominator)
    return np.where(denominator == 0, 0.0, (value - average) / safe)
