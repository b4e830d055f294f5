"""Vendor money in a run's results: on what terms it came, what was repaid, who holds the lab.

Pure functions of one simulation result (a DataFrame from `sd_model.simulate`)
and its scenario, like `sd_model.metrics`; see
:mod:`sd_model.buildout.vendor_money` for the stocks and flows they read.

Examples
--------
>>> import sd_model
>>> from sd_model import money_metrics
>>> scenario = sd_model.load_scenario("broadcom_financing")
>>> terms = money_metrics.vendor_money_terms(sd_model.simulate(scenario), scenario)
>>> terms.loc["broadcom", "financing_terms"]
'debt'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from sd_model.scenario.definition import Scenario

__all__ = ["vendor_money_terms"]


def _last(result: pd.DataFrame, name: str, vendor: str) -> float:
    column = f"{name}[{vendor}]"
    return float(result[column].iloc[-1]) if column in result.columns else 0.0


def vendor_money_terms(result: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per vendor: the terms of its money and what they left over the run.

    Columns
    -------
    financing_terms
        ``"equity"`` (shares for cash), ``"debt"`` (repaid with interest) or
        ``"none"`` (neither vendor financing nor a stake in the lab).
    repaid_busd
        Vendor debt repaid plus interest paid over the run [$B].
    debt_outstanding_busd
        Vendor debt still owed at the end [$B].
    stake_in_lab
        Share of the lab the vendor holds at the end: its stake in ``equity_stakes``
        (bought in a funding round) plus what its equity financing bought [-].
    """
    rows = {}
    for vendor in scenario.vendors:
        financed = vendor.financing_busd_per_gw > 0 and vendor.financing_cap_busd > 0
        debt = vendor.financing_repayment_years > 0
        held = sum(  # a stake bought in a funding round (equity_stakes) is equity too
            e.share for e in scenario.equity_stakes if (e.holder, e.company) == (vendor.id, "lab")
        )
        terms = ("debt" if debt else "equity") if financed else ("equity" if held else "none")
        rows[vendor.id] = {
            "financing_terms": terms,
            "repaid_busd": _last(result, "vendor_debt_service_cum_busd", vendor.id),
            "debt_outstanding_busd": _last(result, "vendor_debt_busd", vendor.id),
            "stake_in_lab": held + _last(result, "vendor_stake_in_lab_share", vendor.id),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "vendor"
    return table
