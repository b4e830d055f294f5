"""Uncertain parameters: a batch of N samples equals N single runs of the changed scenario."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import sd_model
from sd_model import Scenario
from tests.buildout.helpers import numeric

SAMPLES = {
    "demand.demand_growth_per_year": np.array([0.2, 0.6, 1.0]),
    "regions.*.interconnection_lead_quarters": np.array([6.0, 10.0, 24.0]),
    "regions.PJM.queue_attrition_fraction": np.array([0.1, 0.6, 0.9]),
    "vendors.amd.share_price_response_per_gw": np.array([0.0, 0.05, 0.2]),
    "vendors.nvidia.contract_total_gw": np.array([4.0, 10.0, 15.0]),
}


@pytest.fixture(scope="module")
def reference() -> Scenario:
    return sd_model.load_scenario("reference")


def test_a_batch_equals_single_runs_of_the_overridden_scenario(reference: Scenario) -> None:
    batch = sd_model.simulate(reference, samples=SAMPLES)
    assert batch.index.names == ["sample", "time"]
    for i in range(3):
        overrides = {k: v[i] for k, v in SAMPLES.items() if not k.endswith("contract_total_gw")}
        overrides["regions.*.interconnection_lead_quarters"] = int(
            overrides["regions.*.interconnection_lead_quarters"]
        )
        nvidia = SAMPLES["vendors.nvidia.contract_total_gw"][i]
        scenario = reference.with_overrides(overrides)
        schedule = reference.announced_schedule.scaled({"nvidia": nvidia / 10.0})
        single = sd_model.simulate(scenario, schedule)
        part = batch.xs(i, level="sample")
        assert isinstance(part, pd.DataFrame)
        assert list(part["period"]) == list(single["period"])
        assert_allclose(numeric(part), numeric(single), rtol=1e-9, atol=1e-9)


def test_samples_change_the_outcome(reference: Scenario) -> None:
    batch = sd_model.simulate(reference, samples=SAMPLES, variables=["ordered_gw"])
    final = batch["ordered_gw[nvidia]"].groupby(level="sample").last()
    assert_allclose(final, SAMPLES["vendors.nvidia.contract_total_gw"])


@pytest.mark.parametrize(
    ("samples", "message"),
    [
        ({"demand.bogus": [1.0]}, "not an uncertain parameter"),
        ({"regions.XYZ.interconnection_lead_quarters": [1.0]}, "no region 'XYZ'"),
        ({"vendors.*.contract_total_gw": [1.0]}, "name one vendor"),
        ({"pue": [1.2, 1.3], "demand.price_elasticity": [0.1]}, "differ in length"),
    ],
)
def test_bad_samples_are_named(
    reference: Scenario, samples: dict[str, list[float]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        sd_model.simulate(reference, samples=samples)
