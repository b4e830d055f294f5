"""``counterparties.csv`` and the lab's stakes laid out as constants of the build-out model.

Parties without a row are inactive: no liquidity, never in breach, no
markdown. The fleet running at the start (vendor ``installed``) is nobody's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sd_model.buildout.inputs import INSTALLED, ModelInputs
from sd_model.scenario.counterparties import LAB, Counterparty
from sd_model.scenario.definition import Scenario

__all__ = ["DEFAULT_AFTER_QUARTERS", "counterparty_constants"]

#: Arrears not repaid are written off after this long on average [quarters]
#: (assumption: a year of missed rent, the usual span before a lessor terminates
#: and claims; no figure in FIGURES).
DEFAULT_AFTER_QUARTERS = 4.0

#: Start value of the lab's cover [quarters of lease payments] without a lab row.
LAB_COVER_QUARTERS = 1.0

_FIELDS = {
    "liquidity_busd_at_start": "liquidity_busd_at_start",
    "debt_service_busd_per_year": "debt_service_busd_per_year",
    "cash_flow_from_others_busd_per_year": "cash_flow_from_others_busd_per_year",
    "cost_share_of_lab_revenue": "cost_share_of_lab_revenue",
    "coverage_threshold_quarters": "coverage_threshold_quarters",
    "markdown_on_stress": "markdown_on_stress",
    "cut_on_breach": "cut_on_breach",
}


def counterparty_constants(
    scenario: Scenario, inputs: ModelInputs
) -> dict[str, tuple[tuple[str, ...], Any]]:
    """Model constants of the counterparty loop: per vendor, per lessor and for the lab.

    Names are ``vendor_<field>`` (dims ``vendor``), ``lessor_<field>`` (dims
    ``lessor``, only with lessors) and ``lab_*`` scalars.
    """
    rows = {row.id: row for row in scenario.counterparties}
    out: dict[str, tuple[tuple[str, ...], Any]] = {}
    groups = [("vendor", list(inputs.vendors))]
    if inputs.lessors:
        groups.append(("lessor", list(inputs.lessors)))
    for prefix, ids in groups:
        members = [rows.get(i) if i != INSTALLED else None for i in ids]
        out[f"{prefix}_counterparty_active"] = ((prefix,), _vector(members, None))
        for field, name in _FIELDS.items():
            out[f"{prefix}_{name}"] = ((prefix,), _vector(members, field))
        out[f"{prefix}_equity_value_busd_at_start"] = (
            (prefix,),
            _vector(members, "equity_value_busd_at_start"),
        )
        if prefix == "vendor":  # a party without a row delivers in full (it never breaches)
            shares = [1.0 if r is None else r.delivery_share_on_breach for r in members]
            out["vendor_delivery_share_on_breach"] = ((prefix,), np.array(shares))
        stakes = [_lab_share(scenario, i) for i in ids]
        out[f"lab_stake_in_{prefix}"] = ((prefix,), np.array(stakes, dtype=np.float64))
    if inputs.lessors:
        per_gw = [_value(rows.get(i), "debt_service_busd_per_gw_year") for i in inputs.lessors]
        out["lessor_debt_service_busd_per_gw_year"] = (("lessor",), np.array(per_gw))
    lab = rows.get(LAB)
    out["lab_equity_value_busd_at_start"] = ((), _value(lab, "equity_value_busd_at_start"))
    out["lab_markdown_on_stress"] = ((), _value(lab, "markdown_on_stress"))
    cover = LAB_COVER_QUARTERS if lab is None else lab.coverage_threshold_quarters
    out["lab_coverage_threshold_quarters"] = ((), float(cover))
    out["default_after_quarters"] = ((), DEFAULT_AFTER_QUARTERS)
    return out


def _value(row: Counterparty | None, field: str) -> float:
    value = getattr(row, field) if row is not None else None
    return 0.0 if value is None else float(value)


def _vector(rows: list[Counterparty | None], field: str | None) -> Any:
    if field is None:
        return np.array([float(r is not None) for r in rows])
    return np.array([_value(r, field) for r in rows])


def _lab_share(scenario: Scenario, company: str) -> float:
    return sum(s.share for s in scenario.equity_stakes if s.holder == LAB and s.company == company)
