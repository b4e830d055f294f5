"""The report's tables: which CSV files it holds, and the curated key-metrics table.

`report_tables` maps each CSV file name to its frame (written without the
index); `key_metrics` picks the horizon figures a planner reads first, with
readable names, display units and rounding.

Examples
--------
>>> from sd_model import load_scenario
>>> from optimization.coupling.compare import compare
>>> comparison = compare(load_scenario("tests/scenarios/tiny"), cases=("announced", "optimal"))
>>> sorted(report_tables(comparison))[:3]
['belief.csv', 'belief_summary.csv', 'by_vendor.csv']
>>> key_metrics(comparison).loc["npv_cost_busd", "unit"]
'$B'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from optimization.coupling.compare import Comparison
from optimization.report.exposure import exposure_table
from sd_model import Scenario, metrics

__all__ = [
    "KEY_METRICS",
    "TABLE_DESCRIPTIONS",
    "KeyMetric",
    "by_vendor",
    "committed_payments_table",
    "formatted_key_metrics",
    "key_metrics",
    "planning_periods",
    "planning_timeseries",
    "report_tables",
    "site_gw_wide",
]


@dataclass(frozen=True)
class KeyMetric:
    """A horizon figure as shown in the report: ``value × scale``, rounded to ``decimals``."""

    key: str
    label: str
    unit: str
    scale: float = 1.0
    decimals: int = 2


KEY_METRICS: tuple[KeyMetric, ...] = (
    KeyMetric("delivered_gw", "Hardware delivered", "GW"),
    KeyMetric("peak_energized_gw", "Peak energized IT", "GW"),
    KeyMetric("energized_gw_at_end", "Energized IT at the end", "GW"),
    KeyMetric("peak_stranded_gw", "Peak stranded hardware", "GW"),
    KeyMetric("stranded_gw_periods", "Stranded hardware over the horizon", "GW-periods", 1, 1),
    KeyMetric("mean_delivery_to_energization_periods", "Mean wait for power", "periods", 1, 1),
    KeyMetric("energized_share_of_delivered", "Delivered hardware energized", "%", 100, 0),
    KeyMetric("mean_utilization", "Mean utilization", "%", 100, 0),
    KeyMetric("ppa_coverage_at_end", "PPA coverage at the end", "%", 100, 0),
    KeyMetric("cost_usd_per_mwh", "Energy cost", "$/MWh", 1, 1),
    KeyMetric("npv_cost_busd", "Cost, discounted (NPV)", "$B", 1, 1),
    KeyMetric("min_cash_busd", "Lowest cash", "$B", 1, 1),
    KeyMetric("funding_gap_busd", "Largest funding gap", "$B", 1, 1),
    KeyMetric("peak_debt_busd", "Peak debt", "$B", 1, 1),
    KeyMetric("vendor_financed_share_of_capex", "Capex financed by vendors", "%", 100, 0),
    KeyMetric("revenue_busd", "Revenue over the horizon", "$B", 1, 1),
    KeyMetric("warrant_value_busd_at_end", "Warrant value at the end", "$B", 1, 1),
    KeyMetric("lp_npv_busd", "LP net present value: revenue - cost (LP cases)", "$B", 1, 1),
    KeyMetric("lp_penalty_busd", "LP priced limit violations, not money (LP cases)", "$B", 1, 1),
)

TABLE_DESCRIPTIONS: dict[str, str] = {
    "key_metrics.csv": "the key metrics above, in display units",
    "belief.csv": "each LP case's plan against its simulation (with and without frictions), "
    "per measure, key and period",
    "belief_summary.csv": "the headline gaps of belief.csv, split into frictions and model",
    "realised_grid.csv": "per case and region: grid requests filed, connected and dropped, "
    "realised attrition and queue time against the lead the LP plans with",
    "metrics.csv": "every figure per case over the planning horizon (units in the names)",
    "timeseries.csv": "per-period paths of every case",
    "by_year.csv": "the same paths at each year's end",
    "by_vendor.csv": "energized and cumulative delivered GW per case, period and vendor",
    "deliveries.csv": "GW delivered per period and vendor, per case, and differences",
    "site_gw.csv": "energized IT GW per site at each year's end, per case, and differences",
    "shadow_prices.csv": "what 1 unit more of each binding LP limit is worth",
    "findings.csv": "the LP's diagnosis and binding limits per case",
    "exposure.csv": "per case, each lessor's and vendor's dependence on the lab over the "
    "planning horizon (lessor_exposure, vendor_exposure)",
    "committed_payments.csv": "per case and year: lease minimum, committed IT capex, "
    "revenue and their ratio",
    "coupling.csv": "the coupling iterations (residual, objective, feedback)",
    "loop_parties.csv": "the loop under stress: per case (base, stress), party and period, "
    "revenue from the lab, payments missed, arrears, liquidity, breach and value",
    "loop_summary.csv": "the loop under stress: per party, first breach, payments missed, "
    "lowest liquidity and value change",
    "loop_holdings.csv": "the loop under stress: each warrant and stake per period, base, "
    "stress and value lost",
    "loop_buildout.csv": "the loop under stress: GW delivered, energized, leased, revenue "
    "and cash per period, base and stress",
    "coupling_regions.csv": "per coupling iteration and region: the effective lead and "
    "connected share passed back to the LP, and the energized GW the LP planned and the "
    "simulation realised",
}


def _periods_unit(comparison: Comparison) -> str:
    periods = comparison.timeseries["period"].astype(str)
    if periods.str.contains("Q").any():
        return "quarters"
    return "months" if periods.str.contains("-").any() else "periods"


def planning_periods(comparison: Comparison, scenario: Scenario | None = None) -> list[str]:
    """The period boundaries the metrics are measured over: the LP horizon and its end.

    The LP horizon comes from the scenario, else from the first LP plan;
    without either, every simulated period.
    """
    periods = [str(p) for p in pd.unique(comparison.timeseries["period"])]
    if scenario is not None:
        return periods[: scenario.periods.count("lp") + 1]
    for case in comparison.cases:
        if case.plan is not None and not case.plan.regions.empty:
            return periods[: len(pd.unique(case.plan.regions["period"])) + 1]
    return periods


def planning_timeseries(comparison: Comparison, scenario: Scenario | None = None) -> pd.DataFrame:
    """`Comparison.timeseries` over `planning_periods` (where the metrics are measured)."""
    frame = comparison.timeseries
    kept: pd.DataFrame = frame.loc[frame["period"].isin(planning_periods(comparison, scenario))]
    return kept.reset_index(drop=True)


def key_metrics(comparison: Comparison, scenario: Scenario | None = None) -> pd.DataFrame:
    """The curated figures in display units: index = metric key.

    Columns: ``label``, ``unit``, ``decimals`` and one column per case
    (``NaN`` where a figure does not apply, e.g. the LP objective of a
    simulated-only case). Shares are in percent; ``GW-periods`` and
    ``periods`` name the grid's period (``GW-quarters``, ``quarters``).
    Like `Comparison.metrics`, figures cover the planning horizon
    (`planning_periods`).
    """
    figures = comparison.metrics.copy()
    peak = planning_timeseries(comparison, scenario).groupby("case")["energized_gw"].max()
    figures.loc["peak_energized_gw"] = peak.reindex(figures.columns)
    unit = _periods_unit(comparison)
    rows = []
    for spec in KEY_METRICS:
        if spec.key not in figures.index:
            continue
        values = figures.loc[spec.key].astype(float) * spec.scale
        shown_unit = spec.unit.replace("periods", unit)
        rows.append(
            pd.Series(
                {"label": spec.label, "unit": shown_unit, "decimals": spec.decimals, **values},
                name=spec.key,
            )
        )
    return pd.DataFrame(rows)


def formatted_key_metrics(comparison: Comparison, scenario: Scenario | None = None) -> pd.DataFrame:
    """`key_metrics` as text: a ``metric`` column ("label [unit]") and one column per case."""
    table = key_metrics(comparison, scenario)
    out = pd.DataFrame({"metric": [f"{r.label} [{r.unit}]" for r in table.itertuples()]})
    for name in comparison.names:
        out[name] = [
            _number(value, int(decimals))
            for value, decimals in zip(table[name], table["decimals"], strict=True)
        ]
    return out


def _number(value: float, decimals: int) -> str:
    if not np.isfinite(value):
        return "—"
    text = f"{value:,.{decimals}f}"
    return "0" if text.strip("-0.,") == "" else text.replace("-", "−")


def by_vendor(comparison: Comparison) -> pd.DataFrame:
    """case, period, vendor, energized_gw, delivered_cum_gw."""
    keys = ["case", "period", "vendor"]
    energized = comparison.energized_by_vendor.rename(columns={"gw": "energized_gw"})
    delivered = comparison.delivered_by_vendor.rename(columns={"gw": "delivered_cum_gw"})
    return energized.merge(delivered, on=keys, how="outer", sort=False).fillna(0.0)


def site_gw_wide(comparison: Comparison) -> pd.DataFrame:
    """year, site, region, GW per case and ``<case> - <first case>`` differences."""
    frame = comparison.site_gw
    wide = frame.pivot_table(
        index=["year", "site", "region"], columns="case", values="gw", aggfunc="sum", sort=False
    )
    wide = wide.reindex(columns=comparison.names).fillna(0.0)
    base = comparison.names[0] if comparison.names else None
    for name in comparison.names[1:]:
        wide[f"{name} - {base}"] = wide[name] - wide[base]
    wide.columns.name = None
    return wide.reset_index()


def _case_first(frame: pd.DataFrame) -> pd.DataFrame:
    front = [c for c in ("case", "year", "period") if c in frame.columns]
    return frame.loc[:, [*front, *[c for c in frame.columns if c not in front]]]


def committed_payments_table(comparison: Comparison) -> pd.DataFrame:
    """case, year and `sd_model.metrics.committed_payments_to_revenue` of each case's simulation."""
    frames = [
        metrics.committed_payments_to_revenue(c.simulation).reset_index().assign(case=c.name)
        for c in comparison.cases
    ]
    if not frames:
        return pd.DataFrame(columns=["case", "year"])
    return _case_first(pd.concat(frames, ignore_index=True))


