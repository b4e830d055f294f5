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

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from sd_model.bubble import bubble_risk
from sd_model.buildout.inputs import INSTALLED
from sd_model.money_metrics import vendor_money_terms

if TYPE_CHECKING:
    from sd_model.scenario.definition import Scenario

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

#: The party id of the lab (the planner buying compute) in equity stakes.
LAB = "lab"

#: A horizon figure: one float for a single run, one value per sample for a batch.
Figure = float | pd.Series


def _sum(result: pd.DataFrame, name: str) -> pd.Series:
    """Variable ``name`` summed over its elements (vendors, sites or regions)."""
    cols = [c for c in result.columns if c == name or c.startswith(f"{name}[")]
    if not cols:
        raise KeyError(f"the result has no variable '{name}' (was it recorded?)")
    return result[cols].sum(axis=1)


def _is_batch(result: pd.DataFrame) -> bool:
    return isinstance(result.index, pd.MultiIndex) and "sample" in result.index.names


Reduction = Literal["last", "max", "min", "mean"]


def _per_run(series: pd.Series, how: Reduction) -> Figure:
    """Reduce a trajectory to one value per run (per sample in a batch, vectorized)."""
    if isinstance(series.index, pd.MultiIndex) and "sample" in series.index.names:
        samples = series.index.get_level_values("sample")
        labels = pd.unique(samples)
        # a batch holds every sample over the same times, sample-major
        grid = series.to_numpy(dtype=float).reshape(len(labels), -1)
        reduced = grid[:, -1] if how == "last" else getattr(np, how)(grid, axis=1)
        return pd.Series(reduced, index=pd.Index(labels, name="sample"))
    values = series.to_numpy(dtype=float)
    return float(values[-1] if how == "last" else getattr(np, how)(values))


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


# -- leases and circular exposure ------------------------------------------------


def _periods_per_year(result: pd.DataFrame) -> int:
    return 12 if result.attrs.get("time_units") == "month" else 4


def _elements(result: pd.DataFrame, name: str) -> pd.DataFrame:
    """The columns of ``name[...]`` as a frame with one column per element label."""
    prefix = f"{name}["
    cols = [c for c in result.columns if c.startswith(prefix)]
    return result[cols].rename(columns=lambda c: c[len(prefix) : -1])


def _flows(result: pd.DataFrame) -> pd.DataFrame:
    """The rows whose flows lie inside the horizon (the last row is the end boundary)."""
    if _is_batch(result):
        last = result.groupby(level="sample").cumcount(ascending=False) == 0
        return result.loc[~last.to_numpy()]
    return result.iloc[:-1]


def _single(result: pd.DataFrame, what: str) -> None:
    if _is_batch(result):
        raise ValueError(f"{what} takes a single run; select one sample of the batch")


def lessor_payments_busd(result: pd.DataFrame) -> pd.DataFrame:
    """The lab's payments to each lessor [$B/period] over time (no columns without lessors)."""
    return _elements(result, "lessor_payment_busd_per_period")


def lessor_payments_to_lab_revenue(result: pd.DataFrame) -> pd.DataFrame:
    """Each lessor's payments from the lab / the lab's revenue [-] over time (0 without revenue).

    How much of the lab's revenue each lessor's income claims: it rises when
    the lab's workload (and so its revenue) falls short of the capacity it
    contracted, because idle capacity still pays the take-or-pay share.
    """
    revenue = result["revenue_busd_per_period"]
    payments = lessor_payments_busd(result)
    return payments.div(revenue.where(revenue > 0), axis=0).fillna(0.0)


