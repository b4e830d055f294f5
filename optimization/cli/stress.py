"""``gwplan stress``: a named shock against the base case, with the counterparty loop on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.text import Text

from optimization.cli.support import (
    EXIT_BAD_INPUT,
    ForceOption,
    JsonOption,
    OutOption,
    ScenarioArg,
    SetOption,
    err,
    frame_table,
    load_or_exit,
    out_console,
    out_or_exit,
    print_json,
    styled,
)

if TYPE_CHECKING:  # the simulation (pandas, numpy) loads when the command runs
    from sd_model.scenario.definition import Scenario
    from sd_model.stress import StressTest

__all__ = ["stress_command"]

ShockOption = Annotated[
    list[str] | None,
    typer.Option(
        "--shock",
        help="KEY=VALUE@PERIOD or KEY=xFACTOR@PERIOD, repeatable, e.g. "
        "demand.revenue_busd_per_gw_year_at_start=x0.6@2027Q1 (revenue 40% below plan "
        "from 2027) or financing.debt_capacity_busd=0@2027Q1 (a financing freeze).",
    ),
]


StandardOption = Annotated[
    bool,
    typer.Option(
        "--standard",
        help="Add the standard stress (the report's loop section): from 2027Q1 revenue per GW "
        "x0.6, no new debt (financing.debt_capacity_busd=0) and no vendor financing "
        "(vendors.*.financing_busd_per_gw=0).",
    ),
]


DrawOption = Annotated[
    list[str] | None,
    typer.Option(
        "--draw",
        help="NAME=DISTRIBUTION, repeatable: fill {NAME} in the shocks with draws "
        "(uniform(a,b), normal(m,sd[,lo,hi]), triangular(a,mode,b), choice(..), grid(..)) "
        "and report the probability of a cascade instead of one stress test.",
    ),
]


def stress_command(
    scenario: ScenarioArg,
    shocks: ShockOption = None,
    standard: StandardOption = False,
    draws: DrawOption = None,
    samples: Annotated[
        int, typer.Option("--samples", min=1, max=10_000, help="Draws (with --draw).")
    ] = 20,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed (with --draw).")] = 0,
    sets: SetOption = None,
    out: OutOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Run a shock against the base case with the counterparties' balance sheets in the loop.

    Reports who misses a payment or breaches first, payments missed, liquidity and
    valuation per party, the warrant and stake value lost, and the build-out.
    Examples: gwplan stress cloud_leases --shock
    demand.revenue_busd_per_gw_year_at_start=x0.6@2027Q1 ; gwplan stress reference --standard
    (the report's standard stress); add --out stress/ for the per-period tables as CSV.
    With --draw, e.g. --shock "demand.revenue_busd_per_gw_year_at_start=x{f}@2027Q1"
    --draw "f=uniform(0.4,1)", one run per draw and the share of runs in which a lessor
    or vendor breaches.
    """
    from sd_model.buildout.shocks import parse_shock
    from sd_model.stress import STANDARD_STRESS, stress_test

    shocks = [*(STANDARD_STRESS if standard else ()), *(shocks or [])]
    if not shocks:
        _bad_shock("is missing: give at least one --shock, or --standard", as_json)
    out = out_or_exit(out, force, as_json)
    loaded = load_or_exit(scenario, sets, as_json)
    if draws:
        _sweep(loaded, shocks, draws, samples, seed, out, as_json)
        return
    try:
        parsed = [parse_shock(text) for text in shocks]
        with err.status(Text(f"stress-testing {loaded.name}")):
            test = stress_test(loaded, parsed)
    except ValueError as error:
        _bad_shock(str(error), as_json)
    if out is not None:
        _write(test, out)
    if as_json:
        _print_json(test)
        return
    _print_tables(test)
    if out is not None:
        out_console.print(f"stress tables written to {out}")


def _bad_shock(message: str, as_json: bool) -> NoReturn:
    if as_json:
        print_json({"ok": False, "problems": [{"where": "--shock", "message": message}]})
    else:
        err.print(styled("error:", "bold red", f" --shock {message}"), highlight=False)
    raise typer.Exit(EXIT_BAD_INPUT)


def _sweep(
    scenario: Scenario,
    templates: list[str],
    draws: list[str],
    samples: int,
    seed: int,
    out: Path | None,
    as_json: bool,
) -> None:
    """One run per draw of the template variables; print the runs and the cascade probability."""
    from optimization.sweeps.distributions import draw_samples
    from optimization.sweeps.parse import parse_parameters
    from sd_model.cascade import cascade_probability, cascade_sweep

    try:
        table = draw_samples(parse_parameters(draws), samples, seed=seed)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--draw") from None
    try:
        with err.status(Text(f"running {len(table)} stressed runs of {scenario.name}")):
            runs = cascade_sweep(scenario, templates, table)
    except ValueError as error:
        _bad_shock(str(error), as_json)
    probability = cascade_probability(runs)
    if out is not None:
        from sd_model.output_folder import atomic_folder

        with atomic_folder(out) as folder:
            runs.to_csv(folder / "cascade_runs.csv", index=False)
    if as_json:
        print_json(
            {
                "ok": True,
                "scenario": scenario.name,
                "cascade_probability": probability,
                "runs": runs.to_dict(orient="records"),
            }
        )
        return
    shown = runs.drop(columns=["shocks"])
    out_console.print(frame_table(shown, f"{scenario.name}: one stressed run per draw"))
    out_console.print(
        styled("probability of a cascade: ", "bold", f"{probability:.2f} ({len(runs)} runs)")
    )


def _tables(test: StressTest) -> dict[str, object]:
    from sd_model.stress import year_ends

    holdings = year_ends(test.holdings())
    return {
        "summary": test.summary(),
        "holdings": holdings,
        "buildout": year_ends(test.buildout()),
    }


def _print_tables(test: StressTest) -> None:
    import pandas as pd

    shocks = ", ".join(str(s) for s in test.shocks)
    for case in ("base", "stress"):
        first = test.first_breach(case)
        said = f"{first[0]} in {first[1]}" if first else "nobody"
        out_console.print(styled(f"first to breach ({case}): ", "bold", said))
    tables = _tables(test)
    for name, title in (
        ("summary", f"{test.scenario.name} under {shocks}: per party"),
        ("holdings", "Warrants and stakes at each year's end [$B]"),
        ("buildout", "Build-out at each year's end (base vs stress)"),
    ):
        frame = tables[name]
        assert isinstance(frame, pd.DataFrame)
        out_console.print(frame_table(frame, title))


def _print_json(test: StressTest) -> None:
    import pandas as pd

    payload: dict[str, object] = {
        "ok": True,
        "scenario": test.scenario.name,
        "shocks": [str(s) for s in test.shocks],
        "first_breach": {case: test.first_breach(case) for case in ("base", "stress")},
    }
    for name, frame in _tables(test).items():
        assert isinstance(frame, pd.DataFrame)
        payload[name] = frame.to_dict(orient="records")
    payload["parties"] = test.parties().to_dict(orient="records")
    print_json(payload)


def _write(test: StressTest, out: Path) -> None:
    from optimization.report.stress_figures import liquidity_figure
    from optimization.report.style import png_bytes
    from sd_model.output_folder import atomic_folder

    with atomic_folder(out) as folder:
        (folder / "liquidity.png").write_bytes(png_bytes(liquidity_figure(test)))
        test.parties().to_csv(folder / "parties.csv", index=False)
        test.holdings().to_csv(folder / "holdings.csv", index=False)
        test.buildout().to_csv(folder / "buildout.csv", index=False)
        test.summary().to_csv(folder / "summary.csv", index=False)
