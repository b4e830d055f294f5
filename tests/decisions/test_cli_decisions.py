"""`gwplan optimize --out` writes a plan's decisions; `gwplan simulate --decisions` reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optimization.cli.main import EXIT_BAD_INPUT, main
from tests.conftest import TINY


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_plan_written_by_optimize_simulates_with_and_without_frictions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, _ = run(capsys, "optimize", str(TINY), "--out", str(tmp_path / "plan"))
    assert code == 0
    folder = tmp_path / "plan" / "decisions"
    assert (folder / "deliveries.csv").is_file() and (folder / "shell_starts.csv").is_file()
    figures = {}
    for extra in ((), ("--frictionless",)):
        code, out, _ = run(
            capsys, "simulate", str(TINY), "--decisions", str(folder), "--json", *extra
        )
        assert code == 0
        figures[extra] = json.loads(out)["summary"]
    assert figures[()] != figures[("--frictionless",)]


def test_bad_decisions_are_located_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "hand"
    folder.mkdir()
    (folder / "deliveries.csv").write_text(
        "period,vendor,site,delivered_gw\n2026Q3,gpu,XYZ,0.1\n2026Q3,gpu,TXA,-1\n"
    )
    code, _, err = run(capsys, "simulate", str(TINY), "--decisions", str(folder))
    assert code == EXIT_BAD_INPUT
    assert "row 1, field 'site'" in err and "row 2, field 'delivered_gw'" in err
    code, _, err = run(
        capsys, "simulate", str(TINY), "--decisions", str(folder), "--schedule", str(folder)
    )
    assert code == EXIT_BAD_INPUT and "not both" in err
