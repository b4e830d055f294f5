"""Shocks: a model parameter that changes from a given period on (``KEY=VALUE@PERIOD``).

A shock names a parameter by its scenario key, as sweeps do
(``demand.revenue_busd_per_gw_year_at_start``, ``financing.debt_capacity_busd``,
``vendors.amd.financing_busd_per_gw``; see :func:`sd_model.buildout.sampling.sample_params`),
a new value (``6.24``) or a factor on the base value (``x0.6``), and the period
from which it holds. The constant becomes a series that holds its base value
before that period and the shocked one from it on.

Examples
--------
>>> parse_shock("demand.revenue_busd_per_gw_year_at_start=x0.6@2027Q1")
Shock(key='demand.revenue_busd_per_gw_year_at_start', value=0.6, period='2027Q1', factor=True)
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sd_model.buildout.inputs import ModelInputs
from sd_model.buildout.sampling import _resolve

__all__ = ["Shock", "apply_shocks", "check_sampled", "parse_shock"]

_PATTERN = re.compile(r"^\s*([^=\s]+)\s*=\s*([xX*]?)\s*([^@\s]+)\s*@\s*(\S+)\s*$")


@dataclass(frozen=True)
class Shock:
    """A parameter set to ``value`` (or multiplied by it, ``factor``) from ``period`` on."""

    key: str
    value: float
    period: str
    factor: bool = False

    def __str__(self) -> str:
        return f"{self.key}={'x' if self.factor else ''}{self.value:g}@{self.period}"


def parse_shock(text: str) -> Shock:
    """Parse ``KEY=VALUE@PERIOD`` or ``KEY=xFACTOR@PERIOD``.

    Raises
    ------
    ValueError
        If the text does not have that form or the value is not a finite number.
    """
    match = _PATTERN.match(text)
    expected = (
        "KEY=VALUE@PERIOD or KEY=xFACTOR@PERIOD, e.g. demand.demand_growth_per_year=0.3@2027Q1"
    )
    if match is None:
        raise ValueError(f"shock '{text}': expected {expected}")
    key, times, number, period = match.groups()
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"shock '{text}': '{number}' is not a number ({expected})") from None
    if not np.isfinite(value):
        raise ValueError(f"shock '{text}': the value must be finite")
    return Shock(key, value, period, factor=bool(times))


def apply_shocks(inputs: ModelInputs, shocks: Sequence[Shock]) -> ModelInputs:
    """``inputs`` with each shocked constant turned into a series that steps at its period.

    Raises
    ------
    ValueError
        If a key is not a parameter of the model or a period is not on the SD horizon.
    """
    constants = dict(inputs.constants)
    series = dict(inputs.series)
    times = np.arange(len(inputs.labels), dtype=np.float64)
    for shock in shocks:
        constant, index = _resolve(inputs, shock.key)
        if shock.period not in inputs.labels:
            raise ValueError(
                f"shock '{shock}': period {shock.period} is not on the simulated horizon "
                f"{inputs.labels[0]}..{inputs.labels[-1]}"
            )
        start = inputs.labels.index(shock.period)
        if constant in constants:
            dims, base = constants.pop(constant)
            values = np.repeat(np.asarray(base, dtype=np.float64)[np.newaxis], len(times), axis=0)
        else:  # shocked before: step the series again
            dims, _, values, _ = series[constant]
            values = values.copy()
        where = (slice(start, None),) if index is None else (slice(start, None), index)
        values[where] = values[where] * shock.value if shock.factor else shock.value
        series[constant] = (dims, times, values, "hold")
    return dataclasses.replace(inputs, constants=constants, series=series)


def check_sampled(inputs: ModelInputs, keys: Sequence[str]) -> None:
    """Refuse sampling a parameter that a shock has made a series.

    Raises
    ------
    ValueError
        If a sampled key's parameter is shocked (it has no single value to sample).
    """
    for key in keys:
        constant, _ = _resolve(inputs, key)
        if constant not in inputs.constants:
            raise ValueError(f"'{key}' is shocked; it cannot also be sampled in the same run")
