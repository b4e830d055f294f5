"""The AI build-out stock-and-flow model, one module per sector.

:mod:`~sd_model.buildout.capacity` (hardware and shells),
:mod:`~sd_model.buildout.placement` (where delivered hardware runs),
:mod:`~sd_model.buildout.power` (grid queue, on-site generation, PPAs),
:mod:`~sd_model.buildout.capital` (cash, debt, vendor financing, warrants) and
:mod:`~sd_model.buildout.demand` (demand, utilization, revenue) and
:mod:`~sd_model.buildout.leases` (leased capacity, lease payments, committed
payments) each declare
their stocks and flows on one engine :class:`~sd_model.engine.Model`;
:func:`simulate` assembles and runs them, following a plan's decisions
(:mod:`~sd_model.buildout.fixed`) with or without the world's frictions
(:mod:`~sd_model.buildout.frictions`). See ``docs/buildout.md``.
"""

from sd_model.buildout.capital import CASH_INFLOWS, CASH_OUTFLOWS
from sd_model.buildout.frictions import ALL_FRICTIONS, Friction
from sd_model.buildout.inputs import INSTALLED
from sd_model.buildout.loops import ALL_LOOPS, Loop
from sd_model.buildout.simulate import build_model, simulate

__all__ = [
    "ALL_FRICTIONS",
    "ALL_LOOPS",
    "CASH_INFLOWS",
    "CASH_OUTFLOWS",
    "INSTALLED",
    "Friction",
    "Loop",
    "build_model",
    "simulate",
]
