"""Checks made before a sweep starts: every key usable, the Dask scheduler reachable.

A sweep over a key that no sample can use (a misspelt key, or a range that
lies wholly outside the field's bounds) would otherwise run to the end and
report every sample failed; an unreachable scheduler would fail after the
inputs were drawn. Both are input errors, found here in milliseconds.
"""

from __future__ import annotations

import math
import socket
from collections.abc import Mapping
from urllib.parse import urlsplit

import numpy as np

from optimization.sweeps.distributions import Grid, Parameter
from sd_model import Scenario, ScenarioError
from sd_model.scenario.key_values import is_integer_key

__all__ = ["check_address", "unusable_parameters"]

_PROBES = (0.001, 0.25, 0.5, 0.75, 0.999)  # quantiles tried for a distribution


def unusable_parameters(scenario: Scenario, parameters: Mapping[str, Parameter]) -> list[str]:
    """One message per parameter that no sample can use, empty when all can be used.

    A parameter is usable when at least one of its values (a grid's or
    choice's values, or a distribution's quantiles) makes a valid scenario
    with every other value as in ``scenario``.

    Examples
    --------
    >>> from sd_model import load_scenario
    >>> from optimization.sweeps import Uniform
    >>> unusable_parameters(load_scenario("reference"), {"pue": Uniform(5, 6)})
    ['pue=Uniform(low=5, high=6): no value fits (pue: expected less than or equal to 3)']
    """
    messages = []
    for key, parameter in parameters.items():
        first: str | None = None
        for value in _candidates(key, parameter):
            try:
                scenario.with_overrides({key: value}, note="sweep check")
            except ScenarioError as error:
                if first is None:
                    problem = error.problems[0]
                    first = f"{problem.field}: expected {problem.expected}"
                continue
            first = None
            break
        if first is not None:
            messages.append(f"{key}={parameter!r}: no value fits ({first})")
    return messages


def _candidates(key: str, parameter: Parameter) -> list[float | int | str]:
    if isinstance(parameter, Grid):
        return list(parameter.values)
    values = [float(v) for v in parameter.ppf(np.asarray(_PROBES))]
    if is_integer_key(key):
        return [round(v) if math.isfinite(v) else v for v in values]
    return list(values)


def check_address(address: str, timeout_s: float = 3.0) -> str | None:
    """What is wrong with a Dask scheduler address, or None when it accepts a connection.

    Examples
    --------
    >>> check_address("scheduler:8786")
    "an address like tcp://10.0.0.5:8786, got 'scheduler:8786'"
    """
    parts = urlsplit(address)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in ("tcp", "tls") or not parts.hostname or port is None:
        return f"an address like tcp://10.0.0.5:8786, got {address!r}"
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout_s):
            return None
    except OSError as error:
        return f"a reachable Dask scheduler; {address} did not answer ({error})"
