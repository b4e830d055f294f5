"""The step API: initialize, advance to a time, read the state, set inputs.

A :class:`Simulator` runs one compiled model for one set of parameters (one
sample or a batch). It is what an optimizer drives in a rolling horizon::

    sim = model.simulator(dt=0.25, params=...)
    sim.initialize()
    for year in range(2026, 2036):
        sim.set_input("orders_gw", plan_for(sim.state))   # held until changed
        sim.advance_to(year + 1 - 2026)
    frame = sim.results()
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from sd_model.engine.elementwise import maximum
from sd_model.engine.errors import ModelError, NonFiniteError, SimulationError
from sd_model.engine.integrators import INTEGRATORS, euler
from sd_model.engine.program import ZERO, InitialValues, Program, Values
from sd_model.engine.results import build_frame, default_record, record_slots
from sd_model.engine.series import compact
from sd_model.engine.startup import reset_memories


def steps_between(start: float, stop: float, dt: float, what: str) -> int:
    """Number of steps of ``dt`` from ``start`` to ``stop``; raise unless it is whole."""
    if not (math.isfinite(dt) and dt > 0):
        raise SimulationError(f"dt must be a positive number, got {dt}")
    steps = round((stop - start) / dt)
    if steps < 0 or abs(steps * dt - (stop - start)) > 1e-9 * max(1.0, abs(stop), abs(start)):
        raise SimulationError(
            f"{what}: {stop:g} - {start:g} is not a whole number of steps of dt={dt:g}"
        )
    return steps


class Simulator:
    """Advance a compiled model in time, for one sample or a batch.

    Create it with :meth:`sd_model.engine.Model.simulator`.

    Parameters
    ----------
    program : Program
        The compiled model.
    start : float
        Initial time [time unit].
    dt : float
        Integration step [time unit].
    method : {"euler", "rk4"}
        Integrator.
    save_every : float or None
        Interval between saved results [time unit], a multiple of ``dt``;
        every step if None.
    variables : sequence of str or None
        Variables to record; every declared (non-internal, non-constant)
        variable if None.
    time_units : str
        Unit of time, copied to the results.
    """

    def __init__(
        self,
        program: Program,
        *,
        start: float,
        dt: float,
        method: str,
        save_every: float | None,
        variables: Sequence[str] | None,
        time_units: str,
    ) -> None:
        if method not in INTEGRATORS:
            raise SimulationError(f"method must be one of {sorted(INTEGRATORS)}, got '{method}'")
        self._program, self._start, self._dt = program, float(start), float(dt)
        self._integrate, self._time_units = INTEGRATORS[method], time_units
        self._stride = max(1, steps_between(0.0, save_every or dt, dt, "save_every"))
        self._record = list(variables) if variables is not None else default_record(program)
        self._slots = record_slots(program, self._record)
        self._pick = _picker(self._slots)
        self._inputs = {
            n: program.base_values[n] for n, v in program.variables.items() if v.kind == "input"
        }
        self._stocks: Values = []
        self._base: Values = []
        self._step = 0
        self._saved: list[Any] = []  # recorded values of steps 0, stride, 2 * stride..., flat
        self._ready = False

    @property
    def time(self) -> float:
        """Current model time [time unit]."""
        return self._start + self._step * self._dt

    @property
    def samples(self) -> int:
        """Number of samples advanced together."""
        return self._program.samples

    def initialize(self) -> None:
        """Compute initial stocks and restart at ``start`` (inputs keep their values)."""
        program = self._program
        known = {
            "time": self._start,
            "dt": self._dt,
            ZERO: 0.0,
            **program.base_values,
            **self._inputs,
        }
        init = InitialValues(program.init_equations, known)
        reset_memories(program, init, self._dt)  # first: DELAY N stages depend on it
        stock_names = program.names[: program.n_stocks]
        self._stocks = [self._initial_stock(name, init.get(name)) for name in stock_names]
        self._base = [init.get(name) for name in program.base_names]
        self._step, self._saved, self._ready = 0, [], True
        with np.errstate(all="ignore"):  # non-finite values are checked explicitly
            values = program.evaluate(self._base, self._stocks, self._start)
        self._check_shapes(values)
        self._check_values(values, self._start)

    def advance_to(self, time: float) -> None:
        """Integrate up to ``time``, a whole number of steps ahead [time unit]."""
        if not self._ready:
            self.initialize()
        steps = steps_between(self.time, time, self._dt, f"advance_to({time:g})")
        first, last = self._step, self._step + steps
        program = self._program
        memories = [m for m in program.memories if m.pushed]
        plain = not (program.pipelines or memories)  # nothing to update between steps
        if self._integrate is euler and program.triples is not None and plain:
            self._advance_euler(first, last)
            return
        dt = self._dt
        evaluate = partial(program.evaluate, self._base)
        integrate, derivatives, stride = self._integrate, program.derivatives, self._stride
        pick, record, pipelines = self._pick, self._saved.extend, program.pipelines
        with np.errstate(all="ignore"):  # non-finite values are checked explicitly
            for step in range(first, last):
                t = self._start + step * dt
                values, stocks, slope = integrate(evaluate, derivatives, self._stocks, t, dt)
                if step % stride == 0:
                    record(pick(values))
                for slot in pipelines:
                    slot.pipeline.push(slope[slot.intake])
                    stocks[slot.intake] = 0.0
                for memory in memories:  # the delay time read at the start of the step
                    memory.times.push(values[memory.source])
                for i in program.non_negative:  # round-off, or an RK4 overshoot
                    stocks[i] = maximum(stocks[i], 0.0)
                if not _all_finite(stocks):
                    self._check_values(values, t)
                    self._check_values(stocks, t + dt)
                self._stocks, self._step = stocks, step + 1

    def _advance_euler(self, first: int, last: int) -> None:
        """Euler steps ``first`` to ``last``; non-finite stocks are looked for at the end.

        With nothing updated between steps (no fixed delay, no DELAY N with a
        varying delay time), a stock that became NaN or infinite stays so
        (its next value adds to it), so checking the stocks once at the end
        finds any; the steps are then replayed with a check after each one,
        which raises the same error as a check at every step would have.
        """
        stocks, saved = self._stocks, len(self._saved)
        try:
            self._euler_steps(first, last, checked=False)
        except Exception:
            if _all_finite(self._stocks):
                raise
        else:
            if _all_finite(self._stocks):
                return
        self._stocks, self._step = stocks, first
        del self._saved[saved:]
        self._euler_steps(first, last, checked=True)

    def _euler_steps(self, first: int, last: int, *, checked: bool) -> None:
        """Euler steps with the evaluation and the stock balances inlined.

        The same arithmetic as :func:`~sd_model.engine.integrators.euler` and
        :meth:`Program.evaluate` without their per-step calls, for a model
        whose stocks have at most one inflow and one outflow each and nothing
        to update between steps. ``checked``: check the stocks for NaN and inf
        after every step.
        """
        program, dt, start, stride = self._program, self._dt, self._start, self._stride
        base, plan, n_stocks = self._base, tuple(program.plan), program.n_stocks
        triples, non_negative = program.triples, program.non_negative
        assert triples is not None  # checked by advance_to
        pick, record = self._pick, self._saved.extend
        stocks, step = self._stocks, first
        try:
            with np.errstate(all="ignore"):  # non-finite values are checked explicitly
                for step in range(first, last):
                    t = start + step * dt
                    values = stocks + base
                    values[n_stocks] = t
                    append = values.append
                    try:
                        for fn, get, unpack in plan:
                            append(fn(*get(values)) if unpack else fn(get(values)))
                    except Exception as exc:
                        raise program.failure(len(values), t, exc) from exc
                    if step % stride == 0:
                        record(pick(values))
                    flat = iter(triples(values))  # stock, inflow, outflow, next stock...
                    new = [y + dt * (a - b) for y, a, b in zip(flat, flat, flat, strict=True)]
                    for i in non_negative:  # round-off
                        new[i] = maximum(new[i], 0.0)
                    if checked and not _all_finite(new):
                        self._check_values(values, t)
                        self._check_values(new, t + dt)
                    stocks = new
                else:
                    step = last
        finally:
            self._stocks, self._step = stocks, step

    def set_input(self, name: str, value: ArrayLike) -> None:
        """Hold input ``name`` at ``value`` from now until it is set again.

        ``value`` is shaped like the input's dimensions, or with a leading
        sample axis of the run's size.
        """
        program = self._program
        var = program.variables.get(name)
        if var is None or var.kind != "input":
            raise ModelError(f"'{name}' is not an input of the model")
        arr, has_samples = program.dims.to_layout(value, var.dims, name)
        if has_samples and not program.batch:
            raise ModelError(f"input '{name}' got a sample axis but the run is not a batch")
        if has_samples and arr.shape[0] != program.samples:
            raise ModelError(
                f"value of input '{name}' has {arr.shape[0]} samples; the run has {program.samples}"
            )
        self._inputs[name] = compact(arr, not program.batch)
        if self._ready:
            self._base[program.names.index(name) - program.n_stocks] = self._inputs[name]

    @property
    def state(self) -> dict[str, np.ndarray[Any, Any]]:
        """Current value of every declared stock (see :meth:`value` for shapes)."""
        if not self._ready:
            self.initialize()
        program = self._program
        return {
            name: self._export(name, value)
            for name, value in zip(program.names, self._stocks, strict=False)
            if not program.variables[name].internal
        }

    def value(self, name: str) -> np.ndarray[Any, Any]:
        """Current value of any variable.

        Returns
        -------
        ndarray
            Shape ``(samples, *dims)`` for a batch, ``dims`` for a single run
            (a 0-d array for a scalar variable); dims in model order.
        """
        if name not in self._program.variables:
            raise ModelError(f"'{name}' is not a variable of the model")
        return self._export(name, self._current()[self._program.names.index(name)])

    def results(self, variables: Sequence[str] | None = None) -> pd.DataFrame:
        """Saved trajectories so far, including the current time if it is a save time.

        Parameters
        ----------
        variables : sequence of str, optional
            Subset of the recorded variables; all recorded ones if None.
        """
        if not self._ready:
            self.initialize()
        flat, stride, width = self._saved, self._stride, len(self._record)
        # steps 0, stride, 2 * stride... (after a failed step, that step's row too)
        count = len(flat) // width if width else (self._step + stride - 1) // stride
        names = list(variables) if variables is not None else self._record
        recorded = set(self._record)
        missing = [n for n in names if n not in recorded]
        if missing:
            raise ModelError(f"{missing} were not recorded; pass them in variables= at creation")
        current = self._pick(self._current()) if self._step % stride == 0 else None
        if current is not None:
            count += 1
        # the saved times, as computed in the loop: start + step * dt
        times = self._start + (np.arange(count) * stride).astype(np.float64) * self._dt
        if names != self._record:
            columns = [self._record.index(n) for n in names]
            rows = [*flat, *(current or ())]
            subset = [rows[i * width + j] for i in range(count) for j in columns]
            return build_frame(self._program, names, subset, times, self._time_units)
        if current is None:
            return build_frame(self._program, names, flat, times, self._time_units)
        flat.extend(current)  # the current row, for the time of building the frame
        try:
            return build_frame(self._program, names, flat, times, self._time_units)
        finally:
            del flat[len(flat) - len(current) :]

    def _current(self) -> Values:
        if not self._ready:
            self.initialize()
        with np.errstate(all="ignore"):
            return self._program.evaluate(self._base, self._stocks, self.time)

    def _export(self, name: str, value: Any) -> np.ndarray[Any, Any]:
        program = self._program
        var = program.variables[name]
        sizes = tuple(len(program.dims.labels(d)) for d in var.dims)
        full = np.broadcast_to(np.asarray(value, dtype=np.float64), program.shapes[name])
        arr = full.reshape(program.samples, *sizes).copy()
        return arr if program.batch else arr[0]

    def _initial_stock(self, name: str, value: Any) -> Any:
        program = self._program
        shape = program.shapes[name]
        if type(value) is float and not program.batch and math.prod(shape) == 1:  # common case
            if value < 0 and program.variables[name].non_negative:
                raise SimulationError(f"non-negative stock '{name}' starts negative ({value:g})")
            return value
        try:
            arr = np.array(np.broadcast_to(np.asarray(value, dtype=np.float64), shape))
        except ValueError:
            raise ModelError(
                f"initial value of stock '{name}' has shape {np.shape(value)}; expected {shape}"
            ) from None
        if program.variables[name].non_negative and (arr < 0).any():
            raise SimulationError(f"non-negative stock '{name}' starts negative ({arr.min():g})")
        return compact(arr, not program.batch)

    def _check_shapes(self, values: Values) -> None:
        program = self._program
        for name, value in zip(program.names, values, strict=True):
            if name not in program.shapes or type(value) is float:  # clock, or a scalar
                continue
            shape, full = np.shape(value), program.shapes[name]
            if len(shape) > len(full) or np.broadcast_shapes(shape, full) != full:
                var = program.variables[name]
                raise ModelError(
                    f"{var.kind} '{name}' has shape {shape}; expected {full} "
                    f"(samples, then dims {program.dims.names}; size 1 where it does not vary). "
                    "Reduce with keepdims=True."
                )

    def _check_values(self, values: Values, time: float) -> None:
        program = self._program
        for name, value in zip(program.names, values, strict=False):
            if type(value) is float and value - value == 0.0:
                continue
            arr = np.asarray(value)
            if not np.isfinite(arr).all():
                what = "NaN" if np.isnan(arr).any() else "infinite"
                where = ""
                if program.batch:
                    where = f" (sample {int(np.argwhere(~np.isfinite(arr))[0][0])})"
                kind = program.variables[name].kind if name in program.variables else "value"
                raise NonFiniteError(f"{kind} '{name}' became {what} at time {time:g}{where}")


def _all_finite(values: Values) -> bool:
    for value in values:
        if isinstance(value, float):  # Python and numpy scalars
            if value - value != 0.0:
                return False
        elif not np.isfinite(value).all():
            return False
    return True


def _picker(slots: Sequence[int]) -> Callable[[Values], tuple[Any, ...]]:
    """Function returning the values at ``slots`` as a tuple."""
    if len(slots) == 1:
        only = slots[0]
        return lambda values: (values[only],)
    return itemgetter(*slots) if slots else lambda values: ()
