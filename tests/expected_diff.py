"""Print every stored expectation that differs from ``HEAD``: ``file: key before -> after``.

Run from the project root after ``pytest tests/test_expected.py --update-expected``;
paste the output into the commit message that changes the numbers.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

EXPECTED = "tests/expected"


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


def changes(revision: str = "HEAD") -> Iterator[str]:
    """One line per stored number that differs between ``revision`` and the working tree."""
    for name in sorted(_git("diff", "--name-only", revision, "--", EXPECTED).split()):
        path = Path(name)
        old_text = subprocess.run(
            ["git", "show", f"{revision}:{name}"], capture_output=True, text=True
        ).stdout
        old = json.loads(old_text) if old_text else {}
        new = json.loads(path.read_text()) if path.exists() else {}
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                yield f"{path.stem}: {key}: {old.get(key, 'absent')} -> {new.get(key, 'absent')}"


if __name__ == "__main__":
    for line in changes():
        print(line)
