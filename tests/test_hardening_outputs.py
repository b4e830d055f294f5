"""Issue 17: no --out ever destroys data; refusals come before any work, with exit 2."""

from __future__ import annotations

import importlib
import os
import shutil
import signal
import subprocess
from pathlib import Path
from typing import Any

import pytest

import sd_model
from optimization.cli.main import EXIT_BAD_INPUT, main
from sd_model.output_folder import MARKER, OutputRefusedError, atomic_folder, check_output
from tests.conftest import TINY


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def no_solve(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if optimize gets as far as solving."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the solve started before --out was checked")

    # Both where it is defined and where the CLI may have bound it at import.
    monkeypatch.setattr("optimization.lp.planning.optimize", refuse)
    monkeypatch.setattr(
        importlib.import_module("optimization.cli.main"), "optimize_plan", refuse, raising=False
    )


def hidden_leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if "gwplan-" in p.name)


@pytest.mark.usefixtures("no_solve")
def test_a_folder_of_other_files_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.tex").write_text("years of work", encoding="utf-8")
    code, _, err = run(capsys, "optimize", str(TINY), "--out", str(folder), "--force")
    assert code == EXIT_BAD_INPUT and "thesis.tex" in err and "did not write" in err
    assert snapshot(folder) == {"thesis.tex": b"years of work"}


@pytest.mark.usefixtures("no_solve")
@pytest.mark.parametrize("target", [".", "PWD", ".."])
def test_the_current_directory_and_its_parents_are_refused(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "keep.txt").write_text("keep", encoding="utf-8")
    monkeypatch.chdir(work)
    out = str(work) if target == "PWD" else target
    code, _, err = run(capsys, "optimize", str(TINY), "--out", out)
    assert code == EXIT_BAD_INPUT and "current directory" in err
    assert (work / "keep.txt").read_text(encoding="utf-8") == "keep"


@pytest.mark.usefixtures("no_solve")
def test_the_scenario_folder_itself_is_refused(
    capsys: pytest.CaptureFixture[str], tiny_copy: Path
) -> None:
    before = snapshot(tiny_copy)
    code, _, err = run(capsys, "optimize", str(tiny_copy), "--out", str(tiny_copy), "--force")
    assert code == EXIT_BAD_INPUT and "did not write" in err
    assert snapshot(tiny_copy) == before


@pytest.mark.usefixtures("no_solve")
def test_a_regular_file_is_never_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    file = tmp_path / "plan"
    file.write_text("not a folder", encoding="utf-8")
    code, _, err = run(capsys, "optimize", str(TINY), "--out", str(file), "--force")
    assert code == EXIT_BAD_INPUT and "is a file" in err
    assert file.read_text(encoding="utf-8") == "not a folder"


def test_a_gwplan_folder_is_replaced_only_with_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "sim"
    assert run(capsys, "simulate", str(TINY), "--out", str(out))[0] == 0
    assert (out / MARKER).is_file()
    code, _, err = run(capsys, "simulate", str(TINY), "--out", str(out))
    assert code == EXIT_BAD_INPUT and "--force" in err
    assert run(capsys, "simulate", str(TINY), "--out", str(out), "--force")[0] == 0
    (out / "my_notes.md").write_text("mine", encoding="utf-8")
    code, _, err = run(capsys, "simulate", str(TINY), "--out", str(out), "--force")
    assert code == EXIT_BAD_INPUT and "my_notes.md" in err
    assert (out / "my_notes.md").read_text(encoding="utf-8") == "mine"
    assert hidden_leftovers(tmp_path) == []


