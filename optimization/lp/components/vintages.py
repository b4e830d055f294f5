r"""Vintages: the compute of each vendor's energized stock, at each vintage's perf/W.

A GW of vendor v energized in period :math:`\tau` keeps the perf/W of that
period, :math:`p_v(\tau)` (`sd_model.frames.ScenarioFrames.delivery_perf_per_watt`:
``perf_per_watt_relative`` grown at ``perf_per_watt_growth_per_year`` per
delivery year), and leaves one service life :math:`L_v` later
(`ModelData.vendor_life_periods`), as it leaves ``vendor_it``. The vendor's
compute [GW of reference compute] is an expression over the existing
variables, with :math:`E_{v,\tau} = \sum_s energize_{s,v,\tau}`:

.. math::

    compute_{v,t} = \sum_{\tau = t - L_v + 1}^{t} p_v(\tau) \, E_{v,\tau}
        = p_v(t) \, vendor\_it_{v,t}
          - \sum_{\tau = t - L_v + 1}^{t} \bigl(p_v(t) - p_v(\tau)\bigr) E_{v,\tau}

The second form (``vendor_it`` holds exactly the GW energized in the last
:math:`L_v` periods) is the one built: with a flat curve the sum is empty and
the vendor's compute is :math:`p_v \, vendor\_it_{v,t}`, so a flat-curve LP is
the one without vintages. Each vintage whose perf/W differs from the current
one enters through the vendor's deliveries and stranded stock,
:math:`E_{v,\tau} = deliver_{v,\tau} + stranded_{v,\tau-1} - stranded_{v,\tau}`
(`optimization.lp.components.timing`, ``stranded_balance``): a few terms per
vintage instead of one per site. `optimization.lp.components.demand` serves demand
from it.

A vintage is the period a GW is *energized* in, as in the simulation
(`sd_model.buildout.vintages`): delivered hardware waits (``stranded``) only
when the elastic plan cannot energize it, so it is in almost every plan the
delivery period. The capex of a delivery uses that delivery period's price
(`optimization.lp.components.timing`, ``it_capex``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from optimization.lp.component import ParameterValues
from optimization.lp.data import ModelData

__all__ = ["MUTABLE_KEYS", "add", "parameters"]


MUTABLE_KEYS: tuple[str, ...] = ()


def parameters(data: ModelData) -> ParameterValues:
    """No mutable parameters (a perf/W change rebuilds the model)."""
    return {}


def add(m: Any, data: ModelData) -> None:
    """Declare ``vendor_compute[v,t]``, the vendor's energized compute [GW reference]."""
    perf = {v: c.to_numpy() for v, c in data.frames.delivery_perf_per_watt.items()}
    life_of = data.vendor_life_periods

    def vendor_compute(m: Any, v: str, t: int) -> Any:
        now = float(perf[v][t])
        deliver: dict[int, float] = defaultdict(float)  # period -> coefficient in the sum
        stranded: dict[int, float] = defaultdict(float)
        for tau in range(max(0, t - life_of[v] + 1), t + 1):
            gap = now - float(perf[v][tau])
            if gap == 0.0:
                continue
            # E = deliver + stranded_{tau-1} - stranded_tau (stranded_balance): 3 terms, not S
            if (v, tau) in m.VT:
                deliver[tau] += gap
            if tau > 0:
                stranded[tau - 1] += gap
            stranded[tau] -= gap
        older = sum(c * m.deliver[v, k] for k, c in deliver.items()) + sum(
            c * m.stranded[v, k] for k, c in stranded.items() if c != 0.0
        )
        return now * m.vendor_it[v, t] - older

    m.vendor_compute = pyo.Expression(m.V, m.T, rule=vendor_compute)
