"""The lab's lease payments under the counterparty loop: what it owes, pays, defers and defaults.

See :mod:`sd_model.buildout.counterparties` for the rules.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sd_model.buildout.arrays import lessor_total, ratio, reading
from sd_model.buildout.context import Context, L
from sd_model.engine import Model

__all__ = ["lease_terms"]


def lease_terms(m: Model, ctx: Context) -> None:
    """What the lab owes each lessor, pays, defers and defaults, and what lessors receive."""
    _owed(m)
    _arrears(m, ctx)
    _received(m)


def _owed(m: Model) -> None:
    """What the lab owes each lessor (capacity withheld under breach) and the share it pays."""
    m.aux(
        "lessor_supply_share",
        lambda lessor_cut_on_breach, lessor_breach: 1.0 - lessor_cut_on_breach * lessor_breach,
        dims=L,
        doc="Share of the contracted capacity the lessor supplies (less under breach) [-].",
    )
    for name in ("leased_gw", "lease_minimum_busd_per_period"):
        m.aux(name, _times_supply(f"{name}_before_stress"), dims=L)
    m.aux(
        "lessor_payment_busd_per_period",
        reading(
            lambda share, used, full, minimum: share * (used * full + (1.0 - used) * minimum),
            "lessor_supply_share",
            "utilization",
            "lease_full_payment_base",
            "lease_minimum_busd_per_period_before_stress",
        ),
        dims=L,
        units="$B/period",
        doc="Due to the lessor: full price on used, take-or-pay on idle supplied GW.",
    )
    m.aux(
        "lab_payment_share",
        lambda liquidity_busd, lease_payment_due_busd_per_period, lab_payment_cover_periods: (
            np.where(
                lease_payment_due_busd_per_period > 0,
                np.minimum(
                    1.0,
                    ratio(
                        liquidity_busd,
                        lease_payment_due_busd_per_period * lab_payment_cover_periods,
                    ),
                ),
                1.0,
            )
        ),
        doc="Share of the lease payments due the lab pays [-].",
    )


def _arrears(m: Model, ctx: Context) -> None:
    """Missed payments into arrears; arrears repaid or defaulted."""
    q2p = ctx.q2p
    m.aux(
        "lessor_missed_busd_per_period",
        lambda lab_payment_share, lessor_payment_busd_per_period: (
            (1.0 - lab_payment_share) * lessor_payment_busd_per_period
        ),
        dims=L,
        units="$B/period",
        doc="Lease payments the lab misses (deferred into arrears), pro rata over lessors.",
    )

    def repaid(
        lessor_arrears_busd: Any,
        liquidity_busd: Any,
        lease_payment_due_busd_per_period: Any,
        lab_payment_cover_periods: Any,
        deferred_catch_up_quarters: Any,
    ) -> Any:
        spare = np.maximum(
            liquidity_busd - lease_payment_due_busd_per_period * lab_payment_cover_periods, 0.0
        )
        owed = lessor_total(lessor_arrears_busd)
        rate = np.minimum(
            1.0 / (deferred_catch_up_quarters * q2p),
            ratio(spare, owed * lab_payment_cover_periods),
        )
        return lessor_arrears_busd * rate

    m.aux("lessor_repaid_busd_per_period", repaid, dims=L, units="$B/period")
    m.aux(
        "lessor_defaulted_busd_per_period",
        lambda lessor_arrears_busd, default_after_quarters: (
            lessor_arrears_busd / (default_after_quarters * q2p)
        ),
        dims=L,
        units="$B/period",
        doc="Arrears written off (first-order: on average after default_after_quarters).",
    )
    m.stock("lessor_arrears_busd", 0.0, dims=L, units="$B", doc="Lease payments deferred.")
    m.flow(
        "lessor_arrears_in",
        "lessor_missed_busd_per_period",
        to_stock="lessor_arrears_busd",
        dims=L,
        units="$B/period",
    )
    for name in ("repaid", "defaulted"):
        m.flow(
            f"lessor_arrears_{name}_out",
            f"lessor_{name}_busd_per_period",
            from_stock="lessor_arrears_busd",
            dims=L,
            units="$B/period",
        )


def _received(m: Model) -> None:
    """What each lessor receives; the lab's totals; cumulative books."""
    m.aux(
        "lessor_received_busd_per_period",
        lambda lab_payment_share, lessor_payment_busd_per_period, lessor_repaid_busd_per_period: (
            lab_payment_share * lessor_payment_busd_per_period + lessor_repaid_busd_per_period
        ),
        dims=L,
        units="$B/period",
        doc="What the lessor receives from the lab: the share paid plus arrears repaid.",
    )
    for name in ("lease_payment_made", "lab_missed", "lab_defaulted"):
        source = {
            "lease_payment_made": "received",
            "lab_missed": "missed",
            "lab_defaulted": "defaulted",
        }[name]
        m.aux(
            f"{name}_busd_per_period",
            _lessor_sum(f"lessor_{source}_busd_per_period"),
            units="$B/period",
        )
    for name in ("received", "missed", "repaid", "defaulted"):
        m.stock(f"lessor_{name}_cum_busd", 0.0, dims=L, units="$B")
        m.flow(
            f"lessor_{name}_cum_inflow_busd_per_period",
            f"lessor_{name}_busd_per_period",
            to_stock=f"lessor_{name}_cum_busd",
            dims=L,
            units="$B/period",
        )


def _times_supply(name: str) -> Any:
    return reading(lambda value, share: value * share, name, "lessor_supply_share")


def _lessor_sum(name: str) -> Any:
    return reading(lessor_total, name)