def test_an_empty_folder_is_used(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert run(capsys, "simulate", str(TINY), "--out", str(out))[0] == 0
    assert (out / "summary.json").is_file()


def _chattr(flag: str, path: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


@pytest.mark.usefixtures("no_solve")
def test_unwritable_places_are_refused_before_the_solve(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    if not _chattr("+i", locked):
        pytest.skip("chattr +i is not available here")
    try:
        code, _, err = run(capsys, "optimize", str(TINY), "--out", str(locked / "plan"))
        assert code == EXIT_BAD_INPUT and "cannot write" in err
        (tmp_path / "plan").mkdir()
        (tmp_path / "plan" / MARKER).write_text('{"files": []}', encoding="utf-8")
        assert _chattr("+i", tmp_path / "plan")
        code, _, err = run(
            capsys, "optimize", str(TINY), "--out", str(tmp_path / "plan"), "--force"
        )
        assert code == EXIT_BAD_INPUT and "immutable" in err
    finally:
        _chattr("-i", locked)
        _chattr("-i", tmp_path / "plan")
    assert hidden_leftovers(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
@pytest.mark.usefixtures("no_solve")
def test_a_read_only_parent_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        code, _, err = run(capsys, "optimize", str(TINY), "--out", str(parent / "plan"))
    finally:
        parent.chmod(0o755)
    assert code == EXIT_BAD_INPUT and "cannot write" in err


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc")
@pytest.mark.usefixtures("no_solve")
def test_a_place_no_one_can_write_is_refused_before_the_solve(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # /proc takes no new folders even from root, so this runs where chmod cannot stop root.
    code, _, err = run(capsys, "optimize", str(TINY), "--out", "/proc/gwplan-plan")
    assert code == EXIT_BAD_INPUT and "cannot write in /proc" in err


def test_staging_left_by_a_killed_run_is_removed_on_the_next_start(tmp_path: Path) -> None:
    pid = _dead_pid()
    stale = tmp_path / f".plan.gwplan-staging-{pid}-abc"
    retired = tmp_path / f".plan.gwplan-retired-{pid}-def"
    for folder in (stale, retired):
        folder.mkdir()
        (folder / MARKER).write_text('{"files": ["*"]}', encoding="utf-8")
        (folder / "half.csv").write_text("a,b\n", encoding="utf-8")
    unrelated = tmp_path / ".plan.gwplan-staging-notes"
    unrelated.mkdir()
    check_output(tmp_path / "plan")
    assert sorted(p.name for p in tmp_path.iterdir()) == [unrelated.name]


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_sigterm_during_a_write_leaves_no_staging_and_no_target(tmp_path: Path) -> None:
    out = tmp_path / "report"
    with pytest.raises(SystemExit), atomic_folder(out) as staging:
        (staging / "a.csv").write_text("1", encoding="utf-8")
        os.kill(os.getpid(), signal.SIGTERM)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_swap_puts_the_old_folder_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "plan"
    with atomic_folder(out) as staging:
        (staging / "old.csv").write_text("old", encoding="utf-8")
    real = os.replace
    calls: list[str] = []

    def fail_second(src: Any, dst: Any) -> None:
        calls.append(str(src))
        if len(calls) == 2:
            raise OSError(30, "Read-only file system")
        real(src, dst)

    monkeypatch.setattr(os, "replace", fail_second)
    with pytest.raises(OSError, match="Read-only"), atomic_folder(out) as staging:
        (staging / "new.csv").write_text("new", encoding="utf-8")
    monkeypatch.undo()
    assert (out / "old.csv").read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]


def test_save_scenario_never_replaces_a_folder_of_other_files(
    tiny: sd_model.Scenario, tmp_path: Path
) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputRefusedError, match=r"notes\.txt"):
        sd_model.save_scenario(tiny, target, overwrite=True)
    assert (target / "notes.txt").read_text(encoding="utf-8") == "mine"
    saved = sd_model.save_scenario(tiny, tmp_path / "saved")
    assert sd_model.load_scenario(saved).name == tiny.name


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_the_output_folder_honours_the_umask(tmp_path: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        with atomic_folder(tmp_path / "plan") as staging:
            (staging / "a.csv").write_text("1", encoding="utf-8")
    finally:
        os.umask(previous)
    assert (tmp_path / "plan").stat().st_mode & 0o777 == 0o777 & ~umask
    assert (tmp_path / "plan" / "a.csv").stat().st_mode & 0o777 == 0o666 & ~umask
