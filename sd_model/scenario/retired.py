"""Fields of older scenario files that were retired, and how to migrate each.

A file, an override key or code that still gives one gets a located error
that says what to write instead, not a bare "unknown column".
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["RETIRED_FIELDS", "retired_message"]

#: table -> {retired field: how to migrate it}.
RETIRED_FIELDS: Mapping[str, Mapping[str, str]] = {
    "regions": {
        "energy_price_usd_per_mwh": (
            "energy_price_usd_per_mwh is retired: give wholesale_price_usd_per_mwh (the hub"
            " energy price, against which PPAs settle), capacity_price_usd_per_mwh and"
            " delivery_price_usd_per_mwh (transmission and delivery) instead; the delivered"
            " price is their sum, so a retail price must be split (docs/scenario-format.md,"
            " Energy prices)"
        ),
    },
}


def retired_message(table: str, field: str) -> str | None:
    """How to migrate ``field`` of ``table``, or None when it is not a retired field."""
    return RETIRED_FIELDS.get(table, {}).get(field)
