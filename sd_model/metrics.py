"""The numbers planners track, as pure functions of a :func:`sd_model.simulate` result.

Each function takes the result frame (a single run indexed by ``time``, or a
batch indexed by ``(sample, time)``) and returns a Series over the same index
(trajectories) or one value per run (horizon figures: a float for a single
run, a Series indexed by ``sample`` for a batch). :func:`summary` gathers the
horizon figures.

The circular-exposure functions (:func:`lessor_exposure`, :func:`vendor_exposure`)
also take the scenario, for the other-customer revenue, capacity targets and
equity stakes it lists (see the "Leases and circular exposure" section of
``docs/buildout.md``).

Examples
--------
>>> import sd_model
>>> from sd_model import metrics
>>> result = sd_model.simulate(sd_model.load_scenario("reference"))
>>> bool(metrics.stranded_gw(result).max() > 0)
True
>>> sorted(metrics.summary(result).index)[:3]
['cost_usd_per_mwh', 'delivered_gw', 'energized_gw_at_end']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from sd_model.bubble import bubble_risk
from sd_model.buildout.inputs import INSTALLED
from sd_model.exposure import (
    committed_payments_to_revenue,
    lessor_exposure,
    lessor_payments_busd,
    lessor_payments_to_lab_revenue,
    vendor_exposure,
)
from sd_model.metrics_base import LAB, Figure, _is_batch, _peak_by_run, _per_run, _sum

if TYPE_CHECKING:
    pass

__all__ = [
    "LAB",
    "SUMMARY_VARIABLES",
    "committed_payments_to_revenue",
    "cost_usd_per_mwh",
    "energized_vs_delivered",
    "funding_gap_busd",
    "lessor_exposure",
    "lessor_payments_busd",
    "lessor_payments_to_lab_revenue",
    "mean_delivery_to_energization_periods",
    "min_cash_busd",
    "ppa_coverage_ratio",
    "revenue_mix",
    "stranded_gw",
    "stranded_gw_periods",
    "summary",
    "utilization",
    "vendor_exposure",
    "vendor_financed_share_of_capex",
]


def utilization(result: pd.DataFrame) -> pd.Series:
    """Served compute / effective capacity [-] over time."""
    return result["utilization"].rename("utilization")


def ppa_coverage_ratio(result: pd.DataFrame) -> pd.Series:
    """Contracted clean energy / facility load energy at the candidate sites [-] over time."""
    return result["ppa_coverage_ratio"].rename("ppa_coverage_ratio")


def stranded_gw(result: pd.DataFrame) -> pd.Series:
    """Delivered hardware awaiting power, all vendors [GW] over time."""
    return _sum(result, "stranded_gw").rename("stranded_gw")


def energized_vs_delivered(result: pd.DataFrame) -> pd.DataFrame:
    """Cumulative delivered GW, GW energized from deliveries, and their ratio, over time.

    Returns
    -------
    pandas.DataFrame
        Columns ``delivered_gw`` (cumulative deliveries since the start),
        ``energized_gw`` (of those, energized so far, retired ones included)
        and ``energized_share`` (0 before the first delivery).
    """
    delivered = _sum(result, "delivered_cum_gw")
    energized = result["energized_from_stranded_cum_gw"]
    share = (energized / delivered).where(delivered > 0, 0.0)
    return pd.DataFrame(
        {"delivered_gw": delivered, "energized_gw": energized, "energized_share": share}
    )


def stranded_gw_periods(result: pd.DataFrame) -> Figure:
    """Stranded GW accumulated over the horizon [GW-periods, GW-quarters on a quarterly grid]."""
    return _per_run(result["stranded_gw_periods"], "last")


def min_cash_busd(result: pd.DataFrame) -> Figure:
    """Lowest cash over the horizon [$B] (negative: a funding gap)."""
    return _per_run(result["cash_busd"], "min")


def funding_gap_busd(result: pd.DataFrame) -> Figure:
    """Largest cash shortfall over the horizon [$B] (0 if cash never went negative)."""
    return _per_run(result["funding_gap_busd"], "max")


def vendor_financed_share_of_capex(result: pd.DataFrame) -> Figure:
    """Vendor financing received / all capex paid (IT, shells, on-site) over the horizon [-]."""
    financed = _sum(result, "vendor_financing_cum_busd")
    capex = result["it_capex_cum_busd"] + result["facility_capex_cum_busd"]
    share = (financed / capex).where(capex > 0, 0.0)
    return _per_run(share, "last")


def cost_usd_per_mwh(result: pd.DataFrame) -> Figure:
    """Energy cost (grid energy + capacity, on-site fuel, PPA settlement) per MWh of load [$/MWh].

    Over the horizon, at the candidate sites (the leased off-site fleet pays
    its energy through the lease).
    """
    cost = result["energy_cost_cum_busd"] * 1e9
    mwh = result["load_energy_cum_twh"] * 1e6
    return _per_run((cost / mwh).where(mwh > 0, 0.0), "last")


def mean_delivery_to_energization_periods(result: pd.DataFrame) -> Figure:
    """Mean time delivered hardware waits for power [periods], by Little's law.

    Stranded GW-periods over the horizon divided by the GW that left the
    stranded stock (energized); hardware still stranded at the end counts its
    wait so far, so the figure is a lower bound when much is still waiting.
    """
    waited = result["stranded_gw_periods"]
    served = result["energized_from_stranded_cum_gw"]
    return _per_run((waited / served).where(served > 0, 0.0), "last")


def revenue_mix(result: pd.DataFrame) -> pd.DataFrame:
    """Usage-linked enterprise revenue and the rest [$B/period], and the usage-linked share."""
    revenue = result["revenue_busd_per_period"]
    usage = result["usage_linked_revenue_busd_per_period"]
    share = (usage / revenue).where(revenue > 0, 0.0)
    return pd.DataFrame(
        {
            "usage_linked_busd_per_period": usage,
            "other_busd_per_period": revenue - usage,
            "usage_linked_share": share,
        }
    )


#: The variables `summary` reads: record only these for large batches (``simulate(variables=...)``).
SUMMARY_VARIABLES: tuple[str, ...] = (
    "cash_busd",
    "committed_payments_busd_per_period",
    "debt_busd",
    "delivered_cum_gw",
    "energized_from_stranded_cum_gw",
    "energized_gw",
    "energized_total_gw",
    "energy_cost_cum_busd",
    "facility_capex_cum_busd",
    "funding_gap_busd",
    "it_capex_committed_busd_per_period",
    "it_capex_cum_busd",
    "lab_dilution_share",
    "lease_minimum_total_busd_per_period",
    "lease_payment_cum_busd",
    "load_energy_cum_twh",
    "ppa_coverage_ratio",
    "revenue_busd_per_period",
    "revenue_cum_busd",
    "stranded_gw",
    "stranded_gw_periods",
    "take_or_pay_idle_cum_busd",
    "usage_linked_revenue_busd_per_period",
    "utilization",
    "vendor_debt_service_cum_busd",
    "vendor_financing_cum_busd",
    "warrant_value_busd",
    "capacity_total_gw",  # with the above, every one of sd_model.bubble.BUBBLE_VARIABLES
)


def summary(result: pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Horizon figures of a run (a Series) or of each sample of a batch (a DataFrame).

    Keys: ``peak_stranded_gw``, ``stranded_gw_periods``, ``mean_delivery_to_energization_periods``,
    ``delivered_gw``, ``energized_gw_at_end``, ``energized_share_of_delivered``,
    ``mean_utilization``, ``utilization_at_end``, ``ppa_coverage_at_end``,
    ``min_cash_busd``, ``funding_gap_busd``, ``peak_debt_busd``,
    ``vendor_financed_share_of_capex``, ``cost_usd_per_mwh``, ``revenue_busd``,
    ``usage_linked_revenue_share``, ``warrant_value_busd_at_end``,
    ``lease_payments_busd``, ``take_or_pay_idle_busd``, ``lease_payments_to_revenue``
    (lease payments / revenue over the horizon),
    ``lab_committed_payments_to_revenue_peak`` (the highest yearly ratio of
    :func:`committed_payments_to_revenue`), ``lab_dilution_share_at_end`` (share of
    the lab sold for equity since the start), ``vendor_debt_service_busd``
    (vendor debt repaid with interest; `sd_model.buildout.vendor_money`) and the
    bubble-risk figures of `sd_model.bubble.bubble_risk` (``idle_gw_mean``,
    ``idle_gw_peak``, ``low_utilization_periods``, ``revenue_shortfall_busd``).
    """
    new_energized = _sum(result, "energized_gw") - result[f"energized_gw[{INSTALLED}]"]
    versus = energized_vs_delivered(result)
    figures: dict[str, Figure] = {
        "peak_stranded_gw": _per_run(stranded_gw(result), "max"),
        "stranded_gw_periods": stranded_gw_periods(result),
        "mean_delivery_to_energization_periods": mean_delivery_to_energization_periods(result),
        "delivered_gw": _per_run(versus["delivered_gw"], "last"),
        "energized_gw_at_end": _per_run(result["energized_total_gw"], "last"),
        "new_energized_gw_at_end": _per_run(new_energized, "last"),
        "energized_share_of_delivered": _per_run(versus["energized_share"], "last"),
        "mean_utilization": _per_run(result["utilization"], "mean"),
        "utilization_at_end": _per_run(result["utilization"], "last"),
        "ppa_coverage_at_end": _per_run(result["ppa_coverage_ratio"], "last"),
        "min_cash_busd": min_cash_busd(result),
        "funding_gap_busd": funding_gap_busd(result),
        "peak_debt_busd": _per_run(result["debt_busd"], "max"),
        "vendor_financed_share_of_capex": vendor_financed_share_of_capex(result),
        "cost_usd_per_mwh": cost_usd_per_mwh(result),
        "revenue_busd": _per_run(result["revenue_cum_busd"], "last"),
        "usage_linked_revenue_share": _per_run(revenue_mix(result)["usage_linked_share"], "mean"),
        "warrant_value_busd_at_end": _per_run(_sum(result, "warrant_value_busd"), "last"),
        "lease_payments_busd": _per_run(result["lease_payment_cum_busd"], "last"),
        "take_or_pay_idle_busd": _per_run(result["take_or_pay_idle_cum_busd"], "last"),
        "lease_payments_to_revenue": _per_run(
            (result["lease_payment_cum_busd"] / result["revenue_cum_busd"]).where(
                result["revenue_cum_busd"] > 0, 0.0
            ),
            "last",
        ),
        "lab_committed_payments_to_revenue_peak": _peak_by_run(
            committed_payments_to_revenue(result)["ratio"]
        ),
        "lab_dilution_share_at_end": _per_run(result["lab_dilution_share"], "last"),
        "vendor_debt_service_busd": _per_run(_sum(result, "vendor_debt_service_cum_busd"), "last"),
    }
    figures |= bubble_risk(result)  # idle GW and revenue shortfall (sd_model.bubble)
    if _is_batch(result):
        return pd.DataFrame(figures)
    return pd.Series(figures, dtype=float)
