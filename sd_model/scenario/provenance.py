"""Where each value of a scenario comes from: the sources table, checked.

Every numeric value of a bundled scenario must be covered by a row of its
``sources.csv`` (a public figure, an estimate with its arithmetic, or an
assumption with its reason); `unsourced_keys` lists those that are not.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sd_model.scenario.definition import Scenario, Source
from sd_model.scenario.keys import iter_leaves, key_matches

__all__ = ["dangling_sources", "numeric_keys", "source_of", "unsourced_keys"]


def numeric_keys(scenario: Scenario) -> Iterator[tuple[str, float]]:
    """Yield ``(key, value)`` for every numeric value, announced GW included."""
    for key, value in iter_leaves(scenario.model_dump()):
        if _is_number(value):
            yield key, float(value)
    frame = scenario.announced_schedule.frame
    for vendor, period, gw in zip(frame["vendor"], frame["period"], frame["gw"], strict=True):
        yield f"announced_schedule.{vendor}.{period}", float(gw)


def source_of(scenario: Scenario, key: str) -> Source | None:
    """The most specific source row covering ``key`` (longest pattern), or None."""
    matches = [s for s in scenario.sources if key_matches(s.key, key)]
    return max(matches, key=lambda s: (len(s.key.split(".")), "*" not in s.key), default=None)


def unsourced_keys(scenario: Scenario) -> list[str]:
    """Keys of numeric values that no row of the sources table covers."""
    return [key for key, _ in numeric_keys(scenario) if source_of(scenario, key) is None]


def dangling_sources(scenario: Scenario) -> list[str]:
    """Keys of sources-table rows that cover no value (usually a typo in ``sources.csv``)."""
    keys = [key for key, _ in iter_leaves(scenario.model_dump())]
    keys += [key for key, _ in numeric_keys(scenario)]
    return [s.key for s in scenario.sources if not any(key_matches(s.key, k) for k in keys)]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
