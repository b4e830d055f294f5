"""What a sweep leaves for the planner: percentiles, risks, a tornado, figures, a summary page.

`tornado` runs the one-at-a-time cases of `tornado_inputs` through the
sweep's own evaluator; `write_sweep_summary` writes, atomically, the tables
(CSV), two figures (PNG) and ``summary.md`` into a folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from optimization.report.markdown import markdown_table
from optimization.report.style import new_figure, png_bytes
from optimization.report.uncertainty import Uncertainty
from optimization.sweeps.distributions import Parameter
from optimization.sweeps.evaluators import whole_numbers
from optimization.sweeps.runner import ChunkEvaluator
from optimization.sweeps.summary import exceedance_probability, percentiles, tornado_inputs
from sd_model import Scenario
from sd_model.output_folder import atomic_folder

__all__ = [
    "distribution_figure",
    "risk_table",
    "tornado",
    "tornado_figure",
    "uncertainty",
    "write_sweep_summary",
]


def risk_table(table: pd.DataFrame, stranded_gw: float = 1.0) -> pd.DataFrame:
    """Probabilities a planner asks for, over the successful samples [-].

    Rows (where the metric is in the table): stranded hardware peaking above
    ``stranded_gw``, cash running out (lowest cash below zero), any
    funding gap, and (with the counterparty loop) a lessor or vendor breaching
    its covenant — the probability of a cascade.
    """
    checks = [
        (
            "peak_stranded_gw",
            stranded_gw,
            True,
            f"stranded hardware peaks above {stranded_gw:g} GW",
        ),
        ("min_cash_busd", 0.0, False, "cash runs out (lowest cash below $0)"),
        ("funding_gap_busd", 1e-9, True, "a funding gap opens"),
        ("counterparty_breach", 0.5, True, "a lessor or vendor breaches its covenant (a cascade)"),
    ]
    rows = [
        {
            "risk": text,
            "metric": metric,
            "probability": exceedance_probability(table, metric, threshold, above=above),
        }
        for metric, threshold, above, text in checks
        if metric in table.columns
    ]
    return pd.DataFrame(rows, columns=["risk", "metric", "probability"])


def tornado(
    scenario: Scenario,
    parameters: Mapping[str, Parameter],
    evaluate: ChunkEvaluator,
    metric: str,
) -> pd.DataFrame:
    """One-at-a-time sensitivity of ``metric``: each parameter at its P10 and P90, others at P50.

    Returns
    -------
    pandas.DataFrame
        One row per parameter, largest swing first: ``parameter``,
        ``low_value``, ``high_value``, ``metric_at_low``, ``metric_at_high``,
        ``swing`` (absolute difference) and ``base`` (all at their medians).
    """
    flat = whole_numbers(tornado_inputs(parameters).reset_index(drop=True))
    results = evaluate(scenario, flat)
    values = results[metric].to_numpy(dtype=float)
    base = values[0]
    rows = []
    for i, key in enumerate(parameters):
        low, high = 1 + 2 * i, 2 + 2 * i
        rows.append(
            {
                "parameter": key,
                "low_value": flat.iloc[low][key],
                "high_value": flat.iloc[high][key],
                "metric_at_low": values[low],
                "metric_at_high": values[high],
                "swing": abs(values[high] - values[low]),
                "base": base,
            }
        )
    return pd.DataFrame(rows).sort_values("swing", ascending=False, ignore_index=True)


def tornado_figure(table: pd.DataFrame, metric: str) -> Figure:
    """Horizontal bars from the base value to the metric at each parameter's P10 and P90."""
    figure = new_figure(title=f"Tornado: what moves {metric} most")
    axes = figure.add_subplot()
    ordered = table.iloc[::-1]
    y = np.arange(len(ordered))
    base = float(table["base"].iloc[0]) if len(table) else 0.0
    axes.barh(y, ordered["metric_at_low"] - base, left=base, color="#4c72b0", label="at P10")
    axes.barh(
        y, ordered["metric_at_high"] - base, left=base, color="#dd8452", label="at P90", alpha=0.8
    )
    axes.axvline(base, color="black", linewidth=1)
    axes.set_yticks(y, [str(p) for p in ordered["parameter"]])
    axes.set_xlabel(metric)
    axes.legend(loc="lower right")
    return figure


