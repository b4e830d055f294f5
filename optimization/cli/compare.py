"""``gwplan compare`` and ``gwplan report``: optimal against announced, on screen or as files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from optimization.cli.choices import CASES
from optimization.cli.progress import samples as sample_progress
from optimization.cli.progress import status, steps
from optimization.cli.support import (
    ForceOption,
    JsonOption,
    OutOption,
    ScenarioArg,
    SetOption,
    frame_table,
    load_or_exit,
    out_console,
    out_or_exit,
    print_json,
    schedule_or_exit,
    styled,
)

if TYPE_CHECKING:  # the work itself (pandas, Pyomo, matplotlib) loads when a command runs
    from optimization.coupling.compare import CaseName, Comparison
    from optimization.report import Uncertainty
    from optimization.report.loop_section import LoopSection
    from sd_model.scenario.definition import Scenario

__all__ = ["compare_command", "report_command"]

SWEEP_FIGURES = (
    "peak_stranded_gw",
    "min_cash_busd",
    "funding_gap_busd",
    "delivered_gw",
    "energized_gw_at_end",
    "ppa_coverage_at_end",
)

CaseOption = Annotated[
    list[str] | None,
    typer.Option(
        "--case", help=f"A case to include (repeatable; default all): {', '.join(CASES)}."
    ),
]
UserSchedules = Annotated[
    list[str] | None,
    typer.Option(
        "--schedule",
        help="A user schedule to compare: NAME=PATH of a CSV (period,vendor,site,gw); repeatable.",
    ),
]
IterationsOption = Annotated[
    int, typer.Option("--max-iterations", help="Coupling iterations before giving up.")
]
TimeLimitOption = Annotated[
    float | None, typer.Option("--time-limit", help="Solver time limit per LP [s].")
]


def compare_command(
    scenario: ScenarioArg,
    cases: CaseOption = None,
    schedules: UserSchedules = None,
    sets: SetOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    max_iterations: IterationsOption = 12,
    time_limit_s: TimeLimitOption = None,
    as_json: JsonOption = False,
) -> None:
    """Compare the announced schedule with the optimal and coupled plans (the main job).

    Examples: gwplan compare reference ; gwplan compare reference --out report/ ;
    gwplan compare long_queue --case announced --case optimal --json ;
    gwplan compare reference --schedule mine=my_plan.csv
    """
    out = out_or_exit(out, force, as_json)
    loaded = load_or_exit(scenario, sets, as_json)
    comparison, loop = _run(loaded, cases, schedules, max_iterations, time_limit_s, out, as_json)
    if as_json:
        print_json({**_payload(comparison, out), "loop": _loop_payload(loop)})
        return
    _print(comparison, loaded)
    _print_loop(loop)
    if out is not None:
        out_console.print(f"report written to {out}/index.html (and summary.md, figures/, tables/)")


def report_command(
    scenario: ScenarioArg,
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="A new report folder (or one gwplan wrote, with --force); atomic."
        ),
    ],
    cases: CaseOption = None,
    schedules: UserSchedules = None,
    params: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            help="Add an uncertainty section: KEY=DISTRIBUTION "
            "(as for `gwplan sweep`), repeatable.",
        ),
    ] = None,
    samples: Annotated[int, typer.Option("--samples", help="Samples of the sweep.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the sweep.")] = 0,
    tornado_metric: Annotated[
        str, typer.Option("--tornado", help="Figure the tornado explains.")
    ] = "peak_stranded_gw",
    sets: SetOption = None,
    force: ForceOption = False,
    max_iterations: IterationsOption = 12,
    time_limit_s: TimeLimitOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write the comparison report (figures, CSV tables, summary.md, index.html) to --out.

    With --param, the announced schedule is also simulated over sampled inputs
    and the report gains an uncertainty section (percentiles, risks, tornado).

    Examples: gwplan report reference --out report/ ;
    gwplan report reference --out report/ --param "demand.demand_growth_per_year=uniform(0.3,0.9)"
    --param "regions.*.interconnection_lead_quarters=uniform(8,24)" --samples 2000
    """
    from optimization.report.content import headline

    out_or_exit(out, force, as_json)
    loaded = load_or_exit(scenario, sets, as_json)
    section = _uncertainty(loaded, params, samples, seed, tornado_metric, as_json)
    comparison, loop = _run(
        loaded, cases, schedules, max_iterations, time_limit_s, out, as_json, section
    )
    if as_json:
        payload = {"ok": True, "report": str(out), "cases": comparison.names}
        print_json({**payload, "loop": _loop_payload(loop)})
        return
    for line in headline(comparison, loaded):
        out_console.print(styled(line.lead, "bold", f": {line.text}"), highlight=False)
    _print_loop(loop)
    out_console.print(f"report written to {out}/index.html")


