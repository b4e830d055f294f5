"""``gwplan sweep``: Monte Carlo and grids over any scenario key, locally or on Dask."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

import typer

from optimization.cli.choices import EXECUTORS, METHODS
from optimization.cli.progress import samples as sample_progress
from optimization.cli.support import (
    EXIT_BAD_INPUT,
    JsonOption,
    OutOption,
    ScenarioArg,
    SetOption,
    choice,
    err,
    frame_table,
    load_or_exit,
    one_of,
    out_console,
    print_json,
)

if TYPE_CHECKING:  # the sweep machinery (pandas, scipy, Pyomo) loads when a sweep runs
    import pandas as pd

    from optimization.sweeps import ChunkEvaluator
    from optimization.sweeps.distributions import Parameter
    from sd_model.scenario.definition import Scenario

__all__ = ["sweep_command"]

ModelKind = Literal["simulate", "simulate-optimal", "optimize", "announced-gap"]
MODELS: tuple[ModelKind, ...] = get_args(ModelKind)
MAX_SAMPLES = 10_000_000  # per grid point; the inputs table alone is a few GB beyond this
HEADLINE_METRICS: dict[ModelKind, tuple[str, ...]] = {
    "simulate": (
        "peak_stranded_gw",
        "stranded_gw_periods",
        "min_cash_busd",
        "funding_gap_busd",
        "delivered_gw",
        "energized_gw_at_end",
        "ppa_coverage_at_end",
    ),
    "simulate-optimal": (
        "peak_stranded_gw",
        "min_cash_busd",
        "funding_gap_busd",
        "delivered_gw",
        "energized_gw_at_end",
    ),
    "optimize": (
        "npv_busd",
        "penalty_busd",
        "energized_gw_at_end",
        "delivered_gw",
        "min_cash_busd",
        "limits_not_met",
    ),
    "announced-gap": ("peak_gap_gw", "site_capacity_gw", "first_gap_year"),
}
#: Headline figures the counterparty loop adds (sd_model.loop_metrics.LOOP_FIGURES).
LOOP_METRICS = ("lease_payments_missed_busd", "counterparties_in_breach", "lab_min_payment_share")
#: The models that simulate, and so can run the counterparty loop.
SIMULATING: tuple[ModelKind, ...] = ("simulate", "simulate-optimal")


def evaluator(model: ModelKind, counterparty_loop: bool = False) -> ChunkEvaluator:
    """The chunk evaluator of a ``--model`` choice (the loop only for the simulating ones)."""
    from optimization.sweeps import ANNOUNCED_GAP, PlanMetrics, SimulationMetrics

    evaluators: dict[ModelKind, ChunkEvaluator] = {
        "simulate": SimulationMetrics("announced", counterparty_loop),
        "simulate-optimal": SimulationMetrics("optimal", counterparty_loop),
        "optimize": PlanMetrics(),
        "announced-gap": ANNOUNCED_GAP,
    }
    return evaluators[model]


def sweep_command(
    scenario: ScenarioArg,
    params: Annotated[
        list[str],
        typer.Option(
            "--param",
            help="KEY=DISTRIBUTION, repeatable: uniform(a,b), "
            "normal(mean,sd[,low,high]), lognormal(median,sigma), triangular(a,mode,b), "
            "choice(v1,v2,..), grid(v1,v2,..).",
        ),
    ],
    samples: Annotated[
        int, typer.Option("--samples", min=1, max=MAX_SAMPLES, help="Draws (per grid point).")
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed.")] = 0,
    method: Annotated[str, one_of(METHODS, "--method", "Sampling.")] = "lhs",
    model: Annotated[str, one_of(MODELS, "--model", "What each sample runs.")] = "simulate",
    executor: Annotated[str, one_of(EXECUTORS, "--executor", "Where it runs.")] = "processes",
    address: Annotated[
        str | None, typer.Option("--address", help="Dask scheduler, e.g. tcp://10.0.0.5:8786.")
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, max=1024, help="Local workers.")
    ] = None,
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1, help="Samples per task.")] = 250,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the sweep in --out.")] = False,
    stranded_gw: Annotated[
        float,
        typer.Option(
            "--stranded-gw", min=0, max=1e3, help="Risk threshold for stranded hardware [GW]."
        ),
    ] = 1.0,
    tornado_metric: Annotated[
        str | None, typer.Option("--tornado", help="Also a one-at-a-time tornado of METRIC.")
    ] = None,
    counterparty_loop: Annotated[
        bool,
        typer.Option(
            "--counterparty-loop",
            help="Simulate with the counterparties' balance sheets (counterparties.csv) in the "
            "loop; adds lease payments missed and the risk that a lessor or vendor breaches.",
        ),
    ] = False,
    sets: SetOption = None,
    out: OutOption = None,
    force: Annotated[
        bool, typer.Option("--force", help="Start over in an --out folder holding a sweep.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Sweep uncertain inputs: percentiles, risks and a tornado of the outcomes.

    Examples: gwplan sweep reference --param demand.demand_growth_per_year=uniform(0.3,0.9)
    --param regions.*.interconnection_lead_quarters=choice(8,12,16,24) --samples 10000
    --out sweep/ ; gwplan sweep reference --param financing.starting_cash_busd=uniform(10,60)
    --model optimize --samples 200 --executor dask --address tcp://scheduler:8786 ;
    gwplan sweep cloud_leases --param demand.revenue_busd_per_gw_year_at_start=uniform(5,13)
    --counterparty-loop

    \f
    Long because a typer command declares its options in its signature.
    """  # noqa: D301 - \f ends the help text that typer shows
    from optimization.sweeps import SweepMismatchError, percentiles, sweep
    from optimization.sweeps.outputs import risk_table, tornado, write_sweep_summary
    from sd_model.output_folder import OutputRefusedError

    loaded = load_or_exit(scenario, sets, as_json)
    parameters = _preflight(loaded, params, executor, address, out, resume, force)
    kind: ModelKind = choice(MODELS, model)
    if counterparty_loop and kind not in SIMULATING:
        raise typer.BadParameter(
            f"--counterparty-loop needs a simulating --model ({', '.join(SIMULATING)})",
            param_hint="--counterparty-loop",
        )
    evaluate = evaluator(kind, counterparty_loop)
    total = samples * _grid_points(parameters)
    try:
        with sample_progress(total, as_json) as advance:
            table = sweep(
                loaded,
                parameters,
                samples=samples,
                seed=seed,
                method=choice(METHODS, method),
                evaluate=evaluate,
                executor=choice(EXECUTORS, executor),
                address=address,
                workers=workers,
                chunk_size=chunk_size,
                out=out,
                resume=resume,
                progress=advance,
            )
    except (SweepMismatchError, OutputRefusedError) as error:
        raise typer.BadParameter(str(error), param_hint="--out") from None
    for damaged in table.attrs.get("damaged_chunks", []):
        err.print(f"recomputed a damaged chunk: {damaged}", highlight=False)
    headline = (*HEADLINE_METRICS[kind], *(LOOP_METRICS if counterparty_loop else ()))
    metrics = [m for m in headline if m in table.columns]
    spread = percentiles(table, metrics)
    risks = risk_table(table, stranded_gw)
    swings = None
    if tornado_metric is not None:
        if tornado_metric not in table.columns:
            raise typer.BadParameter(
                f"no metric {tornado_metric!r}; choose from {metrics}", param_hint="--tornado"
            )
        swings = tornado(loaded, parameters, evaluate, tornado_metric)
    if out is not None:
        write_sweep_summary(
            out / "summary",
            table,
            metrics,
            stranded_gw=stranded_gw,
            tornado_table=swings,
            tornado_metric=tornado_metric,
        )
    failed = int((table["error"].fillna("") != "").sum())
    if as_json:
        print_json(_payload(table, failed, spread, risks, swings, out))
    else:
        _print(len(table), failed, spread, risks, swings, tornado_metric, table)
        if out is not None:
            out_console.print(f"samples in {out}/chunks (Parquet), summary in {out}/summary/")
    if failed == len(table):  # nothing was learnt: an input error, not a result
        err.print("error: every sample failed (see the first failure above)", highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT)


