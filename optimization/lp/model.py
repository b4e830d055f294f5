"""Assemble the LP from its components: `build_model`.

The model is the ordered list `COMPONENTS`; each entry is a module that
follows `optimization.lp.component.LPComponent`. Users pass their own components (any callable
``(m, data) -> None``) through ``extra_components``; they run after the
budget and before the objective, so cost terms they register with
`optimization.lp.components.sets.register_cost` enter the objective (cash
terms they add are not in the cash balance, which is already built).
"""

from __future__ import annotations

from typing import Any, Unpack

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from optimization.lp.component import Component, LPComponent
from optimization.lp.components import (
    budget,
    demand,
    grid,
    lease,
    milestones,
    objective,
    onsite_rate,
    power,
    ppa,
    sets,
    siting,
    timing,
    vintages,
)
from optimization.lp.data import Mode, ModelData, deliveries_by_vendor_period
from optimization.lp.options import PlanChanges, PlanOptions, plan_options
from sd_model import Scenario, Schedule

__all__ = ["COMPONENTS", "Component", "apply_mode", "build_model", "build_model_from_data"]


COMPONENTS: tuple[LPComponent, ...] = (
    sets,
    siting,
    timing,
    vintages,
    grid,
    power,
    onsite_rate,
    lease,
    milestones,
    demand,
    ppa,
    budget,
)
"""The LP's components in build order (the objective is added last)."""


def build_model(
    scenario: Scenario, plan: PlanOptions | None = None, **changes: Unpack[PlanChanges]
) -> Any:
    """Build the siting / PPA / timing LP for ``scenario`` as a Pyomo ConcreteModel.

    Parameters
    ----------
    scenario
        The scenario to plan.
    plan
        What to plan (`PlanOptions`); defaults to `PlanOptions()`.
    **changes
        `PlanOptions` fields by name, replacing those of ``plan``
        (``build_model(scenario, mode="announced_timing")``).

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
    options = plan_options(plan, changes)
    data = ModelData.from_scenario(
        scenario,
        objective=options.objective,
        penalties=options.penalties,
        connection_share=options.connection_share,
    )
    return build_model_from_data(data, options)


def build_model_from_data(data: ModelData, plan: PlanOptions) -> Any:
    """Build the LP from precomputed `ModelData` (see `build_model`)."""
    with PauseGC():
        m = pyo.ConcreteModel(name="gwplan")
        for component in COMPONENTS:
            component.add(m, data)
        for extra in plan.extra_components:
            extra(m, data)
        objective.add(m, data)
        apply_mode(m, data, mode=plan.mode, fixed=plan.fixed)
        m.p_slack_ub.set_value(0.0 if plan.strict else float("inf"))
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
    vendor_ids = tuple(data.vendors.index)
    if mode == "announced_timing":
        announced = data.announced
        for v, t in m.deliver:
            m.deliver[v, t].fix(float(announced[v].iloc[t]))
    if fixed is not None and len(fixed):
        frame = fixed.frame
        unknown = sorted(set(frame["vendor"]) - set(vendor_ids))
        if unknown:
            raise ValueError(f"fixed schedule names unknown vendors {unknown}")
        gw = deliveries_by_vendor_period(fixed, vendor_ids, data.periods)
        listed = {(str(r.vendor), str(r.period)) for r in frame.itertuples(index=False)}
        for v, label in sorted(listed):
            if label not in data.periods:
                continue
            t = data.periods.index(label)
            if (v, t) not in m.deliver:
                raise ValueError(
                    f"fixed schedule delivers {v} in {label}, before its earliest delivery period"
                )
            m.deliver[v, t].fix(float(gw[vendor_ids.index(v), t]))
