"""Which folders a sweep may write to, and which of their files are the sweep's own.

A sweep folder grows chunk by chunk, so unlike other outputs it is not
written in one rename. Its marker (see `sd_model.output_folder`) lists the
patterns of the files a sweep writes; a folder is accepted when it is new or
empty, or is a sweep folder with nothing else in it (to ``resume``, or with
``force`` to start over).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sd_model.output_folder import (
    MARKER,
    OutputRefusedError,
    check_output,
    foreign_files,
    marker_kind,
    owned_patterns,
    write_marker,
)

__all__ = ["SWEEP_PATTERNS", "check_sweep_folder", "mark_sweep_folder"]

SWEEP_PATTERNS = (
    "sweep.json",
    "*.tmp",
    "chunks/",
    "chunks/*",
    "summary/",
    "summary/*",
    ".summary.gwplan-*",
)


def mark_sweep_folder(folder: Path) -> None:
    """Record that ``folder`` holds a sweep (called when the sweep creates it)."""
    write_marker(folder, SWEEP_PATTERNS, kind="sweep")


def check_sweep_folder(
    target: str | os.PathLike[str], *, resume: bool = False, force: bool = False
) -> Path:
    """Accept a folder for a sweep's results, or refuse it before the sweep starts.

    With ``force`` an existing sweep folder is emptied (only files the sweep
    wrote are there, or it is refused).

    Raises
    ------
    OutputRefusedError
        If the folder is a file, the current directory, holds files a sweep
        did not write, or holds a sweep and neither ``resume`` nor ``force``
        is given.
    """
    folder = Path(target)
    if not folder.exists() or not any(folder.iterdir()):
        return check_output(folder)
    check_output(folder, force=True)  # a file, the current folder, foreign files, unwritable
    if marker_kind(folder) != "sweep" or owned_patterns(folder) is None or foreign_files(folder):
        raise OutputRefusedError(f"{folder} is not a sweep folder; choose a new folder")
    if force:
        for path in folder.iterdir():
            if path.name != MARKER:
                shutil.rmtree(path) if path.is_dir() else path.unlink()
    elif not resume:
        raise OutputRefusedError(
            f"{folder} already holds a sweep; pass --resume to continue it, --force to "
            "start it over, or choose another folder"
        )
    return folder