def _run(
    scenario: Scenario,
    cases: list[str] | None,
    schedules: list[str] | None,
    max_iterations: int,
    time_limit_s: float | None,
    out: Path | None,
    quiet: bool,
    uncertainty: Uncertainty | None = None,
) -> tuple[Comparison, tuple[LoopSection | None, str]]:
    """The comparison, the loop section (or why there is none) and, with ``out``, the report.

    The loop section (two simulations under the standard stress) is built once,
    for the screen and the report.
    """
    from optimization.coupling.compare import compare
    from optimization.coupling.fixed_point import CouplingOptions
    from optimization.report import write_report
    from optimization.report.loop_section import loop_absence, loop_or_reason
    from optimization.solver import SolveOptions

    chosen = _cases(cases)
    users = {name: schedule_or_exit(path, scenario, quiet) for name, path in _pairs(schedules)}
    stressed = loop_absence(scenario) is None
    count = len(chosen) + len(users) + (1 if out is not None else 0) + int(stressed)
    with steps(count, quiet) as advance:
        comparison = compare(
            scenario,
            cases=chosen,
            schedules=users,
            options=SolveOptions(time_limit_s=time_limit_s),
            coupling=CouplingOptions(max_iterations=max_iterations),
            progress=advance,
        )
        if stressed:
            advance("stress-testing the circular loop")
        loop, note = loop_or_reason(scenario)
        if out is not None:
            advance("writing the report")
            chosen_loop = loop if loop is not None else True  # True: the report says why not
            write_report(
                comparison, out, scenario=scenario, uncertainty=uncertainty, loop=chosen_loop
            )
        advance("")
    return comparison, (loop, note)


def _uncertainty(
    scenario: Scenario,
    params: list[str] | None,
    samples: int,
    seed: int,
    metric: str,
    quiet: bool,
) -> Uncertainty | None:
    """Sweep the announced schedule's simulation over the sampled inputs, for the report."""
    if not params:
        return None
    from optimization.sweeps import SimulationMetrics, sweep
    from optimization.sweeps.outputs import tornado, uncertainty
    from optimization.sweeps.parse import parse_parameters

    try:
        parameters = parse_parameters(params)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--param") from None
    evaluate = SimulationMetrics("announced")
    with sample_progress(samples, quiet, "sweeping the announced schedule") as advance:
        table = sweep(
            scenario,
            parameters,
            samples=samples,
            seed=seed,
            evaluate=evaluate,
            executor="processes",
            chunk_size=250,
            progress=advance,
        )
    if metric not in table.columns:
        raise typer.BadParameter(f"no figure {metric!r} in the sweep", param_hint="--tornado")
    with status(f"tornado of {metric}", quiet):
        swings = tornado(scenario, parameters, evaluate, metric)
    return uncertainty(
        table,
        parameters,
        SWEEP_FIGURES,
        model="the announced schedule in the build-out model",
        tornado_table=swings,
        tornado_metric=metric,
    )


def _cases(cases: list[str] | None) -> tuple[CaseName, ...]:
    if not cases:
        return CASES  # type: ignore[return-value]  # the same names (test_cli_startup)
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        raise typer.BadParameter(
            f"unknown cases {unknown}; expected some of {', '.join(CASES)}", param_hint="--case"
        )
    return tuple(c for c in CASES if c in cases)  # type: ignore[misc]


def _pairs(items: list[str] | None) -> list[tuple[str, Path]]:
    pairs = []
    for item in items or ():
        name, sep, path = item.partition("=")
        if not sep or not name.strip() or not path.strip():
            raise typer.BadParameter(f"expected NAME=PATH, got {item!r}", param_hint="--schedule")
        pairs.append((name.strip(), Path(path.strip())))
    return pairs


