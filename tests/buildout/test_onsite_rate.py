"""On-site generation has a yearly build limit per technology, in the simulation and the LP."""

from __future__ import annotations

import pandas as pd
import pytest

import sd_model
from optimization.lp.planning import PlanningModel, optimize
from sd_model import Scenario

TOLERANCE_GW = 1e-6


@pytest.fixture(scope="module")
def reference() -> Scenario:
    return sd_model.load_scenario("reference")


def _sd_additions_by_year(result: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """GW coming into operation per calendar year and on-site option (simulation)."""
    sites = {s.id: s for s in scenario.sites}
    options = {o.id: o for o in scenario.onsite_options}
    flows = result.iloc[:-1]
    year = flows["period"].str[:4].astype(int)
    added: dict[str, pd.Series] = {}
    for column in flows.columns:
        if not column.startswith("onsite_completing_gw_per_period["):
            continue
        site = sites[column.split("[")[1].rstrip("]")]
        if not site.onsite_option_ids:
            continue
        option = min((options[i] for i in site.onsite_option_ids), key=lambda o: o.lead_quarters)
        gw = flows[column].groupby(year).sum()  # GW/period × 1 period per saved row
        added[option.id] = added.get(option.id, 0.0) + gw
    return pd.DataFrame(added)


def test_simulated_onsite_additions_never_exceed_the_limit(reference: Scenario) -> None:
    result = sd_model.simulate(reference, dt_periods=1.0)
    added = _sd_additions_by_year(result, reference)
    for option in reference.onsite_options:
        if option.id in added and option.max_build_gw_per_year is not None:
            assert added[option.id].max() <= option.max_build_gw_per_year + TOLERANCE_GW
    # the limit binds on the bundled data: the engines want more than 1 GW in a year
    free = reference.with_overrides({"onsite_options.*.max_build_gw_per_year": 100.0})
    unlimited = _sd_additions_by_year(sd_model.simulate(free, dt_periods=1.0), free)
    assert unlimited["gas_recip"].max() > 1.0 + 0.5


def test_a_tighter_limit_slows_the_simulated_bridge(reference: Scenario) -> None:
    tight = reference.with_overrides({"onsite_options.*.max_build_gw_per_year": 0.25})
    result = sd_model.simulate(tight, dt_periods=1.0)
    added = _sd_additions_by_year(result, tight)
    assert added.to_numpy().max() <= 0.25 + TOLERANCE_GW
    loose = sd_model.simulate(reference, dt_periods=1.0)
    column = [c for c in result.columns if c.startswith("onsite_operating_gw[")]
    assert result[column].sum(axis=1).iloc[8] < loose[column].sum(axis=1).iloc[8]


def _lp_additions_by_year(plan_onsite: pd.DataFrame) -> pd.DataFrame:
    capacity = plan_onsite.groupby(["period", "option"])["capacity_gw"].sum().unstack("option")
    added = capacity.diff().fillna(capacity)
    return added.groupby(capacity.index.str[:4]).sum()


@pytest.mark.parametrize("limit", [0.3, 1.0])
def test_lp_onsite_additions_never_exceed_the_limit(reference: Scenario, limit: float) -> None:
    scenario = reference.with_overrides({"onsite_options.*.max_build_gw_per_year": limit})
    added = _lp_additions_by_year(optimize(scenario).onsite)
    assert added.to_numpy().max() <= limit + TOLERANCE_GW


def test_the_lp_limit_binds_and_can_be_changed_without_a_rebuild(reference: Scenario) -> None:
    # at a revenue that makes building worth it (the bundled economics build little of their own)
    rich = reference.with_overrides({"demand.revenue_busd_per_gw_year_at_start": 30.0})
    free = _lp_additions_by_year(
        optimize(rich.with_overrides({"onsite_options.*.max_build_gw_per_year": 100.0})).onsite
    )
    assert free.to_numpy().max() > 1.0  # without a limit the LP bridges faster
    model = PlanningModel(rich)
    tight = model.resolve({"onsite_options.*.max_build_gw_per_year": 0.3})
    assert _lp_additions_by_year(tight.onsite).to_numpy().max() <= 0.3 + TOLERANCE_GW
    assert tight.objective > model.resolve({}).objective - 1e-6
