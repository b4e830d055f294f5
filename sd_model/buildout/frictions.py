"""The frictions of the simulated world, each a name that switches it on.

=====================  ==============================================================
friction               what switching it off does (``frictions=`` of `simulate`)
=====================  ==============================================================
``queue_attrition``    no interconnection request drops out of the queue
``delay_spread``       the queue is a pipeline of the region's lead: every request
                       arrives exactly one lead later and connects in that step
                       (instead of a higher-order delay spreading the arrivals)
``reaction_times``     decision and energization times of one step, and hardware
                       runs in the step it arrives when the shells, connections and
                       on-site plants completing in that step give room
=====================  ==============================================================

With all three off the simulation is the LP's world (docs/buildout.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, get_args

__all__ = ["ALL_FRICTIONS", "Friction", "check_frictions"]

Friction = Literal["queue_attrition", "delay_spread", "reaction_times"]

#: Every friction of the model (the default: all on).
ALL_FRICTIONS: frozenset[Friction] = frozenset(get_args(Friction))


def check_frictions(frictions: bool | Iterable[str]) -> frozenset[Friction]:
    """The frictions switched on: all (True), none (False) or the names given.

    Raises
    ------
    ValueError
        If a name is not a friction of the model, or ``frictions`` is one string.

    Examples
    --------
    >>> sorted(check_frictions(False))
    []
    >>> sorted(check_frictions(["queue_attrition"]))
    ['queue_attrition']
    """
    if isinstance(frictions, bool):
        return ALL_FRICTIONS if frictions else frozenset()
    if isinstance(frictions, str):
        raise ValueError("frictions must be True, False or a collection of friction names")
    chosen = frozenset(frictions)
    unknown = sorted(chosen - ALL_FRICTIONS)
    if unknown:
        raise ValueError(f"unknown frictions {unknown}; the model's are {sorted(ALL_FRICTIONS)}")
    return frozenset(name for name in ALL_FRICTIONS if name in chosen)