def _print(comparison: Comparison, scenario: Scenario) -> None:
    from optimization.report import key_metrics
    from optimization.report.content import headline
    from optimization.report.why import why

    out_console.print(styled(comparison.scenario_name, "bold", ": optimal against announced"))
    for case in comparison.cases:
        out_console.print(f"  {case.name}: {case.description}", highlight=False)
    for line in headline(comparison, scenario):
        out_console.print(styled(line.lead, "bold", f": {line.text}"), highlight=False)
    for case_name, sentences in why(comparison, scenario):
        out_console.print(styled(f"why {case_name}", "bold", ":"), highlight=False)
        for text in sentences:
            out_console.print(f"  - {text}", highlight=False)
    table = key_metrics(comparison, scenario)
    shown = table.drop(columns=["decimals"]).reset_index(drop=True)
    out_console.print(frame_table(shown, "Key figures"))
    energized = comparison.by_year.pivot_table(index="case", columns="year", values="energized_gw")
    energized = energized.reindex(comparison.names).reset_index()
    energized.columns = [str(c) for c in energized.columns]
    out_console.print(frame_table(energized, "Energized GW (IT) at year end"))
    for name, rows in comparison.findings.groupby("case", sort=False):
        diagnosis = rows.loc[rows["kind"] == "diagnosis", "text"].tolist()
        if diagnosis:
            out_console.print(styled(str(name), "bold", " cannot meet:"), highlight=False)
            for text in diagnosis:
                out_console.print(f"  - {text}", highlight=False)
    if comparison.coupling is not None:
        out_console.print(f"coupling: {comparison.coupling.message}", highlight=False)
        from optimization.report.coupling_table import formatted_coupling_regions

        passed = formatted_coupling_regions(comparison)
        if passed is not None:  # short headers: the console is narrow
            short = passed[0].rename(columns=lambda c: _SHORT.get(c.split(" GW ")[0], c))
            year = comparison.coupling.report_year
            title = f"Coupling: what the simulation passed back (energized GW, end of {year})"
            out_console.print(frame_table(short, title))


_SHORT = {
    "iteration": "it.",
    "lead [quarters]": "lead q",
    "effective lead [quarters]": "eff. lead q",
    "connected share": "share",
    "LP energized": "LP GW",
    "simulated energized": "sim. GW",
}


def _payload(comparison: Comparison, out: Path | None) -> dict[str, Any]:
    import json

    import pandas as pd

    metrics = comparison.metrics.astype(float)
    return {
        "ok": True,
        "scenario": comparison.scenario_name,
        "cases": [{"name": c.name, "description": c.description} for c in comparison.cases],
        "metrics": {
            case: {k: (None if pd.isna(v) else float(v)) for k, v in metrics[case].items()}
            for case in metrics.columns
        },
        "energized_gw_by_year": {
            case: dict(
                zip(rows["year"].astype(str), rows["energized_gw"].astype(float), strict=True)
            )
            for case, rows in comparison.by_year.groupby("case", sort=False)
        },
        "findings": comparison.findings.to_dict(orient="records"),
        "coupling": None
        if comparison.coupling is None
        else {
            "converged": comparison.coupling.converged,
            "message": comparison.coupling.message,
            "iterations": len(comparison.coupling.iterations),
            "report_year": comparison.coupling.report_year,
            "regions": json.loads(comparison.coupling.regions.to_json(orient="records")),
        },
        "report": None if out is None else str(out),
    }


def _print_loop(loop: tuple[LoopSection | None, str]) -> None:
    """The loop section's answers (or why there is none) on screen."""
    from optimization.report.loop_section import TITLE

    section, note = loop
    out_console.print(styled(TITLE, "bold", ":"), highlight=False)
    if section is None:
        out_console.print(f"  {note}", highlight=False)
        return
    for text in section.sentences:
        out_console.print(f"  - {text}", highlight=False)


def _loop_payload(loop: tuple[LoopSection | None, str]) -> dict[str, Any]:
    """The loop section's numbers for --json (``section: null`` and the reason without one)."""
    section, note = loop
    if section is None:
        return {"section": None, "reason": note}
    answer = section.answer
    return {
        "shocks": list(section.shocks),
        "first_breach": answer.first_breach,
        "first_counterparty": answer.first_counterparty,
        "missed_busd": answer.missed_busd,
        "period": answer.period,
        "delivered_gw": answer.delivered_gw,
        "holdings": answer.holdings.to_dict(orient="records"),
        "sentences": list(section.sentences),
    }
