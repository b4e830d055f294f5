"""Stored expectations: the numbers a planner reads, per bundled scenario.

Every later change of a number is a visible diff of `tests/expected/*.json`.
When a change is intended, rewrite the files with
``python -m pytest tests/test_expected.py --update-expected`` and name each
changed number, before and after, and why, in the commit message.
"""

from __future__ import annotations

import pytest

import sd_model
from tests.conftest import TINY
from tests.expected_numbers import collect, differences, load, store

SCENARIOS = ("reference", "long_queue", "nvidia_scaled_back", "cloud_leases", "tiny")


@pytest.mark.parametrize("name", SCENARIOS)
def test_numbers_match_the_stored_expectations(name: str, request: pytest.FixtureRequest) -> None:
    scenario = sd_model.load_scenario(TINY if name == "tiny" else name)
    now = collect(scenario)
    if request.config.getoption("--update-expected"):
        store(name, now)
        return
    moved = differences(load(name), now)
    assert not moved, (
        f"{len(moved)} stored number(s) of scenario {name!r} moved:\n"
        + "\n".join(moved)
        + "\nIf the change is intended, run "
        "`python -m pytest tests/test_expected.py --update-expected` and name each "
        "changed number (before -> after, and why) in the commit message."
    )
