"""Seeded single mutations of a scenario folder, for the input fuzz test (issue 17).

Each mutation edits a copy of a scenario in place and says what gwplan must
do with it:

- ``reject``: exit 2 with a located message naming every part of ``where``;
- ``same``: exit 0 and a scenario equal to the unmutated one (a BOM, CRLF
  line ends, ``010`` for 10 — anything else would be a silent change);
- ``either``: exit 0 or a located exit 2 (a truncated file may end on a row
  boundary, a deleted row may be optional).
"""

from __future__ import annotations

import csv
import io
import itertools
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sd_model.scenario.field_bounds import is_numeric_field
from sd_model.scenario.tables import TABLES

__all__ = ["KINDS", "Mutation"]

Expect = Literal["reject", "same", "either"]

# Cells no numeric field may accept: words, overflow, non-finite, YAML 1.1 forms, markup.
CSV_JUNK = ("abc", "1e308", "-1e308", "inf", "nan", "true", "0x10", "12:30", "[/]", "9" * 5000)
YAML_JUNK = (
    "true",
    "yes",
    "0x10",
    "0o10",
    "12:30",
    ".inf",
    "-.inf",
    ".nan",
    "1e400",
    "1e308",
    "9" * 40,
    "'[/bold]'",
    "[1, 2]",
)
_NUMBER_LINE = re.compile(r"^(\s*)([a-z_]+): (-?[0-9][0-9.eE+-]*)\s*$")
_INT_LINE = re.compile(r"^(\s*)([a-z_]+): ([1-9][0-9]*)\s*$")


@dataclass
class Mutation:
    """What was changed, and what gwplan must answer."""

    kind: str
    expect: Expect
    detail: str
    where: list[str] = field(default_factory=list)
    sets: list[str] = field(default_factory=list)


def _tables(folder: Path) -> list[tuple[str, Path]]:
    return [(n, folder / s.file) for n, s in TABLES.items() if (folder / s.file).is_file()]


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def numeric_cell(folder: Path, rng: random.Random) -> Mutation | None:
    """A numeric CSV cell replaced by something no number field may accept."""
    choices = []
    for name, path in _tables(folder):
        rows = _rows(path)
        for column in rows[0] if rows else []:
            if is_numeric_field(TABLES[name].model, column.strip()):
                choices += [(path, column, r) for r in range(1, len(rows)) if any(rows[r])]
    if not choices:
        return None
    path, column, row = rng.choice(choices)
    rows = _rows(path)
    junk = rng.choice(CSV_JUNK)
    rows[row][rows[0].index(column)] = junk
    _write_rows(path, rows)
    where = [path.name, f"row {row}", f"field '{column.strip()}'"]
    return Mutation("numeric_cell", "reject", f"{path.name}[{row}].{column}={junk[:12]}", where)


def _yaml_lines(folder: Path, pattern: re.Pattern[str]) -> tuple[Path, list[str], list[int]]:
    path = folder / "scenario.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    return path, lines, [i for i, line in enumerate(lines) if pattern.match(line)]


def yaml_number(folder: Path, rng: random.Random) -> Mutation | None:
    """A number in scenario.yaml replaced by a YAML form that is not that kind of number."""
    path, lines, found = _yaml_lines(folder, _NUMBER_LINE)
    if not found:
        return None
    i = rng.choice(found)
    match = _NUMBER_LINE.match(lines[i])
    assert match is not None
    junk = rng.choice(YAML_JUNK)
    lines[i] = f"{match[1]}{match[2]}: {junk}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    detail = f"{match[2]}: {junk[:12]}"
    return Mutation("yaml_number", "reject", detail, ["scenario.yaml", match[2]])


