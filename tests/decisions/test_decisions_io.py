"""Decisions as a folder of CSVs: round trip, located errors, safe writing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sd_model import Decisions, Scenario, ScenarioError, read_decisions, write_decisions
from sd_model.output_folder import OutputRefusedError


def _decisions() -> Decisions:
    return Decisions(
        deliveries=pd.DataFrame(
            {
                "period": ["2026Q3", "2026Q4"],
                "vendor": ["gpu", "asic"],
                "site": ["TXA", ""],
                "delivered_gw": [0.25, 0.5],
            }
        ),
        shell_starts=pd.DataFrame({"period": ["2026Q1"], "site": ["TXB"], "shell_start_gw": [0.3]}),
        onsite_builds=pd.DataFrame(
            {"period": ["2026Q2"], "site": ["PJA"], "option": ["gas_ccgt"], "build_gw": [0.1]}
        ),
    )


def test_round_trip_keeps_every_table(tiny: Scenario, tmp_path: Path) -> None:
    decisions = _decisions()
    write_decisions(decisions, tmp_path / "plan")
    back = read_decisions(tmp_path / "plan", tiny)
    assert back.fixed == ("deliveries", "shell_starts", "onsite_builds")
    for name, frame in decisions.tables():
        pd.testing.assert_frame_equal(getattr(back, name), frame)


def test_schedule_and_decisions_carry_the_same_deliveries() -> None:
    decisions = _decisions()
    again = Decisions.from_schedule(decisions.schedule)
    assert again.fixed == ("deliveries",)
    assert again.schedule == decisions.schedule


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_bad_rows_are_located(tiny: Scenario, tmp_path: Path) -> None:
    folder = tmp_path / "hand"
    _write(
        folder,
        "deliveries.csv",
        "period,vendor,site,delivered_gw\n2026Q3,gpu,NOPE,0.2\n\n2031Q1,gpu,TXA,0.1\n"
        "2026Q4,gpu,TXA,-0.5\n",
    )
    _write(folder, "shell_starts.csv", "period,site,shell_start_gw\n2026Q1,TXA,lots\n")
    with pytest.raises(ScenarioError) as caught:
        read_decisions(folder, tiny)
    found = {(Path(p.where).name, p.row, p.field) for p in caught.value.problems}
    assert ("shell_starts.csv", 1, "shell_start_gw") in found  # not a number
    assert len(caught.value.problems) == 1  # parsing stops before the id checks
    (folder / "shell_starts.csv").unlink()
    with pytest.raises(ScenarioError) as caught:
        read_decisions(folder, tiny)
    problems = {(Path(p.where).name, p.row, p.field): p for p in caught.value.problems}
    assert set(problems) == {
        ("deliveries.csv", 1, "site"),
        ("deliveries.csv", 3, "period"),  # the blank line keeps its number
        ("deliveries.csv", 4, "delivered_gw"),
    }
    assert "TXA" in problems["deliveries.csv", 1, "site"].expected
    assert "2028Q4" in problems["deliveries.csv", 3, "period"].expected
    assert ">= 0" in problems["deliveries.csv", 4, "delivered_gw"].expected


def test_missing_deliveries_unknown_file_and_option_are_reported(
    tiny: Scenario, tmp_path: Path
) -> None:
    folder = tmp_path / "hand"
    _write(folder, "shell_start.csv", "period,site,shell_start_gw\n")
    _write(folder, "onsite_builds.csv", "period,site,option,build_gw\n2026Q1,TXA,gas_ccgt,0.1\n")
    with pytest.raises(ScenarioError) as caught:
        read_decisions(folder, tiny)
    names = sorted(Path(p.where).name for p in caught.value.problems)
    assert names == ["deliveries.csv", "shell_start.csv"]
    _write(folder, "deliveries.csv", "period,vendor,site,delivered_gw\n")
    (folder / "shell_start.csv").unlink()
    with pytest.raises(ScenarioError, match="gas_recip"):  # TXA allows gas_recip only
        read_decisions(folder, tiny)


def test_writing_never_replaces_files_it_did_not_write(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputRefusedError):
        write_decisions(_decisions(), folder)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me"
    write_decisions(_decisions(), tmp_path / "ours")
    write_decisions(Decisions.from_schedule(_decisions().schedule), tmp_path / "ours")
    assert sorted(p.name for p in (tmp_path / "ours").glob("*.csv")) == ["deliveries.csv"]
