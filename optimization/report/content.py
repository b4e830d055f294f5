"""What the report says, independent of format: `summary.md` and `index.html` render it.

`build_content` gathers the title, the cases, the headline sentences
computed from the numbers, the key-metrics table (as text), the circular
exposure of lessors and vendors (as text), the figures
with captions, the LP's findings, the coupling line and the CSV files, so
that both pages show exactly the same content.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimization.coupling.compare import Comparison
from optimization.report.belief import BELIEF_NOTE, formatted_belief
from optimization.report.catalog import RenderedFigure
from optimization.report.coupling_table import formatted_coupling_regions
from optimization.report.exposure import exposure_table, formatted_exposure
from optimization.report.loop_section import LoopSection
from optimization.report.money_lines import case_money, deferral_sentence
from optimization.report.tables import (
    TABLE_DESCRIPTIONS,
    formatted_key_metrics,
    planning_periods,
    planning_timeseries,
)
from optimization.report.uncertainty import Uncertainty
from optimization.report.why import CaseWhy, why
from sd_model import Scenario

__all__ = ["CaseFindings", "Headline", "ReportContent", "build_content", "headline"]


@dataclass(frozen=True)
class Headline:
    """One headline sentence: a bold ``lead`` (a case or a pair of cases) and the ``text``."""

    lead: str
    text: str


@dataclass(frozen=True)
class CaseFindings:
    """The LP's words about one case."""

    case: str
    diagnosis: tuple[str, ...]
    binding: tuple[str, ...]


@dataclass(frozen=True)
class ReportContent:
    """Everything both pages show, in order."""

    title: str
    scenario_name: str
    scenario_description: str
    cases: tuple[tuple[str, str], ...]
    horizon: str
    headline: tuple[Headline, ...]
    key_metrics: pd.DataFrame
    figures: tuple[RenderedFigure, ...]
    findings: tuple[CaseFindings, ...]
    coupling: str
    tables: tuple[tuple[str, str], ...]
    uncertainty: Uncertainty | None = None
    exposure: pd.DataFrame | None = None
    exposure_note: str = ""
    belief: pd.DataFrame | None = None
    belief_note: str = BELIEF_NOTE
    why: tuple[CaseWhy, ...] = ()
    loop: LoopSection | None = None
    loop_note: str = ""
    coupling_regions: tuple[pd.DataFrame, str] | None = None


def _money(value: float) -> str:
    return f"${value:,.1f}B".replace("$-", "−$")


def _signed(value: float, unit: str, decimals: int) -> str:
    """A difference with its sign: ``+1.20 GW``, ``−$3.4B``, ``±0 GW``."""
    text = f"{abs(value):,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        return "±0" + ("" if unit in ("%", "$B") else f" {unit}")
    sign = "+" if value > 0 else "−"
    if unit == "$B":
        return f"{sign}${text}B"
    return f"{sign}{text}{unit}" if unit == "%" else f"{sign}{text} {unit}"


def _same_paths(comparison: Comparison, name: str, other: str) -> bool:
    ts = comparison.timeseries.drop(columns="case")
    a = ts.loc[comparison.timeseries["case"] == name].reset_index(drop=True)
    b = ts.loc[comparison.timeseries["case"] == other].reset_index(drop=True)
    numbers = a.select_dtypes("number").columns
    return a.shape == b.shape and np.allclose(a[numbers], b[numbers], atol=1e-9, equal_nan=True)


