"""The wheel carries the bundled scenarios and the typing marker."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("gwplan-*.whl")
    return zipfile.ZipFile(built)


def test_wheel_ships_every_bundled_scenario_file(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    bundled = [p.relative_to(ROOT / "data") for p in (ROOT / "data").rglob("*") if p.is_file()]
    assert bundled, "no bundled data found in the checkout"
    missing = [str(p) for p in bundled if f"sd_model/_data/{p.as_posix()}" not in names]
    assert missing == []


def test_wheel_has_both_packages_typed_and_the_console_script(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert {"sd_model/py.typed", "optimization/py.typed", "optimization/cli/main.py"} <= names
    (entry_points,) = [n for n in names if n.endswith("entry_points.txt")]
    assert "gwplan = optimization.cli.main:run" in wheel.read(entry_points).decode()
