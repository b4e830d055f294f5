"""The period grid: labels such as ``2026Q3`` (quarters) or ``2026-07`` (months).

Every time-indexed input is keyed by period label; a label is valid when it
parses for the grid's frequency and lies between the grid's start and the
end of the requested horizon.
"""

from __future__ import annotations

import re
from typing import Literal, Self

import numpy as np
from pydantic import BaseModel, ConfigDict, model_validator

__all__ = ["HOURS_PER_YEAR", "Frequency", "PeriodGrid", "format_period", "parse_period"]

HOURS_PER_YEAR = 8766.0
"""Hours in an average calendar year [h]: 365.25 days, so that a horizon that
spans leap years (2028, 2032) prices its energy over the hours it has. The one
definition in gwplan: the simulation and the LP both convert $/MWh with it."""

Frequency = Literal["quarter", "month"]
Horizon = Literal["lp", "sd"]

FIRST_YEAR, LAST_YEAR = 1900, 2200  # as the by-year settings
MAX_YEARS = 50  # the LP and the simulation grow with the grid; longer is a typing slip
_PERIODS_PER_YEAR: dict[str, int] = {"quarter": 4, "month": 12}
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_period(label: str, frequency: Frequency) -> int:
    """Return the absolute ordinal of a period label.

    Parameters
    ----------
    label
        ``YYYYQn`` for quarters, ``YYYY-MM`` for months.
    frequency
        The grid's frequency.

    Returns
    -------
    int
        ``year * periods_per_year + (n - 1)``; consecutive periods differ by one.

    Raises
    ------
    ValueError
        If the label does not match the frequency's format.

    Examples
    --------
    >>> parse_period("2026Q3", "quarter") - parse_period("2026Q1", "quarter")
    2
    """
    pattern, example = (_QUARTER, "2026Q3") if frequency == "quarter" else (_MONTH, "2026-07")
    match = pattern.match(str(label).strip())
    if match is None:
        raise ValueError(f"a {frequency} label like '{example}', got {label!r}")
    year, sub = int(match.group(1)), int(match.group(2))
    return year * _PERIODS_PER_YEAR[frequency] + sub - 1


def format_period(ordinal: int, frequency: Frequency) -> str:
    """Return the label of an absolute period ordinal (inverse of `parse_period`)."""
    per_year = _PERIODS_PER_YEAR[frequency]
    year, sub = divmod(ordinal, per_year)
    return f"{year}Q{sub + 1}" if frequency == "quarter" else f"{year}-{sub + 1:02d}"


class PeriodGrid(BaseModel):
    """The planning calendar: a start and two horizons on one frequency.

    The LP plans over ``start_period .. lp_end_period``; the stock-and-flow
    model runs longer, to ``sd_end_period``, to show what a plan leaves behind.

    Examples
    --------
    >>> grid = PeriodGrid(start_period="2026Q1", lp_end_period="2026Q4", sd_end_period="2027Q2")
    >>> grid.labels("lp")
    ['2026Q1', '2026Q2', '2026Q3', '2026Q4']
    >>> grid.index("2027Q1")
    4
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    frequency: Frequency = "quarter"
    start_period: str
    lp_end_period: str
    sd_end_period: str

    @model_validator(mode="after")
    def _check_order(self) -> Self:
        start = parse_period(self.start_period, self.frequency)
        lp_end = parse_period(self.lp_end_period, self.frequency)
        sd_end = parse_period(self.sd_end_period, self.frequency)
        if not start <= lp_end <= sd_end:
            raise ValueError(
                "start_period <= lp_end_period <= sd_end_period, got "
                f"{self.start_period}, {self.lp_end_period}, {self.sd_end_period}"
            )
        per_year = _PERIODS_PER_YEAR[self.frequency]
        if not (FIRST_YEAR * per_year <= start and sd_end < (LAST_YEAR + 1) * per_year):
            raise ValueError(f"periods in the years {FIRST_YEAR} to {LAST_YEAR}")
        if sd_end - start + 1 > MAX_YEARS * per_year:
            raise ValueError(
                f"a grid of at most {MAX_YEARS} years ({MAX_YEARS * per_year} periods), got "
                f"{self.start_period} to {self.sd_end_period}"
            )
        return self

    @property
    def periods_per_year(self) -> int:
        """Periods in one calendar year (4 for quarters, 12 for months)."""
        return _PERIODS_PER_YEAR[self.frequency]

    @property
    def years_per_period(self) -> float:
        """Length of one period [yr]."""
        return 1.0 / self.periods_per_year

    @property
    def periods_per_quarter(self) -> float:
        """Periods in one quarter (1 for quarters, 3 for months)."""
        return self.periods_per_year / 4

    @property
    def hours_per_period(self) -> float:
        """Hours in one period [h] (`HOURS_PER_YEAR` spread evenly)."""
        return HOURS_PER_YEAR * self.years_per_period

    def discount_factors(self, rate_per_year: float, horizon: Horizon = "lp") -> np.ndarray:
        """Discount factor at the start of each period of ``horizon`` [-].

        :math:`(1 + r)^{-t}` with :math:`t` the years from the grid's start.
        """
        years = np.arange(self.count(horizon)) * self.years_per_period
        return np.asarray((1.0 + rate_per_year) ** -years, dtype=np.float64)

    def count(self, horizon: Horizon = "lp") -> int:
        """Number of periods from the start to the end of ``horizon``."""
        end = self.lp_end_period if horizon == "lp" else self.sd_end_period
        return parse_period(end, self.frequency) - self._start + 1

    def labels(self, horizon: Horizon = "lp") -> list[str]:
        """Period labels from the start to the end of ``horizon``, in order."""
        return [format_period(self._start + i, self.frequency) for i in range(self.count(horizon))]

    def index(self, label: str, horizon: Horizon = "sd") -> int:
        """Return the 0-based position of ``label`` on the grid.

        Raises
        ------
        ValueError
            If the label is malformed or outside ``start_period .. end of horizon``.
        """
        position = parse_period(label, self.frequency) - self._start
        if not 0 <= position < self.count(horizon):
            last = self.lp_end_period if horizon == "lp" else self.sd_end_period
            raise ValueError(f"a period from {self.start_period} to {last}, got {label!r}")
        return position

    def year(self, label: str) -> int:
        """Calendar year of a period label."""
        return parse_period(label, self.frequency) // self.periods_per_year

    def years(self, horizon: Horizon = "lp") -> list[int]:
        """Calendar years touched by ``horizon``, in order."""
        return sorted({self.year(label) for label in self.labels(horizon)})

    def periods_from_quarters(self, quarters: float) -> int:
        """Convert a lead time in quarters to whole periods of this grid (rounded up)."""
        periods = quarters * self.periods_per_year / 4
        return int(-(-periods // 1))

    @property
    def _start(self) -> int:
        return parse_period(self.start_period, self.frequency)
