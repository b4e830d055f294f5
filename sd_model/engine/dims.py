"""Array dimensions (vendor, site, region, ...) and the engine's array layout.

Every value in a run has the same rank: a leading **sample axis** followed by
one axis per model dimension, in the order the dimensions were declared. A
variable that does not vary along a dimension has size 1 on that axis. With
this layout numpy broadcasting aligns variables of different dimensions the
way xarray aligns named dimensions: a per-site quantity times a per-vendor
quantity is a site-by-vendor quantity, with no loop and no reshaping.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sd_model.engine.errors import ModelError

FloatArray = NDArray[np.float64]


class Dimensions:
    """The ordered dimensions of a model and their coordinate labels.

    Parameters
    ----------
    labels : mapping of str to sequence of str
        Dimension name -> coordinate labels, e.g. ``{"vendor": ["amd", "nvidia"]}``.
        The mapping order fixes the axis order of every array.
    """

    def __init__(self, labels: Mapping[str, Sequence[str]] | None = None) -> None:
        self._labels: dict[str, tuple[str, ...]] = {}
        for name, coords in (labels or {}).items():
            self.add(name, coords)

    def add(self, name: str, coords: Sequence[str]) -> None:
        """Declare a dimension ``name`` with coordinate labels ``coords``."""
        if name in self._labels:
            raise ModelError(f"dimension '{name}' is declared twice")
        coords = tuple(str(c) for c in coords)
        if not coords:
            raise ModelError(f"dimension '{name}' has no coordinate labels")
        if len(set(coords)) != len(coords):
            raise ModelError(f"dimension '{name}' has repeated coordinate labels: {coords}")
        self._labels[name] = coords

    @property
    def names(self) -> tuple[str, ...]:
        """Dimension names in axis order."""
        return tuple(self._labels)

    def labels(self, name: str) -> tuple[str, ...]:
        """Coordinate labels of dimension ``name``."""
        return self._labels[name]

    def axis(self, name: str) -> int:
        """Axis of dimension ``name`` in every array (axis 0 is the sample axis)."""
        if name not in self._labels:
            raise ModelError(f"unknown dimension '{name}'; declared: {self.names}")
        return 1 + self.names.index(name)

    def check(self, var_dims: Sequence[str], owner: str) -> tuple[str, ...]:
        """Validate the dimensions of variable ``owner`` (each once, in model order)."""
        unknown = [d for d in var_dims if d not in self._labels]
        if unknown:
            raise ModelError(f"'{owner}' uses undeclared dimension(s) {unknown}")
        ordered = tuple(d for d in self.names if d in var_dims)
        if ordered != tuple(var_dims):
            raise ModelError(
                f"'{owner}' lists dims {tuple(var_dims)}; list each once, in the model's "
                f"order {ordered}"
            )
        return ordered

    def full_shape(self, var_dims: Sequence[str], samples: int) -> tuple[int, ...]:
        """Array shape of a variable: samples, then each model axis (1 where absent)."""
        sizes = (len(self._labels[d]) if d in var_dims else 1 for d in self.names)
        return (samples, *sizes)

    def column_labels(self, name: str, var_dims: Sequence[str]) -> list[str]:
        """Result column names, e.g. ``capacity[amd,abilene]``, in C order."""
        ordered = [d for d in self.names if d in var_dims]
        if not ordered:
            return [name]
        combos = itertools.product(*(self._labels[d] for d in ordered))
        return [f"{name}[{','.join(c)}]" for c in combos]

    def to_layout(
        self, value: ArrayLike, var_dims: Sequence[str], owner: str
    ) -> tuple[FloatArray, bool]:
        """Convert a user value to the engine layout.

        Parameters
        ----------
        value : array_like
            Either shaped like the variable's dimensions, shared by all samples,
            or with one extra leading axis of samples; axes of size 1 and scalars
            are broadcast.
        var_dims : sequence of str
            The variable's dimensions, in model order.
        owner : str
            Variable name, for error messages.

        Returns
        -------
        array : ndarray
            Shape ``(n, *model axes)`` with ``n`` the number of samples or 1.
        has_samples : bool
            Whether ``value`` carried a sample axis.
        """
        number: Any = value  # (ArrayLike spells float as complex, which mypy cannot narrow)
        if not var_dims and isinstance(number, float | int):  # the common case, 10x faster
            arr = np.full((1,) * (1 + len(self._labels)), float(number))
            arr.flags.writeable = False  # like the broadcast view of the general case
            return arr, False
        self.check(var_dims, owner)
        try:
            arr = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ModelError(f"value of '{owner}' is not numeric: {exc}") from None
        expected = tuple(len(self._labels[d]) for d in var_dims)
        has_samples = arr.ndim == len(expected) + 1
        if arr.ndim == 0:
            arr = np.full(expected, float(arr))
        if not has_samples:
            arr = arr[np.newaxis]
        if arr.ndim != len(expected) + 1 or any(
            got not in (1, want) for got, want in zip(arr.shape[1:], expected, strict=True)
        ):
            raise ModelError(
                f"value of '{owner}' has shape {np.shape(value)}; expected {expected} "
                f"(dims {tuple(var_dims)}) or (samples, *{expected}), or a scalar"
            )
        arr = np.broadcast_to(arr, (arr.shape[0], *expected))
        return arr.reshape(self.full_shape(var_dims, arr.shape[0])), has_samples
