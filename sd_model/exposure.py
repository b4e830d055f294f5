"""Leases and circular exposure: what the lab pays its lessors and vendors, against its revenue.

The functions take a :func:`sd_model.simulate` result and, for the other-customer
revenue, capacity targets and equity stakes, the scenario (see the "Leases and
circular exposure" section of ``docs/buildout.md``). `sd_model.metrics` re-exports
them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from sd_model.metrics_base import LAB, _is_batch
from sd_model.money_metrics import vendor_money_terms

if TYPE_CHECKING:
    from sd_model.scenario.definition import Scenario

__all__ = [
    "committed_payments_to_revenue",
    "lessor_exposure",
    "lessor_payments_busd",
    "lessor_payments_to_lab_revenue",
    "vendor_exposure",
]


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
