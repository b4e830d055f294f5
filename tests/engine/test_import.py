"""The engine is importable on its own, without the planning package behind it."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_engine_imports_without_the_scenario_machinery() -> None:
    code = (
        "import sys, sd_model.engine\n"
        "heavy = ['pydantic', 'yaml', 'pyomo', 'highspy', 'scipy', 'matplotlib',\n"
        "         'sd_model.scenario', 'sd_model.buildout', 'sd_model.frames', 'optimization']\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_public_names_of_sd_model_still_import() -> None:
    import sd_model
    from sd_model import PeriodGrid, Scenario, load_scenario, simulate

    assert sd_model.__all__ == sorted(sd_model.__all__)
    for name in sd_model.__all__:
        assert getattr(sd_model, name) is not None
    assert Scenario.__name__ == "Scenario" and PeriodGrid.__name__ == "PeriodGrid"
    assert callable(load_scenario) and callable(simulate)
    assert set(sd_model.__all__) <= set(dir(sd_model))


def test_unknown_attribute_is_an_attribute_error() -> None:
    import sd_model

    with pytest.raises(AttributeError, match="nothing_here"):
        sd_model.nothing_here  # noqa: B018
