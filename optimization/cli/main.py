"""The ``gwplan`` command line.

Exit codes: 0 success; 2 bad input (scenario, schedule, ``--set`` key or
option); 3 infeasible in strict mode; 1 internal error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from optimization.cli.choices import LOOPS, MODES, OBJECTIVES
from optimization.cli.compare import compare_command, report_command
from optimization.cli.progress import status
from optimization.cli.stress import stress_command
from optimization.cli.support import (
    EXIT_BAD_INPUT,
    EXIT_INFEASIBLE,
    EXIT_INTERNAL,
    ForceOption,
    JsonOption,
    OutOption,
    ScenarioArg,
    SetOption,
    choice,
    decisions_or_exit,
    err,
    frame_table,
    load_or_exit,
    one_of,
    out_console,
    out_or_exit,
    print_json,
    schedule_or_exit,
    styled,
)
from optimization.cli.sweep import sweep_command

if TYPE_CHECKING:  # the work itself (pandas, Pyomo) loads inside the commands
    from optimization.lp.plan import Plan

__all__ = ["EXIT_BAD_INPUT", "EXIT_INFEASIBLE", "EXIT_INTERNAL", "app", "main", "run"]

app = typer.Typer(
    name="gwplan",
    help=(
        "Plan gigawatt-scale AI data-center build-outs.\n\n"
        "Examples:\n\n"
        "  gwplan compare reference --out report/\n\n"
        "  gwplan scenarios\n\n"
        "  gwplan validate reference\n\n"
        "  gwplan keys reference lead\n\n"
        "  gwplan simulate reference --out sim/\n\n"
        "  gwplan optimize reference --mode announced_timing\n\n"
        "  gwplan validate ./my_scenario --set regions.PJM.interconnection_lead_quarters=24"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
def scenarios(as_json: JsonOption = False) -> None:
    """List the bundled scenarios."""
    from rich.table import Table

    from sd_model import list_scenarios  # reads scenario.yaml files only: no pandas

    infos = list_scenarios()
    if as_json:
        print_json(
            [{"name": i.name, "extends": i.extends, "description": i.description} for i in infos]
        )
        return
    table = Table(title=Text("Bundled scenarios"), title_justify="left")
    for column in ("name", "extends", "description"):
        table.add_column(column)
    for info in infos:
        table.add_row(Text(info.name), Text(info.extends or ""), Text(info.description))
    out_console.print(table)


@app.command()
def validate(scenario: ScenarioArg, sets: SetOption = None, as_json: JsonOption = False) -> None:
    """Check a scenario and summarise it, or list every problem in it.

    Example: gwplan validate reference --set financing.debt_rate_per_year=0.09
    """
    from sd_model.scenario.provenance import unsourced_keys
    from sd_model.scenario.summary import (
        announced_by_year,
        lease_table,
        sites_by_region,
        vendor_table,
    )

    loaded = load_or_exit(scenario, sets, as_json)
    tables = {
        "sites by region": sites_by_region(loaded),
        "vendors": vendor_table(loaded),
        "announced GW per year against site capacity": announced_by_year(loaded),
    }
    if loaded.lease_contracts:
        tables["lease contracts"] = lease_table(loaded)
    missing = unsourced_keys(loaded)
    if as_json:
        print_json(
            {
                "ok": True,
                "name": loaded.name,
                "unsourced_keys": missing,
                **{name: frame.to_dict(orient="records") for name, frame in tables.items()},
            }
        )
        return
    out_console.print(styled("valid", "bold green", f": {loaded.name} — {loaded.description}"))
    grid = loaded.periods
    out_console.print(
        f"periods: {grid.start_period} → {grid.lp_end_period} (plan), "
        f"→ {grid.sd_end_period} (simulation), {grid.frequency}ly"
    )
    for name, frame in tables.items():
        out_console.print(frame_table(frame, name[0].upper() + name[1:]))
    if missing:
        lead = f"{len(missing)} values have no source entry"
        out_console.print(styled(lead, "yellow", f", e.g. {missing[:3]}"))


@app.command()
def keys(
    scenario: ScenarioArg,
    pattern: Annotated[
        str,
        typer.Argument(
            help="Only keys matching this glob (regions.*.interconnection*) "
            "or containing this text (lead)."
        ),
    ] = "",
    sets: SetOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the keys --set, --param and with_overrides accept, with values and units.

    Examples: gwplan keys reference ; gwplan keys reference lead ;
    gwplan keys reference "vendors.nvidia.*" --json
    """
    from rich.table import Table

    from sd_model.scenario.key_listing import list_keys

    loaded = load_or_exit(scenario, sets, as_json)
    infos = list_keys(loaded, pattern)
    if as_json:
        print_json([info.__dict__ for info in infos])
        return
    if not infos:
        err.print(f"no key of {loaded.name} matches {pattern!r}", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)
    table = Table(title=Text(f"{loaded.name}: {len(infos)} keys"), title_justify="left")
    table.add_column("key", no_wrap=True)
    for column in ("value", "unit", "sourced by"):
        table.add_column(column, overflow="fold")
    for info in infos:
        value = info.value if not isinstance(info.value, tuple) else ", ".join(info.value)
        source = {"": "—", info.key: "its own row"}.get(info.source, info.source)
        table.add_row(Text(info.key), Text(str(value)), Text(info.unit), Text(source))
    out_console.print(table)
    out_console.print(
        "set one with --set KEY=VALUE (* in place of a row id sets every row); "
        "sources: the scenario's sources.csv"
    )


