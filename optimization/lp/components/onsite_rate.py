r"""On-site build rate: each technology brings at most so many GW into operation a year.

Fuel-cell factories, engine makers and turbine order books limit how fast
on-site plant can be added (FIGURES A4, A8); without a limit the LP and the
simulation bridge any grid delay at once, and the interconnection queue
never binds. For each on-site option :math:`o` and calendar year :math:`y`,
the capacity that comes into operation in the year's periods, over all
sites, is at most the option's ``max_build_gw_per_year`` :math:`B_o` times
the share of the year inside the horizon:

.. math::

    \sum_s \sum_{t \in y} onsite\_build_{s,o,t-L_o} \le B_o \, n_y / n
        && \texttt{onsite\_rate}

with :math:`L_o` the option's lead [periods], :math:`n_y` the year's
periods in the horizon and :math:`n` periods per year. An option without a
limit gets ``NO_BUILD_LIMIT_GW`` (the constraint never binds), so a limit can
be set or changed by `optimization.PlanningModel.resolve` without a rebuild.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pyomo.environ as pyo

from optimization.lp.component import ParameterValues
from optimization.lp.data import ModelData
from sd_model.buildout.inputs import NO_BUILD_LIMIT_GW

__all__ = ["MUTABLE_KEYS", "add", "parameters"]


MUTABLE_KEYS: tuple[str, ...] = ("onsite_options.*.max_build_gw_per_year",)


def parameters(data: ModelData) -> ParameterValues:
    """Each option's yearly limit as GW per year [GW/yr] (``NO_BUILD_LIMIT_GW`` if none)."""
    limits = data.onsite_options["max_build_gw_per_year"]
    return {
        "p_onsite_build_limit": {
            str(o): NO_BUILD_LIMIT_GW if limit is None or limit != limit else float(limit)
            for o, limit in limits.items()
        }
    }


def add(m: Any, data: ModelData) -> None:
    """Declare the yearly limit on on-site capacity coming into operation, per technology."""
    lead = data.lead_periods(data.onsite_options["lead_quarters"]).to_dict()
    periods_per_year = round(1.0 / data.years_per_period)
    years: dict[int, list[int]] = defaultdict(list)
    for t, year in enumerate(data.period_year.tolist()):
        years[int(year)].append(t)
    builds: dict[tuple[str, int], list[str]] = defaultdict(list)
    for s, o, t in m.SOT_build:
        builds[(o, t)].append(s)
    m.ONSITE_YEARS = pyo.Set(initialize=sorted(years), ordered=True)
    m.p_onsite_build_limit = pyo.Param(
        m.O, mutable=True, initialize=parameters(data)["p_onsite_build_limit"]
    )

    def onsite_rate(m: Any, o: str, year: int) -> Any:
        online = [
            m.onsite_build[s, o, t - lead[o]] for t in years[year] for s in builds[(o, t - lead[o])]
        ]
        if not online:
            return pyo.Constraint.Skip
        share = len(years[year]) / periods_per_year
        return sum(online) <= m.p_onsite_build_limit[o] * share

    m.onsite_rate = pyo.Constraint(m.O, m.ONSITE_YEARS, rule=onsite_rate)
