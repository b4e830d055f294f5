"""The bundled scenarios: where they are and what each is, read without loading them.

Only each folder's ``scenario.yaml`` is read (name, description, extends), so
that ``gwplan scenarios`` starts without pandas or the scenario models.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sd_model.scenario.safe_yaml import read_yaml_file

__all__ = ["SETTINGS_FILE", "ScenarioInfo", "bundled_scenarios_dir", "list_scenarios"]

SETTINGS_FILE = "scenario.yaml"


def bundled_scenarios_dir() -> Path:
    """Folder of the scenarios shipped with gwplan (in the wheel or the checkout)."""
    here = Path(__file__).resolve().parents[1]  # the sd_model package
    for candidate in (here / "_data" / "scenarios", here.parent / "data" / "scenarios"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"gwplan's bundled scenarios are missing (looked in {here})")


@dataclass(frozen=True)
class ScenarioInfo:
    """A bundled scenario: its name, one-line description and folder."""

    name: str
    description: str
    path: Path
    extends: str | None = None


def list_scenarios() -> list[ScenarioInfo]:
    """The bundled scenarios, reference first, then by name."""
    infos = []
    for folder in sorted(bundled_scenarios_dir().iterdir()):
        settings = folder / SETTINGS_FILE
        if settings.is_file():
            data = read_yaml_file(settings) or {}
            infos.append(
                ScenarioInfo(
                    folder.name, str(data.get("description", "")), folder, data.get("extends")
                )
            )
    return sorted(infos, key=lambda i: (i.name != "reference", i.name))
