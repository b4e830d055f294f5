"""A chart whose data show nothing is replaced by the sentence that says so; others are drawn."""

from __future__ import annotations

import dataclasses

import numpy as np
from matplotlib.collections import PathCollection

from optimization.coupling.compare import Comparison
from optimization.report.figures import until_plan_end
from optimization.report.flat_figures import (
    common_flat_value,
    own_vs_lease_sentence,
    utilization_sentence,
)
from sd_model import Scenario


def test_flat_means_one_value_for_every_case_and_period() -> None:
    assert common_flat_value({"a": np.ones(4), "b": np.full(4, 1.0005)}) is not None
    assert common_flat_value({"a": np.ones(4), "b": np.full(4, 0.9)}) is None  # cases differ
    assert common_flat_value({"a": np.array([np.nan, np.nan])}) is None  # nothing to say


def test_utilization_is_said_only_while_it_is_flat(
    comparison: Comparison, scenario: Scenario
) -> None:
    said = utilization_sentence(comparison, scenario)
    assert said is not None and said.startswith("Utilization stays at 100% in every case")
    moving = comparison.timeseries.copy()
    first = moving["case"] == comparison.names[0]
    moving.loc[first, "utilization"] = np.linspace(0.6, 1.0, int(first.sum()))
    assert utilization_sentence(dataclasses.replace(comparison, timeseries=moving)) is None


def test_own_vs_lease_is_said_only_when_nothing_is_leased(comparison: Comparison) -> None:
    said = own_vs_lease_sentence(comparison)
    assert said is not None and said.startswith("No case leases capacity")


def test_ppa_coverage_stops_at_the_end_of_the_plan(comparison: Comparison) -> None:
    wide = comparison.timeseries.pivot(index="period", columns="case", values="ppa_coverage")
    end = str(wide.index[3])
    cut = until_plan_end(wide, end)
    assert cut.iloc[:4].equals(wide.iloc[:4]) and cut.iloc[4:].isna().all().all()
    assert until_plan_end(wide, None).equals(wide)


def test_the_site_map_places_sites_by_coordinates_and_sizes_them_by_gw(
    comparison: Comparison, scenario: Scenario
) -> None:
    from optimization.report.site_map import placed_sites, site_map

    places = placed_sites(scenario)
    assert set(places["place"]) == {"TXA", "TXB", "PJA"}
    figure = site_map(comparison, scenario)
    assert figure is not None
    panels = [a for a in figure.axes if a.get_visible()]
    assert len(panels) == len(comparison.names)
    discs = panels[0].collections[0]  # the used sites' discs: area ∝ GW at the plan's end
    assert isinstance(discs, PathCollection)
    assert len(discs.get_sizes()) >= 1 and float(discs.get_sizes().max()) > 0
    unplaced = scenario.with_overrides({"sites.*.latitude_deg": None})
    assert site_map(comparison, unplaced) is None  # nothing to place: skipped, with its reason