def _case_sentence(
    comparison: Comparison, name: str, horizon: pd.DataFrame, scenario: Scenario | None
) -> str:
    ts = horizon.loc[horizon["case"] == name].reset_index(drop=True)
    case = next(c for c in comparison.cases if c.name == name)
    figures = comparison.metrics[name]
    stranded = ts["stranded_gw"].to_numpy()
    peak = int(np.argmax(stranded))
    if stranded[peak] < 0.005:
        parts = ["never strands delivered hardware"]
    else:
        parts = [
            f"strands up to {stranded[peak]:.2f} GW of delivered hardware "
            f"(peak in {ts['period'][peak]})"
        ]
    low = int(np.argmin(ts["cash_busd"].to_numpy()))
    gap = float(figures["funding_gap_busd"])
    if gap > 0.05:
        parts.append(f"runs {_money(gap)} short of cash (lowest in {ts['period'][low]})")
    else:
        parts.append(f"never runs short of cash (lowest {_money(float(ts['cash_busd'][low]))})")
    energized = ts["energized_gw"]
    top = int(np.argmax(energized.to_numpy()))
    end = f"{energized.iloc[-1]:.2f} GW of IT at the end ({ts['period'].iloc[-1]})"
    if top == len(ts) - 1:
        parts.append(f"energizes {end}")
    else:
        parts.append(f"energizes up to {energized[top]:.2f} GW (in {ts['period'][top]}), {end}")
    deferred = deferral_sentence(case, scenario) if scenario is not None else None
    if deferred:
        parts.append(deferred)
    cost = f"costs {_money(float(figures['npv_cost_busd']))} discounted"
    if scenario is not None:
        money = case_money(case, scenario)
        cost += (
            f" against {_money(money.revenue_busd)} of discounted revenue: "
            f"net value {_money(money.net_busd)}"
        )
    parts.append(cost)
    return "; ".join(parts[:-1]) + " and " + parts[-1] + "."


def _versus_sentence(
    comparison: Comparison, name: str, base: str, scenario: Scenario | None = None
) -> str:
    figures = comparison.metrics[name].astype(float)
    reference = comparison.metrics[base].astype(float)
    cost, base_cost = float(figures["npv_cost_busd"]), float(reference["npv_cost_busd"])
    share = f" ({_signed(100 * (cost / base_cost - 1), '%', 0)})" if base_cost else ""

    def diff(key: str) -> float:
        return float(figures[key]) - float(reference[key])

    net = ""
    if scenario is not None:
        cases = {c.name: c for c in comparison.cases}
        change = case_money(cases[name], scenario).net_busd
        change -= case_money(cases[base], scenario).net_busd
        net = f"net value {_signed(change, '$B', 1)}, "
    return (
        f"{net}discounted cost {_signed(cost - base_cost, '$B', 1)}{share}, "
        f"hardware delivered {_signed(diff('delivered_gw'), 'GW', 2)}, "
        f"peak stranded {_signed(diff('peak_stranded_gw'), 'GW', 2)}, "
        f"largest funding gap {_signed(diff('funding_gap_busd'), '$B', 1)}, "
        f"PPA coverage at the end {_signed(100 * diff('ppa_coverage_at_end'), 'points', 0)}."
    )


def headline(comparison: Comparison, scenario: Scenario | None = None) -> list[Headline]:
    """Sentences computed from the numbers: one per case, then each case against the first.

    Like the metrics, they cover the planning horizon (`tables.planning_periods`).
    A case whose simulated paths equal an earlier case's says so instead.
    """
    names = comparison.names
    horizon = planning_timeseries(comparison, scenario)
    lines = []
    for i, name in enumerate(names):
        twin = next((o for o in names[:i] if _same_paths(comparison, name, o)), None)
        text = (
            f"simulates exactly like {twin} (the same paths and figures)."
            if twin is not None
            else _case_sentence(comparison, name, horizon, scenario)
        )
        lines.append(Headline(name, text))
    for name in names[1:]:
        if not _same_paths(comparison, name, names[0]):
            versus = _versus_sentence(comparison, name, names[0], scenario)
            lines.append(Headline(f"{name} vs {names[0]}", versus))
    return lines


