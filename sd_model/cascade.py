"""Sweeps over shocks: how often the lab's distress spreads to a counterparty (a cascade).

Shock templates carry named template variables
(``"demand.revenue_busd_per_gw_year_at_start=x{f}@{when}"``); each row of a
draws table (one column per template variable, e.g. drawn by
``optimization.sweeps.distributions.draw_samples``) fills them and runs the
scenario with the counterparty loop on. A run *cascades* when a lessor or
vendor breaches its covenant at some period; the probability of a cascade is
the share of runs that do (each draw weighs the same).

Examples
--------
>>> import pandas as pd
>>> import sd_model
>>> from sd_model.cascade import cascade_sweep
>>> runs = cascade_sweep(
...     sd_model.load_scenario("cloud_leases"),
...     ["financing.debt_capacity_busd=x{f}@2027Q1"],
...     pd.DataFrame({"f": [1.0]}),
... )
>>> runs.loc[0, "first_counterparty"], runs.loc[0, "first_counterparty_period"]
('oracle', '2027Q4')
>>> cascade_probability(runs)
1.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sd_model.buildout import simulate
from sd_model.buildout.shocks import parse_shock
from sd_model.scenario.counterparties import LAB
from sd_model.scenario.definition import Scenario
from sd_model.scenario.schedule import Schedule
from sd_model.stress import party_rows

__all__ = ["cascade_probability", "cascade_sweep", "fill_shocks"]


def fill_shocks(templates: Sequence[str], values: dict[str, object]) -> list[str]:
    """The shock texts of one draw: each ``{name}`` replaced by ``values[name]``.

    Raises
    ------
    ValueError
        If a template names a template variable the draw lacks.

    Examples
    --------
    >>> fill_shocks(["demand.demand_growth_per_year={g}@{when}"], {"g": 0.3, "when": "2027Q1"})
    ['demand.demand_growth_per_year=0.3@2027Q1']
    """
    try:
        return [template.format(**values) for template in templates]
    except (KeyError, IndexError) as err:
        names = ", ".join(sorted(values)) or "none"
        raise ValueError(
            f"shock template variable {err} has no drawn value (drawn: {names})"
        ) from None


def cascade_sweep(
    scenario: Scenario,
    templates: Sequence[str],
    draws: pd.DataFrame,
    *,
    schedule: Schedule | None = None,
    dt_periods: float = 0.25,
) -> pd.DataFrame:
    """Run the scenario once per draw with the filled shocks and the counterparty loop on.

    Returns
    -------
    pandas.DataFrame
        One row per draw (the draw's columns first), then ``shocks``,
        ``lab_misses_from`` (first period the lab pays less than due, or ""),
        ``first_counterparty`` and ``first_counterparty_period`` (first lessor
        or vendor to breach, or ""), ``counterparties_in_breach`` (how many
        breach at some period), ``cascade`` (any did), ``missed_busd`` (lease
        payments the lab missed over the horizon) and ``delivered_gw`` (GW
        delivered by the end).
    """
    rows = []
    for _, draw in draws.iterrows():
        values = {str(k): _plain(v) for k, v in draw.items()}
        shocks = [parse_shock(text) for text in fill_shocks(templates, values)]
        run = simulate(
            scenario, schedule, counterparty_loop=True, shocks=shocks, dt_periods=dt_periods
        )
        parties = party_rows("stress", run, scenario)
        hit = parties[parties["breach"]].sort_values("period", kind="stable")
        lab = hit[hit["party"] == LAB]
        others = hit[hit["party"] != LAB]
        delivered = [c for c in run.columns if c.startswith("delivered_cum_gw[")]
        rows.append(
            {
                **values,
                "shocks": "; ".join(str(s) for s in shocks),
                "lab_misses_from": str(lab["period"].iloc[0]) if not lab.empty else "",
                "first_counterparty": str(others["party"].iloc[0]) if not others.empty else "",
                "first_counterparty_period": (
                    str(others["period"].iloc[0]) if not others.empty else ""
                ),
                "counterparties_in_breach": int(others["party"].nunique()),
                "cascade": not others.empty,
                "missed_busd": float(parties.loc[parties["party"] == LAB, "missed_busd"].sum()),
                "delivered_gw": float(run[delivered].iloc[-1].sum()),
            }
        )
    return pd.DataFrame(rows)


def cascade_probability(runs: pd.DataFrame) -> float:
    """Share of the runs of :func:`cascade_sweep` in which a counterparty breaches [-]."""
    if runs.empty:
        raise ValueError("no runs: the draws table is empty")
    return float(np.mean(runs["cascade"].to_numpy(dtype=bool)))


def _plain(value: object) -> object:
    """A numpy scalar as a plain Python value (so ``{f}`` prints 0.6, not np.float64(0.6))."""
    return value.item() if isinstance(value, np.generic) else value
