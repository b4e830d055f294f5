r"""Objective: the NPV of every registered cost term, with explicit discount factors.

.. math::

    \min \sum_{c} NPV_c = \text{penalties} - \text{NPV of money}, \qquad
    NPV_c = \sum_t \delta_t \, C_{c,t}, \qquad \delta_t = (1 + r)^{-t \Delta}

over every term registered with `optimization.lp.components.sets.register_cost`
(revenue as a negative cost, capex, opex, energy, PPA, on-site, interest,
salvage credits, and the priced limit violations), where :math:`\Delta` is the
period length in years. Under the ``"cost"`` objective the ``revenue`` term is
left out (it still reaches cash). ``m.npv[c]`` holds each term, so the plan's
objective breakdown sums exactly to the objective.
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from optimization.lp.component import ParameterValues
from optimization.lp.data import ModelData

__all__ = ["MUTABLE_KEYS", "add", "parameters"]


MUTABLE_KEYS: tuple[str, ...] = ()


def parameters(data: ModelData) -> ParameterValues:
    """No mutable parameters."""
    return {}


def add(m: Any, data: ModelData) -> None:
    """Declare the per-term NPV expressions and the objective."""
    terms = {term.name: term.expression for term in m.cost_terms}
    m.COST_TERMS = pyo.Set(initialize=list(terms), ordered=True)
    discount = data.discount
    m.npv = pyo.Expression(
        m.COST_TERMS,
        rule=lambda m, c: sum(float(discount[t]) * terms[c][t] for t in m.T),
    )
    counted = [c for c in m.COST_TERMS if not (data.objective == "cost" and c == "revenue")]
    m.objective = pyo.Objective(expr=sum(m.npv[c] for c in counted), sense=pyo.minimize)
