"""Files in a scenario folder that look like a misspelt table.

A table whose file name is misspelt (``ppa_options.CSV``,
``announced-schedule.csv``) would be silently ignored, and a scenario
without its announced schedule still loads. Such look-alikes are reported as
problems instead; other files (notes, READMEs, hidden files) are left alone.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from sd_model.scenario.errors import Problem

__all__ = ["misspelt_files"]

_TABLE_SUFFIXES = ("", ".csv", ".tsv", ".txt", ".yaml", ".yml", ".xlsx", ".xls")
_CUTOFF = 0.8  # 'vendor.csv' and 'region_headrom.csv' match; 'notes.csv' does not


def misspelt_files(folder: Path, known: Iterable[str]) -> list[Problem]:
    """A problem for each file of ``folder`` that looks like one of the ``known`` file names.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "announced-schedule.csv").write_text("period")
    >>> [p.expected for p in misspelt_files(folder, ["announced_schedule.csv"])]
    ['the file name announced_schedule.csv (a file of this name is ignored; rename it)']
    """
    names = sorted(known)
    stems = {_normal(Path(n).stem): n for n in names}
    problems = []
    for path in sorted(folder.iterdir()):
        if path.name in names or path.name.startswith(".") or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix not in _TABLE_SUFFIXES:
            continue
        close = difflib.get_close_matches(_normal(path.stem), list(stems), n=1, cutoff=_CUTOFF)
        if close:
            expected = (
                f"the file name {stems[close[0]]} (a file of this name is ignored; rename it)"
            )
            problems.append(Problem(str(path), expected))
    return problems


def _normal(stem: str) -> str:
    return stem.strip().lower().replace("-", "_").replace(" ", "_")
