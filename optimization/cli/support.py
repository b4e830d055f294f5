"""Shared pieces of the command line: exit codes, consoles, options, input handling, tables."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
import yaml
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:  # pandas and the scenario model load when a command needs them (fast --help)
    import pandas as pd

    from sd_model import Decisions, ScenarioError, Schedule
    from sd_model.scenario.definition import Scenario

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_INFEASIBLE",
    "EXIT_INTERNAL",
    "ForceOption",
    "JsonOption",
    "OutOption",
    "ScenarioArg",
    "SetOption",
    "choice",
    "decisions_or_exit",
    "err",
    "frame_table",
    "load_or_exit",
    "one_of",
    "out_console",
    "out_or_exit",
    "parse_sets",
    "print_json",
    "schedule_or_exit",
    "styled",
]

EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_INTERNAL = 1


class _PipedConsole(Console):
    """A console whose closed pipe (``gwplan ... | head``) stops the command quietly.

    rich's default exits with status 1; `optimization.cli.main.main` turns the
    `BrokenPipeError` raised here into status 0, as ``head`` users expect.
    """

    def on_broken_pipe(self) -> None:
        """Stop printing and let the command end (`main` returns 0)."""
        self.quiet = True
        raise BrokenPipeError


class _QuietOnBrokenPipe(Console):
    """Standard error: when nobody reads it any more, the work goes on without it."""

    def on_broken_pipe(self) -> None:
        """Stop printing; the command's result still goes to standard output or --out."""
        self.quiet = True


# Markup off: scenario text ('[/]' in a description or a value) is printed as typed;
# styled output goes through `styled`.
out_console = _PipedConsole(markup=False)
err = _QuietOnBrokenPipe(stderr=True, soft_wrap=True, markup=False)

ScenarioArg = Annotated[
    str, typer.Argument(help="A bundled scenario name (see `gwplan scenarios`) or a folder.")
]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a value: KEY=VALUE (repeatable), e.g. pue=1.3."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="A new folder for the result files (or one gwplan wrote, with --force); "
        "written atomically.",
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace an --out folder that gwplan wrote before.")
]


def one_of(allowed: Sequence[str], name: str, help_text: str = "") -> Any:
    """A typer option that accepts only ``allowed`` values (a clear error otherwise)."""

    def check(value: str) -> str:
        if value not in allowed:
            raise typer.BadParameter(f"expected one of {', '.join(allowed)}, got {value!r}")
        return value

    return typer.Option(name, callback=check, help=f"{help_text} One of: {', '.join(allowed)}.")


def choice(allowed: Sequence[Any], value: str) -> Any:
    """Narrow a validated option string to its ``Literal`` type."""
    return next(a for a in allowed if a == value)


def parse_sets(items: Sequence[str] | None) -> dict[str, Any]:
    """Parse ``KEY=VALUE`` strings; values are read as YAML scalars (``24``, ``0.5``, ``true``).

    Raises
    ------
    typer.BadParameter
        If an item has no ``=`` or an empty key.
    """
    from sd_model.scenario.safe_yaml import load_text

    overrides: dict[str, Any] = {}
    for item in items or ():
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint="--set")
        try:
            overrides[key.strip()] = load_text(text)
        except yaml.YAMLError:  # not a bounded YAML scalar: the field's check reports it
            overrides[key.strip()] = text
    return overrides


def print_json(payload: Any) -> None:
    """Print a JSON document on standard output."""
    out_console.print_json(json.dumps(payload, default=str))


def _bad_input(error: ScenarioError, as_json: bool) -> NoReturn:
    if as_json:
        problems = [p.__dict__ | {"message": str(p)} for p in error.problems]
        print_json({"ok": False, "problems": problems})
    else:
        err.print(styled("error:", "bold red", f" {error}"), highlight=False)
    raise typer.Exit(EXIT_BAD_INPUT)


def out_or_exit(out: Path | None, force: bool, as_json: bool = False) -> Path | None:
    """Refuse an --out folder gwplan may not or cannot write, before any work (exit 2)."""
    if out is None:
        return None
    from sd_model.output_folder import OutputRefusedError, check_output

    try:
        check_output(out, force=force)
    except OutputRefusedError as error:
        if as_json:
            print_json({"ok": False, "problems": [{"where": str(out), "message": str(error)}]})
        else:
            err.print(styled("error:", "bold red", f" --out {error}"), highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    return out


def load_or_exit(name: str, sets: Sequence[str] | None, as_json: bool = False) -> Scenario:
    """Load a scenario; on bad input print every problem and exit with `EXIT_BAD_INPUT`."""
    from sd_model import ScenarioError, load_scenario

    try:
        return load_scenario(name, parse_sets(sets))
    except ScenarioError as error:
        _bad_input(error, as_json)


def schedule_or_exit(path: Path, scenario: Scenario, as_json: bool = False) -> Schedule:
    """Load a schedule CSV for ``scenario``; on bad input print the problems and exit."""
    from sd_model import ScenarioError, load_schedule

    try:
        return load_schedule(path, scenario)
    except ScenarioError as error:
        _bad_input(error, as_json)


def decisions_or_exit(path: Path, scenario: Scenario, as_json: bool = False) -> Decisions:
    """Read a decisions folder for ``scenario``; on bad input print the problems and exit."""
    from sd_model import ScenarioError, read_decisions

    try:
        return read_decisions(path, scenario)
    except ScenarioError as error:
        _bad_input(error, as_json)


def styled(lead: str, style: str, rest: str = "") -> Text:
    """``lead`` in ``style`` followed by plain ``rest`` (never read as markup)."""
    return Text.assemble((lead, style), rest)


def frame_table(frame: pd.DataFrame, title: str) -> Table:
    """Render a small DataFrame as a rich table (floats to 3 significant digits)."""
    import pandas as pd

    table = Table(title=Text(title), title_justify="left")
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        table.add_column(Text(str(column)), justify="right" if numeric else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*(Text(f"{v:.3g}" if isinstance(v, float) else str(v)) for v in row))
    return table
