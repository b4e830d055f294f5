"""Column units as an immutable mapping that pandas does not deep-copy.

pandas copies ``DataFrame.attrs`` with `copy.deepcopy` after nearly every
operation (``__finalize__``). A result's units map has one entry per column
(hundreds for the build-out model), so copying it dominated the cost of
tabulating results. An immutable mapping can safely be shared instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["ColumnUnits"]


class ColumnUnits(Mapping[str, str]):
    """Read-only ``{column: units}``, shared (not copied) by `copy.deepcopy`.

    Examples
    --------
    >>> import copy
    >>> units = ColumnUnits({"cash_busd": "$B"})
    >>> copy.deepcopy(units) is units, units["cash_busd"]
    (True, '$B')
    """

    __slots__ = ("_units",)

    def __init__(self, units: Mapping[str, str]) -> None:
        self._units = dict(units)

    def __getitem__(self, key: str) -> str:
        return self._units[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._units)

    def __len__(self) -> int:
        return len(self._units)

    def __repr__(self) -> str:
        return f"ColumnUnits({self._units!r})"

    def __deepcopy__(self, memo: dict[int, Any]) -> ColumnUnits:
        return self  # immutable: sharing is a copy

    def __copy__(self) -> ColumnUnits:
        return self
