"""Scenario-wide settings: financing, demand, policy and cost assumptions.

These are the scalar and by-year inputs that live in ``scenario.yaml``.
Money in $B, rates per year as fractions (0.08 = 8 %/yr).
"""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator

from sd_model.scenario.field_bounds import CheckedNumbers

__all__ = [
    "CostAssumptions",
    "Demand",
    "DemandOutlook",
    "Financing",
    "Policy",
    "SimulationSettings",
]

NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Rate = Annotated[float, Field(ge=-1, allow_inf_nan=False)]
Year = Annotated[int, Field(ge=1900, le=2200)]


class _Section(CheckedNumbers):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Financing(_Section):
    """How the build-out is paid for."""

    starting_cash_busd: NonNegative = Field(description="Cash at the start [$B].")
    external_funding_busd_by_year: dict[Year, NonNegative] = Field(
        default_factory=dict, description="Equity and partner funding received per year [$B]."
    )
    valuation_busd_at_start: NonNegative = Field(
        default=0.0,
        description=(
            "The lab's pre-money equity value at the start, at which equity raised dilutes "
            "the holders [$B]; 0: unknown (no dilution reported)."
        ),
    )
    debt_capacity_busd: NonNegative = Field(description="Largest debt outstanding [$B].")
    debt_rate_per_year: Annotated[float, Field(ge=0, le=1)] = Field(
        description="Interest rate on debt [1/yr]."
    )
    facility_debt_share: Fraction = Field(
        description="Share of facility capex that project debt can fund (loan-to-cost) [-]."
    )
    emergency_funding_premium: NonNegative = Field(
        default=0.5,
        description=(
            "Cost of emergency money raised when cash would fall below zero, per $ raised "
            "(down-round dilution and fees; the planning LP's budget-overrun price) [-]."
        ),
    )


class DemandOutlook(_Section):
    """A named path of compute demand at reference prices (a published outlook)."""

    growth_by_year: dict[Year, Rate] = Field(
        description=(
            "Growth of demand at reference prices in each calendar year [1/yr]; "
            "a year's value holds until the next listed year."
        )
    )
    description: str = Field(default="", description="Whose outlook, and what it says.")

    @model_validator(mode="after")
    def _has_years(self) -> Self:
        if not self.growth_by_year:
            raise ValueError("growth_by_year needs at least one year")
        return self


class Demand(_Section):
    """Compute demand and the revenue it brings.

    Demand is measured in GW of IT load of the reference accelerator
    generation (``perf_per_watt_relative = 1``); newer hardware serves more
    demand per GW. The reference path grows at the selected ``outlook``'s
    yearly rates (or at ``demand_growth_per_year`` when no outlook is
    selected); the price response applies only to the price's deviation from
    its reference path (docs/buildout.md, "Demand").
    """

    compute_demand_gw_at_start: NonNegative = Field(
        description="Compute demand at the start [GW of reference IT load]."
    )
    demand_growth_per_year: Rate = Field(description="Growth of demand at constant price [1/yr].")
    compute_price_decline_per_year: Fraction = Field(
        description="Yearly fall of the price per unit of compute at constant quality [-]."
    )
    price_elasticity: NonNegative = Field(
        description="Demand response to price: demand ~ price^-elasticity [-]."
    )
    revenue_busd_per_gw_year_at_start: NonNegative = Field(
        description="Revenue per GW of served reference compute per year at the start [$B/GW/yr]."
    )
    usage_linked_revenue_share_at_start: Fraction = Field(
        description="Share of revenue from usage-linked enterprise agreements [-]."
    )
    outlooks: dict[str, DemandOutlook] = Field(
        default_factory=dict, description="Named demand outlooks, selectable with ``outlook``."
    )
    outlook: str = Field(
        default="",
        description="Name of the outlook in ``outlooks`` that sets the reference path ('' = none).",
    )
    reference_perf_per_watt_by_year: dict[Year, NonNegative] = Field(
        default_factory=dict,
        description=(
            "Fleet performance per watt the reference price path assumes, per year [-] "
            "(a year's value holds until the next listed year; none listed = 1)."
        ),
    )

    @field_validator("outlook")
    @classmethod
    def _known_outlook(cls, value: str, info: ValidationInfo) -> str:
        outlooks = info.data.get("outlooks", {})
        if value and value not in outlooks:
            names = ", ".join(sorted(outlooks)) or "none defined"
            raise ValueError(f"one of the outlooks in demand.outlooks ({names}) or ''")
        return value

    def growth_in(self, year: int) -> float:
        """Growth of the reference demand path in calendar ``year`` [1/yr]."""
        if not self.outlook:
            return self.demand_growth_per_year
        return _step_value(self.outlooks[self.outlook].growth_by_year, year, 0.0, first=True)

    def reference_perf_per_watt(self, year: int) -> float:
        """Fleet perf/W the reference price path assumes in calendar ``year`` [-]."""
        return _step_value(self.reference_perf_per_watt_by_year, year, 1.0, first=True)


