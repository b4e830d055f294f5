"""Issue 17: nothing a planner types crashes, hangs or silently changes gwplan.

Each test is one finding of the fuzzer: the input now gives exit 2 with the
file (and row and field where there are any) named, or is read as typed.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import sd_model
from optimization.cli.main import EXIT_BAD_INPUT, main
from sd_model.scenario.safe_yaml import load_text
from tests.conftest import set_cell


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def set_yaml(folder: Path, old: str, new: str) -> None:
    path = folder / "scenario.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(folder: Path, text: str) -> str:
    """``'line N'`` of the first line of ``scenario.yaml`` that starts with ``text``."""
    lines = (folder / "scenario.yaml").read_text(encoding="utf-8").splitlines()
    return f"line {next(i for i, line in enumerate(lines, 1) if line.startswith(text))}"


def bad_input(capsys: pytest.CaptureFixture[str], folder: Path, *where: str) -> str:
    """Validate ``folder``; assert exit 2 naming every part of ``where``; return stderr."""
    code, _, err = run(capsys, "validate", str(folder))
    assert code == EXIT_BAD_INPUT, err
    assert "Traceback" not in err and "internal error" not in err
    for part in where:
        assert part in err, (part, err)
    return err


# -- exit 1 before: now located errors ------------------------------------------------
def test_deeply_nested_yaml(capsys: pytest.CaptureFixture[str], tiny_copy: Path) -> None:
    set_yaml(tiny_copy, "pue: 1.2", "pue: " + "[" * 600 + "]" * 600)
    bad_input(capsys, tiny_copy, "scenario.yaml", "nesting deeper than", line_of(tiny_copy, "pue"))


def test_non_utf8_scenario_yaml(capsys: pytest.CaptureFixture[str], tiny_copy: Path) -> None:
    path = tiny_copy / "scenario.yaml"
    path.write_bytes(path.read_bytes().replace(b"Two regions", b"Two r\xe9gions"))
    bad_input(capsys, tiny_copy, "scenario.yaml", "UTF-8", "line 2")


def test_a_huge_csv_cell(capsys: pytest.CaptureFixture[str], tiny_copy: Path) -> None:
    set_cell(tiny_copy / "sites.csv", 2, "name", "x" * 140_000)
    bad_input(capsys, tiny_copy, "sites.csv", "row 2", "field 'name'", "at most 10,000")


def test_a_non_utf8_csv_names_the_line(capsys: pytest.CaptureFixture[str], tiny_copy: Path) -> None:
    path = tiny_copy / "vendors.csv"
    path.write_bytes(path.read_bytes().replace(b"ASIC Co", b"ASIC \xff Co"))
    bad_input(capsys, tiny_copy, "vendors.csv", "UTF-8", "line 3")


def test_an_override_of_5000_digits(capsys: pytest.CaptureFixture[str], tiny_copy: Path) -> None:
    code, _, err = run(capsys, "validate", str(tiny_copy), "--set", "pue=" + "9" * 5000)
    assert code == EXIT_BAD_INPUT and "field 'pue'" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("column", "value"),
    [("max_gw", "1e308"), ("shell_lead_quarters", "12345678901234567890123456")],
)
def test_absurd_numbers_are_stopped_at_validation(
    capsys: pytest.CaptureFixture[str], tiny_copy: Path, column: str, value: str
) -> None:
    set_cell(tiny_copy / "sites.csv", 2, column, value)
    bad_input(capsys, tiny_copy, "sites.csv", "row 2", f"field '{column}'", "physical bound")
    code, _, err = run(capsys, "optimize", str(tiny_copy))
    assert code == EXIT_BAD_INPUT and "sites.csv" in err


def test_markup_in_values_and_descriptions_is_printed_as_typed(
    capsys: pytest.CaptureFixture[str], tiny_copy: Path
) -> None:
    set_yaml(tiny_copy, "description: Two regions", "description: '[/bold] Two [/] regions'\n#")
    code, out, err = run(capsys, "validate", str(tiny_copy))
    assert code == 0, err
    assert "[/bold] Two [/] regions" in out
    set_cell(tiny_copy / "sites.csv", 1, "max_gw", "[/]")
    set_cell(tiny_copy / "sites.csv", 2, "name", "[bold]B[/]")
    err = bad_input(capsys, tiny_copy, "sites.csv", "row 1", "field 'max_gw'")
    assert "'[/]'" in err


# -- denial of service ---------------------------------------------------------------
BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x]"]
    + [
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
)


def test_an_anchor_bomb_is_refused_quickly(
    capsys: pytest.CaptureFixture[str], tiny_copy: Path
) -> None:
    path = tiny_copy / "scenario.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + BOMB + "\n", encoding="utf-8")
    started = time.perf_counter()
    err = bad_input(capsys, tiny_copy, "scenario.yaml", "aliases are expanded")
    assert time.perf_counter() - started < 5 and len(err) < 5_000


def test_an_anchor_bomb_in_set_is_refused_quickly(
    capsys: pytest.CaptureFixture[str], tiny_copy: Path
) -> None:
    bomb = "{" + BOMB.replace("\n", ", ") + "}"
    started = time.perf_counter()
    code, _, err = run(capsys, "validate", str(tiny_copy), "--set", f"pue={bomb}")
    assert code == EXIT_BAD_INPUT and time.perf_counter() - started < 5 and len(err) < 5_000


def test_a_period_grid_of_a_thousand_years(
    capsys: pytest.CaptureFixture[str], tiny_copy: Path
) -> None:
    set_yaml(tiny_copy, "start_period: 2026Q1", "start_period: 1000Q1")
    bad_input(capsys, tiny_copy, "scenario.yaml", "periods", "1900 to 2200")
    set_yaml(tiny_copy, "start_period: 1000Q1", "start_period: 1950Q1")
    bad_input(capsys, tiny_copy, "scenario.yaml", "at most 50 years")


# -- silently accepted nonsense ------------------------------------------------------
@pytest.mark.parametrize("value", ["true", "0x10", "12:30", ".inf", "1e400", "yes"])
def test_yaml_numbers_that_are_not_numbers(
    capsys: pytest.CaptureFixture[str], tiny_copy: Path, value: str
) -> None:
    set_yaml(tiny_copy, "it_depreciation_years: 5", f"it_depreciation_years: {value}")
    bad_input(capsys, tiny_copy, "scenario.yaml", "costs.it_depreciation_years")


def test_yaml_scalars_follow_yaml_1_2(tiny_copy: Path) -> None:
    assert load_text("a: 010\nb: 0o10\nc: 1_000\nd: 2026-01-01") == {
        "a": 10,
        "b": "0o10",
        "c": "1_000",
        "d": "2026-01-01",
    }
    set_yaml(tiny_copy, "it_depreciation_years: 5", "it_depreciation_years: 010")
    assert sd_model.load_scenario(tiny_copy).costs.it_depreciation_years == 10


def test_duplicate_yaml_keys(capsys: pytest.CaptureFixture[str], tiny_copy: Path) -> None:
    set_yaml(tiny_copy, "pue: 1.2", "pue: 1.2\n# the same key again:\npue: 1.4")
    bad_input(capsys, tiny_copy, "scenario.yaml", "each key once", line_of(tiny_copy, "pue: 1.4"))


@pytest.mark.parametrize(
    ("real", "typo"),
    [("ppa_options.csv", "ppa_options.CSV"), ("announced_schedule.csv", "announced-schedule.csv")],
)
def test_a_misnamed_table_is_reported(
    capsys: pytest.CaptureFixture[str], tiny_copy: Path, real: str, typo: str
) -> None:
    (tiny_copy / real).rename(tiny_copy / typo)
    bad_input(capsys, tiny_copy, typo, f"the file name {real}")


def test_notes_beside_the_tables_are_left_alone(tiny_copy: Path) -> None:
    (tiny_copy / "README.md").write_text("notes", encoding="utf-8")
    (tiny_copy / "my_calculations.csv").write_text("a,b\n", encoding="utf-8")
    assert sd_model.load_scenario(tiny_copy).name == "tiny"


@pytest.mark.parametrize("table", ["sites.csv", "regions.csv", "vendors.csv"])
def test_a_required_table_with_a_header_only(
    capsys: pytest.CaptureFixture[str], tiny_copy: Path, table: str
) -> None:
    path = tiny_copy / table
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    bad_input(capsys, tiny_copy, table, "at least one data row")


def test_booleans_in_numeric_overrides(capsys: pytest.CaptureFixture[str], tiny_copy: Path) -> None:
    code, _, err = run(capsys, "validate", str(tiny_copy), "--set", "pue=true")
    assert code == EXIT_BAD_INPUT and "not true/false" in err
    code, _, err = run(
        capsys, "validate", str(tiny_copy), "--set", "policy.ppa_coverage_target_by_year.2027=true"
    )
    assert code == EXIT_BAD_INPUT and "not true/false" in err


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("pue: 1.2", "pue: true", "pue"),
        ("it_depreciation_years: 5", "it_depreciation_years: " + "9" * 40, "it_depreciation_years"),
    ],
)
def test_top_level_and_overlong_numbers_name_their_field(
    capsys: pytest.CaptureFixture[str], tiny_copy: Path, old: str, new: str, field: str
) -> None:
    set_yaml(tiny_copy, old, new)
    bad_input(capsys, tiny_copy, "scenario.yaml", field)
