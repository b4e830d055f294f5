r"""Power balance per site and period, with on-site generation built after its lead time.

Variables [GW]: on-site builds ``onsite_build[s,o,t]`` (on ``SOT_build``),
the on-site capacity stock ``onsite_cap[s,o,t]``, its average output
``onsite_gen[s,o,t]`` and retirements ``onsite_retire[s,o,t]`` (bridge
options only; fixed at 0 for the others).

.. math::

    onsite\_cap_{s,o,t} &= onsite\_cap_{s,o,t-1} + onsite\_build_{s,o,t-L_o}
        - onsite\_retire_{s,o,t},
        \quad onsite\_cap_{s,o,-1} = 0 && \texttt{onsite\_balance}\\
    onsite\_retire_{s,o,t} &\le onsite\_cap_{s,o,t-1} && \texttt{onsite\_retire\_limit}\\
    onsite\_gen_{s,o,t} &\le a_o \, onsite\_cap_{s,o,t} && \texttt{onsite\_output}\\
    \mathrm{PUE} \cdot it_{s,t} &\le grid\_draw_{s,t} + \sum_o onsite\_gen_{s,o,t}
        + unpowered_{s,t} && \texttt{power\_balance}\\
    0 \le unpowered_{s,t} &\le \mathrm{PUE} \cdot it_{s,-1} && \text{bound}

IT load runs at a load factor of one; :math:`a_o` is the option's
availability factor. ``unpowered[s,t]`` [GW facility] is the elastic slack
for load already running at the start that the site's connection cannot
carry (the only way the power balance could otherwise be infeasible). Its
bound is the start load, so it can carry nothing else; it is priced per
GW-year above the value of compute, so new load is never placed on it.

A bridge option (``bridge``) may be retired: its plant is built to carry a
site until the grid does, and retiring it once the grid connection covers the
load saves its fixed O&M. The power balance keeps a retirement from leaving
load unserved, so the LP retires bridge plant exactly where and when the grid
(or other on-site plant) carries the load and the fixed O&M saved is worth
more than the output kept. The salvage credit is left as built: a retired
bridge keeps its book value (redeployed or resold, an assumption), so only
the fixed O&M decides retirement, as in the simulation
(`sd_model.buildout.bridge`). ``onsite_options.<id>.bridge=false`` switches it off.

Cost terms [$B per period]: ``onsite_capex`` (paid at the start),
``onsite_energy`` (fuel and O&M per MWh), ``onsite_fixed_om`` (fixed O&M per
GW-period of capacity in service), ``onsite_salvage``, ``unpowered_load``
(penalty, objective only).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from optimization.lp.component import ParameterValues
from optimization.lp.components.sets import register_cost, register_slack
from optimization.lp.data import ModelData

__all__ = ["MUTABLE_KEYS", "add", "parameters"]


MUTABLE_KEYS: tuple[str, ...] = (
    "onsite_options.*.cost_usd_per_mwh",
    "onsite_options.*.fixed_om_busd_per_gw_year",
)


def parameters(data: ModelData) -> ParameterValues:
    """On-site cost per option [$B per GW-period]: fuel and O&M of output, fixed O&M of capacity."""
    options = data.onsite_options
    cost = data.busd_per_gw_period(options["cost_usd_per_mwh"])
    fixed = {o: data.per_period(v) for o, v in options["fixed_om_busd_per_gw_year"].items()}
    return {"p_onsite_cost": cost.to_dict(), "p_onsite_fixed_om": fixed}


def add(m: Any, data: ModelData) -> None:
    """Declare on-site generation and the per-site power balance.

    Long because it declares the component's equations in the order of the module's maths.
    """
    options = data.onsite_options
    lead = data.lead_periods(options["lead_quarters"]).to_dict()
    availability = options["availability_factor"].to_dict()
    capex = options["capex_busd_per_gw"].to_dict()
    pue = data.scenario.pue
    options_at: dict[str, list[str]] = defaultdict(list)
    for s, o in m.SO:
        options_at[s].append(o)
    values = parameters(data)
    m.p_onsite_cost = pyo.Param(m.O, mutable=True, initialize=values["p_onsite_cost"])
    m.p_onsite_fixed_om = pyo.Param(m.O, mutable=True, initialize=values["p_onsite_fixed_om"])
    bridge = options["bridge"].astype(bool).to_dict()
    m.onsite_build = pyo.Var(m.SOT_build, domain=pyo.NonNegativeReals)
    m.onsite_cap = pyo.Var(m.SO, m.T, domain=pyo.NonNegativeReals)
    m.onsite_gen = pyo.Var(m.SO, m.T, domain=pyo.NonNegativeReals)
    m.onsite_retire = pyo.Var(
        m.SO, m.T, bounds=lambda m, s, o, t: (0.0, None if bridge[o] else 0.0)
    )
    start_load = (pue * data.sites["energized_gw_at_start"]).to_dict()
    m.unpowered = pyo.Var(
        m.S, m.T, bounds=lambda m, s, t: (0.0, m.p_slack_ub if start_load[s] > 0 else 0.0)
    )
    register_slack(m, m.unpowered)
    m.unpowered_start_load = pyo.Constraint(
        [(s, t) for s in m.S for t in m.T if start_load[s] > 0],
        rule=lambda m, s, t: m.unpowered[s, t] <= start_load[s],
    )

    def onsite_balance(m: Any, s: str, o: str, t: int) -> Any:
        before = m.onsite_cap[s, o, t - 1] if t > 0 else 0.0
        start = t - lead[o]
        online = m.onsite_build[s, o, start] if start >= 0 else 0.0
        return m.onsite_cap[s, o, t] == before + online - m.onsite_retire[s, o, t]

    m.onsite_balance = pyo.Constraint(m.SO, m.T, rule=onsite_balance)
    # only plant in service before the period retires (no build-and-retire in one step)
    m.onsite_retire_limit = pyo.Constraint(
        m.SO,
        m.T,
        rule=lambda m, s, o, t: (
            m.onsite_retire[s, o, t] <= (m.onsite_cap[s, o, t - 1] if t > 0 else 0.0)
            if bridge[o]
            else pyo.Constraint.Skip
        ),
    )
    m.onsite_output = pyo.Constraint(
        m.SO,
        m.T,
        rule=lambda m, s, o, t: m.onsite_gen[s, o, t] <= availability[o] * m.onsite_cap[s, o, t],
    )
    m.power_balance = pyo.Constraint(
        m.S,
        m.T,
        rule=lambda m, s, t: (
            pue * m.it[s, t]
            <= m.grid_draw[s, t]
            + sum(m.onsite_gen[s, o, t] for o in options_at[s])
            + m.unpowered[s, t]
        ),
    )
    builds_in: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for s, o, t in m.SOT_build:
        builds_in[t].append((s, o))
    m.onsite_capex = pyo.Expression(
        m.T,
        rule=lambda m, t: sum(capex[o] * m.onsite_build[s, o, t] for s, o in builds_in[t]),
    )
    m.onsite_energy = pyo.Expression(
        m.T,
        rule=lambda m, t: sum(m.p_onsite_cost[o] * m.onsite_gen[s, o, t] for s, o in m.SO),
    )
    m.onsite_fixed_om = pyo.Expression(
        m.T,
        rule=lambda m, t: sum(m.p_onsite_fixed_om[o] * m.onsite_cap[s, o, t] for s, o in m.SO),
    )
    salvage = {o: data.salvage_fraction(life) for o, life in options["life_years"].items()}
    m.onsite_salvage = pyo.Expression(
        m.T,
        rule=lambda m, t: (
            -sum(float(salvage[o][t] * capex[o]) * m.onsite_build[s, o, t] for s, o in builds_in[t])
        ),
    )
    register_cost(m, "onsite_capex", m.onsite_capex, kind="cash")
    register_cost(m, "onsite_energy", m.onsite_energy, kind="cash")
    register_cost(m, "onsite_fixed_om", m.onsite_fixed_om, kind="cash")
    register_cost(m, "onsite_salvage", m.onsite_salvage, kind="noncash")
    penalty = data.per_period(data.penalties.unpowered_busd_per_gw_year)
    m.unpowered_cost = pyo.Expression(
        m.T, rule=lambda m, t: penalty * sum(m.unpowered[s, t] for s in m.S)
    )
    register_cost(m, "unpowered_load", m.unpowered_cost, kind="penalty")
