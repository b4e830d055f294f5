"""Power purchase agreements in the build-out: signings after a lead time, clean energy.

Split out of `sd_model.buildout.power` (which calls `add_ppa`); the equations are in
its docstring and in ``docs/buildout.md``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sd_model.buildout.arrays import by_region, ratio, total
from sd_model.buildout.context import Context, R
from sd_model.buildout.pipelines import Pipeline, add_pipeline
from sd_model.engine import Model

__all__ = ["add_ppa"]


def add_ppa(m: Model, ctx: Context) -> None:
    """Declare PPA signings, the contracted stock and its clean energy per region.

    Long because it declares the sector's equations together, in the order of the module's maths.
    """
    q2p, member, hours = ctx.q2p, ctx.membership, ctx.hours_per_period
    m.aux(
        "region_planned_load_gw",
        lambda shells_planned_gw, pue: by_region(shells_planned_gw * pue, member),
        dims=R,
        units="GW facility",
    )
    m.aux(
        "ppa_wanted_gw",
        lambda ppa_coverage_target_ahead, region_planned_load_gw, ppa_capacity_factor, ppa_max_gw: (
            np.minimum(
                ppa_coverage_target_ahead * region_planned_load_gw / ppa_capacity_factor, ppa_max_gw
            )
        ),
        dims=R,
        units="GW nameplate",
    )
    m.stock("ppa_under_development_gw", 0.0, dims=R, units="GW nameplate", non_negative=True)
    m.stock("ppa_delivering_gw", 0.0, dims=R, units="GW nameplate", non_negative=True)
    ppas = Pipeline(
        started="ppa_signing_gw_per_period",
        lead_quarters="ppa_lead_quarters",
        lead_periods="ppa_lead_periods",
        due="ppa_start_due_gw_per_period",
        completing="ppa_starting_gw_per_period",
        building="ppa_under_development_gw",
        finished="ppa_delivering_gw",
    )

    def signing(
        ppa_wanted_gw: Any,
        ppa_under_development_gw: Any,
        ppa_delivering_gw: Any,
        decision_quarters: Any,
    ) -> Any:
        gap = ppa_wanted_gw - ppa_under_development_gw - ppa_delivering_gw
        return np.maximum(gap, 0.0) / (decision_quarters * q2p)

    add_pipeline(
        m,
        ppas,
        "fixed_ppa_signings" if ctx.follows("ppa_signings") else signing,
        q2p=q2p,
        dims=R,
        units="GW nameplate/period",
    )
    m.aux(
        "clean_energy_twh_per_period",
        lambda ppa_delivering_gw, ppa_capacity_factor: (
            ppa_delivering_gw * ppa_capacity_factor * hours / 1000.0
        ),
        dims=R,
        units="TWh/period",
    )
    m.aux(
        "load_energy_twh_per_period",
        lambda site_facility_load_gw: total(site_facility_load_gw) * hours / 1000.0,
        units="TWh/period",
        doc="Facility energy of the load at the candidate sites.",
    )
    m.aux(
        "ppa_coverage_ratio",
        lambda clean_energy_twh_per_period, load_energy_twh_per_period: ratio(
            total(clean_energy_twh_per_period), load_energy_twh_per_period
        ),
    )
