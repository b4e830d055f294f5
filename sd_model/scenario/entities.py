"""The things a scenario is made of: regions, sites, vendors, power options.

Each entity is a frozen pydantic model whose field names carry their units
(``max_gw``, ``capex_busd_per_gw``). GW are of IT (critical) load unless a
field says facility; money is in billions of US dollars ($B); prices in $/MWh;
lead times in quarters (converted to the grid's periods where needed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Self

from pydantic import ConfigDict, Field, StringConstraints, ValidationError, model_validator

from sd_model.scenario.code_built import entity_problems
from sd_model.scenario.errors import ScenarioError
from sd_model.scenario.field_bounds import CheckedNumbers
from sd_model.scenario.retired import RETIRED_FIELDS

__all__ = [
    "EquityStake",
    "HeadroomStep",
    "Identifier",
    "LeaseContract",
    "Lessor",
    "OnsiteOption",
    "PPAOption",
    "Region",
    "Site",
    "Vendor",
]

Identifier = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$")
]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Positive = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
LeadQuarters = Annotated[int, Field(ge=0)]


class _Entity(CheckedNumbers):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)
    table: ClassVar[str] = ""  # the scenario table of this entity, for error messages

    def __init__(self, /, **data: Any) -> None:
        """Build from keyword arguments; bad input raises a `ScenarioError` naming each field.

        Files are read through ``model_validate``, which reports by file and row instead.
        """
        try:
            super().__init__(**data)
        except ValidationError as error:
            problems = entity_problems(self.table, type(self).__name__, error, data)
            raise ScenarioError(problems) from None

    # Validation (files, nested rows, ``model_validate``) must not run this
    # __init__: it reports by file and row itself. pydantic skips an __init__
    # marked like its own (as its RootModel does).
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]


class Region(_Entity):
    """A grid region (an ISO/RTO or balancing area) that sites connect to.

    Its headroom over time is given by `HeadroomStep` rows.
    """

    table: ClassVar[str] = "regions"
    #: Fields of older scenario files -> how to migrate them (files and code say so).
    retired_fields: ClassVar[Mapping[str, str]] = RETIRED_FIELDS["regions"]

    id: Identifier
    name: str
    iso: str
    interconnection_lead_quarters: LeadQuarters = Field(
        description="Time from a large-load interconnection request to energization [quarters]."
    )
    queue_attrition_fraction: Fraction = Field(
        description="Share of interconnection requests that never connect [-]."
    )
    wholesale_price_usd_per_mwh: NonNegative = Field(
        description="Wholesale (hub) energy price; virtual PPAs settle against it [$/MWh]."
    )
    capacity_price_usd_per_mwh: NonNegative = Field(
        description="Capacity charge spread over load energy at 100% load factor [$/MWh]."
    )
    delivery_price_usd_per_mwh: NonNegative = Field(
        description="Transmission and delivery charges spread over load energy [$/MWh]."
    )

    @model_validator(mode="before")
    @classmethod
    def _retired_fields(cls, data: Any) -> Any:
        # a located, how-to-migrate error instead of pydantic's "extra field"
        for name, how in cls.retired_fields.items():
            if isinstance(data, dict) and name in data:
                raise ValueError(how)
        return data

    @property
    def delivered_price_usd_per_mwh(self) -> float:
        """Delivered grid price: wholesale + capacity + delivery [$/MWh]."""
        return (
            self.wholesale_price_usd_per_mwh
            + self.capacity_price_usd_per_mwh
            + self.delivery_price_usd_per_mwh
        )


class HeadroomStep(_Entity):
    """Grid headroom of a region from one period on (a step function).

    The cumulative facility GW of large load the region can connect for this
    planner, in force from ``from_period`` until the region's next step.
    Before a region's first step its headroom is zero.
    """

    table: ClassVar[str] = "headroom"

    region: Identifier
    from_period: str
    headroom_gw: NonNegative = Field(description="Cumulative large-load headroom [GW facility].")


class Site(_Entity):
    """A candidate data-center campus.

    Capacities are IT (critical) GW except ``interconnected_gw_at_start`` and
    ``grid_limit_gw``, which are facility GW at the grid connection.
    """

    table: ClassVar[str] = "sites"

    id: Identifier
    name: str
    region: Identifier
    operator: str = ""
    max_gw: NonNegative = Field(description="Largest IT load the campus can host [GW].")
    # A greenfield site has nothing at the start: these default to 0.
    energized_gw_at_start: NonNegative = Field(
        default=0.0, description="IT load running at the start [GW]."
    )
    shell_ready_gw_at_start: NonNegative = Field(
        default=0.0,
        description="Powered-shell capacity built at the start, energized or not [GW IT].",
    )
    interconnected_gw_at_start: NonNegative = Field(
        default=0.0, description="Grid connection in service at the start [GW facility]."
    )
    grid_limit_gw: NonNegative = Field(
        description="Largest grid connection the site can get [GW facility]."
    )
    shell_lead_quarters: LeadQuarters = Field(description="Shell construction time [quarters].")
    shell_capex_busd_per_gw: NonNegative = Field(
        description="Shell, electrical and cooling cost [$B per GW IT]."
    )
    earliest_energization_period: str = Field(
        description="First period in which new IT load can be energized at the site."
    )
    onsite_option_ids: tuple[Identifier, ...] = Field(
        default=(), description="On-site generation options allowed at the site."
    )
    stargate: bool = Field(default=False, description="An announced Stargate site.")
    contracted_grid_gw: NonNegative = Field(
        default=0.0,
        description=(
            "Grid supply under a signed utility contract [GW facility], connected on "
            "contract_in_service_period instead of through the interconnection queue."
        ),
    )
    contract_in_service_period: str = Field(
        default="", description="In-service period of the signed utility contract ('' = none)."
    )

    latitude_deg: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)] | None = Field(
        default=None, description="Latitude of the site, for the site map [deg north], if known."
    )
    longitude_deg: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)] | None = Field(
        default=None, description="Longitude of the site, for the site map [deg east], if known."
    )

    @model_validator(mode="after")
    def _check_contract(self) -> Self:
        if self.contracted_grid_gw > 0 and not self.contract_in_service_period:
            raise ValueError("contract_in_service_period for a contracted_grid_gw above 0")
        contracted = self.contracted_grid_gw + self.interconnected_gw_at_start
        if self.contracted_grid_gw > 0 and contracted > self.grid_limit_gw + 1e-9:
            raise ValueError(
                "contracted_grid_gw + interconnected_gw_at_start <= grid_limit_gw, got "
                f"{self.contracted_grid_gw} + {self.interconnected_gw_at_start} > "
                f"{self.grid_limit_gw}"
            )
        return self

    @model_validator(mode="after")
    def _check_capacities(self) -> Self:
        if self.energized_gw_at_start > self.shell_ready_gw_at_start:
            raise ValueError(
                "energized_gw_at_start <= shell_ready_gw_at_start (load needs a shell), got "
                f"{self.energized_gw_at_start} > {self.shell_ready_gw_at_start}"
            )
        if self.shell_ready_gw_at_start > self.max_gw:
            raise ValueError(
                "shell_ready_gw_at_start <= max_gw, got "
                f"{self.shell_ready_gw_at_start} > {self.max_gw}"
            )
        return self


class Vendor(_Entity):
    """An accelerator supplier and its contract with the planner.

    ``binding_gw`` is the part of ``contract_total_gw`` the buyer must take by
    ``deadline_period`` (0 for a letter of intent). Vendor financing flows in
    at ``financing_busd_per_gw`` per GW deployed, up to ``financing_cap_busd``.
    Warrants vest linearly in deployed GW up to ``warrant_full_vest_gw``.
    """

    table: ClassVar[str] = "vendors"

    id: Identifier
    name: str
    contract_total_gw: NonNegative
    binding_gw: NonNegative = Field(
        default=0.0,
        description="Part of the contract the buyer must take [GW]; 0: a letter of intent.",
    )
    earliest_delivery_period: str
    deadline_period: str
    max_delivery_gw_per_period: Positive = Field(
        description="Delivery ramp limit: largest delivery in one period [GW]."
    )
    capex_busd_per_gw: NonNegative = Field(description="IT equipment cost [$B per GW IT].")
    perf_per_watt_relative: Positive = Field(
        default=1.0,
        description=(
            "Compute per watt of the vendor's deliveries in the first year of the grid, "
            "relative to the reference generation [-]."
        ),
    )
    perf_per_watt_growth_per_year: Annotated[float, Field(ge=-0.9, allow_inf_nan=False)] = Field(
        default=0.0,
        description="Yearly gain in perf/W of each later delivery year (newer generations) [1/yr].",
    )
    capex_change_per_year: Annotated[float, Field(ge=-0.9, allow_inf_nan=False)] = Field(
        default=0.0,
        description="Yearly change of capex per GW by delivery year (negative = cheaper) [1/yr].",
    )
    useful_life_years: Positive | None = Field(
        default=None,
        description="Service life of the vendor's hardware [yr]; empty: the scenario's IT life.",
    )
    # Optional features (vendor financing, warrants, the share-price link): the
    # defaults switch them off, so a planner without them need not pass them.
    financing_busd_per_gw: NonNegative = Field(
        default=0.0, description="Vendor financing received per GW deployed [$B/GW]."
    )
    financing_cap_busd: NonNegative = Field(
        default=0.0, description="Total vendor financing available [$B]."
    )
    financing_repayment_years: NonNegative = Field(
        default=0.0,
        description=(
            "0: the vendor's money buys the lab's shares (equity, never repaid); "
            "> 0: deferred payment or debt, repaid evenly over this many years [yr]."
        ),
    )
    financing_rate_per_year: Fraction = Field(
        default=0.0, description="Interest on the vendor debt outstanding [1/yr]."
    )
    warrant_shares_million: NonNegative = Field(
        default=0.0, description="Vendor shares granted to the buyer by warrant [million shares]."
    )
    warrant_full_vest_gw: NonNegative = Field(
        default=0.0, description="GW deployed at which the warrant is fully vested [GW]."
    )
    warrant_price_hurdle_usd: NonNegative = Field(
        default=0.0, description="Share price the final warrant tranche requires [$/share]."
    )
    share_price_usd_at_start: NonNegative = Field(
        default=0.0, description="Vendor share price [$/share]."
    )
    share_price_response_per_gw: float = Field(
        default=0.0,
        allow_inf_nan=False,
        description="Relative change of the share price per GW deployed [1/GW].",
    )
    other_revenue_busd_per_year: NonNegative | None = Field(
        default=None,
        description="The vendor's revenue from customers other than the planner [$B/yr], if known.",
    )

    @model_validator(mode="after")
    def _check_binding(self) -> Self:
        if self.binding_gw > self.contract_total_gw:
            raise ValueError(
                f"binding_gw <= contract_total_gw, got {self.binding_gw} > {self.contract_total_gw}"
            )
        if self.warrant_shares_million > 0 and self.warrant_full_vest_gw <= 0:
            raise ValueError("warrant_full_vest_gw > 0 when the vendor grants warrants")
        return self

    @property
    def is_binding(self) -> bool:
        """Whether any part of the contract is binding."""
        return self.binding_gw > 0


class PPAOption(_Entity):
    """A power-purchase agreement that can be signed in a region for one technology."""

    table: ClassVar[str] = "ppa_options"

    region: Identifier
    technology: Identifier
    price_usd_per_mwh: NonNegative
    capacity_factor: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]
    lead_quarters: LeadQuarters = Field(description="Signing to first delivery [quarters].")
    max_gw: NonNegative = Field(description="Largest nameplate that can be contracted [GW].")
    tenor_years: Positive = Field(description="Contract length [yr].")


class OnsiteOption(_Entity):
    """An on-site (behind-the-meter) generation technology a site may build."""

    table: ClassVar[str] = "onsite_options"

    id: Identifier
    technology: str
    capex_busd_per_gw: NonNegative = Field(description="Build cost [$B per GW of capacity].")
    lead_quarters: LeadQuarters = Field(description="Order to operation [quarters].")
    cost_usd_per_mwh: NonNegative = Field(description="Fuel and O&M cost [$/MWh].")
    availability_factor: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)]
    life_years: Positive = Field(description="Depreciation life [yr].")
    max_build_gw_per_year: NonNegative | None = Field(
        default=None,
        description=(
            "Most capacity of this technology the planner can bring into operation in a "
            "calendar year, over all its sites [GW per year]; empty = no limit."
        ),
    )
    fixed_om_busd_per_gw_year: NonNegative = Field(
        default=0.0,
        description="Fixed O&M of operating capacity, run or not [$B per GW-year].",
    )
    bridge: bool = Field(
        default=False,
        description=(
            "A bridge plant: retired once the site's grid connection covers its load, "
            "which ends its fixed O&M."
        ),
    )


class Lessor(_Entity):
    """A company that builds and runs capacity and leases it to the planner (e.g. a cloud)."""

    table: ClassVar[str] = "lessors"

    id: Identifier
    name: str
    capacity_target_gw: NonNegative | None = Field(
        default=None, description="Capacity the lessor plans to run in all [GW IT], if known."
    )
    other_revenue_busd_per_year: NonNegative | None = Field(
        default=None,
        description="The lessor's revenue from customers other than the planner [$B/yr], if known.",
    )


class LeaseContract(_Entity):
    """Capacity leased from a lessor: the planner pays per GW-year, whether it uses it or not.

    ``gw`` is reached ``ramp_quarters`` after ``start_period`` (linearly) and
    held for ``term_years``. ``take_or_pay_share`` of the contracted payment
    is owed even for capacity left idle. ``committed`` contracts are signed
    already; uncommitted ones are options the planner may take up, no earlier
    than ``lead_quarters`` after the start of the plan. ``region`` and
    ``site`` may be empty when the capacity's location is not known.
    """

    table: ClassVar[str] = "lease_contracts"

    id: Identifier
    lessor: Identifier
    region: str = ""
    site: str = ""
    start_period: str
    term_years: Positive = Field(description="Length of the lease [yr].")
    gw: Positive = Field(description="Contracted capacity at full ramp [GW IT].")
    ramp_quarters: LeadQuarters = Field(description="Start to full capacity [quarters].")
    price_busd_per_gw_year: NonNegative = Field(description="Lease price [$B per GW-year].")
    take_or_pay_share: Fraction = Field(
        description="Share of the contracted payment owed whether the capacity is used [-]."
    )
    lead_quarters: LeadQuarters = Field(
        default=0, description="Signing to first capacity, for contracts not yet signed [quarters]."
    )
    committed: bool = Field(default=True, description="Signed already.")
    hardware_vendor: str = Field(
        default="",
        description="Vendor whose hardware the lessor buys for this capacity, when known; its "
        "GW count toward that vendor's milestones (empty: not known).",
    )

    @property
    def total_value_busd(self) -> float:
        """Contract value at full capacity over the whole term [$B] (ramp ignored)."""
        return self.gw * self.price_busd_per_gw_year * self.term_years


class EquityStake(_Entity):
    """A share one party holds in another (the circular ties between vendors, lessors and lab)."""

    table: ClassVar[str] = "equity_stakes"

    holder: Identifier
    company: Identifier
    share: Fraction = Field(description="Share of the company's equity held [-].")
