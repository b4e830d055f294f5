"""The ``gwplan`` command line.

Exit codes: 0 success; 2 bad input (scenario, ``--set`` key or option);
3 infeasible in strict mode; 1 internal error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Annotated, Any

import pandas as pd
import typer
import yaml
from rich.console import Console
from rich.table import Table

from sd_model import ScenarioError, list_scenarios, load_scenario
from sd_model.provenance import unsourced_keys
from sd_model.scenario import Scenario
from sd_model.summary import announced_by_year, sites_by_region, vendor_table

__all__ = ["EXIT_BAD_INPUT", "EXIT_INFEASIBLE", "EXIT_INTERNAL", "app", "main", "parse_sets", "run"]

EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_INTERNAL = 1

app = typer.Typer(
    name="gwplan",
    help=(
        "Plan gigawatt-scale AI data-center build-outs.\n\n"
        "Examples:\n\n"
        "  gwplan scenarios\n\n"
        "  gwplan validate reference\n\n"
        "  gwplan validate ./my_scenario --set regions.PJM.interconnection_lead_quarters=24"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True, soft_wrap=True)

ScenarioArg = Annotated[
    str, typer.Argument(help="A bundled scenario name (see `gwplan scenarios`) or a folder.")
]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a value: KEY=VALUE (repeatable), e.g. pue=1.3."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def parse_sets(items: Sequence[str] | None) -> dict[str, Any]:
    """Parse ``KEY=VALUE`` strings; values are read as YAML scalars (``24``, ``0.5``, ``true``).

    Raises
    ------
    typer.BadParameter
        If an item has no ``=`` or an empty key.
    """
    overrides: dict[str, Any] = {}
    for item in items or ():
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint="--set")
        try:
            overrides[key.strip()] = yaml.safe_load(text)
        except yaml.YAMLError:
            overrides[key.strip()] = text
    return overrides


def load_or_exit(name: str, sets: Sequence[str] | None, as_json: bool = False) -> Scenario:
    """Load a scenario; on bad input print every problem and exit with `EXIT_BAD_INPUT`."""
    try:
        return load_scenario(name, parse_sets(sets))
    except ScenarioError as error:
        if as_json:
            problems = [p.__dict__ | {"message": str(p)} for p in error.problems]
            out.print_json(json.dumps({"ok": False, "problems": problems}, default=str))
        else:
            err.print(f"[bold red]error:[/] {error}", markup=True, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def frame_table(frame: pd.DataFrame, title: str) -> Table:
    """Render a small DataFrame as a rich table (floats to 3 significant digits)."""
    table = Table(title=title, title_justify="left")
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        table.add_column(str(column), justify="right" if numeric else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*(f"{v:.3g}" if isinstance(v, float) else str(v) for v in row))
    return table


@app.command()
def scenarios(as_json: JsonOption = False) -> None:
    """List the bundled scenarios."""
    infos = list_scenarios()
    if as_json:
        rows = [{"name": i.name, "extends": i.extends, "description": i.description} for i in infos]
        out.print_json(json.dumps(rows))
        return
    frame = pd.DataFrame(
        [(i.name, i.extends or "", i.description) for i in infos],
        columns=["name", "extends", "description"],
    )
    out.print(frame_table(frame, "Bundled scenarios"))


@app.command()
def validate(scenario: ScenarioArg, sets: SetOption = None, as_json: JsonOption = False) -> None:
    """Check a scenario and summarise it, or list every problem in it.

    Example: gwplan validate reference --set financing.debt_rate_per_year=0.09
    """
    loaded = load_or_exit(scenario, sets, as_json)
    tables = {
        "sites by region": sites_by_region(loaded),
        "vendors": vendor_table(loaded),
        "announced GW per year against site capacity": announced_by_year(loaded),
    }
    missing = unsourced_keys(loaded)
    if as_json:
        payload = {
            "ok": True,
            "name": loaded.name,
            "unsourced_keys": missing,
            **{name: frame.to_dict(orient="records") for name, frame in tables.items()},
        }
        out.print_json(json.dumps(payload, default=str))
        return
    out.print(f"[bold green]valid[/]: {loaded.name} — {loaded.description}")
    grid = loaded.periods
    out.print(
        f"periods: {grid.start_period} → {grid.lp_end_period} (plan), "
        f"→ {grid.sd_end_period} (simulation), {grid.frequency}ly"
    )
    for name, frame in tables.items():
        out.print(frame_table(frame, name[0].upper() + name[1:]))
    if missing:
        out.print(f"[yellow]{len(missing)} values have no source entry[/], e.g. {missing[:3]}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code (internal errors become 1)."""
    try:
        # Without standalone mode click returns the exit code instead of exiting.
        code = app(args=list(argv) if argv is not None else None, standalone_mode=False)
    except typer.Exit as done:
        return int(done.exit_code)
    except (typer.BadParameter, typer.Abort) as error:
        err.print(f"error: {error}")
        return EXIT_BAD_INPUT
    except Exception as error:  # the last line of defence: no traceback for planners
        err.print(f"internal error: {type(error).__name__}: {error}")
        err.print("please report this with the command you ran")
        return EXIT_INTERNAL
    return int(code) if isinstance(code, int) else 0


def run() -> None:
    """Console-script entry point: `main` with the process exit code."""
    sys.exit(main())


if __name__ == "__main__":
    run()
