"""Dotted keys that address any value of a scenario.

A key names a section and field (``financing.debt_rate_per_year``), a
by-year entry (``policy.ppa_coverage_target_by_year.2028``) or a table cell
by the row's key (``regions.PJM.interconnection_lead_quarters``,
``ppa_options.ERCOT:solar.price_usd_per_mwh``). ``*`` in place of a row key
addresses every row. The same keys are used by overrides (in code, in
``scenario.yaml`` and on the command line) and by the sources table.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import Any

from sd_model.scenario.retired import retired_message

__all__ = ["TABLE_ROW_KEYS", "iter_leaves", "key_matches", "row_key", "set_value"]

# Columns that identify a row of each table; a composite key joins them with ':'.
TABLE_ROW_KEYS: Mapping[str, tuple[str, ...]] = {
    "regions": ("id",),
    "headroom": ("region", "from_period"),
    "sites": ("id",),
    "vendors": ("id",),
    "milestones": ("vendor", "period"),
    "ppa_options": ("region", "technology"),
    "onsite_options": ("id",),
    "lessors": ("id",),
    "lease_contracts": ("id",),
    "equity_stakes": ("holder", "company"),
    "counterparties": ("id",),
}
_NOT_ADDRESSABLE = frozenset({"name", "description", "announced_schedule", "sources"})
_OPEN_MAPPING_SUFFIXES = ("_by_year",)


def row_key(table: str, row: Mapping[str, Any]) -> str:
    """Return the key of one row of ``table`` (e.g. ``ERCOT:solar``)."""
    return ":".join(str(row[c]) for c in TABLE_ROW_KEYS[table])


def iter_leaves(data: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Yield ``(key, value)`` for every scalar value of a dumped scenario.

    Parameters
    ----------
    data
        ``Scenario.model_dump()`` output (tables as lists of dicts).
    """
    for name, value in data.items():
        if name in _NOT_ADDRESSABLE:
            continue
        if name in TABLE_ROW_KEYS:
            for row in value:
                prefix = f"{name}.{row_key(name, row)}"
                for field, cell in row.items():
                    if field not in TABLE_ROW_KEYS[name]:
                        yield from _walk(f"{prefix}.{field}", cell)
        else:
            yield from _walk(name, value)


def _walk(prefix: str, value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _walk(f"{prefix}.{key}", item)
    else:
        yield prefix, value


def key_matches(pattern: str, key: str) -> bool:
    """Whether a sources-table ``pattern`` covers ``key``.

    A pattern covers a key when each of its segments equals the key's segment
    or is ``*``, and the key has at least as many segments (so
    ``financing.external_funding_busd_by_year`` covers every year).
    """
    want, have = pattern.split("."), key.split(".")
    if len(want) > len(have):
        return False
    return all(w in ("*", h) for w, h in zip(want, have, strict=False))


def set_value(data: dict[str, Any], key: str, value: Any) -> list[str]:
    """Set the value at ``key`` in a dumped scenario, in place.

    Returns
    -------
    list of str
        The concrete keys that were set (several when the key holds ``*``).

    Raises
    ------
    KeyError
        If the key addresses nothing; the message suggests close keys.
    """
    parts = key.split(".")
    if parts[0] in _NOT_ADDRESSABLE:
        raise KeyError(_unknown(data, key))
    if parts[0] in TABLE_ROW_KEYS and len(parts) == 3:
        return _set_cell(data, parts[0], parts[1], parts[2], value)
    target: Any = data
    for depth, part in enumerate(parts[:-1]):
        if not isinstance(target, dict) or part not in target:
            raise KeyError(_unknown(data, key))
        target = target[parts[depth]]
    last = parts[-1]
    if not isinstance(target, dict):
        raise KeyError(_unknown(data, key))
    existing = _match_key(target, last)
    if existing is None:
        if len(parts) < 3 or not parts[-2].endswith(_OPEN_MAPPING_SUFFIXES):
            raise KeyError(_unknown(data, key))
        existing = last
    if isinstance(target.get(existing), dict):
        raise KeyError(f"a key naming one value, not a group (e.g. {', '.join(_close(data, key))})")
    target[existing] = value
    return [key]


def _match_key(mapping: dict[Any, Any], text: str) -> Any:
    for existing in mapping:
        if str(existing) == text:
            return existing
    return None


def _set_cell(data: dict[str, Any], table: str, row_id: str, field: str, value: Any) -> list[str]:
    rows = data[table]
    chosen = [r for r in rows if row_id in ("*", row_key(table, r))]
    retired = retired_message(table, field)
    if retired is not None:
        raise KeyError(retired)
    if not chosen or field not in rows[0] or field in TABLE_ROW_KEYS[table]:
        raise KeyError(_unknown(data, f"{table}.{row_id}.{field}"))
    for row in chosen:
        row[field] = value
    return [f"{table}.{row_key(table, r)}.{field}" for r in chosen]


def _close(data: Mapping[str, Any], key: str) -> list[str]:
    keys = [k for k, _ in iter_leaves(data)]
    prefix = [k for k in keys if k.startswith(key + ".")][:5]
    return prefix or difflib.get_close_matches(key, keys, n=3, cutoff=0.6)


def _unknown(data: Mapping[str, Any], key: str) -> str:
    close = _close(data, key)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    return f"an existing scenario key{hint}"
