"""The report's "Belief against outcome" table: each LP case's plan against its simulation."""

from __future__ import annotations

import pandas as pd

from optimization.coupling.compare import Comparison

__all__ = ["BELIEF_NOTE", "formatted_belief"]

BELIEF_NOTE = (
    "Each LP case's whole plan (deliveries to their sites, shells, grid requests, on-site "
    "plants, PPAs, lease take-ups) simulated twice: with the simulation's frictions and without "
    "them (no queue attrition, delays as pipelines, one-step decisions: the LP's world). "
    "Gap = simulated − LP; frictions = simulated − frictionless (attrition, delay shape, "
    "reaction times); model = frictionless − LP (what the models still count differently: cash, "
    "budget-limited deliveries, demand). Energized GW is the IT load running at the "
    "candidate sites at the year's end; stranded and cash over the planning horizon."
)

_LABELS = {"peak_stranded_gw": "peak stranded GW", "lowest_cash_busd": "lowest cash $B"}


def _label(figure: str) -> str | None:
    if figure in _LABELS:
        return _LABELS[figure]
    if figure.startswith("energized_gw_"):
        return f"energized GW end-{figure.rsplit('_', 1)[1]}"
    return None


def formatted_belief(comparison: Comparison) -> pd.DataFrame | None:
    """The headline gaps as text cells (None without an LP case)."""
    summary = comparison.belief_summary
    if summary.empty:
        return None
    shown = summary.assign(label=summary["figure"].map(_label)).dropna(subset=["label"])
    table = pd.DataFrame(
        {
            "case": shown["case"],
            "figure": shown["label"],
            **{
                name: shown[column].map(lambda v: f"{v:,.2f}")
                for name, column in (
                    ("LP", "lp"),
                    ("simulated", "simulated"),
                    ("frictionless", "frictionless"),
                    ("gap", "gap"),
                    ("of which frictions", "frictions"),
                    ("of which model", "model"),
                )
            },
        }
    )
    return table.reset_index(drop=True)
