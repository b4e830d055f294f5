"""The feedback loops of the build-out model, each a name that switches it on.

=============================  ==========================================================
loop                           what switching it off cuts
=============================  ==========================================================
``revenue_cash_orders``        revenue is computed but not paid into cash (R: revenue
                               → cash → affordable deliveries → capacity → revenue)
``vendor_financing``           no vendor financing per GW purchased (R: purchases →
                               vendor financing → cash → purchases)
``overbuild_utilization``      served compute = effective capacity, as if demand never
                               bound (B: overbuild → utilization ↓ → revenue per GW ↓ →
                               funding gap → fewer deliveries)
``power_shortfall_stranding``  energization limited by ready shells only, not by power
                               (B: power shortfall → stranded hardware → idle
                               depreciation, no revenue → funding gap)
``budget_limited_ordering``    deliveries follow the schedule whatever the cash (B:
                               cash + credit short → deliveries deferred)
``share_price_response``       vendor share prices stay at their start value (R: deployed
                               GW → share price → warrant value → liquidity → deliveries)
=============================  ==========================================================
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, get_args

__all__ = ["ALL_LOOPS", "Loop", "check_loops"]

Loop = Literal[
    "revenue_cash_orders",
    "vendor_financing",
    "overbuild_utilization",
    "power_shortfall_stranding",
    "budget_limited_ordering",
    "share_price_response",
]

#: Every loop of the model (the default: all on).
ALL_LOOPS: frozenset[Loop] = frozenset(get_args(Loop))


def check_loops(loops: Iterable[str]) -> frozenset[Loop]:
    """Validate loop names and return them as a frozenset.

    Raises
    ------
    ValueError
        If a name is not a loop of the model (the message lists the valid ones),
        or ``loops`` is a single string.

    Examples
    --------
    >>> sorted(check_loops(["vendor_financing"]))
    ['vendor_financing']
    """
    if isinstance(loops, str):
        raise ValueError("loops must be a collection of loop names, not one string")
    chosen = frozenset(loops)
    unknown = sorted(chosen - ALL_LOOPS)
    if unknown:
        raise ValueError(f"unknown loops {unknown}; the model's loops are {sorted(ALL_LOOPS)}")
    return frozenset(name for name in ALL_LOOPS if name in chosen)
