"""The ``gwplan`` command line.

Exit codes: 0 success; 2 bad input (scenario, ``--set`` key or option);
3 infeasible in strict mode; 1 internal error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, get_args

import pandas as pd
import typer
import yaml
from rich.console import Console
from rich.table import Table

from optimization.data import Mode, ObjectiveKind
from optimization.plan import Plan
from optimization.plan_files import energized_by_year, plan_summary, write_plan
from optimization.planning import InfeasibleError
from optimization.planning import optimize as optimize_plan
from optimization.solve import SolveOptions
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
out_console = Console()
err = Console(stderr=True, soft_wrap=True)

ScenarioArg = Annotated[
    str, typer.Argument(help="A bundled scenario name (see `gwplan scenarios`) or a folder.")
]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a value: KEY=VALUE (repeatable), e.g. pue=1.3."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Folder for the result files (replaced atomically).")
]
MODES: tuple[Mode, ...] = get_args(Mode)
OBJECTIVES: tuple[ObjectiveKind, ...] = get_args(ObjectiveKind)


def _one_of(allowed: tuple[str, ...], name: str) -> Any:
    def check(value: str) -> str:
        if value not in allowed:
            raise typer.BadParameter(f"expected one of {', '.join(allowed)}, got {value!r}")
        return value

    return typer.Option(name, callback=check, help=f"One of: {', '.join(allowed)}.")


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
            out_console.print_json(json.dumps({"ok": False, "problems": problems}, default=str))
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
        out_console.print_json(json.dumps(rows))
        return
    frame = pd.DataFrame(
        [(i.name, i.extends or "", i.description) for i in infos],
        columns=["name", "extends", "description"],
    )
    out_console.print(frame_table(frame, "Bundled scenarios"))


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
        out_console.print_json(json.dumps(payload, default=str))
        return
    out_console.print(f"[bold green]valid[/]: {loaded.name} — {loaded.description}")
    grid = loaded.periods
    out_console.print(
        f"periods: {grid.start_period} → {grid.lp_end_period} (plan), "
        f"→ {grid.sd_end_period} (simulation), {grid.frequency}ly"
    )
    for name, frame in tables.items():
        out_console.print(frame_table(frame, name[0].upper() + name[1:]))
    if missing:
        out_console.print(
            f"[yellow]{len(missing)} values have no source entry[/], e.g. {missing[:3]}"
        )


@app.command()
def optimize(
    scenario: ScenarioArg,
    mode: Annotated[str, _one_of(MODES, "--mode")] = "optimal",
    objective: Annotated[str, _one_of(OBJECTIVES, "--objective")] = "net_value",
    strict: Annotated[
        bool, typer.Option("--strict", help="No elastic slacks: an infeasible plan is an error.")
    ] = False,
    time_limit_s: Annotated[
        float | None, typer.Option("--time-limit", help="Solver time limit [s].")
    ] = None,
    sets: SetOption = None,
    out: OutOption = None,
    as_json: JsonOption = False,
) -> None:
    """Optimize siting, PPA coverage and deployment timing (Pyomo + HiGHS).

    Examples: gwplan optimize reference --out plan/ ;
    gwplan optimize reference --mode announced_timing --json ;
    gwplan optimize long_queue --strict
    """
    loaded = load_or_exit(scenario, sets, as_json)
    options = SolveOptions(time_limit_s=time_limit_s)
    try:
        with err.status(f"optimizing {loaded.name} ({mode})"):
            plan = optimize_plan(
                loaded,
                mode=_choice(MODES, mode),
                objective=_choice(OBJECTIVES, objective),
                strict=strict,
                options=options,
            )
    except InfeasibleError as error:
        if as_json:
            out_console.print_json(json.dumps({"ok": False, "infeasible": list(error.diagnosis)}))
        else:
            err.print(f"[bold red]infeasible[/] in strict mode:\n{error}")
        raise typer.Exit(EXIT_INFEASIBLE) from None
    if out is not None:
        write_plan(plan, out)
    if as_json:
        out_console.print_json(json.dumps({"ok": True, **plan_summary(plan)}, default=str))
        return
    _print_plan(plan)
    if out is not None:
        out_console.print(f"plan tables written to {out}")


def _choice(allowed: tuple[Any, ...], value: str) -> Any:
    """Narrow a validated option string to its Literal type."""
    return next(a for a in allowed if a == value)


def _print_plan(plan: Plan) -> None:
    out_console.print(plan.explain())
    terms = plan.objective_terms.rename("npv_busd").reset_index()
    terms.columns = ["term", "npv_busd"]
    out_console.print(frame_table(terms.loc[terms["npv_busd"].abs() > 1e-6], "Objective terms"))
    by_year = energized_by_year(plan)
    if not by_year.empty:
        table = by_year.reset_index()
        table.columns = [str(c) for c in table.columns]
        out_console.print(frame_table(table, "Energized GW at year end, by vendor"))


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
