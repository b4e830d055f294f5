"""What every sector module needs while declaring its part of the model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sd_model.buildout.frictions import ALL_FRICTIONS, Friction
from sd_model.buildout.inputs import INSTALLED, ModelInputs
from sd_model.buildout.loops import Loop

__all__ = ["STRESS_HOOKED", "Context"]

#: Variables the counterparty loop re-declares: with the loop on, the sector that
#: owns one declares it as ``<name>_before_stress`` and
#: :mod:`~sd_model.buildout.counterparties` declares ``<name>`` from it.
STRESS_HOOKED = frozenset(
    {
        "share_price_usd",
        "desired_delivery_gw_per_period",
        "vendor_financing_by_vendor_busd_per_period",
        "liquidity_busd",
        "leased_gw",
        "lease_minimum_busd_per_period",
        "lessor_payment_busd_per_period",
    }
)

V = ("vendor",)
S = ("site",)
R = ("region",)
L = ("lessor",)


@dataclass(frozen=True)
class Context:
    """The laid-out inputs, the loops switched on and the policy switches.

    Attributes
    ----------
    inputs : ModelInputs
        Scenario and schedule as arrays.
    loops : frozenset of Loop
        Feedback loops switched on.
    onsite_bridge : bool
        Whether sites that allow on-site generation build it while the grid is short.
    counterparties : bool
        Whether the counterparty loop is on (:mod:`~sd_model.buildout.counterparties`).
    fixed : frozenset of str
        Decision tables that fix their decision (`sd_model.Decisions.fixed`);
        the model follows their series instead of its rules.
    frictions : frozenset of Friction
        Frictions switched on (none: the LP's world; `sd_model.buildout.frictions`).
    spill : bool
        Whether hardware waiting at a planned site without room moves on to
        any site with room (after ``decision_quarters``).
    """

    inputs: ModelInputs
    loops: frozenset[Loop]
    onsite_bridge: bool = True
    counterparties: bool = False
    fixed: frozenset[str] = frozenset()
    frictions: frozenset[Friction] = ALL_FRICTIONS
    spill: bool = False

    def hooked(self, name: str) -> str:
        """``name``, or ``name + "_before_stress"`` when the counterparty loop re-declares it."""
        return f"{name}_before_stress" if self.counterparties and name in STRESS_HOOKED else name

    def follows(self, table: str) -> bool:
        """Whether the decisions fix ``table`` (e.g. ``shell_starts``)."""
        return table in self.fixed

    def has(self, friction: Friction) -> bool:
        """Whether ``friction`` is switched on."""
        return friction in self.frictions

    @property
    def lookahead(self) -> float:
        """1 without reaction times: flows act on what arrives in the same step; else 0."""
        return 0.0 if self.has("reaction_times") else 1.0

    def on(self, loop: Loop) -> bool:
        """Whether ``loop`` is switched on."""
        return loop in self.loops

    @property
    def q2p(self) -> float:
        """Periods per quarter."""
        return self.inputs.quarters_to_periods

    @property
    def ppy(self) -> float:
        """Periods per year."""
        return float(self.inputs.periods_per_year)

    @property
    def hours_per_period(self) -> float:
        """Hours in one period [h] (the calendar's hours per year spread evenly)."""
        return self.inputs.hours_per_period

    @property
    def membership(self) -> Any:
        """Site-by-region membership matrix in the engine layout."""
        return self.inputs.site_region

    @property
    def has_lessors(self) -> bool:
        """Whether the model has a ``lessor`` dimension (the scenario has lessors)."""
        return bool(self.inputs.lessors)

    def vendor_layout(self, values: Any) -> Any:
        """A per-vendor vector in the engine layout ``(1, vendors, 1, 1[, 1])``."""
        pad = (1,) if self.has_lessors else ()
        return np.asarray(values, dtype=np.float64).reshape(1, -1, 1, 1, *pad)

    @property
    def installed_mask(self) -> Any:
        """1 for the fleet running at the start, 0 for the scenario's vendors."""
        return self.vendor_layout([float(v == INSTALLED) for v in self.inputs.vendors])
