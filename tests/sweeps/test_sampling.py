"""Sampling: distributions, grids, Latin hypercube, seeds."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from optimization.sweeps import (
    Choice,
    Grid,
    LogNormal,
    Normal,
    Parameter,
    Triangular,
    Uniform,
    draw_samples,
    tornado_inputs,
)


def test_same_seed_same_table_and_different_seed_differs() -> None:
    parameters: dict[str, Parameter] = {"a": Uniform(0, 1), "b": Normal(5, 1)}
    first = draw_samples(parameters, 50, seed=7)
    assert first.equals(draw_samples(parameters, 50, seed=7))
    assert not first.equals(draw_samples(parameters, 50, seed=8))


def test_latin_hypercube_puts_one_sample_in_each_stratum() -> None:
    table = draw_samples({"a": Uniform(0.0, 1.0)}, 20, seed=1, method="lhs")
    strata = np.floor(table["a"].to_numpy() * 20)
    assert sorted(strata) == list(range(20))


@pytest.mark.parametrize(
    ("law", "reference"),
    [
        (Normal(2.0, 0.5), stats.norm(2.0, 0.5)),
        (LogNormal(3.0, 0.4), stats.lognorm(0.4, scale=3.0)),
        (Triangular(1.0, 2.0, 5.0), stats.triang(0.25, loc=1.0, scale=4.0)),
    ],
)
def test_inverse_cdfs_match_scipy(law: Normal | LogNormal | Triangular, reference: object) -> None:
    u = np.linspace(0.01, 0.99, 25)
    np.testing.assert_allclose(law.ppf(u), reference.ppf(u), rtol=1e-9)  # type: ignore[attr-defined]


def test_truncated_normal_stays_in_bounds() -> None:
    values = draw_samples({"x": Normal(0, 1, low=-0.5, high=0.5)}, 200, seed=2, method="random")
    assert values["x"].between(-0.5, 0.5).all()


def test_choice_follows_its_weights() -> None:
    table = draw_samples({"c": Choice((8.0, 12.0, 16.0), (0.5, 0.25, 0.25))}, 400, seed=3)
    shares = table["c"].value_counts(normalize=True)
    assert shares[8.0] == pytest.approx(0.5, abs=0.01)  # LHS strata make this near exact
    assert set(shares.index) == {8.0, 12.0, 16.0}


def test_grids_form_a_full_product_times_the_draws() -> None:
    table = draw_samples(
        {"g": Grid((1.0, 2.0, 3.0)), "h": Grid((10.0, 20.0)), "u": Uniform(0, 1)}, 4, seed=0
    )
    assert len(table) == 3 * 2 * 4
    assert table.groupby(["g", "h"]).size().eq(4).all()
    only_grids = draw_samples({"g": Grid((1.0, 2.0))}, 5, seed=0)
    assert only_grids["g"].tolist() == [1.0, 2.0]


@pytest.mark.parametrize(
    "make",
    [
        lambda: Uniform(2, 1),
        lambda: Normal(0, 0),
        lambda: LogNormal(-1, 1),
        lambda: Triangular(0, 3, 2),
        lambda: Choice(()),
        lambda: Choice((1.0, 2.0), (1.0,)),
        lambda: Grid(()),
    ],
)
def test_ill_posed_distributions_are_rejected(make: object) -> None:
    with pytest.raises(ValueError, match="needs"):
        make()  # type: ignore[operator]


def test_tornado_moves_one_parameter_at_a_time() -> None:
    cases = tornado_inputs({"a": Uniform(0, 10), "g": Grid((1.0, 2.0, 3.0))})
    rows = {key: list(values) for key, values in zip(cases.index, cases.to_numpy(), strict=True)}
    assert rows[("base", "")] == [5.0, 2.0]
    assert rows[("a", "low")] == [pytest.approx(1.0), 2.0]
    assert rows[("g", "high")] == [5.0, 3.0]
