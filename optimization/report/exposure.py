"""Circular exposure: how much each lessor and vendor depends on the lab, per case.

`exposure_table` stacks `sd_model.metrics.lessor_exposure` and
`sd_model.metrics.vendor_exposure` of every case's simulation over the
planning horizon (like the key metrics); `formatted_exposure` is the same
as text for the pages. Both need the scenario (its lessors, vendors and
equity stakes); a scenario without lessors still has vendors.

Examples
--------
>>> from sd_model import load_scenario
>>> from optimization.coupling.compare import compare
>>> scenario = load_scenario("tests/scenarios/tiny")
>>> comparison = compare(scenario, cases=("announced",))
>>> table = exposure_table(comparison, scenario)
>>> sorted(set(table["kind"]))
['vendor']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from optimization.coupling.case_tables import planning_horizon
from optimization.coupling.compare import Comparison
from sd_model import Scenario, metrics

__all__ = ["EXPOSURE_COLUMNS", "exposure_table", "formatted_exposure"]

#: The CSV's columns after ``case``, ``kind`` (lessor or vendor) and ``company``;
#: the names of `lessor_exposure` and `vendor_exposure`, empty where one does not apply.
EXPOSURE_COLUMNS = (
    "payments_busd",
    "sales_busd",
    "take_or_pay_idle_busd",
    "idle_share",
    "payments_to_lab_revenue",
    "financed_busd",
    "financed_share",
    "measure",
    "revenue_share",
    "equity_lookthrough",
    "financing_terms",
    "repaid_busd",
    "debt_outstanding_busd",
    "stake_in_lab",
)


def exposure_table(comparison: Comparison, scenario: Scenario) -> pd.DataFrame:
    """Lessors then vendors per case: case, kind, company and `EXPOSURE_COLUMNS`.

    Lessor rows hold `lessor_exposure` (the lab's payments, take-or-pay on
    idle capacity, payments over the lab's revenue, ...), vendor rows
    `vendor_exposure` (sales, vendor financing, ...), both over the planning
    horizon (`optimization.coupling.case_tables.planning_horizon`).
    """
    frames = []
    for case in comparison.cases:
        result = planning_horizon(case.simulation, scenario)
        for kind, table in (
            ("lessor", metrics.lessor_exposure(result, scenario)),
            ("vendor", metrics.vendor_exposure(result, scenario)),
        ):
            if table.empty:
                continue
            rows = table.rename_axis("company").reset_index()
            frames.append(rows.assign(case=case.name, kind=kind))
    columns = ["case", "kind", "company", *EXPOSURE_COLUMNS]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True).reindex(columns=columns)


def _share(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return "—" if not np.isfinite(number) else f"{100 * number:,.0f}"


def _money(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return "—" if not np.isfinite(number) else f"{number:,.1f}"


def _terms(row: object) -> str:
    """A vendor's money in words: equity with its stake in the lab, or debt repaid and owed."""
    terms = str(getattr(row, "financing_terms", "none"))
    if terms == "equity":
        return f"equity: {_share(getattr(row, 'stake_in_lab', 0.0))} % of the lab"
    if terms == "debt":
        repaid, owed = getattr(row, "repaid_busd", 0.0), getattr(row, "debt_outstanding_busd", 0.0)
        return f"debt: {_money(repaid)} repaid with interest, {_money(owed)} owed"
    return "none"


def formatted_exposure(table: pd.DataFrame) -> pd.DataFrame:
    """`exposure_table` as text in display units (shares in %, $B to 0.1; `—` where none).

    Without lessor rows the lessor-only columns (`LESSOR_ONLY`) are left out.
    """
    out = []
    for row in table.itertuples(index=False):
        lessor = row.kind == "lessor"
        measure = str(row.measure)
        share = _share(row.revenue_share)
        out.append(
            {
                "case": row.case,
                "company": f"{row.company} ({row.kind})",
                "paid by the lab [$B]": _money(row.payments_busd if lessor else row.sales_busd),
                "take-or-pay on idle [$B]": _money(row.take_or_pay_idle_busd),
                "idle share [%]": _share(row.idle_share),
                "payments / lab revenue [%]": _share(row.payments_to_lab_revenue),
                "vendor-financed [%]": _share(row.financed_share),
                "lab's share of its business [%]": (
                    share if measure == "none" else f"{share} (by {measure})"
                ),
                "equity look-through [%]": _share(row.equity_lookthrough),
                "vendor money": "—" if lessor else _terms(row),
            }
        )
    frame = pd.DataFrame(out)
    if not (table["kind"] == "lessor").any():
        frame = frame.drop(columns=[c for c in LESSOR_ONLY if c in frame.columns])
    return frame


#: Columns of `formatted_exposure` left out when no row is a lessor.
LESSOR_ONLY = ("take-or-pay on idle [$B]", "idle share [%]", "payments / lab revenue [%]")
