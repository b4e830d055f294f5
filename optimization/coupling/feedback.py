"""What the simulation passes back to the LP: effective lead times, connected shares, demand path.

The LP plans a grid queue without spread or attrition and a demand path at a
constant (or outlook) rate; the simulation realises a queue time, an
attrition and a demand that responds to price. Measured from the
simulation's records over the planning horizon (`realised_grid`), per
region:

- **effective lead** [quarters] = the region's ``interconnection_lead_quarters``
  + max(0, round(realised queue time − that lead)), the realised queue time
  being Little's law (GW-quarters spent in the queue per GW that left it).
  The LP rounds it up to its periods as every lead. Across iterations an
  effective lead only lengthens, so the iteration cannot cycle between two
  rounding outcomes;
- **connected share** [-] = realised connected / (connected + dropped): the
  share of the requests that left the queue which connected (1 − realised
  attrition). Requests still queued at the horizon's end are left out: they
  are neither connected nor lost yet, and counting them as lost would
  derate a region for its lead time. A region without requests that left
  the queue keeps its previous share (1 at first). The share is floored at
  `MIN_SHARE` (a region whose every request dropped would need infinite
  requests).

The LP takes the effective leads as scenario overrides of
``regions.<id>.interconnection_lead_quarters`` (structural: the model is
rebuilt when one changes) and the connected shares as
`optimization.lp.options.PlanOptions.connection_share` (a mutable
coefficient of the grid balance, `optimization.lp.components.grid`).

The **demand path** goes back as a demand outlook, `SIMULATED_OUTLOOK`, whose
growth in each LP year is the simulated demand's growth over that year
(`with_simulated_outlook` adds it to the planner's scenario; the LP's demand
limit then follows the simulated path at each year's boundaries).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from optimization.coupling.realised import realised_grid
from sd_model import Scenario

__all__ = [
    "MIN_SHARE",
    "SIMULATED_OUTLOOK",
    "GridFeedback",
    "demand_path_overrides",
    "grid_feedback",
    "with_simulated_outlook",
]

MIN_SHARE = 0.05
SIMULATED_OUTLOOK = "simulated_by_coupling"


@dataclass(frozen=True)
class GridFeedback:
    """Effective lead [quarters] and connected share [-] per region, as the LP takes them."""

    lead_quarters: Mapping[str, int] = field(default_factory=dict)
    connection_share: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def none(cls, scenario: Scenario) -> GridFeedback:
        """No feedback: the scenario's leads, every request connects."""
        return cls(
            {r.id: int(r.interconnection_lead_quarters) for r in scenario.regions},
            {r.id: 1.0 for r in scenario.regions},
        )

    def lead_overrides(self, scenario: Scenario) -> dict[str, Any]:
        """Scenario overrides of the leads that differ from ``scenario``'s."""
        return {
            f"regions.{r.id}.interconnection_lead_quarters": self.lead_quarters[r.id]
            for r in scenario.regions
            if self.lead_quarters.get(r.id, r.interconnection_lead_quarters)
            != r.interconnection_lead_quarters
        }


def grid_feedback(
    simulation: pd.DataFrame, scenario: Scenario, previous: GridFeedback | None = None
) -> GridFeedback:
    """Effective leads and connected shares the simulation realised (module docstring).

    Parameters
    ----------
    simulation
        A simulation of ``scenario`` (the world: its leads are the base ones).
    scenario
        The simulated scenario.
    previous
        The feedback of the previous iteration (leads only lengthen from it;
        regions without evidence keep its share).
    """
    previous = previous or GridFeedback.none(scenario)
    realised = realised_grid(simulation, scenario).set_index("region")
    leads, shares = dict(previous.lead_quarters), dict(previous.connection_share)
    for region, row in realised.iterrows():
        rid = str(region)
        left = float(row["connected_gw"] + row["dropped_gw"])
        if left <= 1e-6:
            continue
        base = int(row["lead_quarters"])
        extra = max(0, round(float(row["queue_quarters"]) - base))
        leads[rid] = max(leads.get(rid, base), base + extra)
        shares[rid] = max(float(row["connected_gw"]) / left, MIN_SHARE)
    return GridFeedback(leads, shares)


def with_simulated_outlook(scenario: Scenario) -> Scenario:
    """``scenario`` with a demand outlook `SIMULATED_OUTLOOK` the coupling can fill (not selected).

    Its growth starts as the scenario's own path (the selected outlook's
    rates, or the constant growth) in every LP year.
    """
    data = scenario.model_dump()
    years = scenario.periods.years("lp")
    growth = {y: scenario.demand.growth_in(y) for y in years}
    data["demand"]["outlooks"] = {
        **data["demand"]["outlooks"],
        SIMULATED_OUTLOOK: {
            "growth_by_year": growth,
            "description": "The simulated demand path, passed back by the coupling.",
        },
    }
    return Scenario.model_validate(data)


def demand_path_overrides(scenario: Scenario, simulation: pd.DataFrame) -> dict[str, Any]:
    """Overrides that make the LP's demand path the simulated one, year by year.

    The growth of year y is the simulated ``compute_demand_gw`` at the
    boundary that ends y over the one that starts it, minus one. Needs
    `SIMULATED_OUTLOOK` in ``scenario`` (`with_simulated_outlook`); years
    whose demand is zero keep their rate.
    """
    grid = scenario.periods
    labels = list(grid.labels("lp"))
    demand = simulation["compute_demand_gw"].to_numpy(dtype=float)
    years = np.asarray([grid.year(p) for p in labels])
    prefix = f"demand.outlooks.{SIMULATED_OUTLOOK}.growth_by_year"
    overrides: dict[str, Any] = {"demand.outlook": SIMULATED_OUTLOOK}
    for year in grid.years("lp"):
        inside = np.flatnonzero(years == year)
        first, last = int(inside[0]), min(int(inside[-1]) + 1, len(demand) - 1)
        if demand[first] > 0 and demand[last] > 0 and last > first:
            per_period = (demand[last] / demand[first]) ** (1 / (last - first))
            rate = per_period**grid.periods_per_year - 1  # a part year at its yearly rate
            overrides[f"{prefix}.{year}"] = float(rate)
    return overrides
