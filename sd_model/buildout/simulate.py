"""Assemble the build-out model from its sectors and run it: :func:`simulate`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from sd_model.buildout import (
    capacity,
    capital,
    contracts,
    counterparties,
    demand,
    leases,
    power,
    records,
    vendor_money,
    vintages,
)
from sd_model.buildout.context import Context
from sd_model.buildout.counterparty_inputs import counterparty_constants
from sd_model.buildout.frictions import Friction, check_frictions
from sd_model.buildout.inputs import ModelInputs, model_inputs
from sd_model.buildout.loops import ALL_LOOPS, Loop, check_loops
from sd_model.buildout.sampling import sample_params
from sd_model.buildout.shocks import Shock, apply_shocks, check_sampled, parse_shock
from sd_model.engine import Method, Model
from sd_model.scenario.decisions import Decisions
from sd_model.scenario.definition import Scenario
from sd_model.scenario.schedule import Schedule

__all__ = ["build_model", "simulate"]


def build_model(
    scenario: Scenario,
    schedule: Schedule | None = None,
    *,
    loops: Iterable[Loop] = ALL_LOOPS,
    onsite_bridge: bool = True,
    counterparty_loop: bool = False,
    shocks: Sequence[Shock | str] = (),
    decisions: Decisions | None = None,
    frictions: bool | Iterable[Friction] = True,
    spill: bool = False,
    dt_periods: float = 0.25,
) -> tuple[Model, ModelInputs]:
    """Declare the build-out model for ``scenario`` and ``schedule`` on the engine.

    Long because the sectors are added in their dependency order, one line each.

    Parameters as in :func:`simulate`.

    Returns
    -------
    model : sd_model.engine.Model
        Time in periods of the scenario's grid; t = 0 is the start of ``start_period``.
    inputs : ModelInputs
        The scenario laid out as arrays (coordinates, constants, series).
    """
    if decisions is not None and schedule is not None:
        raise ValueError(
            "give a schedule or decisions (whose deliveries are the schedule), not both"
        )
    if decisions is not None:
        decisions.validated(scenario)  # located problems, not a KeyError deep inside
    chosen = check_frictions(frictions)
    parsed = [shock if isinstance(shock, Shock) else parse_shock(shock) for shock in shocks]
    inputs = apply_shocks(
        model_inputs(scenario, schedule, decisions, attrition="queue_attrition" in chosen), parsed
    )
    if "reaction_times" not in chosen:  # decision and energization times: one step
        step_quarters = dt_periods / inputs.quarters_to_periods
        for name in ("decision_quarters", "energization_quarters"):
            inputs.constants[name] = ((), step_quarters)
    fixed = frozenset(decisions.fixed) if decisions is not None else frozenset()
    ctx = Context(
        inputs, check_loops(loops), onsite_bridge, counterparty_loop, fixed, chosen, spill
    )
    time_units = "quarter" if inputs.periods_per_year == 4 else "month"
    m = Model(inputs.dims, time_units=time_units)
    for name, (dims, value) in inputs.constants.items():
        m.constant(name, value, dims=dims)
    for name, (dims, times, values, interpolation) in inputs.series.items():
        m.time_series(name, times, values, dims=dims, interpolation=interpolation)  # type: ignore[arg-type]
    capacity.add(m, ctx)
    vintages.add(m, ctx)
    power.add(m, ctx)
    contracts.add(m, ctx)
    records.add(m)
    capital.add(m, ctx)
    demand.add(m, ctx)
    leases.add(m, ctx)
    vendor_money.add(m, ctx)
    if counterparty_loop:
        counterparties.add(m, ctx, counterparty_constants(scenario, inputs))
    return m, inputs


def simulate(
    scenario: Scenario,
    schedule: Schedule | None = None,
    *,
    decisions: Decisions | None = None,
    frictions: bool | Iterable[Friction] = True,
    spill: bool = False,
    samples: Mapping[str, ArrayLike] | None = None,
    loops: Iterable[Loop] = ALL_LOOPS,
    onsite_bridge: bool = True,
    counterparty_loop: bool = False,
    shocks: Sequence[Shock | str] = (),
    method: Method = "euler",
    dt_periods: float = 0.25,
    variables: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Run the build-out model over the scenario's SD horizon.

    Long because its many keyword options are checked and documented in one place.

    Parameters
    ----------
    scenario : Scenario
        The world: sites, regions, vendors, financing, demand (see docs/buildout.md).
    schedule : Schedule, optional
        GW delivered per vendor and period; default the scenario's announced schedule.
        Sites in the schedule are not used: hardware goes to any free powered shell.
    decisions : Decisions, optional
        A whole plan (instead of ``schedule``): its deliveries go to their planned
        sites, and every table it holds fixes that decision; the rest stays to
        the behavioural rules (docs/buildout.md, "Decisions").
    frictions : bool or collection of Friction
        True (all), False (none: the LP's world — no queue attrition,
        interconnection as a pipeline of the region's lead, decision and
        energization times of one step, hardware running in the step it
        arrives if there is room) or the frictions to keep
        (see :mod:`sd_model.buildout.frictions`).
    spill : bool
        Whether hardware that cannot run at its planned site moves on to any
        site with room (after ``decision_quarters``); default: it waits.
    samples : mapping of str to array_like, optional
        Uncertain parameters: scenario key -> one value per sample (all of equal
        length N), run as one vectorized batch, e.g.
        ``{"demand.demand_growth_per_year": g, "regions.*.interconnection_lead_quarters": q,
        "vendors.nvidia.contract_total_gw": gw}`` (a vendor's contract total scales
        its schedule).
    loops : collection of Loop
        Feedback loops switched on (default all; see :mod:`sd_model.buildout.loops`).
    onsite_bridge : bool
        Build on-site generation at sites that allow it while the grid is short.
    counterparty_loop : bool
        Give the lessors and vendors of ``counterparties.csv`` balance sheets and
        close the loop through them (:mod:`sd_model.buildout.counterparties`); off
        by default, which leaves the model as it was.
    shocks : sequence of Shock or str
        Parameters that change from a period on (:mod:`sd_model.buildout.shocks`),
        e.g. ``"demand.revenue_busd_per_gw_year_at_start=x0.6@2027Q1"``.
    method : {"euler", "rk4"}
        Integrator.
    dt_periods : float
        Integration step [periods]; 1/dt must be whole.
    variables : sequence of str, optional
        Variables to return (default: every stock, flow and auxiliary).

    Returns
    -------
    pandas.DataFrame
        One row per period boundary (``time`` = periods since the start; the
        last row is the end of the horizon), or per (``sample``, ``time``) for a
        batch; a ``period`` column with the label of the period starting then;
        one column per variable element (``energized_gw[nvidia]``). Stocks are
        values at that time, flows the rates over the step that starts then.
        ``attrs["units"]``, ``attrs["time_units"]``, ``attrs["loops"]``.

    Examples
    --------
    >>> import sd_model
    >>> result = sd_model.simulate(sd_model.load_scenario("reference"))
    >>> result.loc[0.0, "period"]
    '2026Q1'
    >>> round(float(result.loc[0.0, "energized_total_gw"]), 2)
    1.9
    """
    chosen = check_loops(loops)
    model, inputs = build_model(
        scenario,
        schedule,
        loops=chosen,
        onsite_bridge=onsite_bridge,
        counterparty_loop=counterparty_loop,
        shocks=shocks,
        decisions=decisions,
        frictions=frictions,
        spill=spill,
        dt_periods=dt_periods,
    )
    _check_dt(dt_periods, inputs)
    if samples:
        check_sampled(inputs, list(samples))
    params = sample_params(inputs, samples) if samples else None
    recorded = list(variables) if variables is not None else _public(model)
    frame = model.run(
        stop=float(len(inputs.labels)),
        dt=dt_periods,
        method=method,
        params=params,
        save_every=1.0,
        variables=recorded,
    )
    labels = inputs.time_labels()
    times = frame.index.get_level_values("time").to_numpy()
    frame.insert(0, "period", [labels[round(float(t))] for t in times])
    frame.attrs["loops"] = sorted(chosen)
    if counterparty_loop or shocks:  # runs without them keep the attributes they always had
        frame.attrs["counterparty_loop"] = counterparty_loop
        frame.attrs["shocks"] = [str(shock) for shock in shocks]
    frame.attrs["scenario"] = scenario.name
    frame.attrs["frictions"] = sorted(check_frictions(frictions))
    frame.attrs["fixed"] = list(decisions.fixed) if decisions is not None else []
    return frame


def _public(model: Model) -> list[str]:
    """Stocks, flows, auxiliaries and pipelines a user reads (no constants or raw series)."""
    return [
        name
        for name, var in model.variables.items()
        if not var.internal and var.kind not in ("constant", "series")
    ]


def _check_dt(dt: float, inputs: ModelInputs) -> None:
    steps = 1.0 / dt if dt > 0 else 0.0
    if dt <= 0 or abs(steps - round(steps)) > 1e-9:
        raise ValueError(f"dt_periods must divide one period into whole steps, got {dt}")
    settings = inputs.settings
    shortest = min(settings.energization_quarters, settings.decision_quarters)
    if dt > shortest * inputs.quarters_to_periods + 1e-12:
        raise ValueError(
            f"dt_periods={dt} is longer than the shortest adjustment time "
            f"({shortest} quarters); the rules would overshoot"
        )


def result_columns(frame: pd.DataFrame, name: str) -> list[str]:
    """Columns of variable ``name`` in a result (``name`` or ``name[...]``)."""
    return [c for c in frame.columns if c == name or c.startswith(f"{name}[")]


def stack_samples(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate single-run results into one frame indexed by (sample, time)."""
    return pd.concat(list(frames), keys=list(np.arange(len(frames))), names=["sample"])
