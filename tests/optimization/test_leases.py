"""Leased capacity in the LP: hand-solvable cases (own or lease, take-or-pay, options).

Defaults of `hand_scenario`: 4 quarters, no discounting, one ready 1 GW site,
flat demand of 1 GW worth $0.25B per GW-quarter, every cost zero. A lease
price p [$B per GW-year] costs p / 4 per GW-quarter.
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimization import Plan, PlanningModel, build_model, optimize
from optimization.testing import check_plan, recompute_objective
from sd_model import Scenario
from sd_model.scenario.entities import LeaseContract, Lessor
from sd_model.testing import hand_scenario

Q = 0.25  # value of 1 GW of compute for one quarter [$B]


def _lease(**fields: Any) -> LeaseContract:
    return LeaseContract(
        **{
            "id": "c",
            "lessor": "L",
            "start_period": "2026Q1",
            "term_years": 1.0,
            "gw": 1.0,
            "ramp_quarters": 0,
            "price_busd_per_gw_year": 0.4,
            "take_or_pay_share": 0.0,
            "lead_quarters": 0,
            "committed": True,
            **fields,
        }
    )


def _scenario(
    *leases: LeaseContract, capacity_target_gw: float | None = None, **kwargs: Any
) -> Scenario:
    lessor = Lessor(id="L", name="L", capacity_target_gw=capacity_target_gw)
    return hand_scenario(lessors=(lessor,), leases=leases, **kwargs)


def _solve(scenario: Scenario) -> Plan:
    plan = optimize(scenario)
    assert plan.status.value == "optimal"
    assert plan.objective == pytest.approx(plan.objective_terms.sum(), abs=1e-9)
    assert plan.objective == pytest.approx(recompute_objective(plan, scenario), abs=1e-7)
    assert check_plan(plan, scenario) == []
    return plan


def _forgone(plan: Plan) -> float:
    """Objective plus the revenue of all demand [$B]: revenue forgone plus costs."""
    return plan.objective + Q * float(plan.demand["demand_gw"].sum())


# hardware at 0.8 $B/GW and a 100-year life: owning 1 GW for the year costs 1 % of
# its capex in the objective (salvage returns 99 %), but 0.8 $B of cash up front,
# i.e. 0.2 $B of cash per GW-quarter served; the lease pays 0.1 per GW-quarter.
_OWN: dict[str, Any] = {"vendor": {"capex_busd_per_gw": 0.8}}


def test_owning_wins_when_cash_is_plenty() -> None:
    plan = _solve(_scenario(_lease(committed=False), **_OWN))
    assert _forgone(plan) == pytest.approx(0.8 * 0.01)
    assert plan.leases["used_gw"].sum() == pytest.approx(0.0, abs=1e-9)
    assert plan.own_lease["owned_gw"].to_list() == pytest.approx([1.0] * 4)


def test_budget_binding_leases_the_cheaper_gw() -> None:
    # $0.4B of cash and the quarter's revenue (0.25) pay for x GW owned (0.8 each) and the
    # 1 - x GW leased (0.1 each per quarter): 0.8 x + 0.1 (1 - x) = 0.65 -> x = 0.55 / 0.7;
    # the lease bridges the rest until the next quarter's revenue buys it out
    plan = _solve(_scenario(_lease(committed=False), financing={"starting_cash_busd": 0.4}, **_OWN))
    owned = 0.55 / 0.7
    split = plan.own_lease
    assert split["owned_gw"].to_list() == pytest.approx([owned, 1.0, 1.0, 1.0])
    assert split["leased_gw"].to_list() == pytest.approx([1 - owned, 0.0, 0.0, 0.0], abs=1e-9)
    assert plan.cash["lease_busd"].to_list() == pytest.approx([0.1 * (1 - owned), 0, 0, 0])
    assert plan.cash["cash_busd"].iloc[0] == pytest.approx(0.0, abs=1e-9)


def test_take_or_pay_is_owed_on_idle_capacity() -> None:
    # committed 1 GW at 2 $B/GW-year, 80 % take-or-pay, no demand at all
    lease = _lease(price_busd_per_gw_year=2.0, take_or_pay_share=0.8)
    plan = _solve(_scenario(lease, demand={"compute_demand_gw_at_start": 0.0}))
    owed = 0.8 * 2.0 * 1.0 * 1.0  # share x price x GW x years
    assert _forgone(plan) == pytest.approx(owed)
    assert plan.objective_terms["lease"] == pytest.approx(owed)
    rows = plan.leases
    assert rows["used_gw"].to_list() == pytest.approx([0.0] * 4, abs=1e-9)
    assert rows["idle_gw"].to_list() == pytest.approx([1.0] * 4)
    assert rows["take_or_pay_idle_busd"].to_list() == pytest.approx([owed / 4] * 4)
    assert plan.own_lease["lease_minimum_busd"].sum() == pytest.approx(owed)
    assert plan.cash["lease_busd"].sum() == pytest.approx(owed)
    assert plan.cash["cash_busd"].iloc[-1] == pytest.approx(1000.0 - owed)


def test_idle_lease_next_to_free_owned_capacity_still_pays() -> None:
    # demand of 1 GW is served by the (free) owned site; the lease stays idle
    lease = _lease(price_busd_per_gw_year=2.0, take_or_pay_share=0.8, ramp_quarters=2)
    plan = _solve(_scenario(lease))
    ramp = [0.25, 0.75, 1.0, 1.0]  # a 2-quarter ramp averaged over each quarter
    assert plan.leases["contracted_gw"].to_list() == pytest.approx(ramp)
    assert plan.own_lease["leased_gw"].sum() == pytest.approx(0.0, abs=1e-9)
    assert _forgone(plan) == pytest.approx(0.8 * 2.0 / 4 * sum(ramp))


def test_used_lease_pays_the_full_price() -> None:
    # no owned capacity worth buying: the committed lease serves the demand
    lease = _lease(price_busd_per_gw_year=0.8, take_or_pay_share=0.5)
    plan = _solve(_scenario(lease, vendor={"capex_busd_per_gw": 1000.0}))
    assert plan.own_lease["leased_gw"].to_list() == pytest.approx([1.0] * 4)
    assert _forgone(plan) == pytest.approx(0.8)


_NO_OWN: dict[str, Any] = {
    "vendor": {"capex_busd_per_gw": 1000.0}
}  # owning costs 10 $B per GW-year


@pytest.mark.parametrize(("price", "taken"), [(0.8, 1.0), (1.2, 0.0)])
def test_option_taken_only_when_worth_it(price: float, taken: float) -> None:
    # a full take-or-pay option: worth taking if its price is below the value of compute
    option = _lease(committed=False, price_busd_per_gw_year=price, take_or_pay_share=1.0)
    plan = _solve(_scenario(option, **_NO_OWN))
    assert plan.leases["take_up_share"].iloc[0] == pytest.approx(taken, abs=1e-9)
    assert _forgone(plan) == pytest.approx(taken * price + (1 - taken) * 4 * Q)


def test_option_lead_time_and_lessor_limit() -> None:
    # signing takes 2 quarters; the lessor can supply 0.5 of the option's 2 GW
    option = _lease(
        committed=False, gw=2.0, price_busd_per_gw_year=0.8, take_or_pay_share=1.0, lead_quarters=2
    )
    plan = _solve(_scenario(option, capacity_target_gw=0.5, **_NO_OWN))
    assert plan.leases["contracted_gw"].to_list() == pytest.approx([0.0, 0.0, 0.5, 0.5])
    assert plan.leases["take_up_share"].iloc[0] == pytest.approx(0.25)
    # 2 quarters of 0.5 GW leased at 0.2 per GW-quarter; the rest unserved
    assert _forgone(plan) == pytest.approx(2 * 0.5 * 0.2 + (4 - 2 * 0.5) * Q)


def test_no_leases_declares_nothing() -> None:
    m = build_model(hand_scenario())
    assert not hasattr(m, "lease_use")
    assert "lease" not in [term.name for term in m.cost_terms]
    plan = optimize(hand_scenario())
    assert plan.leases.empty
    assert plan.own_lease["leased_gw"].sum() == 0.0
    assert "lease_busd" not in plan.cash.columns


def test_resolve_lease_price() -> None:
    option = _lease(committed=False, price_busd_per_gw_year=0.8, take_or_pay_share=1.0)
    scenario = _scenario(option, **_NO_OWN)
    model = PlanningModel(scenario)
    assert _forgone(model.solve()) == pytest.approx(0.8)
    change = {"lease_contracts.c.price_busd_per_gw_year": 1.2}
    again = model.resolve(change)
    assert again.objective == pytest.approx(optimize(scenario.with_overrides(change)).objective)
    assert _forgone(again) == pytest.approx(4 * Q)
    assert pyo.value(model.model.p_lease_price["c"]) == pytest.approx(0.3)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.integers(0, 7),
    ramp=st.integers(0, 6),
    term=st.floats(0.25, 3.0),
    price=st.floats(0.0, 20.0),
    share=st.floats(0.0, 1.0),
    lead=st.integers(0, 6),
    target=st.one_of(st.none(), st.floats(0.0, 2.0)),
    cash=st.floats(0.0, 30.0),
    discount=st.floats(0.0, 0.15),
)
def test_lease_family_plans_respect_every_limit(
    start: int,
    ramp: int,
    term: float,
    price: float,
    share: float,
    lead: int,
    target: float | None,
    cash: float,
    discount: float,
) -> None:
    labels = [f"{y}Q{q}" for y in (2026, 2027) for q in (1, 2, 3, 4)]
    first = labels[start]
    leases = (
        _lease(
            id="fixed",
            start_period=first,
            ramp_quarters=ramp,
            term_years=term,
            gw=1.5,
            price_busd_per_gw_year=price,
            take_or_pay_share=share,
        ),
        _lease(
            id="opt",
            committed=False,
            start_period=labels[0],
            ramp_quarters=ramp,
            term_years=term,
            gw=1.0,
            price_busd_per_gw_year=price / 2,
            take_or_pay_share=share,
            lead_quarters=lead,
        ),
    )
    scenario = _scenario(
        *leases,
        capacity_target_gw=target,
        quarters=8,
        discount_rate_per_year=discount,
        vendor={"capex_busd_per_gw": 10.0},
        financing={"starting_cash_busd": cash},
        demand={
            "compute_demand_gw_at_start": 1.0,
            "demand_growth_per_year": 0.8,
            "revenue_busd_per_gw_year_at_start": 12.0,
        },
        costs={"it_depreciation_years": 5.0},
    )
    plan = optimize(scenario)
    assert check_plan(plan, scenario) == []
    assert plan.objective == pytest.approx(recompute_objective(plan, scenario), rel=1e-7, abs=1e-6)
    assert plan.objective == pytest.approx(plan.objective_terms.sum(), rel=1e-9, abs=1e-9)
    rows = plan.leases
    assert (rows["payment_busd"] >= rows["minimum_busd"] - 1e-9).all()