def distribution_figure(table: pd.DataFrame, metrics: Sequence[str]) -> Figure:
    """Histograms of the chosen metrics over the successful samples, P10/P50/P90 marked."""
    shown = [m for m in metrics if m in table.columns][:6]
    figure = new_figure(rows=1, cols=max(len(shown), 1), title="Distributions over the samples")
    ok = table.loc[table["error"].fillna("") == ""] if "error" in table.columns else table
    for i, metric in enumerate(shown, start=1):
        axes = figure.add_subplot(1, len(shown), i)
        values = pd.to_numeric(ok[metric], errors="coerce").dropna()
        axes.hist(values, bins=30, color="#4c72b0")
        for q, style in ((0.1, ":"), (0.5, "-"), (0.9, ":")):
            axes.axvline(float(values.quantile(q)), color="black", linestyle=style)
        axes.set_title(metric, fontsize=10)
        axes.set_ylabel("samples")
    return figure


def write_sweep_summary(
    folder: str | os.PathLike[str],
    table: pd.DataFrame,
    metrics: Sequence[str],
    *,
    stranded_gw: float = 1.0,
    tornado_table: pd.DataFrame | None = None,
    tornado_metric: str | None = None,
) -> Path:
    """Write percentiles, risks, the tornado, figures and ``summary.md`` into ``folder``."""
    shown = [m for m in metrics if m in table.columns]
    spread = percentiles(table, shown)
    risks = risk_table(table, stranded_gw)
    failed = int((table["error"].fillna("") != "").sum()) if "error" in table.columns else 0
    with atomic_folder(folder) as staging:
        table.to_csv(staging / "samples.csv")
        spread.to_csv(staging / "percentiles.csv")
        risks.to_csv(staging / "risks.csv", index=False)
        (staging / "distributions.png").write_bytes(png_bytes(distribution_figure(table, shown)))
        lines = [
            "# Sweep summary",
            "",
            f"{len(table)} samples, {failed} failed (their errors are in samples.csv).",
            "",
            "## Percentiles",
            "",
            markdown_table(spread.round(3).reset_index(names="metric")),
            "",
            "## Risks",
            "",
            markdown_table(risks.round(3)),
            "",
            "![distributions](distributions.png)",
        ]
        if tornado_table is not None and tornado_metric is not None:
            tornado_table.to_csv(staging / "tornado.csv", index=False)
            (staging / "tornado.png").write_bytes(
                png_bytes(tornado_figure(tornado_table, tornado_metric))
            )
            lines += [
                "",
                f"## Tornado ({tornado_metric})",
                "",
                markdown_table(tornado_table.round(3)),
                "",
                "![tornado](tornado.png)",
            ]
        (staging / "summary.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Path(folder)


def uncertainty(
    table: pd.DataFrame,
    parameters: Mapping[str, Parameter],
    metrics: Sequence[str],
    *,
    model: str,
    stranded_gw: float = 1.0,
    tornado_table: pd.DataFrame | None = None,
    tornado_metric: str | None = None,
) -> Uncertainty:
    """A sweep's results as the report's uncertainty section (`write_report(uncertainty=...)`)."""
    shown = [m for m in metrics if m in table.columns]
    figures = [
        (
            "figures/uncertainty_distributions.png",
            "Distributions of the outcomes over the samples (P10, P50, P90 marked).",
            png_bytes(distribution_figure(table, shown)),
        )
    ]
    if tornado_table is not None and tornado_metric is not None:
        figures.append(
            (
                "figures/uncertainty_tornado.png",
                f"What moves {tornado_metric} most: each input at its P10 and P90, "
                "the others at their medians.",
                png_bytes(tornado_figure(tornado_table, tornado_metric)),
            )
        )
    failed = int((table["error"].fillna("") != "").sum()) if "error" in table.columns else 0
    return Uncertainty(
        samples=len(table),
        failed=failed,
        varied=tuple((key, repr(law)) for key, law in parameters.items()),
        model=model,
        percentiles=percentiles(table, shown),
        risks=risk_table(table, stranded_gw),
        tornado=tornado_table,
        tornado_metric=tornado_metric,
        figures=tuple(figures),
    )
