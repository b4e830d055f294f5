"""Every key a scenario can be overridden at, with its current value, unit and source.

`gwplan keys SCENARIO [PATTERN]` prints this list: the keys accepted by
``Scenario.with_overrides``, ``--set``, ``overrides:`` in ``scenario.yaml``
and ``gwplan sweep --param``.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any

from sd_model.scenario.definition import Scenario
from sd_model.scenario.key_values import field_description
from sd_model.scenario.keys import iter_leaves
from sd_model.scenario.provenance import source_of

__all__ = ["KeyInfo", "list_keys", "unit_of"]

# Units named by the end of a field name (the project's unit-suffix convention),
# longest first, for fields whose description gives none.
_SUFFIX_UNITS = (
    ("_busd_per_gw_year", "$B/GW-yr"),
    ("_busd_per_gw", "$B/GW"),
    ("_usd_per_mwh", "$/MWh"),
    ("_busd_per_year", "$B/yr"),
    ("_busd", "$B"),
    ("_usd", "$"),
    ("_gw", "GW"),
    ("_quarters", "quarters"),
    ("_years", "yr"),
    ("_per_year", "1/yr"),
    ("_fraction", "-"),
    ("_share", "-"),
    ("_factor", "-"),
)
_BRACKETS = re.compile(r"\[([^\]]+)\]\s*\.?\s*$")


@dataclass(frozen=True)
class KeyInfo:
    """One overridable value: ``key``, its ``value``, ``unit``, ``description`` and ``source``."""

    key: str
    value: Any
    unit: str
    description: str
    source: str


def unit_of(key: str) -> str:
    """The unit of the value at ``key``: from the field's description, else its name's suffix.

    Examples
    --------
    >>> unit_of("regions.PJM.interconnection_lead_quarters")
    'quarters'
    >>> unit_of("financing.external_funding_busd_by_year.2027")
    '$B'
    """
    found = _BRACKETS.search(field_description(key))
    if found:
        return found.group(1)
    parts = key.split(".")
    name = parts[-2] if parts[-2:-1] and parts[-2].endswith("_by_year") else parts[-1]
    name = name.removesuffix("_by_year")
    return next((unit for suffix, unit in _SUFFIX_UNITS if name.endswith(suffix)), "")


def list_keys(scenario: Scenario, pattern: str = "") -> list[KeyInfo]:
    """The override keys of ``scenario`` that match ``pattern``, in the scenario's order.

    Parameters
    ----------
    scenario
        The scenario whose keys and current values are listed.
    pattern
        A glob (``regions.*.interconnection*``; ``*`` matches any text) or,
        without ``*``/``?``, a case-insensitive part of the key (``lead``).
        Empty: every key.
    """
    wanted = pattern.strip().lower()
    glob = any(c in wanted for c in "*?[")
    infos = []
    for key, value in iter_leaves(scenario.model_dump()):
        text = key.lower()
        if wanted and not (fnmatch.fnmatchcase(text, wanted) if glob else wanted in text):
            continue
        source = source_of(scenario, key)
        infos.append(
            KeyInfo(
                key=key,
                value=value,
                unit=unit_of(key),
                description=field_description(key),
                source="" if source is None else source.key,
            )
        )
    return infos
