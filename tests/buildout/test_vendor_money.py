"""Vendor money as it is: equity dilutes the lab, debt is repaid with interest from cash."""

from __future__ import annotations

import pandas as pd
import pytest

import sd_model
from sd_model import Scenario, ScenarioError, metrics
from sd_model.money_metrics import vendor_money_terms


@pytest.fixture(scope="module")
def reference() -> Scenario:
    return sd_model.load_scenario("reference")


@pytest.fixture(scope="module")
def base(reference: Scenario) -> pd.DataFrame:
    return sd_model.simulate(reference)


def test_the_reference_round_dilutes_the_lab_and_nvidia_holds_shares(
    reference: Scenario, base: pd.DataFrame
) -> None:
    raised = sum(reference.financing.external_funding_busd_by_year.values())
    value = reference.financing.valuation_busd_at_start
    end = base.iloc[-1]
    assert end["lab_dilution_share"] == pytest.approx(raised / (value + raised))
    assert (base["vendor_debt_payment_busd_per_period"] == 0).all()
    terms = vendor_money_terms(base, reference)
    assert terms.loc["nvidia", "financing_terms"] == "equity"  # its $30B in the round
    assert terms.loc["nvidia", "stake_in_lab"] == pytest.approx(30 / 840, abs=1e-3)
    assert terms.loc["broadcom", "financing_terms"] == "none"


def test_vendor_equity_buys_shares_and_is_never_repaid(
    reference: Scenario, base: pd.DataFrame
) -> None:
    equity = reference.with_overrides(
        {"vendors.nvidia.financing_busd_per_gw": 10, "vendors.nvidia.financing_cap_busd": 30}
    )
    run = sd_model.simulate(equity)
    got = float(run["vendor_equity_cum_busd[nvidia]"].iloc[-1])
    assert got == pytest.approx(30.0)
    assert (run["vendor_debt_busd[nvidia]"] == 0).all()
    assert (run["vendor_debt_payment_busd_per_period"] == 0).all()
    raised = float(run["equity_raised_cum_busd"].iloc[-1])
    value = equity.financing.valuation_busd_at_start
    assert run["vendor_stake_in_lab_share[nvidia]"].iloc[-1] == pytest.approx(
        30.0 / (value + raised)
    )
    assert run["lab_dilution_share"].iloc[-1] > base["lab_dilution_share"].iloc[-1]


def test_vendor_debt_is_repaid_with_interest_through_the_cash_path(
    base: pd.DataFrame,
) -> None:
    scenario = sd_model.load_scenario("broadcom_financing")
    run = sd_model.simulate(scenario)
    drawn = float(run["vendor_debt_drawn_cum_busd[broadcom]"].iloc[-1])
    assert drawn == pytest.approx(18.0)  # FIGURES A1 #6: the reported phase-1 value
    service = float(run["vendor_debt_service_cum_busd[broadcom]"].iloc[-1])
    owed = float(run["vendor_debt_busd[broadcom]"].iloc[-1])
    assert service > drawn - owed  # principal repaid plus interest
    assert owed == pytest.approx(0.0, abs=1e-6)  # 5 years after the last draw
    # the service leaves cash: stocks of cash still add up with it among the outflows
    end = run.iloc[-1]
    balance = 31.0 + end["cash_inflows_cum_busd"] - end["cash_outflows_cum_busd"]
    assert end["cash_busd"] == pytest.approx(balance)
    # debt does not dilute: the lab sold no more of itself than in the reference
    assert end["lab_dilution_share"] == pytest.approx(base["lab_dilution_share"].iloc[-1])
    figures = metrics.summary(run)
    assert figures["vendor_debt_service_busd"] == pytest.approx(service)
    terms = vendor_money_terms(run, scenario).loc["broadcom"]
    assert terms["financing_terms"] == "debt"
    assert terms["repaid_busd"] == pytest.approx(service)


def test_bad_vendor_money_terms_are_named(reference: Scenario) -> None:
    with pytest.raises(ScenarioError) as info:
        reference.with_overrides({"vendors.broadcom.financing_repayment_years": -1})
    (problem,) = info.value.problems
    assert problem.field == "vendors.broadcom.financing_repayment_years"
    assert "greater than or equal to 0" in problem.expected
