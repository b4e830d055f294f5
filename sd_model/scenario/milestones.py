"""Contract milestones: binding tranches of a vendor contract (``vendor_milestones.csv``).

A vendor contract can bind the buyer to several tranches, each a cumulative
GW that must be *purchased* by the end of a period (AMD's first 1 GW of
MI450 in the second half of 2026, then the rest of its 6 GW). Purchases
count whoever buys for the lab: the lab's own deliveries plus the leased GW
of contracts whose ``hardware_vendor`` is the vendor (the AMD warrant counts
GW "purchased by OpenAI, its affiliates or authorized third-party buyers",
FIGURES A1 #3). A vendor's ``binding_gw`` by ``deadline_period`` stays the
final obligation (energized by then); milestones add the dates before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from pydantic import Field

from sd_model.scenario.entities import Identifier, NonNegative, _Entity
from sd_model.scenario.errors import Problem

if TYPE_CHECKING:
    from sd_model.scenario.definition import Scenario

__all__ = ["VendorMilestone", "check_milestones"]

TOLERANCE_GW = 1e-6


class VendorMilestone(_Entity):
    """One binding tranche: ``cumulative_gw`` purchased from ``vendor`` by the end of ``period``."""

    table: ClassVar[str] = "milestones"

    vendor: Identifier
    period: str
    cumulative_gw: NonNegative = Field(
        description="GW purchased from the vendor for the lab since the start, by the end of "
        "the period [GW IT]."
    )


def check_milestones(scenario: Scenario) -> Iterable[Problem]:
    """Problems of ``vendor_milestones.csv`` and of leases' ``hardware_vendor``.

    A milestone names a vendor of the scenario and a period of its grid; a
    vendor's milestones do not decrease with time and stay within its contract.
    """
    vendors = {vendor.id: vendor for vendor in scenario.vendors}
    known = ", ".join(sorted(vendors)) or "none"
    last: dict[str, tuple[int, float]] = {}
    ordered = sorted(
        enumerate(scenario.milestones, start=1),
        key=lambda item: _position(scenario, item[1].period),
    )
    for i, row in ordered:
        vendor = vendors.get(row.vendor)
        if vendor is None:
            yield Problem("milestones", f"one of the vendors ({known})", i, "vendor", row.vendor)
        if _position(scenario, row.period) < 0:
            labels = scenario.periods.labels("sd")
            expected = f"a period of the scenario's grid ({labels[0]} to {labels[-1]})"
            yield Problem("milestones", expected, i, "period", row.period)
            continue
        if vendor is None:
            continue
        if row.cumulative_gw > vendor.contract_total_gw + TOLERANCE_GW:
            expected = f"at most the vendor's contract_total_gw ({vendor.contract_total_gw:g})"
            yield Problem("milestones", expected, i, "cumulative_gw", row.cumulative_gw)
        before = last.get(row.vendor)
        if before is not None and row.cumulative_gw < before[1] - TOLERANCE_GW:
            expected = f"cumulative GW not below an earlier milestone's ({before[1]:g})"
            yield Problem("milestones", expected, i, "cumulative_gw", row.cumulative_gw)
        last[row.vendor] = (i, row.cumulative_gw)
    for i, lease in enumerate(scenario.lease_contracts, start=1):
        if lease.hardware_vendor and lease.hardware_vendor not in vendors:
            expected = f"empty or one of the vendors ({known})"
            yield Problem("lease_contracts", expected, i, "hardware_vendor", lease.hardware_vendor)


def _position(scenario: Scenario, label: str) -> int:
    """Index of ``label`` on the simulation's grid, or -1 when it is not on it."""
    try:
        return scenario.periods.index(label, "sd")
    except ValueError:
        return -1
