"""Every kind of bad input gets a problem naming file, row, field, value and expectation."""

from __future__ import annotations

from pathlib import Path

import pytest

import sd_model
from sd_model import Problem, ScenarioError
from tests.conftest import TINY, read_rows, set_cell, write_rows

TINY_SCHEDULE = TINY / "announced_schedule.csv"


def problems_of(folder: Path | str) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        sd_model.load_scenario(folder)
    return info.value.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def test_the_tiny_fixture_is_valid(tiny: sd_model.Scenario) -> None:
    assert [s.id for s in tiny.sites] == ["TXA", "TXB", "PJA"]
    assert tiny.announced_schedule.total_by_vendor() == {"asic": 0.5, "gpu": 1.0}


def test_missing_required_file(tiny_copy: Path) -> None:
    (tiny_copy / "sites.csv").unlink()
    problem = only(problems_of(tiny_copy))
    assert problem.where.endswith("sites.csv")
    assert "required table" in problem.expected


def test_missing_settings_file(tiny_copy: Path) -> None:
    (tiny_copy / "scenario.yaml").unlink()
    problem = only(problems_of(tiny_copy))
    assert problem.where.endswith("scenario.yaml")


def test_missing_folder_lists_the_bundled_names() -> None:
    problem = only(problems_of("no_such_scenario"))
    assert "bundled scenario name" in problem.expected


def test_missing_column(tiny_copy: Path) -> None:
    rows = read_rows(tiny_copy / "regions.csv")
    column = rows[0].index("wholesale_price_usd_per_mwh")
    write_rows(tiny_copy / "regions.csv", [r[:column] + r[column + 1 :] for r in rows])
    problem = only(problems_of(tiny_copy))
    assert (problem.field, problem.value, problem.row) == (
        "wholesale_price_usd_per_mwh",
        "missing column",
        0,
    )
    assert "header" in str(problem)


def test_unknown_column_suggests_the_close_name(tiny_copy: Path) -> None:
    rows = read_rows(tiny_copy / "sites.csv")
    rows[0][rows[0].index("max_gw")] = "max_gws"
    write_rows(tiny_copy / "sites.csv", rows)
    found = problems_of(tiny_copy)
    unknown = [p for p in found if p.value == "unknown column"]
    assert unknown and unknown[0].field == "max_gws"
    assert "did you mean 'max_gw'" in unknown[0].expected


def test_wrong_type_names_row_field_and_value(tiny_copy: Path) -> None:
    set_cell(tiny_copy / "sites.csv", 2, "max_gw", "lots")
    problem = only(problems_of(tiny_copy))
    assert problem.where.endswith("sites.csv")
    assert (problem.row, problem.field, problem.value) == (2, "max_gw", "lots")
    assert "number" in problem.expected
    assert "sites.csv, row 2, field 'max_gw': got 'lots'" in str(problem)


@pytest.mark.parametrize("text", ["nan", "NaN", "inf"])
def test_nan_and_inf_are_rejected(tiny_copy: Path, text: str) -> None:
    set_cell(tiny_copy / "regions.csv", 1, "wholesale_price_usd_per_mwh", text)
    problem = only(problems_of(tiny_copy))
    assert problem.field == "wholesale_price_usd_per_mwh"
    assert "finite number" in problem.expected


def test_empty_required_cell(tiny_copy: Path) -> None:
    set_cell(tiny_copy / "vendors.csv", 1, "capex_busd_per_gw", "")
    problem = only(problems_of(tiny_copy))
    assert (problem.row, problem.field) == (1, "capex_busd_per_gw")
    assert "empty" in problem.expected


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("sites.csv", "max_gw"),
        ("regions.csv", "wholesale_price_usd_per_mwh"),
        ("ppa_options.csv", "price_usd_per_mwh"),
        ("announced_schedule.csv", "gw"),
    ],
)
def test_negative_gw_or_price(tiny_copy: Path, table: str, column: str) -> None:
    set_cell(tiny_copy / table, 1, column, "-1")
    found = problems_of(tiny_copy)
    assert any(
        p.field == column and p.value == "-1" and "greater than" in p.expected for p in found
    )


def test_unknown_region_referenced_by_a_site(tiny_copy: Path) -> None:
    set_cell(tiny_copy / "sites.csv", 3, "region", "PJMX")
    problem = only(problems_of(tiny_copy))
    assert problem.where.endswith("sites.csv")
    assert (problem.row, problem.field, problem.value) == (3, "region", "PJMX")
    assert "ERCOT, PJM" in problem.expected


def test_unknown_vendor_in_the_announced_schedule(tiny_copy: Path) -> None:
    set_cell(tiny_copy / "announced_schedule.csv", 4, "vendor", "tpu")
    problem = only(problems_of(tiny_copy))
    assert problem.where.endswith("announced_schedule.csv")
    assert (problem.row, problem.field, problem.value) == (4, "vendor", "tpu")


def test_unknown_onsite_option(tiny_copy: Path) -> None:
    set_cell(tiny_copy / "sites.csv", 3, "onsite_option_ids", "gas_recip;nuclear")
    problem = only(problems_of(tiny_copy))
    assert (problem.field, problem.value) == ("onsite_option_ids", "nuclear")


def test_duplicate_ids(tiny_copy: Path) -> None:
    set_cell(tiny_copy / "sites.csv", 2, "id", "TXA")
    problem = only(problems_of(tiny_copy))
    assert (problem.row, problem.field, problem.value) == (2, "id", "TXA")
    assert "once" in problem.expected