def _step_value(values: dict[int, float], year: int, default: float, *, first: bool) -> float:
    """The value of the latest listed year not after ``year``.

    Before the first listed year: that year's value if ``first``, else ``default``.
    """
    past = [y for y in values if y <= year]
    if past:
        return values[max(past)]
    if first and values:
        return values[min(values)]
    return default


class Policy(_Section):
    """Targets the plan must meet."""

    ppa_coverage_target_by_year: dict[Year, Fraction] = Field(
        default_factory=dict,
        description="Contracted clean energy as a share of load energy, per year [-].",
    )
    clean_certificate_price_usd_per_mwh: NonNegative = Field(
        default=30.0,
        description=(
            "Price of unbundled clean-energy certificates bought to meet the coverage target "
            "where PPAs fall short [$/MWh]."
        ),
    )
    ppa_hedge_allowance: NonNegative = Field(
        default=0.1,
        description=(
            "Contracted clean energy may exceed the load's energy by this share, as a hedge; "
            "beyond it a PPA would be signed for arbitrage [-]."
        ),
    )


class CostAssumptions(_Section):
    """Asset lives and operating costs."""

    it_depreciation_years: Annotated[float, Field(gt=0)] = Field(
        description="Accounting life of IT equipment [yr]."
    )
    shell_life_years: Annotated[float, Field(gt=0)] = Field(
        description="Life of shells and electrical plant [yr]."
    )
    opex_busd_per_gw_year: NonNegative = Field(
        description="Non-energy operating cost per GW of energized IT load [$B/GW/yr]."
    )
    interconnection_busd_per_gw: NonNegative = Field(
        default=0.36,
        description=(
            "Cost paid when a large-load interconnection is requested (transmission and "
            "substation contribution), per GW of facility connection [$B/GW]."
        ),
    )
    minimum_demand_share: Fraction = Field(
        default=0.8,
        description=(
            "Share of the connected capacity billed at the capacity price even when unused "
            "(large-load tariff minimum bill) [-]."
        ),
    )


class SimulationSettings(_Section):
    """Behavioural settings of the stock-and-flow build-out model (``sd_model.simulate``).

    Times are in quarters, converted to the grid's periods. The defaults are
    the reference scenario's values; a scenario without this section uses them.
    """

    order_lead_quarters: Annotated[int, Field(ge=0, le=40)] = Field(
        default=4,
        description="Hardware is ordered this long before its scheduled delivery [quarters].",
    )
    energization_quarters: Annotated[float, Field(gt=0, allow_inf_nan=False)] = Field(
        default=1.0,
        description="Mean time to install delivered hardware in a free powered shell [quarters].",
    )
    decision_quarters: Annotated[float, Field(gt=0, allow_inf_nan=False)] = Field(
        default=1.0,
        description=(
            "Time to act on a gap: shell starts, grid requests, on-site and PPA signings, "
            "borrowing, and the spending horizon of the budget rule [quarters]."
        ),
    )
    deferred_catch_up_quarters: Annotated[float, Field(gt=0, allow_inf_nan=False)] = Field(
        default=2.0,
        description="Time to work off deliveries deferred for lack of funds [quarters].",
    )
    interconnection_delay_order: Annotated[int, Field(ge=1, le=10)] = Field(
        default=3, description="Order of the material delay of the interconnection queue [-]."
    )
    cash_buffer_quarters: NonNegative = Field(
        default=1.0, description="Cash kept before borrowing, in quarters of outflows [quarters]."
    )
    warrant_liquidity_share: Fraction = Field(
        default=0.5,
        description="Share of vested warrant value counted as liquidity for ordering [-].",
    )
    offsite_lease_busd_per_gw_year: NonNegative = Field(
        default=13.0,
        description="Cost of the off-site (leased cloud) fleet at the start [$B per GW-year].",
    )
