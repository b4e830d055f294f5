"""`PlanOptions`: what to plan, given once to `optimize`, `PlanningModel` or `build_model`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import TypedDict

from optimization.lp.component import Component
from optimization.lp.data import Mode, ObjectiveKind, Penalties
from sd_model import Schedule

__all__ = ["PlanChanges", "PlanOptions", "plan_options"]


@dataclass(frozen=True)
class PlanOptions:
    """What the LP decides and how strictly (solver settings are `SolveOptions`).

    Attributes
    ----------
    mode
        ``"optimal"`` (deliveries, siting and power are all decisions) or
        ``"announced_timing"`` (each vendor's deliveries per period fixed to
        the announced schedule).
    fixed
        A partial Schedule: each (vendor, period) it lists has its delivery
        fixed to the rows' total GW (sites in the rows are not pinned).
    objective
        ``"net_value"`` (default) or ``"cost"``; see `ObjectiveKind`.
    strict
        Fix every elastic slack (headroom, emergency funding, contract
        shortfall, unpowered load, stranded hardware) to zero; an infeasible
        model then raises `InfeasibleError` with the diagnosis of its elastic
        version.
    extra_components
        Callables ``(m, data)`` run after the budget and before the objective.
    penalties
        Slack prices; defaults to `Penalties()`.
    verify_limits
        How many of the largest per-entity limit values (site, grid, PPA
        limits) and regional headroom values to check by re-solving with the limit relaxed
        (`optimization.lp.marginal`); 0 reports raw duals, marked unverified.
        Each check is one warm re-solve.
    connection_share
        Share of each region's interconnection requests the plan expects to
        connect [-], by region id (missing regions: 1). The LP then files
        ``1 / share`` GW of requests per GW it needs connected; the coupling
        sets it from the simulation's realised attrition.
    """

    mode: Mode = "optimal"
    fixed: Schedule | None = None
    objective: ObjectiveKind = "net_value"
    strict: bool = False
    extra_components: Sequence[Component] = ()
    penalties: Penalties = field(default_factory=Penalties)
    verify_limits: int = 10
    connection_share: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        bad = {r: v for r, v in self.connection_share.items() if not 0.0 < v <= 1.0}
        if bad:
            raise ValueError(f"connection_share must lie in (0, 1] per region, got {bad}")


class PlanChanges(TypedDict, total=False):
    """`PlanOptions` fields given as keywords (``optimize(scenario, mode=...)``)."""

    mode: Mode
    fixed: Schedule | None
    objective: ObjectiveKind
    strict: bool
    extra_components: Sequence[Component]
    penalties: Penalties | None
    verify_limits: int
    connection_share: Mapping[str, float]


def plan_options(plan: PlanOptions | None, changes: PlanChanges) -> PlanOptions:
    """``plan`` (default `PlanOptions()`) with the fields named in ``changes`` replaced.

    Raises
    ------
    TypeError
        If ``changes`` names a field `PlanOptions` does not have.
    """
    known = {f.name for f in fields(PlanOptions)}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise TypeError(f"unknown plan options {unknown}; expected some of {sorted(known)}")
    values = dict(changes)
    if values.get("penalties", Penalties()) is None:
        values["penalties"] = Penalties()
    return replace(plan or PlanOptions(), **values)  # type: ignore[arg-type]
