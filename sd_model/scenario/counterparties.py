"""The counterparties' balance sheets: one row per lessor or vendor (``counterparties.csv``).

A row gives only what the counterparty loop of the simulation needs (see
``docs/buildout.md``, "Counterparties under stress"): the party's liquidity,
its debt service, the cash flow of the rest of its business, the share of its
revenue from the lab that serving the lab costs, the liquidity covenant it
must keep, its equity value, how far its valuation falls under stress and how
hard it cuts back when in breach (a vendor also: what share of its deliveries
it still makes). A row with id ``lab`` gives the lab's equity value (whose
stakes others hold), its markdown, and in ``coverage_threshold_quarters`` the
quarters of lease payments it keeps covered before it defers; the lab's
liquidity is the simulation's own, so the other fields of that row must be 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from sd_model.scenario.entities import Identifier, _Entity
from sd_model.scenario.errors import Problem

if TYPE_CHECKING:
    from sd_model.scenario.definition import Scenario

__all__ = ["LAB", "Counterparty", "check_counterparties"]

#: The id of the lab (the planner) in ``counterparties.csv`` and ``equity_stakes.csv``.
LAB = "lab"

NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]

#: Fields the lab's row must leave at 0 (the simulation computes the lab's cash).
LAB_ZERO_FIELDS = (
    "liquidity_busd_at_start",
    "debt_service_busd_per_year",
    "debt_service_busd_per_gw_year",
    "cash_flow_from_others_busd_per_year",
    "cost_share_of_lab_revenue",
    "cut_on_breach",
)


class Counterparty(_Entity):
    """A lessor's or vendor's minimal balance sheet, as the counterparty loop reads it."""

    id: Identifier
    liquidity_busd_at_start: NonNegative = Field(
        description="Cash and undrawn credit at the start [$B]."
    )
    debt_service_busd_per_year: NonNegative = Field(
        description="Interest and scheduled repayment of the party's other debt [$B/yr]."
    )
    debt_service_busd_per_gw_year: NonNegative = Field(
        default=0.0,
        description="Debt service per GW leased to the lab, for the debt that built it "
        "[$B per GW-year] (lessors only).",
    )
    cash_flow_from_others_busd_per_year: float = Field(
        allow_inf_nan=False,
        description="Operating cash flow from the rest of the business (customers other "
        "than the lab, after their costs; negative if it consumes cash) [$B/yr].",
    )
    cost_share_of_lab_revenue: Fraction = Field(
        description="Cash costs of serving the lab (energy, operations; a vendor's cost of "
        "goods) as a share of the revenue from the lab [-]."
    )
    coverage_threshold_quarters: NonNegative = Field(
        description="Liquidity covenant: quarters of debt service liquidity must cover [quarters]."
    )
    equity_value_busd_at_start: NonNegative | None = Field(
        default=None, description="Equity (market) value at the start [$B], if known."
    )
    markdown_on_stress: Fraction = Field(
        description="Fall of the valuation while the party is in breach or the lab misses "
        "payments [-]."
    )
    cut_on_breach: Fraction = Field(
        description="Share of leased capacity withheld (lessor) or of vendor financing cut "
        "(vendor) while in breach [-]."
    )
    delivery_share_on_breach: Fraction = Field(
        default=1.0,
        description="Share of the deliveries it owes that a vendor makes while in breach; the "
        "rest stays on order [-] (vendors only; 1 = deliveries unaffected).",
    )


def check_counterparties(scenario: Scenario) -> Iterable[Problem]:
    """Problems of ``counterparties.csv``: unknown parties, a lab row with a balance sheet."""
    lessors = {lessor.id for lessor in scenario.lessors}
    vendors = {vendor.id for vendor in scenario.vendors}
    parties = lessors | vendors | {LAB}
    for i, row in enumerate(scenario.counterparties, start=1):
        if row.id not in parties:
            expected = (
                f"a lessor, a vendor or '{LAB}' of the scenario ({', '.join(sorted(parties))})"
            )
            yield Problem("counterparties", expected, i, "id", row.id)
        if row.id == LAB:
            for name in LAB_ZERO_FIELDS:
                if getattr(row, name) != 0:
                    expected = "0 for the lab (its cash and debt are the simulation's)"
                    yield Problem("counterparties", expected, i, name, getattr(row, name))
        elif row.id in vendors and row.debt_service_busd_per_gw_year != 0:
            expected = "0 for a vendor (debt service per leased GW is a lessor's)"
            value = row.debt_service_busd_per_gw_year
            yield Problem("counterparties", expected, i, "debt_service_busd_per_gw_year", value)
        if row.id not in vendors and row.delivery_share_on_breach != 1:
            expected = "1 for the lab or a lessor (only a vendor delivers hardware; a lessor "
            expected += "withholds capacity with cut_on_breach)"
            value = row.delivery_share_on_breach
            yield Problem("counterparties", expected, i, "delivery_share_on_breach", value)
