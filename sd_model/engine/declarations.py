"""Declaring stocks, flows, auxiliaries, constants, inputs and time series."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from numpy.typing import ArrayLike

from sd_model.engine.dims import Dimensions
from sd_model.engine.errors import ModelError
from sd_model.engine.series import Interpolation, SeriesSpec
from sd_model.engine.variables import (
    Equation,
    EquationSpec,
    Kind,
    Variable,
    check_name,
    to_equation,
)


class ModelBase:
    """The declarations of a stock-and-flow model (see :class:`~sd_model.engine.Model`).

    Parameters
    ----------
    dims : mapping of str to sequence of str, optional
        Dimensions and their coordinate labels, in axis order.
    time_units : str
        Unit of model time (e.g. ``"quarter"``), recorded with the results.
    """

    def __init__(
        self, dims: Mapping[str, Sequence[str]] | None = None, *, time_units: str = ""
    ) -> None:
        self.dims = Dimensions(dims)
        self.time_units = time_units
        self._variables: dict[str, Variable] = {}
        # constants that fix the structure (orders of delays and smooths) -> first user
        self._structural: dict[str, str] = {}

    @property
    def variables(self) -> Mapping[str, Variable]:
        """Every declaration, internal helpers included, in declaration order."""
        return MappingProxyType(self._variables)

    def constant(
        self,
        name: str,
        value: ArrayLike,
        *,
        units: str = "",
        dims: Sequence[str] = (),
        doc: str = "",
    ) -> str:
        """Declare a parameter, fixed for a run and overridable with ``params=``.

        Parameters
        ----------
        name : str
            Variable name (a Python identifier).
        value : array_like
            Shaped like ``dims``, or ``(samples, *dims)`` for a batch.
        units : str
            Units [free text].
        dims : sequence of str
            Dimensions, in model order.
        doc : str
            Description.

        Returns
        -------
        str
            ``name``, for use in later declarations.
        """
        self.dims.to_layout(value, dims, name)
        return self._declare(Variable(name, "constant", units, tuple(dims), doc, value=value))

    def input(
        self,
        name: str,
        default: ArrayLike = 0.0,
        *,
        units: str = "",
        dims: Sequence[str] = (),
        doc: str = "",
    ) -> str:
        """Declare an exogenous input, held constant until the step API sets it.

        Use it for decisions an optimizer makes each period: a flow whose
        equation is the input's name then follows the decision exactly.
        ``params=`` sets its value at the start.
        """
        self.dims.to_layout(default, dims, name)
        return self._declare(Variable(name, "input", units, tuple(dims), doc, value=default))

    def time_series(
        self,
        name: str,
        times: ArrayLike,
        values: ArrayLike,
        *,
        interpolation: Interpolation = "hold",
        units: str = "",
        dims: Sequence[str] = (),
        doc: str = "",
    ) -> str:
        """Declare a time-series input (e.g. a schedule in GW per quarter).

        Parameters
        ----------
        name : str
            Name of the output.
        times : array_like
            Strictly increasing times [time unit].
        values : array_like
            Shape ``(len(times), *dims)``, or ``(samples, len(times), *dims)``.
        interpolation : {"hold", "linear"}
            ``hold``: value ``i`` applies once ``time + dt/2 > times[i]`` (a
            quarterly schedule switches exactly on quarter boundaries); the first
            value applies before ``times[0]``. ``linear``: interpolate in time,
            holding the end values outside the table.
        units : str
            Units of the output [free text].
        dims : sequence of str
            Dimensions, in model order.
        doc : str
            Description.
        """
        spec = SeriesSpec.build(times, values, interpolation, len(dims), name)
        return self._declare(Variable(name, "series", units, tuple(dims), doc, value=spec))

    def stock(
        self,
        name: str,
        initial: EquationSpec | ArrayLike,
        *,
        units: str = "",
        dims: Sequence[str] = (),
        non_negative: bool = False,
        doc: str = "",
    ) -> str:
        """Declare a stock (level), integrated from its inflows minus its outflows.

        Parameters
        ----------
        name : str
            Name of the output.
        initial : array_like, str or callable
            A value (shaped like ``dims`` or ``(samples, *dims)``) or an equation
            evaluated at the start time (it may read constants, other stocks'
            initial values and auxiliaries).
        non_negative : bool
            Limit the flows draining the stock so that it never goes below zero
            (see :mod:`sd_model.engine.limits`).
        units : str
            Units of the output [free text].
        dims : sequence of str
            Dimensions, in model order.
        doc : str
            Description.
        """
        if isinstance(initial, str) or callable(initial):
            var = Variable(
                name,
                "stock",
                units,
                tuple(dims),
                doc,
                equation=to_equation(initial, name),
                non_negative=non_negative,
            )
        else:
            self.dims.to_layout(initial, dims, name)
            var = Variable(
                name, "stock", units, tuple(dims), doc, value=initial, non_negative=non_negative
            )
        return self._declare(var)

    def flow(
        self,
        name: str,
        equation: EquationSpec,
        *,
        from_stock: str | None = None,
        to_stock: str | None = None,
        units: str = "",
        dims: Sequence[str] = (),
        doc: str = "",
    ) -> str:
        """Declare a flow (rate) that drains ``from_stock`` and fills ``to_stock``.

        Parameters
        ----------
        name : str
            Name of the output.
        equation : callable, str or float
            A function whose parameter names are the variables it reads (also
            ``time`` and ``dt``), a variable name, or a number [units/time unit].
        from_stock, to_stock : str, optional
            At least one; ``None`` is a cloud outside the model boundary. A
            negative rate moves material the other way.
        units : str
            Units of the output [free text].
        dims : sequence of str
            Dimensions, in model order.
        doc : str
            Description.
        """
        eq = to_equation(equation, name)
        return self._declare(
            Variable(
                name,
                "flow",
                units,
                tuple(dims),
                doc,
                equation=eq,
                from_stock=from_stock,
                to_stock=to_stock,
            )
        )

    def aux(
        self,
        name: str,
        equation: EquationSpec,
        *,
        units: str = "",
        dims: Sequence[str] = (),
        doc: str = "",
    ) -> str:
        """Declare an auxiliary: a vectorized function of stocks, constants, time, etc.

        Arrays have a leading sample axis then one axis per model dimension
        (size 1 where a variable does not vary); reduce over a dimension with
        ``x.sum(axis=model.axis("vendor"), keepdims=True)``.
        """
        eq = to_equation(equation, name)
        return self._declare(Variable(name, "aux", units, tuple(dims), doc, equation=eq))

    def _declare(self, var: Variable) -> str:
        """Add a declaration after checking its name and dimensions."""
        if var.name in self._variables:
            raise ModelError(f"'{var.name}' is declared twice")
        check_name(var.name.split(".")[0] if var.internal else var.name)
        self.dims.check(var.dims, var.name)
        self._variables[var.name] = var
        return var.name

    def _internal(
        self,
        kind: Kind,
        name: str,
        eq: Equation,
        dims: tuple[str, ...],
        from_stock: str | None = None,
        to_stock: str | None = None,
        stages: int = 0,
    ) -> str:
        """Declare a hidden helper of a builtin, named ``owner.part``."""
        var = Variable(
            name,
            kind,
            "",
            dims,
            internal=True,
            equation=eq,
            from_stock=from_stock,
            to_stock=to_stock,
            stages=stages,
        )
        return self._declare(var)

    def _source(self, spec: EquationSpec, name: str, dims: tuple[str, ...]) -> str:
        """Name to read for ``spec``: itself if a name, else a new internal aux."""
        if isinstance(spec, str):
            return spec
        return self._internal("aux", name, to_equation(spec, name), dims)
