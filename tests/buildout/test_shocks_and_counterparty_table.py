"""Shocks (KEY=VALUE@PERIOD) and located errors in counterparties.csv."""

from __future__ import annotations

from pathlib import Path

import pytest

import sd_model
from sd_model import Scenario, ScenarioError
from sd_model.buildout.shocks import Shock, parse_shock
from tests.buildout.test_counterparties import HEADER, _at


def test_a_shock_parses_as_a_value_or_a_factor() -> None:
    assert parse_shock("demand.demand_growth_per_year=0.3@2027Q1") == Shock(
        "demand.demand_growth_per_year", 0.3, "2027Q1"
    )
    shock = parse_shock(" financing.debt_capacity_busd = x0.5 @ 2028Q2 ")
    assert shock == Shock("financing.debt_capacity_busd", 0.5, "2028Q2", factor=True)
    assert str(shock) == "financing.debt_capacity_busd=x0.5@2028Q2"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("demand.demand_growth_per_year=0.3", "KEY=VALUE@PERIOD"),
        ("demand.demand_growth_per_year=abc@2027Q1", "'abc' is not a number"),
        ("demand.demand_growth_per_year=inf@2027Q1", "finite"),
    ],
)
def test_a_malformed_shock_says_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_shock(text)


def test_a_shock_holds_from_its_period_on(tiny: Scenario) -> None:
    shocked = sd_model.simulate(
        tiny, shocks=["demand.revenue_busd_per_gw_year_at_start=x0.5@2027Q1"]
    ).set_index("period")
    base = sd_model.simulate(tiny).set_index("period")
    rate = "revenue_busd_per_gw_year"
    assert _at(shocked, rate, "2026Q4") == pytest.approx(_at(base, rate, "2026Q4"))
    assert _at(shocked, rate, "2027Q1") == pytest.approx(0.5 * _at(base, rate, "2027Q1"))
    assert shocked.attrs["shocks"] == ["demand.revenue_busd_per_gw_year_at_start=x0.5@2027Q1"]


def test_a_vendor_shock_changes_only_that_vendor(tiny: Scenario) -> None:
    frame = sd_model.simulate(tiny, shocks=["vendors.gpu.financing_busd_per_gw=0@2026Q1"])
    assert (frame["vendor_financing_by_vendor_busd_per_period[gpu]"] == 0).all()


@pytest.mark.parametrize(
    ("shock", "message"),
    [
        ("demand.no_such_field=1@2027Q1", "not an uncertain parameter"),
        ("demand.demand_growth_per_year=0.1@2040Q1", "not on the simulated horizon"),
        ("vendors.nobody.financing_busd_per_gw=0@2027Q1", "no vendor 'nobody'"),
    ],
)
def test_a_shock_the_model_cannot_take_is_refused(tiny: Scenario, shock: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sd_model.simulate(tiny, shocks=[shock])


def test_a_shocked_parameter_cannot_also_be_sampled(tiny: Scenario) -> None:
    with pytest.raises(ValueError, match="shocked"):
        sd_model.simulate(
            tiny,
            samples={"financing.debt_capacity_busd": [10.0, 20.0]},
            shocks=["financing.debt_capacity_busd=0@2027Q1"],
        )


def test_shocks_and_samples_run_together(tiny: Scenario) -> None:
    batch = sd_model.simulate(
        tiny,
        counterparty_loop=True,
        samples={"demand.demand_growth_per_year": [0.2, 0.8]},
        shocks=["financing.debt_capacity_busd=0@2027Q1"],
    )
    assert batch.index.get_level_values("sample").nunique() == 2


def _load_with(folder: Path, rows: str) -> Scenario:
    (folder / "counterparties.csv").write_text(HEADER + rows)
    with (folder / "sources.csv").open("a") as sources:
        sources.write("counterparties,assumption,,test fixture\n")
    return sd_model.load_scenario(folder)


@pytest.mark.parametrize(
    ("rows", "row", "field", "expected"),
    [
        ("gpu,1,0,0,0,0,1,,0,0\nnobody,1,0,0,0,0,1,,0,0\n", 2, "id", "a lessor, a vendor or 'lab'"),
        ("lab,5,0,0,0,0,1,,0,0\n", 1, "liquidity_busd_at_start", "0 for the lab"),
        ("gpu,1,0,2,0,0,1,,0,0\n", 1, "debt_service_busd_per_gw_year", "0 for a vendor"),
        ("gpu,-1,0,0,0,0,1,,0,0\n", 1, "liquidity_busd_at_start", "greater than or equal to 0"),
        ("gpu,1,0,0,0,1.5,1,,0,0\n", 1, "cost_share_of_lab_revenue", "less than or equal to 1"),
        ("gpu,1,0,0,0,0,1,,0,0\ngpu,1,0,0,0,0,1,,0,0\n", 2, "id", "each id to appear once"),
    ],
)
def test_a_bad_counterparty_row_is_located(
    tiny_copy: Path, rows: str, row: int, field: str, expected: str
) -> None:
    with pytest.raises(ScenarioError) as caught:
        _load_with(tiny_copy, rows)
    problems = [p for p in caught.value.problems if p.field == field]
    assert problems, caught.value.problems
    problem = problems[0]
    assert problem.where.endswith("counterparties.csv")
    assert problem.row == row
    assert expected in problem.expected


def test_counterparty_values_are_scenario_keys(tiny_copy: Path) -> None:
    scenario = _load_with(tiny_copy, "gpu,1,0,0,0,0.5,1,,0.2,0\n")
    richer = scenario.with_overrides({"counterparties.gpu.liquidity_busd_at_start": 7})
    assert richer.counterparties[0].liquidity_busd_at_start == 7
