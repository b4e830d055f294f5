"""Sweeps: identical results on every executor, resume after interruption, failed samples."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import sd_model
from optimization.sweeps import (
    Grid,
    Parameter,
    SweepMismatchError,
    Uniform,
    exceedance_probability,
    percentiles,
    sweep,
)
from optimization.sweeps.executors import InProcessExecutor
from tests.conftest import TINY

PARAMETERS: dict[str, Parameter] = {
    "sites.TXB.max_gw": Uniform(0.2, 1.5),
    "sites.PJA.earliest_energization_period": Grid(("2026Q2", "2027Q3")),
}


@pytest.fixture(scope="module")
def scenario() -> sd_model.Scenario:
    return sd_model.load_scenario(TINY)


@pytest.fixture(scope="module")
def inprocess(scenario: sd_model.Scenario) -> pd.DataFrame:
    return sweep(scenario, PARAMETERS, samples=12, seed=5, executor="inprocess", chunk_size=5)


def test_the_table_holds_inputs_metrics_and_errors(inprocess: pd.DataFrame) -> None:
    assert len(inprocess) == 24 and inprocess.index.name == "sample"
    assert {"sites.TXB.max_gw", "peak_gap_gw", "site_capacity_gw", "error"} <= set(inprocess)
    assert (inprocess["error"] == "").all()
    # the metric responds to the sampled input: more capacity at TXB, more site capacity
    assert inprocess["site_capacity_gw"].corr(inprocess["sites.TXB.max_gw"]) > 0.5


def test_local_processes_give_the_same_table(
    scenario: sd_model.Scenario, inprocess: pd.DataFrame
) -> None:
    table = sweep(
        scenario, PARAMETERS, samples=12, seed=5, executor="processes", workers=2, chunk_size=5
    )
    pd.testing.assert_frame_equal(table, inprocess)


def test_a_dask_local_cluster_gives_the_same_table(
    scenario: sd_model.Scenario, inprocess: pd.DataFrame
) -> None:
    pytest.importorskip("distributed")
    table = sweep(
        scenario, PARAMETERS, samples=12, seed=5, executor="dask", workers=2, chunk_size=5
    )
    pd.testing.assert_frame_equal(table, inprocess)


class Interrupted(InProcessExecutor):
    """Stops the sweep (as Ctrl-C would) after a number of chunks."""

    def __init__(self, after: int) -> None:
        self.after = after

    def map_unordered(self, fn, items):  # type: ignore[no-untyped-def]
        for count, pair in enumerate(super().map_unordered(fn, items)):
            if count == self.after:
                raise KeyboardInterrupt
            yield pair


def test_resume_after_an_interruption_gives_the_uninterrupted_table(
    scenario: sd_model.Scenario, inprocess: pd.DataFrame, tmp_path: Path
) -> None:
    out = tmp_path / "sweep"
    with pytest.raises(KeyboardInterrupt):
        sweep(
            scenario, PARAMETERS, samples=12, seed=5, executor=Interrupted(2), chunk_size=5, out=out
        )
    assert len(list((out / "chunks").glob("*.parquet"))) == 2
    assert not list((out / "chunks").glob("*.tmp"))
    seen: list[int] = []
    table = sweep(
        scenario,
        PARAMETERS,
        samples=12,
        seed=5,
        executor="inprocess",
        chunk_size=5,
        out=out,
        resume=True,
        progress=seen.append,
    )
    pd.testing.assert_frame_equal(table, inprocess, check_dtype=False)
    assert seen[0] == 10  # two stored chunks of five were not run again


def test_a_stored_sweep_is_never_mixed_with_another(
    scenario: sd_model.Scenario, tmp_path: Path
) -> None:
    out = tmp_path / "sweep"
    sweep(scenario, PARAMETERS, samples=2, seed=5, executor="inprocess", out=out)
    with pytest.raises(SweepMismatchError, match="--resume"):
        sweep(scenario, PARAMETERS, samples=2, seed=5, executor="inprocess", out=out)
    with pytest.raises(SweepMismatchError, match="seed"):
        sweep(scenario, PARAMETERS, samples=2, seed=6, executor="inprocess", out=out, resume=True)


def test_failed_samples_are_recorded_and_the_sweep_completes(
    scenario: sd_model.Scenario,
) -> None:
    table = sweep(scenario, {"pue": Uniform(0.8, 1.2)}, samples=20, seed=1, executor="inprocess")
    failed = table.loc[table["error"] != ""]
    assert 0 < len(failed) < 20
    assert failed["error"].str.contains("pue").all()
    assert (table.loc[failed.index, "pue"] < 1).all()
    assert percentiles(table, ["peak_gap_gw"]).loc["peak_gap_gw", "samples"] == 20 - len(failed)


def test_exceedance_probability_counts_successful_samples(inprocess: pd.DataFrame) -> None:
    share = exceedance_probability(inprocess, "site_capacity_gw", 3.5)
    expected = (inprocess["site_capacity_gw"] > 3.5).mean()
    assert share == pytest.approx(expected)
