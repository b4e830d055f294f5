"""Belief against outcome: what an LP case planned and what simulating its decisions gave.

For every case with a plan, the plan's decisions are simulated twice: with
the simulation's frictions (the case's own simulation) and without them
(``frictions=False``, the LP's world). The LP's stocks are at the end of each
period; the simulation's at each period boundary, so LP period ``t`` is read
at the boundary that ends it. The gap then splits in two:

- **frictions** = simulated − frictionless: queue attrition, the
  higher-order spread of interconnection delays, decision and energization
  times (what the LP leaves out on purpose);
- **model** = frictionless − LP: what the two models still count differently
  in one world — cash (the simulation's revenue, financing and budget-limited
  deliveries against the LP's cash balance) and demand.

Energized GW is the IT load running at the candidate sites (both models
retire hardware one IT life after it is energized), stranded GW is delivered hardware not
yet energized, cash is the cash stock, connections are new grid connections
per region [GW facility] since the start.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from optimization.lp.plan import Plan
from sd_model import Scenario

__all__ = ["BELIEF_COLUMNS", "belief_summary", "belief_table"]

BELIEF_COLUMNS = ["measure", "key", "period", "lp", "simulated", "frictionless"]


def _boundary(result: pd.DataFrame, name: str, n: int) -> np.ndarray:
    """Variable ``name`` (summed over elements) at the end of each of the first ``n`` periods."""
    columns = [c for c in result.columns if c == name or c.startswith(f"{name}[")]
    values = result[columns].to_numpy().sum(axis=1)
    return np.asarray(values[1 : n + 1], dtype=float)


def belief_table(plan: Plan, simulated: pd.DataFrame, frictionless: pd.DataFrame) -> pd.DataFrame:
    """LP against simulation per measure, key and LP period (columns `BELIEF_COLUMNS`).

    Parameters
    ----------
    plan
        The LP case's plan.
    simulated, frictionless
        The simulation of ``plan.decisions`` with and without frictions.
    """
    labels = list(dict.fromkeys(plan.sites["period"]))
    n = len(labels)
    if n == 0:
        return pd.DataFrame(columns=BELIEF_COLUMNS)
    lp_by_period: Mapping[str, tuple[str, np.ndarray, str]] = {
        "energized_gw": (
            "candidate sites",
            plan.sites.groupby("period", sort=False)["it_gw"].sum().reindex(labels).to_numpy(),
            "site_load_gw",
        ),
        "stranded_gw": (
            "all vendors",
            plan.deliveries.groupby("period", sort=False)["stranded_gw"]
            .sum()
            .reindex(labels, fill_value=0.0)
            .to_numpy(),
            "stranded_gw",
        ),
        "cash_busd": (
            "cash",
            plan.cash.set_index("period")["cash_busd"].reindex(labels).to_numpy(),
            "cash_busd",
        ),
    }
    frames = [
        _rows(measure, key, labels, lp, simulated, frictionless, variable)
        for measure, (key, lp, variable) in lp_by_period.items()
    ]
    connections = plan.regions.pivot(index="period", columns="region", values="new_connected_gw")
    for region in connections.columns:
        lp = connections[region].reindex(labels).to_numpy()
        variable = f"region_new_connections_gw[{region}]"
        frames.append(
            _rows("new_connections_gw", str(region), labels, lp, simulated, frictionless, variable)
        )
    return pd.concat(frames, ignore_index=True)


def _rows(
    measure: str,
    key: str,
    labels: list[str],
    lp: np.ndarray,
    simulated: pd.DataFrame,
    frictionless: pd.DataFrame,
    variable: str,
) -> pd.DataFrame:
    n = len(labels)
    return pd.DataFrame(
        {
            "measure": measure,
            "key": key,
            "period": labels,
            "lp": np.asarray(lp, dtype=float),
            "simulated": _boundary(simulated, variable, n),
            "frictionless": _boundary(frictionless, variable, n),
        }
    )


def belief_summary(belief: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The headline gaps per case: energized GW at each year's end, peak stranded, lowest cash.

    Parameters
    ----------
    belief
        `belief_table` rows with a ``case`` column.
    scenario
        For the calendar (which period ends each year).

    Returns
    -------
    pandas.DataFrame
        case, figure (``energized_gw_<year>``, ``peak_stranded_gw``,
        ``lowest_cash_busd``, ``new_connections_gw_<region>_<year>``), lp,
        simulated, frictionless, gap (simulated − lp), frictions (simulated −
        frictionless), model (frictionless − lp).
    """
    columns = ["case", "figure", "lp", "simulated", "frictionless"]
    rows: list[tuple[str, str, float, float, float]] = []
    grid = scenario.periods
    for case, table in belief.groupby("case", sort=False):
        year_end = table.assign(year=[grid.year(p) for p in table["period"]])
        ends = year_end.groupby(["measure", "key", "year"], sort=False).tail(1)
        values = ends.loc[:, ["lp", "simulated", "frictionless"]].to_numpy(dtype=float)
        for (measure, key, year), (lp, sim, free) in zip(
            ends.loc[:, ["measure", "key", "year"]].itertuples(index=False, name=None),
            values,
            strict=True,
        ):
            if measure == "energized_gw":
                figure = f"energized_gw_{year}"
            elif measure == "new_connections_gw":
                figure = f"new_connections_gw_{key}_{year}"
            else:
                continue
            rows.append((str(case), figure, float(lp), float(sim), float(free)))
        for measure, figure, pick in (
            ("stranded_gw", "peak_stranded_gw", "max"),
            ("cash_busd", "lowest_cash_busd", "min"),
        ):
            chosen = table.loc[table["measure"] == measure, ["lp", "simulated", "frictionless"]]
            values = chosen.to_numpy(dtype=float)
            lp, sim, free = values.max(axis=0) if pick == "max" else values.min(axis=0)
            rows.append((str(case), figure, float(lp), float(sim), float(free)))
    out = pd.DataFrame(rows, columns=columns)
    out["gap"] = out["simulated"] - out["lp"]
    out["frictions"] = out["simulated"] - out["frictionless"]
    out["model"] = out["frictionless"] - out["lp"]
    return out