def yaml_leading_zero(folder: Path, rng: random.Random) -> Mutation | None:
    """An integer written with a leading zero: YAML 1.2 reads 010 as 10 (1.1 read 8)."""
    path, lines, found = _yaml_lines(folder, _INT_LINE)
    if not found:
        return None
    i = rng.choice(found)
    lines[i] = re.sub(r": ([1-9])", r": 0\1", lines[i], count=1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Mutation("yaml_leading_zero", "same", lines[i].strip())


def set_junk(folder: Path, rng: random.Random) -> Mutation | None:
    """``--set key=junk`` on a numeric setting."""
    _, lines, found = _yaml_lines(folder, _NUMBER_LINE)
    keys = []
    for i in found:
        match = _NUMBER_LINE.match(lines[i])
        assert match is not None
        parents = [
            p.strip().rstrip(":")
            for p in lines[:i]
            if p.rstrip().endswith(":") and len(p) - len(p.lstrip()) < len(match[1])
        ]
        prefix = parents[-1] + "." if match[1] and parents else ""
        keys.append(prefix + match[2])
    if not keys:
        return None
    key, junk = rng.choice(keys), rng.choice(YAML_JUNK)
    return Mutation("set_junk", "reject", f"{key}={junk[:12]}", [key], [f"{key}={junk}"])


def _any_file(folder: Path, rng: random.Random) -> Path:
    return rng.choice(sorted(p for p in folder.iterdir() if p.is_file()))


def truncate(folder: Path, rng: random.Random) -> Mutation | None:
    """A file cut off at a random byte."""
    path = _any_file(folder, rng)
    data = path.read_bytes()
    cut = rng.randrange(len(data)) if data else 0
    path.write_bytes(data[:cut])
    return Mutation("truncate", "either", f"{path.name}[:{cut}]")


def delete_line(folder: Path, rng: random.Random) -> Mutation | None:
    """One line of a file removed."""
    path = _any_file(folder, rng)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if len(lines) < 2:
        return None
    i = rng.randrange(len(lines))
    del lines[i]
    path.write_text("".join(lines), encoding="utf-8")
    return Mutation("delete_line", "either", f"{path.name} line {i + 1}")


def duplicate_line(folder: Path, rng: random.Random) -> Mutation | None:
    """One line of a file repeated (a duplicate row or key)."""
    path = _any_file(folder, rng)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    i = rng.randrange(1, len(lines)) if len(lines) > 1 else 0
    line = lines[i] if lines[i].endswith("\n") else lines[i] + "\n"
    lines[i:i] = [line]
    path.write_text("".join(lines), encoding="utf-8")
    return Mutation("duplicate_line", "either", f"{path.name} line {i + 1}")


def bad_byte(folder: Path, rng: random.Random) -> Mutation | None:
    """A byte that is not UTF-8 inserted anywhere."""
    path = _any_file(folder, rng)
    data = path.read_bytes()
    at = rng.randrange(len(data) + 1)
    path.write_bytes(data[:at] + rng.choice([b"\xff", b"\xe9", b"\xc3("]) + data[at:])
    return Mutation("bad_byte", "reject", f"{path.name}@{at}", [path.name, "UTF-8"])


def rename_header(folder: Path, rng: random.Random) -> Mutation | None:
    """A column header misspelt."""
    _, path = rng.choice(_tables(folder))
    rows = _rows(path)
    if not rows or not rows[0]:
        return None
    j = rng.randrange(len(rows[0]))
    old = rows[0][j]
    rows[0][j] = old[:-1] if len(old) > 1 else old + "x"
    _write_rows(path, rows)
    return Mutation("rename_header", "either", f"{path.name}:{old}->{rows[0][j]}")


def rename_file(folder: Path, rng: random.Random) -> Mutation | None:
    """A table's file name misspelt (the table would silently vanish)."""
    _, path = rng.choice(_tables(folder))
    stem = path.stem
    new = rng.choice([f"{stem}.CSV", f"{stem.replace('_', '-')}.csv", f"{stem}s.csv"])
    new = f"{stem}.CSV" if new == path.name else new  # no '_' to turn into '-'
    path.rename(folder / new)
    return Mutation("rename_file", "reject", f"{path.name}->{new}", [new])


def header_only(folder: Path, rng: random.Random) -> Mutation | None:
    """A table emptied down to its header (required tables must refuse it)."""
    name, path = rng.choice(_tables(folder))
    rows = _rows(path)
    _write_rows(path, rows[:1])
    expect: Expect = "reject" if TABLES[name].required else "either"
    return Mutation("header_only", expect, path.name, [path.name] if TABLES[name].required else [])


def encoding_noise(folder: Path, rng: random.Random) -> Mutation | None:
    """A UTF-8 BOM or CRLF line ends: the same scenario."""
    path = _any_file(folder, rng)
    text = path.read_text(encoding="utf-8")
    if rng.random() < 0.5:
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
        return Mutation("encoding_noise", "same", f"BOM {path.name}")
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return Mutation("encoding_noise", "same", f"CRLF {path.name}")


def resource_bomb(folder: Path, rng: random.Random) -> Mutation | None:
    """Deep nesting, an alias bomb or a huge cell: refused quickly."""
    choice = rng.randrange(3)
    if choice == 2:
        _, path = rng.choice(_tables(folder))
        rows = _rows(path)
        if len(rows) < 2:
            return None
        rows[1][0] = "x" * 200_000
        _write_rows(path, rows)
        return Mutation("resource_bomb", "reject", f"huge cell {path.name}", [path.name, "row 1"])
    path = folder / "scenario.yaml"
    if choice == 0:
        extra = "nested: " + "[" * 1000 + "]" * 1000
    else:
        names = "abcdefghij"
        extra = "\n".join(
            ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
            + [f"{c}: &{c} [{', '.join(['*' + p] * 10)}]" for p, c in itertools.pairwise(names)]
        )
    path.write_text(path.read_text(encoding="utf-8") + "\n" + extra + "\n", encoding="utf-8")
    return Mutation("resource_bomb", "reject", ["nesting", "alias bomb"][choice], ["scenario.yaml"])


KINDS: dict[str, Callable[[Path, random.Random], Mutation | None]] = {
    f.__name__: f
    for f in (
        numeric_cell,
        yaml_number,
        yaml_leading_zero,
        set_junk,
        truncate,
        delete_line,
        duplicate_line,
        bad_byte,
        rename_header,
        rename_file,
        header_only,
        encoding_noise,
        resource_bomb,
    )
}