def lessor_exposure(result: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Each lessor's dependence on the lab over the horizon: one row per lessor.

    Columns
    -------
    payments_busd
        The lab's lease payments to the lessor over the horizon [$B].
    take_or_pay_idle_busd
        Of those, paid on idle capacity (take-or-pay) [$B].
    idle_share
        ``take_or_pay_idle_busd / payments_busd``: the lessor's revenue from the
        lab not backed by the lab's workload [-].
    payments_to_lab_revenue
        ``payments_busd`` / the lab's revenue over the horizon [-].
    measure
        ``"revenue"`` when the lessor's other revenue is known, ``"capacity"``
        when only its capacity target is, else ``"none"``.
    revenue_share
        Measure ``revenue``: payments / (payments + other revenue over the
        horizon); ``capacity``: the peak contracted GW / ``capacity_target_gw``;
        NaN for ``none`` [-].
    equity_lookthrough
        The lessor's equity exposure to the lab through the stakes it holds
        (see :func:`vendor_exposure`) [-].
    """
    _single(result, "lessor_exposure")
    flows = _flows(result)
    years = len(flows) / _periods_per_year(result)
    revenue = float(flows["revenue_busd_per_period"].sum())
    payments = _elements(flows, "lessor_payment_busd_per_period").sum()
    idle = _elements(flows, "lessor_take_or_pay_idle_busd_per_period").sum()
    leased = _elements(result, "leased_gw").max()
    rows = {}
    for lessor in scenario.lessors:
        paid = float(payments.get(lessor.id, 0.0))
        if lessor.other_revenue_busd_per_year is not None:
            measure = "revenue"
            other = lessor.other_revenue_busd_per_year * years
            share = paid / (paid + other) if paid + other > 0 else 0.0
        elif lessor.capacity_target_gw:
            measure = "capacity"
            share = float(leased.get(lessor.id, 0.0)) / lessor.capacity_target_gw
        else:
            measure, share = "none", float("nan")
        rows[lessor.id] = {
            "payments_busd": paid,
            "take_or_pay_idle_busd": float(idle.get(lessor.id, 0.0)),
            "idle_share": float(idle.get(lessor.id, 0.0)) / paid if paid > 0 else 0.0,
            "payments_to_lab_revenue": paid / revenue if revenue > 0 else 0.0,
            "measure": measure,
            "revenue_share": share,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    if table.empty:
        table = pd.DataFrame(columns=[*_LESSOR_COLUMNS, "equity_lookthrough"])
    else:
        shares = {**dict(table["revenue_share"].fillna(0.0)), LAB: 1.0}
        table["equity_lookthrough"] = [_lookthrough(scenario, i, shares) for i in table.index]
    table.index.name = "lessor"
    return table


_LESSOR_COLUMNS = (
    "payments_busd",
    "take_or_pay_idle_busd",
    "idle_share",
    "payments_to_lab_revenue",
    "measure",
    "revenue_share",
)


def _lookthrough(scenario: Scenario, holder: str, exposure: dict[str, float]) -> float:
    """Sum over the holder's stakes of share x the company's exposure to the lab."""
    return float(
        sum(
            stake.share * exposure.get(stake.company, 0.0)
            for stake in scenario.equity_stakes
            if stake.holder == holder
        )
    )


def vendor_exposure(result: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Each vendor's dependence on the lab over the horizon: one row per vendor.

    Columns
    -------
    sales_busd
        The lab's purchases from the vendor (IT capex paid) [$B].
    financed_busd, financed_share
        Vendor financing the vendor paid back to the lab, and its share of the sales [$B, -].
    measure
        ``"revenue"`` when the vendor's other revenue is known, else ``"none"``.
    revenue_share
        sales / (sales + other revenue over the horizon); NaN when unknown [-].
    equity_lookthrough
        Sum over the vendor's equity stakes of share x the company's exposure
        to the lab: 1 for a stake in the lab itself, the lessor's
        ``revenue_share`` (whichever measure) for a stake in a lessor, the
        vendor's ``revenue_share`` for a stake in a vendor (0 where unknown) [-].
    financing_terms, repaid_busd, debt_outstanding_busd, stake_in_lab
        How the vendor's money came (equity or debt) and what it left:
        `sd_model.money_metrics.vendor_money_terms`.
    """
    _single(result, "vendor_exposure")
    flows = _flows(result)
    years = len(flows) / _periods_per_year(result)
    sales = _elements(result, "vendor_sales_cum_busd").iloc[-1]
    financed = _elements(result, "vendor_financing_cum_busd").iloc[-1]
    rows = {}
    for vendor in scenario.vendors:
        sold = float(sales.get(vendor.id, 0.0))
        other = vendor.other_revenue_busd_per_year
        if other is not None:
            total = sold + other * years
            measure, share = "revenue", sold / total if total > 0 else 0.0
        else:
            measure, share = "none", float("nan")
        paid_back = float(financed.get(vendor.id, 0.0))
        rows[vendor.id] = {
            "sales_busd": sold,
            "financed_busd": paid_back,
            "financed_share": paid_back / sold if sold > 0 else 0.0,
            "measure": measure,
            "revenue_share": share,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    lessors = lessor_exposure(result, scenario)["revenue_share"].fillna(0.0)
    shares = {**dict(table["revenue_share"].fillna(0.0)), **dict(lessors), LAB: 1.0}
    table["equity_lookthrough"] = [_lookthrough(scenario, i, shares) for i in table.index]
    table.index.name = "vendor"
    return table.join(vendor_money_terms(result, scenario))


def committed_payments_to_revenue(result: pd.DataFrame) -> pd.DataFrame:
    """The lab's committed payments against its revenue, per calendar year.

    Committed payments are the take-or-pay minimum of every lease plus the IT
    capex of the deliveries the schedule calls for (before vendor financing).
    Indexed by ``year`` (``(sample, year)`` for a batch); columns
    ``lease_minimum_busd``, ``it_capex_committed_busd``, ``committed_busd``,
    ``revenue_busd`` [$B/yr] and ``ratio`` (committed / revenue, NaN without revenue).
    """
    flows = _flows(result)
    year = flows["period"].str[:4].astype(int).rename("year")
    keys = [flows.index.get_level_values("sample"), year] if _is_batch(flows) else [year]
    table = pd.DataFrame(
        {
            "lease_minimum_busd": flows["lease_minimum_total_busd_per_period"],
            "it_capex_committed_busd": flows["it_capex_committed_busd_per_period"],
            "committed_busd": flows["committed_payments_busd_per_period"],
            "revenue_busd": flows["revenue_busd_per_period"],
        }
    )
    yearly = table.groupby(keys).sum()
    yearly["ratio"] = yearly["committed_busd"] / yearly["revenue_busd"].where(
        yearly["revenue_busd"] > 0
    )
    return yearly


def _peak_by_run(yearly: pd.Series) -> Figure:
    if isinstance(yearly.index, pd.MultiIndex):
        return yearly.groupby(level=0).max().rename_axis("sample")
    return float(yearly.max())


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
