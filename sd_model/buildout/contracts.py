r"""Signed utility contracts: a site's contracted grid supply connects on its date.

A utility special contract (FIGURES A2: DTE's 1.4 GW for Saline Twp., in
service end-2027; 19-yr minimum term, 80 % minimum billing) is not a queue
request with attrition: the utility builds for a date. Per site [GW facility]:

* **connecting** the contracted :math:`G^c_s` in the step that holds the
  in-service time :math:`T_s` (``contract_in_service_period``), straight into
  ``grid_connected_gw``;
* **pending** :math:`G^c_s` while :math:`t < T_s`: the site does not request
  it from the queue (`sd_model.buildout.power` subtracts it from the need), and
  the on-site bridge counts on it once :math:`T_s - t` is within the on-site
  option's lead;
* **connected under contract** :math:`G^c_s` once :math:`t \ge T_s`: it does not
  use the region's large-load headroom (the contract is its own supply).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sd_model.buildout.context import Context, S
from sd_model.engine import Model

__all__ = ["add"]

_EPS = 1e-9  # times are sums of dt steps


def add(m: Model, ctx: Context) -> None:
    """Declare the contracted supply pending, connecting and connected."""
    q2p = ctx.q2p
    m.aux(
        "contract_pending_gw",
        lambda contracted_grid_gw, contract_in_service_time, time, dt: np.where(
            time < contract_in_service_time + dt - _EPS, contracted_grid_gw, 0.0
        ),
        dims=S,
        units="GW facility",
        doc="Contracted grid supply not yet connected (until the end of its connecting step).",
    )
    m.aux(
        "contract_connected_gw",
        lambda contracted_grid_gw, contract_pending_gw: contracted_grid_gw - contract_pending_gw,
        dims=S,
        units="GW facility",
    )

    def in_time(
        contract_pending_gw: Any,
        contract_in_service_time: Any,
        time: Any,
        onsite_lead_quarters: Any,
    ) -> Any:
        return np.where(
            contract_in_service_time - time <= onsite_lead_quarters * q2p, contract_pending_gw, 0.0
        )

    m.aux(
        "contract_in_time_gw",
        in_time,
        dims=S,
        units="GW facility",
        doc="Pending contracted supply that arrives before on-site plant started now would.",
    )

    def connecting(
        contracted_grid_gw: Any, contract_in_service_time: Any, time: Any, dt: Any
    ) -> Any:
        now = (time >= contract_in_service_time - _EPS) & (
            time < contract_in_service_time + dt - _EPS
        )
        return np.where(now, contracted_grid_gw / dt, 0.0)

    m.flow(
        "grid_contract_connecting_gw_per_period",
        connecting,
        to_stock="grid_connected_gw",
        dims=S,
        units="GW facility/period",
    )
