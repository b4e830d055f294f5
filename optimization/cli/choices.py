"""The values the command line's options accept, as plain tuples.

They mirror ``Literal`` types of the heavy modules (`optimization.lp.data.Mode`,
`optimization.coupling.compare.CaseName`, ...), copied here so that building
the command line (and ``gwplan --help``) imports neither pandas nor Pyomo.
``tests/test_cli_startup.py`` checks that every copy still matches its type.
"""

from __future__ import annotations

__all__ = ["CASES", "EXECUTORS", "LOOPS", "METHODS", "MODES", "OBJECTIVES"]

#: `optimization.lp.data.Mode`
MODES = ("optimal", "announced_timing")
#: `optimization.lp.data.ObjectiveKind`
OBJECTIVES = ("net_value", "cost")
#: `sd_model.buildout.loops.Loop`, sorted
LOOPS = (
    "budget_limited_ordering",
    "overbuild_utilization",
    "power_shortfall_stranding",
    "revenue_cash_orders",
    "share_price_response",
    "vendor_financing",
)
#: `optimization.coupling.compare.CaseName`
CASES = ("announced", "announced_timing", "optimal", "coupled")
#: `optimization.sweeps.executors.ExecutorKind`
EXECUTORS = ("inprocess", "processes", "dask")
#: `optimization.sweeps.distributions.SamplingMethod`
METHODS = ("lhs", "random")