def test_period_outside_the_horizon(tiny_copy: Path) -> None:
    set_cell(tiny_copy / "announced_schedule.csv", 2, "period", "2031Q1")
    problem = only(problems_of(tiny_copy))
    assert (problem.row, problem.field, problem.value) == (2, "period", "2031Q1")
    assert "2026Q1 to 2028Q4" in problem.expected


def test_period_not_on_the_grid(tiny_copy: Path) -> None:
    set_cell(tiny_copy / "vendors.csv", 1, "deadline_period", "2027-06")
    problem = only(problems_of(tiny_copy))
    assert (problem.field, problem.value) == ("deadline_period", "2027-06")
    assert "quarter label" in problem.expected


def test_announced_total_above_the_contract(tiny_copy: Path) -> None:
    set_cell(tiny_copy / "announced_schedule.csv", 3, "gw", "1.75")
    problem = only(problems_of(tiny_copy))
    assert problem.field == "gw"
    assert "gpu" in problem.expected and "2 GW" in problem.expected
    assert problem.value == pytest.approx(2.25)


def test_row_level_rule_between_fields(tiny_copy: Path) -> None:
    set_cell(tiny_copy / "sites.csv", 1, "energized_gw_at_start", "0.9")
    problem = only(problems_of(tiny_copy))
    assert problem.row == 1
    assert "energized_gw_at_start <= shell_ready_gw_at_start" in problem.expected


def test_several_problems_in_one_file_are_reported_together(tiny_copy: Path) -> None:
    set_cell(tiny_copy / "sites.csv", 1, "max_gw", "x")
    set_cell(tiny_copy / "sites.csv", 2, "shell_lead_quarters", "-2")
    set_cell(tiny_copy / "sites.csv", 3, "grid_limit_gw", "nan")
    set_cell(tiny_copy / "vendors.csv", 1, "capex_busd_per_gw", "-5")
    found = problems_of(tiny_copy)
    assert {(Path(p.where).name, p.row, p.field) for p in found} == {
        ("sites.csv", 1, "max_gw"),
        ("sites.csv", 2, "shell_lead_quarters"),
        ("sites.csv", 3, "grid_limit_gw"),
        ("vendors.csv", 1, "capex_busd_per_gw"),
    }


def test_yaml_setting_errors_name_the_key(tiny_copy: Path) -> None:
    text = (tiny_copy / "scenario.yaml").read_text()
    text = text.replace("debt_rate_per_year: 0.075", "debt_rate_per_year: high")
    text = text.replace("pue: 1.2", "pue: 0.9")
    (tiny_copy / "scenario.yaml").write_text(text)
    found = problems_of(tiny_copy)
    assert {p.field for p in found} == {"financing.debt_rate_per_year", "pue"}
    assert all(p.where.endswith("scenario.yaml") for p in found)


def test_unknown_yaml_key(tiny_copy: Path) -> None:
    path = tiny_copy / "scenario.yaml"
    path.write_text(path.read_text() + "discount_rate: 0.1\n")
    problem = only(problems_of(tiny_copy))
    assert (problem.field, problem.value) == ("discount_rate", "unknown key")


def test_yaml_is_read_safely(tiny_copy: Path) -> None:
    path = tiny_copy / "scenario.yaml"
    path.write_text(path.read_text() + "exploit: !!python/object/apply:os.system ['true']\n")
    problem = only(problems_of(tiny_copy))
    assert "valid YAML" in problem.expected


def test_yaml_syntax_error_gives_the_line(tiny_copy: Path) -> None:
    path = tiny_copy / "scenario.yaml"
    path.write_text(path.read_text().replace("pue: 1.2", "pue: [1.2"))
    problem = only(problems_of(tiny_copy))
    assert "line" in problem.expected


def test_unknown_override_key_in_yaml(tiny_copy: Path) -> None:
    path = tiny_copy / "scenario.yaml"
    path.write_text(path.read_text() + "overrides:\n  regions.PJM.lead_quarters: 3\n")
    problem = only(problems_of(tiny_copy))
    assert problem.where.endswith("scenario.yaml")
    assert problem.field == "regions.PJM.lead_quarters"
    assert "interconnection_lead_quarters" in problem.expected


def test_ragged_row(tiny_copy: Path) -> None:
    rows = read_rows(tiny_copy / "regions.csv")
    rows[2] = rows[2][:-1]
    write_rows(tiny_copy / "regions.csv", rows)
    problem = only(problems_of(tiny_copy))
    assert problem.row == 2 and "cells" in problem.expected


def test_empty_table_file(tiny_copy: Path) -> None:
    (tiny_copy / "vendors.csv").write_text("")
    problem = only(problems_of(tiny_copy))
    assert "header row" in problem.expected


def test_a_user_schedule_is_checked_against_the_scenario(
    tiny: sd_model.Scenario, tmp_path: Path
) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(
        "period,vendor,site,gw\n2026Q3,gpu,TXA,0.5\n2026Q5,gpu,,0.5\n2026Q4,tpu,,1\n2027Q1,gpu,,3\n"
    )
    with pytest.raises(ScenarioError) as info:
        sd_model.load_schedule(path, tiny)
    found = {(p.row, p.field, p.value) for p in info.value.problems}
    assert (2, "period", "2026Q5") in found
    assert (3, "vendor", "tpu") in found
    assert (None, "gw", 4.0) in found
    assert str(info.value).startswith(f"3 problems in {path}")
    good = sd_model.load_schedule(TINY_SCHEDULE, tiny)
    assert good == tiny.announced_schedule
