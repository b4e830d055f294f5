"""Horizon figures of the counterparty loop, per run or per sample of a batch (for sweeps).

A run with ``counterparty_loop=True`` (:mod:`sd_model.buildout.counterparties`)
reduced to the figures a sweep summarises: the lease payments the lab missed,
whether a lessor or vendor breached its covenant (a *cascade*), how many did,
and the lowest share of its lease payments the lab paid. Like
`sd_model.stress.party_rows`, flows and breaches are read on the rows inside
the horizon (the last row is its end boundary).

Examples
--------
>>> import sd_model
>>> scenario = sd_model.load_scenario("cloud_leases")
>>> run = sd_model.simulate(scenario, counterparty_loop=True)
>>> figures = loop_summary(run)
>>> bool(figures["counterparty_breach"]), int(figures["counterparties_in_breach"])
(True, 1)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sd_model.metrics_base import Figure, _is_batch
from sd_model.scenario.definition import Scenario

__all__ = ["LOOP_FIGURES", "loop_summary", "loop_variables"]

#: The figures of `loop_summary`, in order.
LOOP_FIGURES = (
    "lease_payments_missed_busd",
    "counterparty_breach",
    "counterparties_in_breach",
    "lab_min_payment_share",
)


def loop_variables(scenario: Scenario) -> tuple[str, ...]:
    """The variables `loop_summary` reads (record them with ``simulate(variables=...)``)."""
    names = ("lab_missed_busd_per_period", "lab_payment_share", "vendor_breach")
    return (*names, "lessor_breach") if scenario.lessors else names


def loop_summary(result: pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Loop figures of a run (a Series) or of each sample of a batch (a DataFrame).

    Keys: ``lease_payments_missed_busd`` (lease payments the lab missed over the
    horizon [$B]), ``counterparty_breach`` (1 if a lessor or vendor fell below its
    covenant at some period, else 0 [-]; its mean over samples is the probability
    of a cascade), ``counterparties_in_breach`` (how many did) and
    ``lab_min_payment_share`` (the lowest share of its lease payments due the lab
    paid [-]).

    Raises
    ------
    KeyError
        If the run was not made with the counterparty loop on (or did not record
        `loop_variables`).
    """
    missed = _inside(result, _columns(result, "lab_missed_busd_per_period"))
    share = _inside(result, _columns(result, "lab_payment_share"))
    breach_cols = _columns(result, "vendor_breach") + _columns(result, "lessor_breach", True)
    breached: np.ndarray = _inside(result, breach_cols) > 0.5  # (runs, rows, parties)
    per_party: np.ndarray = np.any(breached, axis=1)
    figures: dict[str, Figure] = {
        "lease_payments_missed_busd": _out(result, missed.sum(axis=(1, 2))),
        "counterparty_breach": _out(result, np.any(per_party, axis=1).astype(float)),
        "counterparties_in_breach": _out(result, per_party.sum(axis=1).astype(float)),
        "lab_min_payment_share": _out(result, share.min(axis=(1, 2))),
    }
    if _is_batch(result):
        return pd.DataFrame(figures)
    return pd.Series(figures, dtype=float)


def _columns(result: pd.DataFrame, name: str, optional: bool = False) -> list[str]:
    cols = [c for c in result.columns if c == name or c.startswith(f"{name}[")]
    if not cols and not optional:
        raise KeyError(
            f"the result has no variable '{name}': simulate with counterparty_loop=True "
            "and record sd_model.loop_metrics.loop_variables"
        )
    return cols


def _inside(result: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """``cols`` as (runs, rows inside the horizon, columns)."""
    runs = len(pd.unique(result.index.get_level_values("sample"))) if _is_batch(result) else 1
    values = result[cols].to_numpy(dtype=np.float64).reshape(runs, -1, len(cols))
    inside: np.ndarray = values[:, :-1, :]
    return inside


def _out(result: pd.DataFrame, values: np.ndarray) -> Figure:
    if _is_batch(result):
        labels = pd.unique(result.index.get_level_values("sample"))
        return pd.Series(values, index=pd.Index(labels, name="sample"))
    return float(values[0])
