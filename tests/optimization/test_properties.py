"""Property tests: random small scenarios give plans that respect every limit.

Each plan is checked from its frames and the scenario alone
(`optimization.testing.check_plan`), and its objective is recomputed from
the same frames (`optimization.testing.recompute_objective`).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from optimization import Mode, optimize
from optimization.testing import check_plan, recompute_objective
from sd_model import ScenarioError
from sd_model.testing import hand_scenario, synthetic_scenario

_SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(
    n_sites=st.integers(1, 6),
    n_quarters=st.integers(4, 12),
    seed=st.integers(0, 10_000),
    mode=st.sampled_from(["optimal", "announced_timing"]),
)
def test_synthetic_plans_respect_every_limit(
    n_sites: int, n_quarters: int, seed: int, mode: Mode
) -> None:
    scenario = synthetic_scenario(n_sites, n_quarters, seed)
    plan = optimize(scenario, mode=mode)
    assert check_plan(plan, scenario, fixed_timing=mode != "optimal") == []
    assert plan.objective == pytest.approx(recompute_objective(plan, scenario), rel=1e-7, abs=1e-6)
    assert plan.objective == pytest.approx(plan.objective_terms.sum(), rel=1e-9, abs=1e-9)


@_SETTINGS
@given(
    max_gw=st.floats(0.1, 3.0),
    headroom=st.floats(0.0, 3.0),
    grid_lead=st.integers(0, 6),
    shell_lead=st.integers(0, 6),
    ramp=st.floats(0.05, 2.0),
    capex=st.floats(0.0, 40.0),
    cash=st.floats(0.0, 50.0),
    price=st.floats(0.0, 120.0),
    coverage=st.floats(0.0, 1.0),
    pue=st.floats(1.0, 1.5),
    discount=st.floats(0.0, 0.15),
)
def test_hand_family_plans_respect_every_limit(
    max_gw: float,
    headroom: float,
    grid_lead: int,
    shell_lead: int,
    ramp: float,
    capex: float,
    cash: float,
    price: float,
    coverage: float,
    pue: float,
    discount: float,
) -> None:
    scenario = hand_scenario(
        quarters=8,
        pue=pue,
        discount_rate_per_year=discount,
        headroom_gw=headroom,
        region={"interconnection_lead_quarters": grid_lead, "wholesale_price_usd_per_mwh": price},
        site={
            "max_gw": max_gw,
            "shell_ready_gw_at_start": 0.0,
            "interconnected_gw_at_start": 0.0,
            "grid_limit_gw": max_gw * pue,
            "shell_lead_quarters": shell_lead,
            "shell_capex_busd_per_gw": 12.0,
        },
        vendor={"max_delivery_gw_per_period": ramp, "capex_busd_per_gw": capex},
        ppa={"price_usd_per_mwh": 50.0, "lead_quarters": 2, "max_gw": 2.0},
        financing={
            "starting_cash_busd": cash,
            "external_funding_busd_by_year": {2026: 10.0},
            "debt_capacity_busd": 20.0,
            "debt_rate_per_year": 0.07,
            "facility_debt_share": 0.8,
        },
        demand={
            "compute_demand_gw_at_start": 1.0,
            "demand_growth_per_year": 0.5,
            "revenue_busd_per_gw_year_at_start": 15.0,
        },
        coverage_by_year={2026: coverage},
        costs={"it_depreciation_years": 5.0, "shell_life_years": 20.0},
    )
    plan = optimize(scenario)
    assert check_plan(plan, scenario) == []
    assert plan.objective == pytest.approx(recompute_objective(plan, scenario), rel=1e-7, abs=1e-6)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pue=st.floats(1.0, 2.0),
    running=st.floats(0.0, 1.0),
    connected=st.floats(0.0, 1.0),
    limit=st.floats(0.0, 2.0),
    headroom=st.floats(0.0, 2.0),
    binding=st.floats(0.0, 3.0),
    cash=st.floats(0.0, 5.0),
)
def test_no_valid_scenario_makes_the_elastic_lp_infeasible(
    pue: float,
    running: float,
    connected: float,
    limit: float,
    headroom: float,
    binding: float,
    cash: float,
) -> None:
    try:
        scenario = hand_scenario(
            pue=pue,
            headroom_gw=headroom,
            site={
                "energized_gw_at_start": running,
                "shell_ready_gw_at_start": 1.0,
                "interconnected_gw_at_start": connected,
                "grid_limit_gw": limit,
            },
            vendor={"binding_gw": binding, "contract_total_gw": 3.0, "capex_busd_per_gw": 2.0},
            financing={"starting_cash_busd": cash},
        )
    except ScenarioError:
        assume(False)
    plan = optimize(scenario)  # elastic: every limit may break, at its price
    assert plan.status.value == "optimal"
    assert check_plan(plan, scenario) == []
