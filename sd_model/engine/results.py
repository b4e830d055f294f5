"""Turn recorded values into a pandas DataFrame with units."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from sd_model.engine.dims import FloatArray
from sd_model.engine.errors import ModelError, NonFiniteError
from sd_model.engine.program import Program
from sd_model.engine.units import ColumnUnits


def build_frame(
    program: Program,
    names: Sequence[str],
    flat: Sequence[Any],
    times: FloatArray,
    time_units: str,
) -> pd.DataFrame:
    """One column per variable element, one row per saved time (and sample).

    Long because it assembles every column kind of the result frame in one pass.

    Parameters
    ----------
    program : Program
        The compiled model (shapes, dims, declarations).
    names : sequence of str
        Variables recorded, in the order of each row.
    flat : sequence
        Recorded values, row after row: one row of ``len(names)`` values per saved time.
    times : ndarray
        Saved times [time unit].
    time_units : str
        Unit of the time index.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``time``, or by ``(sample, time)`` for a batch. Array
        variables give one column per element, named ``name[label,...]``.
        ``df.attrs["units"]`` maps each column to its units and
        ``df.attrs["time_units"]`` gives the unit of time.
    """
    n_times, samples, width = len(times), program.samples, len(names)
    variables = program.variables
    table = _scalar_table(flat, n_times, width)
    if table is not None and not program.batch and not any(variables[n].dims for n in names):
        _check_table(table, names, program, times)
        units = {name: variables[name].units for name in names}
        return _frame(
            table,
            pd.Index(np.asarray(times, dtype=np.float64), name="time", copy=False),
            list(names),
            units,
            time_units,
        )
    blocks, labels, units = [], [], {}
    for j, name in enumerate(names):
        var = program.variables[name]
        if table is not None and not var.dims:  # scalars of a scalar variable
            data = table[:, j].reshape(n_times, samples, 1)
        else:
            column = table[:, j] if table is not None else flat[j::width]
            data = _stack(column, program.shapes[name], name)
        _check_finite(data, var.kind, name, times, program.batch)
        blocks.append(data.reshape(n_times, samples, -1))
        for label in program.dims.column_labels(name, var.dims):
            labels.append(label)
            units[label] = var.units
    matrix = np.concatenate(blocks, axis=2) if blocks else np.zeros((n_times, samples, 0))
    matrix = matrix.transpose(1, 0, 2).reshape(samples * n_times, len(labels))
    time_index = pd.Index(np.asarray(times, dtype=np.float64), name="time")
    index: pd.Index = time_index
    if program.batch:
        index = pd.MultiIndex.from_product([range(samples), time_index], names=["sample", "time"])
    return _frame(matrix, index, labels, units, time_units)


def _frame(
    matrix: FloatArray, index: pd.Index, labels: list[str], units: dict[str, str], time_units: str
) -> pd.DataFrame:
    frame = pd.DataFrame(matrix, index=index, columns=labels)
    frame.attrs["units"] = ColumnUnits(units)  # shared, not deep-copied by pandas
    frame.attrs["time_units"] = time_units
    return frame


def _check_table(
    table: FloatArray, names: Sequence[str], program: Program, times: FloatArray
) -> None:
    """Raise for the first variable (in ``names`` order) with a non-finite value in ``table``."""
    if np.isfinite(table).all():
        return
    j = int(np.argmin(np.isfinite(table).all(axis=0)))
    _check_finite(table[:, j], program.variables[names[j]].kind, names[j], times, False)


def _scalar_table(flat: Sequence[Any], n_times: int, width: int) -> FloatArray | None:
    """All values as one ``(T, width)`` array when every value is a scalar (single runs)."""
    if not flat or not all(isinstance(v, float) for v in flat[:width]):
        return None
    try:
        table = np.asarray(flat, dtype=np.float64)
    except ValueError:  # some values became arrays later in the run
        return None
    return table.reshape(n_times, width) if table.shape == (n_times * width,) else None


def _stack(column: Any, full: tuple[int, ...], name: str) -> FloatArray:
    """Values of one variable over time, broadcast to ``(T, *full)``."""
    try:
        arr = np.asarray(column, dtype=np.float64)
    except ValueError:  # values of different shapes over time
        arr = np.stack([np.broadcast_to(np.asarray(v, dtype=np.float64), full) for v in column])
    pad = len(full) - (arr.ndim - 1)
    try:
        arr = arr.reshape(arr.shape[0], *([1] * pad), *arr.shape[1:])
        return np.broadcast_to(arr, (arr.shape[0], *full))
    except ValueError:
        raise ModelError(
            f"'{name}' has values of shape {arr.shape[1:]}; expected {full} "
            "(samples, then one axis per model dimension)"
        ) from None


def _check_finite(data: FloatArray, kind: str, name: str, times: FloatArray, batch: bool) -> None:
    bad = ~np.isfinite(data)
    if not bad.any():
        return
    first = np.argwhere(bad)[0]
    value = float(data[tuple(first)])
    what = "NaN" if math.isnan(value) else "infinite"
    where = f" (sample {first[1]})" if batch else ""
    raise NonFiniteError(f"{kind} '{name}' is {what} at time {times[first[0]]:g}{where}")


def default_record(program: Program) -> list[str]:
    """Variables recorded by default: the declared ones except constants."""
    return [
        name
        for name, var in program.variables.items()
        if not var.internal and var.kind != "constant"
    ]


def record_slots(program: Program, names: Sequence[str]) -> list[int]:
    """Value slots of the variables ``names``; raise for unknown names."""
    unknown = [n for n in names if n not in program.variables]
    if unknown:
        raise ModelError(f"cannot record {unknown}: not variables of the model")
    slot = {n: i for i, n in enumerate(program.names)}
    return [slot[n] for n in names]
