"""Input problems and the error that carries them.

A scenario can be wrong in many places at once; planners fix a spreadsheet
faster when every problem is listed together, each with where it is (file,
row, field), the value found and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Problem", "ScenarioError", "explain"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario input.

    Parameters
    ----------
    where
        The file (``sites.csv``) or, for a scenario built in code, the table
        or section (``sites``) that holds the problem.
    expected
        What a valid value looks like, in a planner's words.
    row
        1-based data row in a CSV table (row 1 is the line after the header;
        0 means the header itself), or ``None``
        for YAML sections and whole-table problems.
    field
        The column or key, or ``None`` when the problem is not about one field.
    value
        The offending value as found, or ``None``.
    """

    where: str
    expected: str
    row: int | None = None
    field: str | None = None
    value: Any = None

    def __str__(self) -> str:
        parts = [self.where]
        if self.row == 0:
            parts.append("header")
        elif self.row is not None:
            parts.append(f"row {self.row}")
        if self.field is not None:
            parts.append(f"field '{self.field}'")
        location = ", ".join(parts)
        found = "" if self.value is None else f": got {self.value!r}"
        return f"{location}{found} — expected {self.expected}"


class ScenarioError(Exception):
    """A scenario that cannot be used, with every problem found in it.

    Parameters
    ----------
    problems
        All problems found; at least one.
    source
        The scenario folder or name the problems belong to, if any.
    """

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        super().__init__(self._message())

    def _message(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in "
        if not self.source:
            head += "the scenario"
        elif "/" in self.source or self.source.endswith(".csv"):
            head += self.source
        else:
            head += f"scenario {self.source}"
        return head + ":\n" + "\n".join(f"  - {p}" for p in self.problems)


def explain(message: str) -> str:
    """Turn a pydantic error message into the 'expected ...' part of a `Problem`."""
    for prefix in ("Value error, ", "Input should be "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    return message
