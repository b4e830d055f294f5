r"""Cost curves: perf/W and capex per GW by vendor and delivery year; the fleet's compute.

Per vendor v [FIGURES B3, A5; the yearly changes are scenario assumptions]:

* **perf/W of deliveries** :math:`p_v(t) = p_{v,0}\,(1+g_v)^{y(t)-y_0}`
  (``perf_per_watt_relative``, ``perf_per_watt_growth_per_year``; `sd_model.frames.vintage_index`);
* **capex per GW** :math:`c_v(t) = c_{v,0}\,(1+k_v)^{y(t)-y_0}`
  (``capex_busd_per_gw``, ``capex_change_per_year``), paid on delivery;
* **compute stock** :math:`W_v` [GW of reference compute]: each GW energized
  adds :math:`p_v(t)` and leaves, with that same :math:`p_v`, one service
  life later (``useful_life_years``, else ``costs.it_depreciation_years``),
  so the fleet is a set of vintages: :math:`dW_v/dt = e_v(t)\,p_v(t) - e_v(t-L_v)\,p_v(t-L_v)`.
  The fleet running at the start is the reference generation (:math:`p = 1`).

Hardware is counted at the perf/W of the period it is energized in (a
stranded GW waits a few quarters at most), not of its delivery period.
"""

from __future__ import annotations

from sd_model.buildout.context import Context, V
from sd_model.engine import Model

__all__ = ["add"]


def add(m: Model, ctx: Context) -> None:
    """Declare capex and perf/W by delivery year and the fleet's compute stock by vintage."""
    m.aux(
        "it_capex_busd_per_gw",
        lambda it_capex_first_year_busd_per_gw, capex_index: (
            it_capex_first_year_busd_per_gw * capex_index
        ),
        dims=V,
        units="$B/GW",
        doc="IT capex per GW of hardware delivered now.",
    )
    m.aux(
        "delivery_perf_per_watt",
        lambda perf_per_watt_first_year, perf_per_watt_index: (
            perf_per_watt_first_year * perf_per_watt_index
        ),
        dims=V,
        doc="Perf/W of hardware delivered now, relative to the reference generation [-].",
    )
    m.stock(
        "energized_compute_gw",
        "installed_at_start_gw",
        dims=V,
        units="GW reference",
        non_negative=True,
        doc="Compute of the energized fleet: each vintage's GW times its perf/W.",
    )
    m.flow(
        "energizing_compute_gw_per_period",
        lambda energizing_gw_per_period, delivery_perf_per_watt: (
            energizing_gw_per_period * delivery_perf_per_watt
        ),
        to_stock="energized_compute_gw",
        dims=V,
        units="GW reference/period",
    )
    # a separate flow drains the stock: the engine's fixed_delay(from_stock=...) drops the
    # stock's other flows (tests/buildout/test_vintages.py checks the stock integrates)
    m.fixed_delay(
        "retirement_compute_due_gw_per_period",
        "energizing_compute_gw_per_period",
        "it_life_periods",
        initial=lambda installed_at_start_gw, it_life_periods: (
            installed_at_start_gw / it_life_periods
        ),
        dims=V,
        units="GW reference/period",
    )
    m.flow(
        "retiring_compute_gw_per_period",
        "retirement_compute_due_gw_per_period",
        from_stock="energized_compute_gw",
        dims=V,
        units="GW reference/period",
    )
