"""Read a CSV file's records within limits, or say where and why it cannot be read.

Scenario tables are small hand-edited files; a multi-megabyte cell or a file
in another encoding is a mistake to report with its place (file, row), not
an internal error of the csv module.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sd_model.scenario.errors import Problem

__all__ = ["MAX_CELL_CHARS", "MAX_TABLE_BYTES", "read_records"]

MAX_TABLE_BYTES = 20_000_000  # the largest bundled table is a few kilobytes
MAX_CELL_CHARS = 10_000  # names and notes are one line; a longer cell is a pasting slip


def read_records(path: Path) -> tuple[list[list[str]], Problem | None]:
    """The records of ``path`` (header first), or the problem that stops reading it.

    Rows are numbered as in `Problem`: row 0 is the header, row 1 the first
    data row.
    """
    where = str(path)
    size = path.stat().st_size
    if size > MAX_TABLE_BYTES:
        return [], Problem(where, f"a table of at most {MAX_TABLE_BYTES:,} bytes, found {size:,}")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        expected = f"a UTF-8 text file ({err.reason} at byte {err.start}, line {line})"
        return [], Problem(where, expected)
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    # The csv module's own limit (131,072) would stop a long cell before it can be located.
    limit = csv.field_size_limit(MAX_TABLE_BYTES)
    try:
        for record in reader:
            records.append(record)
            long = [i for i, cell in enumerate(record) if len(cell) > MAX_CELL_CHARS]
            if long:
                column = records[0][long[0]].strip() if len(records[0]) > long[0] else None
                size = len(record[long[0]])
                expected = f"a cell of at most {MAX_CELL_CHARS:,} characters, found {size:,}"
                return [], Problem(where, expected, len(records) - 1, column)
    except csv.Error as err:
        return [], Problem(where, f"readable CSV ({err})", len(records))
    finally:
        csv.field_size_limit(limit)
    return records, None
