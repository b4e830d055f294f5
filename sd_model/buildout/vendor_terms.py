"""Vendor terms of the capital sector: vendor financing received and the warrants' value.

Split out of `sd_model.buildout.capital` (which calls `add_vendor_terms`); the
equations are documented there and in ``docs/buildout.md``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sd_model.buildout.arrays import ratio
from sd_model.buildout.context import Context, V
from sd_model.engine import Model

__all__ = ["add_vendor_terms"]


def add_vendor_terms(m: Model, ctx: Context) -> None:
    """Declare vendor financing received (capped, switchable) and the warrants' vested value."""
    financing, responds = ctx.on("vendor_financing"), ctx.on("share_price_response")
    m.stock("vendor_financing_cum_busd", 0.0, dims=V, units="$B")
    m.aux(
        "vendor_financing_room_busd",
        lambda financing_cap_busd, vendor_financing_cum_busd: np.maximum(
            financing_cap_busd - vendor_financing_cum_busd, 0.0
        ),
        dims=V,
        units="$B",
    )
    m.aux(
        ctx.hooked("vendor_financing_by_vendor_busd_per_period"),
        lambda delivering_gw_per_period, financing_busd_per_gw, vendor_financing_room_busd, dt: (
            (1.0 if financing else 0.0)
            * np.minimum(
                delivering_gw_per_period * financing_busd_per_gw, vendor_financing_room_busd / dt
            )
        ),
        dims=V,
        units="$B/period",
    )
    m.flow(
        "vendor_financing_cum_inflow_busd_per_period",
        "vendor_financing_by_vendor_busd_per_period",
        to_stock="vendor_financing_cum_busd",
        dims=V,
        units="$B/period",
    )

    def share_price(
        share_price_usd_at_start: Any, share_price_response_per_gw: Any, delivered_cum_gw: Any
    ) -> Any:
        if not responds:
            return share_price_usd_at_start * np.ones_like(delivered_cum_gw)
        return share_price_usd_at_start * np.maximum(
            1.0 + share_price_response_per_gw * delivered_cum_gw, 0.0
        )

    m.aux(ctx.hooked("share_price_usd"), share_price, dims=V, units="$/share")
    m.aux("warrant_vested_million", _vested, dims=V, units="million shares")
    m.aux(
        "warrant_value_busd",
        lambda warrant_vested_million, share_price_usd: (
            warrant_vested_million * share_price_usd / 1000.0
        ),
        dims=V,
        units="$B",
        doc="Value of the vested warrant shares (non-cash).",
    )


def _vested(
    warrant_shares_million: Any,
    warrant_full_vest_gw: Any,
    delivered_cum_gw: Any,
    share_price_usd: Any,
    warrant_price_hurdle_usd: Any,
) -> Any:
    """Shares vest linearly in GW delivered; the final 1-GW tranche needs the price hurdle."""
    progress = np.minimum(1.0, ratio(delivered_cum_gw, warrant_full_vest_gw))
    final_tranche = np.minimum(1.0, ratio(1.0, warrant_full_vest_gw))
    cap = np.where(share_price_usd >= warrant_price_hurdle_usd, 1.0, 1.0 - final_tranche)
    return warrant_shares_million * np.minimum(progress, cap)
