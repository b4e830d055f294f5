"""Shared helpers for the build-out model tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sd_model import Scenario
from sd_model.scenario.sections import SimulationSettings

#: Saline owned by the lab with DTE's signed 1.4 GW contract, in service 2027Q4 (FIGURES A2;
#: in the bundled reference it is leased from Oracle, so the lab holds no utility contract there)
OWNED_SALINE = {
    "sites.MIC.max_gw": 1.166,
    "sites.MIC.grid_limit_gw": 1.4,
    "sites.MIC.contracted_grid_gw": 1.4,
    "sites.MIC.contract_in_service_period": "2027Q4",
    "lease_contracts.oracle_saline.site": "",
    "lease_contracts.oracle_saline_option.site": "",
}


def columns(frame: pd.DataFrame, name: str) -> list[str]:
    """Columns of variable ``name`` (``name`` or ``name[...]``)."""
    return [c for c in frame.columns if c == name or c.startswith(f"{name}[")]


def summed(frame: pd.DataFrame, name: str) -> pd.Series:
    """Variable ``name`` summed over its elements."""
    return frame[columns(frame, name)].sum(axis=1)


def numeric(frame: pd.DataFrame) -> pd.DataFrame:
    """The numeric columns (without the period label)."""
    return frame.drop(columns="period")


def with_settings(scenario: Scenario, **values: float) -> Scenario:
    """``scenario`` with model settings changed (also for scenarios without the section)."""
    base = scenario.simulation or SimulationSettings()
    return scenario.model_copy(update={"simulation": base.model_copy(update=values)})


def first_order_delay(inflow: np.ndarray, tau: float, dt: float) -> np.ndarray:
    """Euler solution of ``x' = inflow - x / tau`` from 0; ``inflow`` per step."""
    x = np.zeros(len(inflow) + 1)
    for k, rate in enumerate(inflow):
        x[k + 1] = x[k] + dt * (rate - x[k] / tau)
    return x
