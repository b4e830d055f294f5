"""Uncertain parameters as samples: a batch's per-sample values for the simulation's inputs.

`sample_params` maps scenario keys (``demand.demand_growth_per_year``,
``vendors.amd.financing_busd_per_gw``, ``regions.*.interconnection_lead_quarters``)
to per-sample arrays of the model's constants; the simulation
(`sd_model.buildout.simulate`) applies them to a batch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sd_model.buildout.inputs import _GROWTH, INSTALLED, SCALAR_CONSTANTS, TABLE_CONSTANTS

if TYPE_CHECKING:
    from sd_model.buildout.inputs import ModelInputs

__all__ = ["sample_params"]

FloatArray = NDArray[np.float64]


def sample_params(inputs: ModelInputs, samples: Mapping[str, ArrayLike]) -> dict[str, FloatArray]:
    """Engine ``params`` for a batch: each constant a sample key touches, shaped ``(N, *dims)``.

    Parameters
    ----------
    inputs : ModelInputs
        The laid-out scenario.
    samples : mapping of str to array_like
        Scenario key (``demand.demand_growth_per_year``,
        ``regions.*.interconnection_lead_quarters``, ``vendors.nvidia.contract_total_gw``, ...)
        -> one value per sample. ``vendors.<id>.contract_total_gw`` scales that
        vendor's schedule to the sampled total.

    Raises
    ------
    ValueError
        If a key is not a model parameter, or the sample arrays differ in length.
    """
    arrays = {key: np.asarray(values, dtype=np.float64).ravel() for key, values in samples.items()}
    if _GROWTH in arrays and inputs.constants["demand_outlook_selected"][1]:
        raise ValueError(
            f"'{_GROWTH}' has no effect while demand.outlook selects an outlook; sweep "
            "demand.outlook instead, or set demand.outlook='' to sweep the constant growth"
        )
    sizes = {key: a.size for key, a in arrays.items()}
    if len(set(sizes.values())) > 1:
        raise ValueError(f"sample arrays differ in length: {sizes}")
    params: dict[str, FloatArray] = {}
    for key, values in arrays.items():
        constant, index = _resolve(inputs, key)
        dims, base = inputs.constants[constant]
        if constant not in params:
            base_arr = np.asarray(base, dtype=np.float64)
            params[constant] = np.repeat(base_arr[np.newaxis], values.size, axis=0).copy()
        target = params[constant]
        if constant == "schedule_scale":
            values = _scale(inputs, key, values)
        if isinstance(index, slice):
            target[:, index] = values[:, np.newaxis]
        elif dims:
            target[:, index] = values
        else:
            target[:] = values
    return params


def _scale(inputs: ModelInputs, key: str, values: FloatArray) -> FloatArray:
    vendor = key.split(".")[1]
    total = inputs.schedule_total_gw[vendor]
    if total <= 0:
        raise ValueError(f"'{key}': vendor '{vendor}' has no scheduled GW to scale")
    return values / total


def _resolve(inputs: ModelInputs, key: str) -> tuple[str, Any]:
    """The model constant a scenario key sets, and the element index (``slice`` for ``*``)."""
    if key in SCALAR_CONSTANTS:
        return SCALAR_CONSTANTS[key], None
    parts = key.split(".")
    if len(parts) == 3 and parts[0] in ("vendors", "sites", "regions"):
        table, row, name = parts
        if (table, name) == ("vendors", "contract_total_gw"):
            constant, dim = "schedule_scale", "vendor"
            if row == "*":
                raise ValueError(f"'{key}': name one vendor to scale its schedule")
        elif (table, name) in TABLE_CONSTANTS:
            constant, dim = TABLE_CONSTANTS[(table, name)]
        else:
            constant = ""
        if constant:
            coords = inputs.dims[dim]
            if row == "*":
                return constant, slice(None)
            if row in coords and row != INSTALLED:
                return constant, coords.index(row)
            raise ValueError(f"'{key}': no {dim} '{row}' in the scenario")
    supported = sorted(
        [*SCALAR_CONSTANTS, "vendors.<id>.contract_total_gw"]
        + [f"{t}.<id|*>.{f}" for t, f in TABLE_CONSTANTS]
    )
    raise ValueError(
        f"'{key}' is not an uncertain parameter of the build-out model; use one of: "
        + ", ".join(supported)
    )