def report_tables(
    comparison: Comparison, scenario: Scenario | None = None
) -> dict[str, pd.DataFrame]:
    """Every CSV of the report, by file name.

    ``exposure.csv`` needs the scenario (its lessors, vendors and stakes);
    ``coupling.csv`` and ``coupling_regions.csv`` are there only with a coupled case.
    """
    key = key_metrics(comparison, scenario).drop(columns="decimals")
    tables = {
        "key_metrics.csv": key.rename_axis("metric").reset_index(),
        "metrics.csv": comparison.metrics.rename_axis("metric").reset_index(),
        "timeseries.csv": _case_first(comparison.timeseries),
        "by_year.csv": _case_first(comparison.by_year),
        "by_vendor.csv": by_vendor(comparison),
        "deliveries.csv": comparison.deliveries,
        "site_gw.csv": site_gw_wide(comparison),
        "shadow_prices.csv": comparison.shadow_prices,
        "findings.csv": comparison.findings,
        "belief.csv": comparison.belief,
        "belief_summary.csv": comparison.belief_summary,
        "realised_grid.csv": comparison.realised_grid,
    }
    tables["committed_payments.csv"] = committed_payments_table(comparison)
    if scenario is not None:
        tables["exposure.csv"] = exposure_table(comparison, scenario)
    if comparison.coupling is not None:
        tables["coupling.csv"] = comparison.coupling.table().reset_index()
        tables["coupling_regions.csv"] = comparison.coupling.regions
    return tables
