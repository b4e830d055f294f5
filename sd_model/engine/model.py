"""The :class:`Model` builder: declare a stock-and-flow model, then run it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from sd_model.engine.builtins import BuiltinsModel
from sd_model.engine.compile import compile_model
from sd_model.engine.errors import ModelError
from sd_model.engine.integrators import Method
from sd_model.engine.simulator import Simulator, steps_between


class Model(BuiltinsModel):
    """A stock-and-flow model written in plain Python.

    Every equation is a vectorized function whose parameter names are the
    variables it reads, so the declarations read like the diagram. Values are
    floats in a single run and numpy arrays shaped ``(samples, *model axes)``
    in a batch; one run advances all samples at once.

    Parameters
    ----------
    dims : mapping of str to sequence of str, optional
        Dimensions and their coordinate labels, e.g. ``{"vendor": ["amd", "nvidia"]}``.
    time_units : str
        Unit of model time (e.g. ``"year"``), recorded with the results.

    Examples
    --------
    >>> m = Model(time_units="minute")
    >>> m.constant("room_c", 20.0, units="C")
    'room_c'
    >>> m.constant("cooling_minutes", 10.0, units="minute")
    'cooling_minutes'
    >>> m.stock("tea_c", 90.0, units="C")
    'tea_c'
    >>> m.flow("cooling", lambda tea_c, room_c, cooling_minutes: (tea_c - room_c) / cooling_minutes,
    ...        from_stock="tea_c", units="C/minute")
    'cooling'
    >>> frame = m.run(stop=30.0, dt=0.125, method="rk4")
    >>> round(float(frame.loc[30.0, "tea_c"]), 3)
    23.485
    """

    def axis(self, dim: str) -> int:
        """Axis of dimension ``dim`` in every value (axis 0 holds samples)."""
        return self.dims.axis(dim)

    def simulator(
        self,
        *,
        start: float = 0.0,
        dt: float = 1.0,
        method: Method = "euler",
        params: Mapping[str, ArrayLike] | None = None,
        save_every: float | None = None,
        variables: Sequence[str] | None = None,
    ) -> Simulator:
        """Compile the model for a run and return its step API.

        Parameters
        ----------
        start : float
            Initial time [time unit].
        dt : float
            Integration step [time unit].
        method : {"euler", "rk4"}
            Integrator.
        params : mapping, optional
            Values of constants, inputs and stock initial values for this run;
            a leading sample axis of size N makes the run a batch of N.
        save_every : float, optional
            Interval between saved results, a multiple of ``dt`` [time unit].
        variables : sequence of str, optional
            Variables to record (default: all declared ones except constants).
        """
        self._check_structure_fixed(params or {})
        program = compile_model(self.variables, self.dims, params or {})
        return Simulator(
            program,
            start=start,
            dt=dt,
            method=method,
            save_every=save_every,
            variables=variables,
            time_units=self.time_units,
        )

    def run(
        self,
        *,
        stop: float,
        start: float = 0.0,
        dt: float = 1.0,
        method: Method = "euler",
        params: Mapping[str, ArrayLike] | None = None,
        save_every: float | None = None,
        variables: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Simulate from ``start`` to ``stop`` and return the saved trajectories.

        ``stop - start`` must be a whole number of steps ``dt``. Other parameters
        as in :meth:`simulator`.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``time`` (single run) or ``(sample, time)`` (batch); one
            column per variable element; units in ``attrs["units"]``.
        """
        steps_between(start, stop, dt, "run")
        sim = self.simulator(
            start=start,
            dt=dt,
            method=method,
            params=params,
            save_every=save_every,
            variables=variables,
        )
        sim.advance_to(stop)
        return sim.results()

    def _check_structure_fixed(self, params: Mapping[str, ArrayLike]) -> None:
        """Reject run values for the constants that set orders (they fixed the structure)."""
        for name, owner in self._structural.items():
            if name in params:
                declared = np.asarray(self.variables[name].value, dtype=np.float64)
                if not np.array_equal(np.asarray(params[name], dtype=np.float64), declared):
                    raise ModelError(
                        f"'{name}' is the order of '{owner}', fixed when it was declared; "
                        "it cannot be set in params (declare the model again instead)"
                    )