def _preflight(
    scenario: Scenario,
    params: list[str],
    executor: str,
    address: str | None,
    out: Path | None,
    resume: bool,
    force: bool,
) -> dict[str, Parameter]:
    """Every check that needs no sample run: parameters, address, --out (exit 2 on failure)."""
    from optimization.sweeps.parse import parse_parameters
    from optimization.sweeps.preflight import check_address, unusable_parameters
    from optimization.sweeps.sweep_folder import check_sweep_folder
    from sd_model.output_folder import OutputRefusedError

    try:
        parameters = parse_parameters(params)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--param") from None
    unusable = unusable_parameters(scenario, parameters)
    if unusable:
        raise typer.BadParameter("; ".join(unusable), param_hint="--param")
    if address is not None and executor != "dask":
        raise typer.BadParameter("--address needs --executor dask", param_hint="--address")
    if address is not None:
        problem = check_address(address)
        if problem is not None:
            raise typer.BadParameter(f"expected {problem}", param_hint="--address")
    if resume and out is None:
        raise typer.BadParameter(
            "--resume needs --out (the sweep to continue)", param_hint="--resume"
        )
    if out is not None:
        try:
            check_sweep_folder(out, resume=resume, force=force)
        except OutputRefusedError as error:
            raise typer.BadParameter(str(error), param_hint="--out") from None
    return parameters


def _grid_points(parameters: dict[str, Any]) -> int:
    points = 1
    for parameter in parameters.values():
        values = getattr(parameter, "values", None)
        if type(parameter).__name__ == "Grid" and values:
            points *= len(values)
    return points


def _print(
    count: int,
    failed: int,
    spread: pd.DataFrame,
    risks: pd.DataFrame,
    swings: pd.DataFrame | None,
    tornado_metric: str | None,
    table: pd.DataFrame,
) -> None:
    out_console.print(f"{count} samples, {failed} failed")
    if failed:
        first = table.loc[table["error"].fillna("") != "", "error"].iloc[0]
        out_console.print(f"  first failure: {first}", highlight=False)
    out_console.print(frame_table(spread.reset_index(names="metric"), "Percentiles"))
    if not risks.empty:
        out_console.print(frame_table(risks, "Risks"))
    if swings is not None:
        shown = swings[["parameter", "low_value", "high_value", "metric_at_low", "metric_at_high"]]
        out_console.print(frame_table(shown, f"Tornado of {tornado_metric}"))


def _payload(
    table: pd.DataFrame,
    failed: int,
    spread: pd.DataFrame,
    risks: pd.DataFrame,
    swings: pd.DataFrame | None,
    out: Path | None,
) -> dict[str, Any]:
    return {
        "ok": failed < len(table),
        "samples": len(table),
        "failed": failed,
        "percentiles": spread.to_dict(orient="index"),
        "risks": risks.to_dict(orient="records"),
        "tornado": None if swings is None else swings.to_dict(orient="records"),
        "out": None if out is None else str(out),
    }
