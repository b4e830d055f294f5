"""``gwplan stress``: tables, JSON, output folder and bad shocks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optimization.cli.main import EXIT_BAD_INPUT, main
from tests.conftest import TINY

SHOCK = "demand.revenue_busd_per_gw_year_at_start=x0.6@2027Q1"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_stress_reports_the_first_breach_and_the_holdings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "stress", "cloud_leases", "--shock", SHOCK, "--json")
    payload = json.loads(out)
    assert code == 0 and payload["ok"] is True
    assert payload["shocks"] == [SHOCK]
    assert payload["first_breach"]["stress"][0] == "lab"
    warrants = [r for r in payload["holdings"] if r["instrument"] == "warrant"]
    assert warrants and all(r["lost_busd"] >= -1e-9 for r in warrants)
    assert {r["party"] for r in payload["summary"]} >= {"lab", "oracle", "amd"}


def test_stress_prints_tables_and_writes_a_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_dir = tmp_path / "stress"
    code, out, _ = run(capsys, "stress", str(TINY), "--shock", SHOCK, "--out", str(out_dir))
    assert code == 0
    assert "first to breach (stress)" in out
    assert (out_dir / "liquidity.png").read_bytes()[:4] == b"\x89PNG"
    assert {p.name for p in out_dir.glob("*.csv")} == {
        "parties.csv",
        "holdings.csv",
        "buildout.csv",
        "summary.csv",
    }


@pytest.mark.parametrize(
    "shock",
    ["demand.revenue_busd_per_gw_year_at_start=x0.6", "demand.nothing=1@2027Q1"],
)
def test_a_bad_shock_exits_with_bad_input(capsys: pytest.CaptureFixture[str], shock: str) -> None:
    code, _, err = run(capsys, "stress", str(TINY), "--shock", shock)
    assert code == EXIT_BAD_INPUT
    assert "--shock" in err


def test_stress_with_draws_reports_the_probability_of_a_cascade(
    capsys: pytest.CaptureFixture[str],
) -> None:
    shock = "demand.revenue_busd_per_gw_year_at_start=x{f}@2027Q1"
    args = ("stress", str(TINY), "--shock", shock, "--draw", "f=uniform(0.4,1)", "--samples", "2")
    code, out, _ = run(capsys, *args, "--json")
    payload = json.loads(out)
    assert code == 0 and len(payload["runs"]) == 2
    assert 0.0 <= payload["cascade_probability"] <= 1.0
    code, _, err = run(capsys, "stress", str(TINY), "--shock", shock, "--draw", "g=uniform(0,1)")
    assert code == EXIT_BAD_INPUT and "template variable" in err
