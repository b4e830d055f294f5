"""The command line: listing, validating, JSON output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optimization.cli.main import EXIT_BAD_INPUT, EXIT_INFEASIBLE, main
from tests.conftest import TINY, set_cell


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_validate_prints_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(TINY))
    assert code == 0
    assert "valid" in out and "TXA, TXB" in out and "Announced GW per year" in out


def test_validate_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(TINY), "--json")
    payload = json.loads(out)
    assert code == 0 and payload["ok"] is True
    assert {r["vendor"] for r in payload["vendors"]} == {"gpu", "asic"}
    assert payload["unsourced_keys"] == []


def test_validate_reports_every_problem_with_exit_code(
    capsys: pytest.CaptureFixture[str], tiny_copy: Path
) -> None:
    set_cell(tiny_copy / "sites.csv", 1, "max_gw", "-3")
    set_cell(tiny_copy / "vendors.csv", 2, "capex_busd_per_gw", "abc")
    code, out, err = run(capsys, "validate", str(tiny_copy))
    assert code == EXIT_BAD_INPUT
    assert "sites.csv, row 1, field 'max_gw'" in err
    assert "vendors.csv, row 2, field 'capex_busd_per_gw'" in err
    assert "Traceback" not in err + out


def test_validate_json_errors(capsys: pytest.CaptureFixture[str], tiny_copy: Path) -> None:
    set_cell(tiny_copy / "sites.csv", 1, "region", "NOWHERE")
    code, out, _ = run(capsys, "validate", str(tiny_copy), "--json")
    payload = json.loads(out)
    assert code == EXIT_BAD_INPUT and payload["ok"] is False
    assert payload["problems"][0]["field"] == "region"
    assert payload["problems"][0]["row"] == 1


def test_set_overrides_and_bad_set_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(TINY), "--set", "sites.TXB.max_gw=0.9", "--json")
    assert code == 0
    assert json.loads(out)["sites by region"][0]["max_gw"] == pytest.approx(1.9)
    code, out, err = run(capsys, "validate", str(TINY), "--set", "sites.TXB.max_gigawatts=1")
    assert code == EXIT_BAD_INPUT
    assert "sites.TXB.max_gw" in err and "Traceback" not in err
    code, _, err = run(capsys, "validate", str(TINY), "--set", "no-equals-sign")
    assert code == EXIT_BAD_INPUT and "KEY=VALUE" in err


def test_bad_scenario_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path / "missing"))
    assert code == EXIT_BAD_INPUT
    assert "bundled scenario name" in err


def test_scenarios_lists_bundled_ones_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scenarios", "--json")
    assert code == 0
    assert isinstance(json.loads(out), list)


def test_help_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "gwplan validate reference" in out


def test_optimize_prints_the_plan_and_writes_its_tables(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "optimize", str(TINY), "--out", str(tmp_path / "plan"))
    assert code == 0
    assert "Objective terms" in out and "Energized" in out
    files = {p.name for p in (tmp_path / "plan").iterdir()}
    assert {"summary.json", "energized.csv", "cash.csv", "power_mix.csv"} <= files
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]  # no staging folder left behind


def test_optimize_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "optimize", str(TINY), "--mode", "announced_timing", "--json")
    payload = json.loads(out)
    assert code == 0 and payload["ok"] is True and payload["mode"] == "announced_timing"
    assert payload["objective_busd"] == pytest.approx(sum(payload["objective_terms_busd"].values()))
    money = [
        v
        for k, v in payload["objective_terms_busd"].items()
        if payload["objective_term_kinds"][k] != "penalty"
    ]
    assert payload["npv_busd"] == pytest.approx(-sum(money))


def test_optimize_strict_infeasible_has_its_own_exit_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(
        capsys,
        "optimize",
        str(TINY),
        "--strict",
        "--mode",
        "announced_timing",
        "--set",
        "sites.*.grid_limit_gw=0",
        "--set",
        "sites.*.onsite_option_ids=[]",
    )
    assert code == EXIT_INFEASIBLE
    assert "infeasible" in err and "Traceback" not in err


def test_optimize_rejects_an_unknown_mode(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "optimize", str(TINY), "--mode", "fastest")
    assert code == EXIT_BAD_INPUT and "optimal, announced_timing" in err


def test_simulate_prints_figures_and_writes_the_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "simulate", str(TINY), "--out", str(tmp_path / "sim"))
    assert code == 0
    assert "peak_stranded_gw" in out and "At each year's end" in out
    assert {p.name for p in (tmp_path / "sim").iterdir()} == {
        ".gwplan-output.json",
        "simulation.csv",
        "by_year.csv",
        "summary.json",
    }


def test_simulate_a_user_schedule_with_a_loop_off_as_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("period,vendor,site,gw\n2026Q3,asic,,0.5\n2026Q4,gpu,,0.5\n")
    code, out, _ = run(
        capsys,
        "simulate",
        str(TINY),
        "--schedule",
        str(path),
        "--without",
        "vendor_financing",
        "--json",
    )
    payload = json.loads(out)
    assert code == 0 and payload["ok"] is True
    assert payload["summary"]["delivered_gw"] == pytest.approx(1.0, abs=0.01)


def test_simulate_bad_schedule_and_bad_loop_are_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "plan.csv"
    path.write_text("period,vendor,site,gw\n2026Q3,tpu,,0.5\n")
    code, _, err = run(capsys, "simulate", str(TINY), "--schedule", str(path))
    assert code == EXIT_BAD_INPUT and "row 1, field 'vendor'" in err
    code, _, err = run(capsys, "simulate", str(TINY), "--without", "gravity")
    assert code == EXIT_BAD_INPUT and "unknown loops" in err
    code, _, err = run(capsys, "simulate", str(TINY), "--schedule", str(tmp_path / "none.csv"))
    assert code == EXIT_BAD_INPUT and "existing CSV file" in err


def test_compare_prints_the_cases_and_writes_the_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "compare", str(TINY), "--out", str(tmp_path / "report"))
    assert code == 0
    for case in ("announced", "announced_timing", "optimal", "coupled"):
        assert case in out
    assert "Key figures" in out and "coupling: converged" in out
    assert "what the simulation passed back" in out and "eff. lead q" in out
    assert (tmp_path / "report" / "index.html").is_file()
    assert (tmp_path / "report" / "summary.md").is_file()


def test_compare_json_with_chosen_cases_and_a_user_schedule(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("period,vendor,site,gw\n2026Q3,asic,,1.0\n")
    code, out, _ = run(
        capsys,
        "compare",
        str(TINY),
        "--case",
        "optimal",
        "--case",
        "announced",
        "--schedule",
        f"mine={path}",
        "--json",
    )
    payload = json.loads(out)
    assert code == 0
    assert [c["name"] for c in payload["cases"]] == ["announced", "optimal", "mine"]
    assert payload["metrics"]["announced"]["lp_objective_busd"] is None
    assert payload["coupling"] is None


def test_compare_json_reports_what_the_coupling_passed_back(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "compare", str(TINY), "--case", "coupled", "--json")
    coupling = json.loads(out)["coupling"]
    assert code == 0 and coupling["converged"]
    assert coupling["report_year"] == 2027
    first = coupling["regions"][0]
    assert set(first) == {
        "iteration",
        "region",
        "lead_quarters",
        "effective_lead_quarters",
        "connection_share",
        "lp_energized_gw",
        "simulated_energized_gw",
    }
    assert len(coupling["regions"]) == coupling["iterations"] * 2  # two regions in tiny


def test_compare_bad_case_and_bad_schedule_are_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "compare", str(TINY), "--case", "best")
    assert code == EXIT_BAD_INPUT and "unknown cases" in err
    code, _, err = run(capsys, "compare", str(TINY), "--schedule", "nameonly")
    assert code == EXIT_BAD_INPUT and "NAME=PATH" in err
    path = tmp_path / "bad.csv"
    path.write_text("period,vendor,gw\n2026Q3,asic,-1\n")
    code, _, err = run(capsys, "compare", str(TINY), "--schedule", f"bad={path}")
    assert code == EXIT_BAD_INPUT and "field 'gw'" in err and "Traceback" not in err


def test_report_writes_the_folder_and_prints_the_headline(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys,
        "report",
        str(TINY),
        "--out",
        str(tmp_path / "r"),
        "--case",
        "announced",
        "--case",
        "optimal",
    )
    assert code == 0 and "report written to" in out
    assert (tmp_path / "r" / "figures").is_dir()
    code, _, err = run(capsys, "report", str(TINY))
    assert code == EXIT_BAD_INPUT and "Missing option '--out'" in err


def test_json_output_is_pure_json_even_from_the_solver(capfd: pytest.CaptureFixture[str]) -> None:
    # HiGHS prints a banner from C when created; scripts parsing --json must not see it
    code = main(["optimize", str(TINY), "--json"])
    printed = capfd.readouterr().out
    assert code == 0
    assert json.loads(printed)["ok"] is True


def test_report_with_an_uncertainty_section(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "r"
    code, _, err = run(
        capsys,
        "report",
        str(TINY),
        "--out",
        str(out),
        "--case",
        "announced",
        "--param",
        "demand.demand_growth_per_year=uniform(0.2,1.0)",
        "--param",
        "regions.*.interconnection_lead_quarters=uniform(2,10)",
        "--samples",
        "20",
        "--tornado",
        "min_cash_busd",
    )
    assert code == 0
    # progress also while sampling (stderr is not a terminal here: plain lines)
    assert "gwplan: sweeping the announced schedule: 20/20 samples (100%)" in err
    assert "gwplan: tornado of min_cash_busd: done in" in err
    markdown = (out / "summary.md").read_text()
    page = (out / "index.html").read_text()
    for text in ("## Uncertainty", "20 samples", "Tornado of min_cash_busd"):
        assert text in markdown
    assert "<h2>Uncertainty</h2>" in page and "Tornado of min_cash_busd" in page
    assert (out / "figures" / "uncertainty_tornado.png").is_file()
    assert (out / "tables" / "uncertainty_percentiles.csv").is_file()


def test_validate_lists_lease_contracts_with_their_sourced_values(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "validate", "cloud_leases", "--json")
    leases = {row["contract"]: row for row in json.loads(out)["lease contracts"]}
    assert code == 0
    # the contract values of FIGURES A1 #12-14 come back from GW x price x term
    assert leases["coreweave_openai"]["total_value_busd"] == pytest.approx(22.4, abs=0.1)
    assert leases["aws_openai"]["total_value_busd"] == pytest.approx(38.0, abs=0.1)