def _horizon_note(comparison: Comparison, scenario: Scenario | None) -> str:
    kept = planning_periods(comparison, scenario)
    every = [str(p) for p in pd.unique(comparison.timeseries["period"])]
    if not kept:
        return ""
    if len(kept) < len(every):
        return (
            f"The headline and the key metrics cover the planning horizon, {kept[0]} to "
            f"{kept[-1]} (the end of the LP's last period); the figures follow the "
            f"simulation on to {every[-1]}, when the plans' fleets only age (shaded grey). "
            "Net value is discounted revenue less discounted cost within the planning "
            "horizon: hardware bought in it counts at full cost, though it earns after it too."
        )
    return f"The headline and the key metrics cover the simulation, {kept[0]} to {kept[-1]}."


def _findings(comparison: Comparison) -> tuple[CaseFindings, ...]:
    frame = comparison.findings
    out = []
    for case in comparison.cases:
        if case.plan is None:
            continue
        rows = frame.loc[frame["case"] == case.name]
        out.append(
            CaseFindings(
                case.name,
                tuple(rows.loc[rows["kind"] == "diagnosis", "text"].astype(str)),
                tuple(rows.loc[rows["kind"] == "binding", "text"].astype(str)),
            )
        )
    return tuple(out)


def _exposure(comparison: Comparison, scenario: Scenario | None) -> tuple[pd.DataFrame | None, str]:
    """The exposure table as text, and the sentence above it."""
    if scenario is None:
        return None, (
            "The exposure table needs the scenario (its lessors, vendors and equity stakes); "
            "this report was written without it."
        )
    kept = planning_periods(comparison, scenario)
    note = (
        f"How much each lessor and vendor depends on the lab, {kept[0]} to {kept[-1]} "
        "(the planning horizon, like the key metrics). Lessors: the lab's lease payments, "
        "of them take-or-pay paid on idle capacity (idle share) and the payments over the "
        "lab's revenue; vendors: the lab's IT purchases and the share the vendor financed. "
        "The lab's share of a company's business is by revenue where its other revenue is "
        "known, else by capacity (peak leased GW over the lessor's capacity target), — where "
        "neither is; the equity look-through sums the company's stakes × their exposure."
    )
    if not scenario.lessors:
        note += " The scenario has no lessors: only the vendors are shown."
    return formatted_exposure(exposure_table(comparison, scenario)), note


def build_content(
    comparison: Comparison,
    figures: list[RenderedFigure],
    tables: list[str],
    *,
    scenario: Scenario | None = None,
    title: str | None = None,
    uncertainty: Uncertainty | None = None,
    loop: LoopSection | None = None,
    loop_note: str = "",
) -> ReportContent:
    """The report's content; ``tables`` are the CSV paths written, relative to the folder.

    ``loop`` is the section on the circular loop under stress, or ``loop_note``
    says why there is none ("" leaves the section out).
    """
    name = comparison.scenario_name
    coupling = comparison.coupling
    exposure, exposure_note = _exposure(comparison, scenario)
    return ReportContent(
        title=title or f"gwplan: optimal against announced ({name})",
        scenario_name=name,
        scenario_description=scenario.description if scenario is not None else "",
        cases=tuple((c.name, c.description) for c in comparison.cases),
        horizon=_horizon_note(comparison, scenario),
        headline=tuple(headline(comparison, scenario)),
        key_metrics=formatted_key_metrics(comparison, scenario),
        figures=tuple(figures),
        findings=_findings(comparison),
        coupling=(
            f"LP ↔ simulation coupling {coupling.message}."
            if coupling is not None
            else "No coupled case: the LP and the simulation were not iterated."
        ),
        tables=tuple((path, TABLE_DESCRIPTIONS.get(path.split("/")[-1], "")) for path in tables),
        uncertainty=uncertainty,
        exposure=exposure,
        exposure_note=exposure_note,
        belief=formatted_belief(comparison),
        coupling_regions=formatted_coupling_regions(comparison),
        why=why(comparison, scenario) if scenario is not None else (),
        loop=loop,
        loop_note=loop_note,
    )
