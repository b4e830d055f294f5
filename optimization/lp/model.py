"""Assemble the LP from its components: `build_model`.

The model is the ordered list `COMPONENTS`; each entry is a module with
``add(m, data)``. Users pass their own components (any callable
``(m, data) -> None``) through ``extra_components``; they run after the
budget and before the objective, so cost terms they register with
`optimization.lp.components.sets.register_cost` enter the objective (cash
terms they add are not in the cash balance, which is already built).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from optimization.lp.components import (
    budget,
    demand,
    grid,
    lease,
    objective,
    power,
    ppa,
    sets,
    siting,
    timing,
)
from optimization.lp.data import (
    Mode,
    ModelData,
    ObjectiveKind,
    Penalties,
    deliveries_by_vendor_period,
)
from sd_model import Scenario, Schedule

__all__ = ["COMPONENTS", "Component", "apply_mode", "build_model", "build_model_from_data"]

Component = Callable[[Any, ModelData], None]
"""A model component: declares sets, variables, constraints and cost terms on ``m``."""


class _Module(Protocol):
    def add(self, m: Any, data: ModelData) -> None: ...


COMPONENTS: tuple[_Module, ...] = (
    sets,
    siting,
    timing,
    grid,
    power,
    lease,
    demand,
    ppa,
    budget,
)
"""The LP's components in build order (the objective is added last)."""


def build_model(
    scenario: Scenario,
    *,
    mode: Mode = "optimal",
    fixed: Schedule | None = None,
    objective: ObjectiveKind = "net_value",
    strict: bool = False,
    extra_components: Sequence[Component] = (),
    penalties: Penalties | None = None,
) -> Any:
    """Build the siting / PPA / timing LP for ``scenario`` as a Pyomo ConcreteModel.

    Parameters
    ----------
    scenario
        The scenario to plan.
    mode
        ``"optimal"`` or ``"announced_timing"`` (deliveries per vendor and
        period fixed to ``scenario.announced_schedule``).
    fixed
        A partial Schedule: each (vendor, period) it lists has its delivery
        fixed to the rows' total GW (sites in the rows are not pinned).
    objective
        ``"net_value"`` (default) or ``"cost"``; see `ObjectiveKind`.
    strict
        Fix every elastic slack (headroom, budget overrun, contract
        shortfall, coverage shortfall, stranded hardware) to zero.
    extra_components
        Callables ``(m, data)`` run before the objective.
    penalties
        Slack prices; defaults to `Penalties()`.

    Returns
    -------
    pyomo.environ.ConcreteModel
        With named constraints (``m.headroom``, ``m.cash_balance``, ...),
        per-term NPV expressions ``m.npv`` and ``m.gwplan_data``.

    Examples
    --------
    >>> import pyomo.environ as pyo
    >>> from sd_model import load_scenario
    >>> m = build_model(load_scenario("tests/scenarios/tiny"))
    >>> m.extra = pyo.Constraint(expr=m.it["TXB", 7] >= 0.1)  # a planner's own limit
    """
    data = ModelData.from_scenario(scenario, objective=objective, penalties=penalties)
    return build_model_from_data(
        data, mode=mode, fixed=fixed, strict=strict, extra_components=extra_components
    )


def build_model_from_data(
    data: ModelData,
    *,
    mode: Mode = "optimal",
    fixed: Schedule | None = None,
    strict: bool = False,
    extra_components: Sequence[Component] = (),
) -> Any:
    """Build the LP from precomputed `ModelData` (see `build_model`)."""
    with PauseGC():
        m = pyo.ConcreteModel(name="gwplan")
        for component in COMPONENTS:
            component.add(m, data)
        for extra in extra_components:
            extra(m, data)
        objective.add(m, data)
        apply_mode(m, data, mode=mode, fixed=fixed)
        m.p_slack_ub.set_value(0.0 if strict else float("inf"))
    return m


def apply_mode(m: Any, data: ModelData, *, mode: Mode, fixed: Schedule | None) -> None:
    """Fix deliveries for ``mode`` and the ``fixed`` schedule (unfixing the others).

    Raises
    ------
    ValueError
        If ``mode`` is unknown or ``fixed`` delivers before a vendor may deliver.
    """
    if mode not in ("optimal", "announced_timing"):
        raise ValueError(f"mode must be 'optimal' or 'announced_timing', got {mode!r}")
    for var in m.deliver.values():
        var.unfix()
    vendor = {v: j for j, v in enumerate(data.vendor_ids)}
    if mode == "announced_timing":
        for v, t in m.deliver:
            m.deliver[v, t].fix(float(data.announced[vendor[v], t]))
    if fixed is not None and len(fixed):
        frame = fixed.frame
        unknown = sorted(set(frame["vendor"]) - set(vendor))
        if unknown:
            raise ValueError(f"fixed schedule names unknown vendors {unknown}")
        gw = deliveries_by_vendor_period(fixed, data.vendor_ids, data.periods)
        listed = {(str(r.vendor), str(r.period)) for r in frame.itertuples(index=False)}
        for v, label in sorted(listed):
            if label not in data.periods:
                continue
            t = data.periods.index(label)
            if (v, t) not in m.deliver:
                raise ValueError(
                    f"fixed schedule delivers {v} in {label}, before its earliest delivery period"
                )
            m.deliver[v, t].fix(float(gw[vendor[v], t]))
