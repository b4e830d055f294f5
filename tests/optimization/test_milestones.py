"""Contract milestones in the LP: binding tranches purchased by their dates (hand-solvable).

Defaults of `hand_scenario`: 4 quarters (2026Q1-Q4), no discounting, one ready
1 GW site, a flat 1 GW demand worth $0.25B per GW-quarter. Hardware at
$100B per GW, written off in a year (no salvage value at the end), is never
worth buying, so whatever the plan buys, a milestone made it buy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from optimization import InfeasibleError, Plan, optimize
from optimization.lp.data import ModelData
from optimization.lp.diagnosis import milestone_status
from optimization.testing import check_plan, recompute_objective
from sd_model import ScenarioError, load_scenario
from sd_model.scenario.entities import LeaseContract, Lessor
from sd_model.scenario.milestones import VendorMilestone
from sd_model.testing import hand_scenario

COSTLY = {"capex_busd_per_gw": 100.0}


def _milestone(gw: float, period: str = "2026Q2") -> VendorMilestone:
    return VendorMilestone(vendor="v", period=period, cumulative_gw=gw)


ONE_YEAR = {"it_depreciation_years": 1.0}


def _free_lease(**fields: Any) -> LeaseContract:
    """A committed 0.6 GW lease of lessor L for 2026, at no cost."""
    return LeaseContract(
        id="c",
        lessor="L",
        start_period="2026Q1",
        term_years=1.0,
        gw=0.6,
        ramp_quarters=0,
        price_busd_per_gw_year=0.0,
        take_or_pay_share=0.0,
        **fields,
    )


def _solve(**kwargs: Any) -> Plan:
    scenario = hand_scenario(costs=ONE_YEAR, **kwargs)
    plan = optimize(scenario)
    assert plan.objective == pytest.approx(recompute_objective(plan, scenario), abs=1e-6)
    assert check_plan(plan, scenario) == []
    return plan


def _bought_by(plan: Plan, period: str) -> float:
    dv = plan.deliveries
    return float(dv.loc[dv["period"] <= period, "delivered_gw"].sum())


def test_a_milestone_makes_the_plan_buy_exactly_its_gw_by_its_date() -> None:
    assert _bought_by(_solve(vendor=COSTLY), "2026Q4") == pytest.approx(0.0, abs=1e-9)
    plan = _solve(vendor=COSTLY, milestones=(_milestone(0.6),))
    assert _bought_by(plan, "2026Q2") == pytest.approx(0.6, abs=1e-9)
    assert _bought_by(plan, "2026Q4") == pytest.approx(0.6, abs=1e-9)
    assert plan.penalty_busd == pytest.approx(0.0, abs=1e-9)
    assert not [line for line in plan.diagnosis if "milestone" in line]


def test_a_milestone_beyond_the_delivery_ramp_is_missed_at_its_price() -> None:
    # at most 0.25 GW a quarter: 0.5 GW by 2026Q2 against 1.0 required
    vendor = {**COSTLY, "max_delivery_gw_per_period": 0.25}
    plan = _solve(vendor=vendor, milestones=(_milestone(1.0),))
    assert _bought_by(plan, "2026Q2") == pytest.approx(0.5, abs=1e-9)
    assert plan.penalty_busd == pytest.approx(200.0 * 0.5, rel=1e-9)  # $200B per GW short
    assert any(
        "0.50 GW of the milestone of 1.00 GW purchased by 2026Q2" in d for d in plan.diagnosis
    )
    with pytest.raises(InfeasibleError):
        optimize(
            hand_scenario(vendor=vendor, costs=ONE_YEAR, milestones=(_milestone(1.0),)),
            strict=True,
        )


def test_a_lessors_purchase_of_the_vendors_hardware_counts() -> None:
    lease = _free_lease(hardware_vendor="v")
    lessors = (Lessor(id="L", name="L"),)
    plan = _solve(vendor=COSTLY, milestones=(_milestone(0.6),), lessors=lessors, leases=(lease,))
    assert _bought_by(plan, "2026Q4") == pytest.approx(0.0, abs=1e-9)
    status = milestone_status(
        plan,
        ModelData.from_scenario(
            hand_scenario(
                vendor=COSTLY, milestones=(_milestone(0.6),), lessors=lessors, leases=(lease,)
            )
        ),
    )
    assert status["third_party_gw"].tolist() == pytest.approx([0.6])
    assert status["short_gw"].tolist() == pytest.approx([0.0])
    # a lease whose hardware is not known counts for nobody
    unknown = lease.model_copy(update={"hardware_vendor": ""})
    plan = _solve(vendor=COSTLY, milestones=(_milestone(0.6),), lessors=lessors, leases=(unknown,))
    assert _bought_by(plan, "2026Q2") == pytest.approx(0.6, abs=1e-9)


def test_strict_infeasibility_names_the_milestone_and_what_it_conflicts_with() -> None:
    # 0.2 GW of halls at the start, new ones take two quarters: 0.6 GW bought by 2026Q1
    # cannot all be energized on arrival
    site = {"shell_ready_gw_at_start": 0.2, "shell_lead_quarters": 2}
    scenario = hand_scenario(
        vendor=COSTLY, site=site, costs=ONE_YEAR, milestones=(_milestone(0.6, "2026Q1"),)
    )
    with pytest.raises(InfeasibleError) as err:
        optimize(scenario, strict=True)
    (line,) = [c for c in err.value.conflicts if c.startswith("v's milestone")]
    assert line.startswith("v's milestone of 0.60 GW purchased by 2026Q1 needs hardware bought")
    assert line.endswith("(0.20 GW-years of v hardware stranded in 2026Q1–2026Q2)")
    assert line in str(err.value)


def test_the_reference_buys_amds_first_tranche_in_the_second_half_of_2026() -> None:
    reference = load_scenario(Path("data/scenarios/reference"))
    plan = optimize(reference)
    status = milestone_status(plan, ModelData.from_scenario(reference))
    (amd,) = status.to_dict("records")
    assert (amd["vendor"], amd["period"], amd["required_gw"]) == ("amd", "2026Q4", 1.0)
    assert amd["own_gw"] + amd["third_party_gw"] == pytest.approx(1.0, abs=1e-6)
    assert amd["short_gw"] == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize(
    ("row", "field", "expected"),
    [
        ("nvidiax,2026Q4,1", "vendor", "one of the vendors"),
        ("gpu,2026Q9,1", "period", "a period"),
        ("gpu,2026Q4,5", "cumulative_gw", "at most the vendor's contract_total_gw (2)"),
        ("gpu,2026Q4,-1", "cumulative_gw", "greater than or equal to 0"),
    ],
)
def test_bad_milestone_rows_are_located(
    tiny_copy: Path, row: str, field: str, expected: str
) -> None:
    (tiny_copy / "vendor_milestones.csv").write_text(f"vendor,period,cumulative_gw\n{row}\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(tiny_copy)
    text = str(err.value)
    assert "vendor_milestones.csv" in text and "row 1" in text
    assert f"field '{field}'" in text and expected in text


def test_milestones_may_not_fall_and_lease_hardware_must_be_a_vendor(tiny_copy: Path) -> None:
    rows = "vendor,period,cumulative_gw\ngpu,2027Q1,1\ngpu,2026Q4,1.5\n"
    (tiny_copy / "vendor_milestones.csv").write_text(rows)
    with pytest.raises(ScenarioError) as err:
        load_scenario(tiny_copy)
    assert "row 1, field 'cumulative_gw'" in str(err.value)
    assert "not below an earlier milestone's (1.5)" in str(err.value)
    lease = {"hardware_vendor": "nobody"}
    with pytest.raises(ScenarioError) as err:
        hand_scenario(
            lessors=(Lessor(id="L", name="L"),),
            leases=(_free_lease(**lease),),
        )
    assert "field 'hardware_vendor'" in str(err.value) and "one of the vendors (v)" in str(
        err.value
    )
