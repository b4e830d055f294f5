"""``gwplan sweep``: parameters from text, summaries, files, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optimization.cli.main import EXIT_BAD_INPUT, main
from optimization.sweeps.distributions import Choice, Grid, Normal, Triangular, Uniform
from optimization.sweeps.parse import parse_parameter
from tests.conftest import TINY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("uniform(0.3, 0.9)", Uniform(0.3, 0.9)),
        ("normal(1,0.2,0,2)", Normal(1.0, 0.2, 0.0, 2.0)),
        ("triangular(1,2,4)", Triangular(1.0, 2.0, 4.0)),
        ("choice(8,12,16)", Choice((8.0, 12.0, 16.0))),
        ("grid(2027Q3,2028Q1)", Grid(("2027Q3", "2028Q1"))),
    ],
)
def test_parse_parameter(text: str, expected: object) -> None:
    assert parse_parameter(text) == expected


@pytest.mark.parametrize("text", ["uniform(1)", "gauss(0,1)", "uniform(a,b)", "0.5"])
def test_parse_parameter_rejects_bad_forms(text: str) -> None:
    with pytest.raises(ValueError, match=r"expected|takes|unknown"):
        parse_parameter(text)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_sweep_json_with_tornado_and_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "sweep"
    code, printed, _ = run(
        capsys,
        "sweep",
        str(TINY),
        "--param",
        "demand.demand_growth_per_year=uniform(0.2,1.0)",
        "--param",
        "regions.*.interconnection_lead_quarters=uniform(2,10)",
        "--samples",
        "40",
        "--executor",
        "inprocess",
        "--tornado",
        "min_cash_busd",
        "--out",
        str(out),
        "--json",
    )
    payload = json.loads(printed)
    assert code == 0 and payload["samples"] == 40 and payload["failed"] == 0
    assert set(payload["percentiles"]["peak_stranded_gw"]) >= {"P10", "P50", "P90"}
    assert {r["metric"] for r in payload["risks"]} == {
        "peak_stranded_gw",
        "min_cash_busd",
        "funding_gap_busd",
    }
    assert len(payload["tornado"]) == 2
    summary = {p.name for p in (out / "summary").iterdir()}
    assert {"summary.md", "percentiles.csv", "risks.csv", "tornado.png", "samples.csv"} <= summary
    assert list((out / "chunks").glob("chunk-*.parquet"))


def test_sweep_bad_parameter_and_bad_executor(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "sweep", str(TINY), "--param", "pue=gauss(1,2)")
    assert code == EXIT_BAD_INPUT and "unknown distribution" in err
    code, _, err = run(
        capsys, "sweep", str(TINY), "--param", "pue=uniform(1,2)", "--executor", "cloud"
    )
    assert code == EXIT_BAD_INPUT and "inprocess, processes, dask" in err
    code, _, err = run(
        capsys, "sweep", str(TINY), "--param", "pue=uniform(1,2)", "--address", "tcp://127.0.0.1:1"
    )
    assert code == EXIT_BAD_INPUT and "--executor dask" in err
