"""The component protocol: one module owns one concern of the LP.

A component module has

- ``add(m, data)``: declares its sets, parameters, variables, constraints and
  cost terms on the model;
- ``MUTABLE_KEYS``: the scenario keys (`sd_model.scenario.keys`, with ``*``
  for any row or any further part) whose values live only in its mutable
  parameters, so `optimization.PlanningModel.resolve` can change them
  without a rebuild;
- ``parameters(data)``: the values of those mutable parameters for ``data``,
  by component name, as ``{index: value}`` (``None`` indexes a scalar).

`optimization.lp.model.COMPONENTS` lists the modules; nothing else keeps a
list of their parameters. Adding a component is one module, one line there
and its tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from fnmatch import fnmatchcase
from typing import Any, Protocol

from optimization.lp.data import ModelData

__all__ = ["Component", "LPComponent", "ParameterValues", "is_mutable", "push_parameters"]

Component = Callable[[Any, ModelData], None]
"""A planner's own component: declares sets, variables, constraints and costs on ``m``."""

ParameterValues = Mapping[str, Mapping[Any, float]]
"""Mutable parameter values by parameter name, then by index."""


class LPComponent(Protocol):
    """What a component module provides (see the module docstring)."""

    MUTABLE_KEYS: tuple[str, ...]

    def add(self, m: Any, data: ModelData) -> None:
        """Declare the component on ``m``."""

    def parameters(self, data: ModelData) -> ParameterValues:
        """Values of the component's mutable parameters for ``data``."""


def is_mutable(key: str, components: Iterable[LPComponent]) -> bool:
    """Whether scenario ``key`` reaches only mutable parameters of ``components``."""
    return any(
        fnmatchcase(key, pattern) for component in components for pattern in component.MUTABLE_KEYS
    )


def push_parameters(m: Any, data: ModelData, components: Iterable[LPComponent]) -> None:
    """Copy every component's mutable parameter values for ``data`` into ``m``."""
    for component in components:
        for name, values in component.parameters(data).items():
            param = m.component(name)
            if param is None:  # a component that declared nothing (no leases)
                continue
            if param.is_indexed():
                for index, value in values.items():
                    param[index] = float(value)
            else:
                param.set_value(float(values[None]))
