"""A batch of N samples reproduces N single runs."""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose

from sd_model.engine import Method
from tests.engine.factories import buildout_like, sample_frame, sample_params


@pytest.mark.parametrize("method", ["euler", "rk4"])
def test_batch_equals_single_runs(method: Method) -> None:
    model, params = buildout_like(), sample_params(5)
    batch = model.run(stop=12.0, dt=0.25, method=method, params=params)
    assert batch.index.names == ["sample", "time"]
    for i in range(5):
        single = model.run(
            stop=12.0,
            dt=0.25,
            method=method,
            params={name: value[i] for name, value in params.items()},
        )
        assert single.index.name == "time"
        assert_allclose(sample_frame(batch, i), single, rtol=1e-12, atol=1e-12)


def test_batch_columns_units_and_index() -> None:
    frame = buildout_like().run(stop=2.0, dt=0.5, params=sample_params(3), save_every=1.0)
    assert list(frame.index.get_level_values("time").unique()) == [0.0, 1.0, 2.0]
    assert frame.shape[0] == 9
    assert "energized_gw[nvidia]" in frame.columns
    assert frame.attrs["units"]["energized_gw[nvidia]"] == "GW"
    assert frame.attrs["time_units"] == "quarter"
    assert not any("." in column for column in frame.columns)  # internal helpers hidden


def test_samples_must_agree() -> None:
    params = sample_params(3)
    params["transit_quarters"] = params["transit_quarters"][:2]
    with pytest.raises(Exception, match="disagree on the number of samples"):
        buildout_like().simulator(params=params)


def test_shared_values_broadcast_over_samples() -> None:
    frame = buildout_like().run(stop=1.0, dt=0.5, params={"transit_quarters": [1.0, 1.0]})
    assert sample_frame(frame, 0).equals(sample_frame(frame, 1))