@app.command()
def simulate(
    scenario: ScenarioArg,
    schedule: Annotated[
        Path | None,
        typer.Option(
            "--schedule",
            help="A delivery schedule CSV (period,vendor,site,gw); "
            "default: the announced schedule.",
        ),
    ] = None,
    decisions: Annotated[
        Path | None,
        typer.Option(
            "--decisions",
            help="A decisions folder (deliveries.csv and optional shell_starts.csv, "
            "grid_requests.csv, onsite_builds.csv, ppa_signings.csv, lease_takeups.csv), "
            "e.g. the decisions/ of `gwplan optimize --out`; the tables given are followed.",
        ),
    ] = None,
    frictionless: Annotated[
        bool,
        typer.Option(
            "--frictionless",
            help="The LP's world: no queue attrition, pipelines, one-step decisions.",
        ),
    ] = False,
    spill: Annotated[
        bool,
        typer.Option(
            "--spill", help="Hardware without room at its planned site may go to any site."
        ),
    ] = False,
    without: Annotated[
        list[str] | None,
        typer.Option(
            "--without", help=f"Switch a feedback loop off (repeatable): {', '.join(LOOPS)}."
        ),
    ] = None,
    sets: SetOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Simulate the build-out (stock-and-flow model) of a schedule or a plan's decisions.

    Examples: gwplan simulate reference ; gwplan simulate reference --schedule my_plan.csv
    --out sim/ ; gwplan simulate reference --decisions plan/decisions --frictionless ;
    gwplan simulate reference --without vendor_financing --json

    \f
    Long because a typer command declares its options in its signature.
    """  # noqa: D301 - \f ends the help text that typer shows
    import pandas as pd

    from optimization.coupling.case_tables import planning_horizon
    from optimization.report.outputs import (
        simulation_by_year,
        simulation_summary,
        write_simulation,
    )
    from sd_model import simulate as simulate_model
    from sd_model.buildout import ALL_LOOPS

    out = out_or_exit(out, force, as_json)
    loaded = load_or_exit(scenario, sets, as_json)
    switched_off = set(without or ())
    unknown = sorted(switched_off - set(LOOPS))
    if unknown:
        raise typer.BadParameter(
            f"unknown loops {unknown}; expected some of {', '.join(LOOPS)}", param_hint="--without"
        )
    if schedule and decisions:
        raise typer.BadParameter(
            "give --schedule or --decisions, not both", param_hint="--decisions"
        )
    deliveries = schedule_or_exit(schedule, loaded, as_json) if schedule else None
    plan = decisions_or_exit(decisions, loaded, as_json) if decisions else None
    with status(f"simulating {loaded.name}", as_json):
        result = simulate_model(
            loaded,
            deliveries,
            decisions=plan,
            frictions=not frictionless,
            spill=spill,
            loops=ALL_LOOPS - switched_off,
        )
    summary = simulation_summary(result)
    in_plan = simulation_summary(planning_horizon(result, loaded))
    by_year = simulation_by_year(result, loaded)
    if out is not None:
        write_simulation(result, loaded, out)
    if as_json:
        print_json(
            {
                "ok": True,
                "scenario": loaded.name,
                "summary": {str(k): float(v) for k, v in summary.items()},
                "summary_to_plan_end": in_plan,
                "by_year": by_year.to_dict(orient="records"),
            }
        )
        return
    grid = loaded.periods  # both horizons side by side, as in the report's headline
    table = pd.DataFrame(
        {
            "figure": list(summary),
            f"through {grid.lp_end_period} (plan)": [in_plan[k] for k in summary],
            f"through {grid.sd_end_period} (simulation)": list(summary.values()),
        }
    )
    out_console.print(frame_table(table, f"{loaded.name}: figures to the end of each horizon"))
    out_console.print(frame_table(by_year, "At each year's end"))
    if out is not None:
        out_console.print(f"simulation written to {out}")


@app.command()
def optimize(
    scenario: ScenarioArg,
    mode: Annotated[str, one_of(MODES, "--mode", "What is optimized.")] = "optimal",
    objective: Annotated[
        str, one_of(OBJECTIVES, "--objective", "What the LP minimizes.")
    ] = "net_value",
    strict: Annotated[
        bool, typer.Option("--strict", help="No elastic slacks: an infeasible plan is an error.")
    ] = False,
    time_limit_s: Annotated[
        float | None, typer.Option("--time-limit", help="Solver time limit [s].")
    ] = None,
    sets: SetOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Optimize siting, PPA coverage and deployment timing (Pyomo + HiGHS).

    Examples: gwplan optimize reference --out plan/ ;
    gwplan optimize reference --mode announced_timing --json ;
    gwplan optimize long_queue --strict
    """
    from optimization.lp.planning import InfeasibleError
    from optimization.lp.planning import optimize as optimize_plan
    from optimization.report.outputs import plan_summary, write_plan
    from optimization.solver import SolveOptions

    out = out_or_exit(out, force, as_json)
    loaded = load_or_exit(scenario, sets, as_json)
    options = SolveOptions(time_limit_s=time_limit_s)
    try:
        with status(f"optimizing {loaded.name} ({mode})", as_json):
            plan = optimize_plan(
                loaded,
                mode=choice(MODES, mode),
                objective=choice(OBJECTIVES, objective),
                strict=strict,
                options=options,
            )
    except InfeasibleError as error:
        if as_json:
            print_json({"ok": False, "infeasible": list(error.diagnosis)})
        else:
            err.print(styled("infeasible", "bold red", f" in strict mode:\n{error}"))
        raise typer.Exit(EXIT_INFEASIBLE) from None
    if out is not None:
        write_plan(plan, out)
    if as_json:
        print_json({"ok": True, **plan_summary(plan)})
        return
    _print_plan(plan)
    if out is not None:
        out_console.print(f"plan tables written to {out}")


def _print_plan(plan: Plan) -> None:
    import pandas as pd

    from optimization.report.outputs import energized_by_year

    out_console.print(plan.explain())
    terms = pd.DataFrame(
        {
            "term": plan.objective_terms.index,
            "kind": plan.term_kinds.reindex(plan.objective_terms.index).to_numpy(),
            "npv_busd": plan.objective_terms.to_numpy(),
        }
    )
    title = "Objective terms (costs positive, revenue negative; penalties are not money)"
    out_console.print(frame_table(terms.loc[terms["npv_busd"].abs() > 1e-6], title))
    by_year = energized_by_year(plan)
    if not by_year.empty:
        table = by_year.reset_index()
        table.columns = [str(c) for c in table.columns]
        out_console.print(frame_table(table, "Energized GW at year end, by vendor"))


app.command("compare")(compare_command)
app.command("report")(report_command)
app.command("sweep")(sweep_command)
app.command("stress")(stress_command)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code (internal errors become 1)."""
    try:
        # Without standalone mode click returns the exit code instead of exiting.
        code = app(args=list(argv) if argv is not None else None, standalone_mode=False)
    except typer.Exit as done:
        return int(done.exit_code)
    except typer.TyperException as error:  # bad options or arguments (click's usage errors)
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        err.print(f"error: {message}", highlight=False)
        return EXIT_BAD_INPUT
    except typer.Abort:
        err.print("aborted")
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader left (`gwplan ... | head`): nothing more to say
        _silence_stdout()
        return 0
    except Exception as error:  # the last line of defence: no traceback for planners
        err.print(f"internal error: {type(error).__name__}: {error}")
        err.print("please report this with the command you ran")
        return EXIT_INTERNAL
    return int(code) if isinstance(code, int) else 0


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the flush at exit raises nothing."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file behind stdout (tests): nothing to flush
        pass
    finally:
        os.close(devnull)


def run() -> None:
    """Console-script entry point: `main` with the process exit code."""
    sys.exit(main())


if __name__ == "__main__":
    run()
