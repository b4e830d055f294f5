"""The Schedule: GW per (period, vendor, site), the exchange format of gwplan.

The announced plan, an LP's optimum and a planner's hand-made plan are all
Schedules; the stock-and-flow model simulates any of them. A row with an
empty ``site`` is capacity whose site has not been announced.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["SCHEDULE_COLUMNS", "Schedule"]

SCHEDULE_COLUMNS: tuple[str, ...] = ("period", "vendor", "site", "gw")


class Schedule:
    """An immutable table of GW [IT] by period, vendor and (optional) site.

    Parameters
    ----------
    frame
        A DataFrame with columns ``period``, ``vendor``, ``site`` and ``gw``
        (``site`` may be missing or empty for unassigned capacity). Rows keep
        their order; rows with the same key add up in every total, and two
        schedules are equal when their summed tables are.

    Examples
    --------
    >>> s = Schedule.from_records([("2026Q3", "amd", "ABI", 0.5), ("2026Q3", "amd", "", 0.5)])
    >>> s.total_by_vendor()
    {'amd': 1.0}
    """

    __slots__ = ("_frame",)

    def __init__(self, frame: pd.DataFrame) -> None:
        missing = [c for c in ("period", "vendor", "gw") if c not in frame.columns]
        if missing:
            raise ValueError(
                f"a schedule needs columns {list(SCHEDULE_COLUMNS)}; missing {missing}"
            )
        data = frame.loc[:, [c for c in SCHEDULE_COLUMNS if c in frame.columns]].copy()
        if "site" not in data.columns:
            data["site"] = ""
        data["site"] = data["site"].fillna("").astype(str).str.strip()
        data["period"] = data["period"].astype(str).str.strip()
        data["vendor"] = data["vendor"].astype(str).str.strip()
        data["gw"] = pd.to_numeric(data["gw"]).astype(float)
        self._frame = data.loc[:, list(SCHEDULE_COLUMNS)].reset_index(drop=True)

    @classmethod
    def from_records(cls, records: Iterable[tuple[str, str, str, float]]) -> Schedule:
        """Build a schedule from ``(period, vendor, site, gw)`` tuples."""
        return cls(pd.DataFrame(list(records), columns=list(SCHEDULE_COLUMNS)))

    @classmethod
    def empty(cls) -> Schedule:
        """A schedule with no rows."""
        return cls(
            pd.DataFrame(
                {c: pd.Series(dtype=float if c == "gw" else str) for c in SCHEDULE_COLUMNS}
            )
        )

    @property
    def frame(self) -> pd.DataFrame:
        """A copy of the table (columns period, vendor, site, gw)."""
        return self._frame.copy()

    def __len__(self) -> int:
        return len(self._frame)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schedule):
            return NotImplemented
        return self.summed().equals(other.summed())

    def __hash__(self) -> int:
        return hash(tuple(map(tuple, self.summed().itertuples(index=False))))

    def summed(self) -> pd.DataFrame:
        """The table with rows of the same (period, vendor, site) added up, sorted by key."""
        keys = ["period", "vendor", "site"]
        summed = self._frame.groupby(keys, sort=True)["gw"].sum().reset_index()
        return summed.loc[:, list(SCHEDULE_COLUMNS)]

    def __repr__(self) -> str:
        return f"Schedule({len(self)} rows, {self.total_gw():.3g} GW)"

    def total_gw(self) -> float:
        """Total GW over all rows [GW]."""
        return float(self._frame["gw"].sum())

    def total_by_vendor(self) -> dict[str, float]:
        """Total GW per vendor [GW]."""
        totals = self._frame.groupby("vendor")["gw"].sum()
        return {str(k): float(v) for k, v in totals.items()}

    def by_vendor_period(self, vendors: Iterable[str], periods: Iterable[str]) -> np.ndarray:
        """GW per vendor (rows) and period (columns) as a dense array [GW].

        Rows not on the given vendors or periods are ignored.
        """
        table = self._frame.pivot_table(
            index="vendor", columns="period", values="gw", aggfunc="sum", fill_value=0.0
        )
        table = table.reindex(index=list(vendors), columns=list(periods), fill_value=0.0)
        return table.to_numpy(dtype=float)

    def scaled(self, factors: Mapping[str, float]) -> Schedule:
        """A new schedule with each vendor's GW multiplied by ``factors[vendor]`` (default 1)."""
        frame = self.frame
        # a float column: mapping a text column keeps its text dtype under pandas' string type
        scale = frame["vendor"].map(lambda v: factors.get(v, 1.0)).astype(float)
        frame["gw"] = frame["gw"] * scale
        return Schedule(frame)

    def to_records(self) -> list[dict[str, Any]]:
        """Rows as dictionaries (for JSON output)."""
        return [{str(k): v for k, v in r.items()} for r in self._frame.to_dict(orient="records")]
