r"""Bridge plants retire when the grid arrives.

An on-site option flagged ``bridge`` (`OnsiteOption.bridge`) is built to carry a
site until its grid connection does. Once the connection covers the site's
planned facility load, the plant beyond what is still needed retires in the
step (per site [GW nameplate]):

.. math::

    \text{need}_s &= \max(0,\ \mathrm{PUE}\cdot\text{shells planned}_s
        - \min(\text{grid\_limit}_s, C_s)) / a_s \\
    \text{retiring}_s &= b_s \cdot \max(0,\ \text{on-site operating}_s
        - \text{need}_s) / \Delta t

with :math:`C_s` the connected grid, :math:`a_s` the option's availability and
:math:`b_s` = 1 for a bridge option, else 0. The need uses the connection in
service only (not the queue the build rule counts on), so a plant is never
retired on a promise; the build rule's target is at most this need, so a
retired plant is not rebuilt. Retiring ends the plant's fixed O&M
(``fixed_om_busd_per_gw_year``); its capex is sunk (no resale in the
simulation). Switch it off per option with ``onsite_options.<id>.bridge=false``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sd_model.buildout.context import Context, S
from sd_model.engine import Model

__all__ = ["add_bridge_retirement"]


def add_bridge_retirement(m: Model, ctx: Context) -> None:
    """Declare the on-site capacity still needed and the retirement of bridge plant beyond it."""
    del ctx  # per-site constants only; kept for the sector signature

    def need(
        shells_planned_gw: Any,
        pue: Any,
        grid_connected_gw: Any,
        grid_limit_gw: Any,
        onsite_availability_factor: Any,
    ) -> Any:
        grid = np.minimum(grid_limit_gw, grid_connected_gw)
        return np.maximum(shells_planned_gw * pue - grid, 0.0) / onsite_availability_factor

    m.aux(
        "onsite_needed_gw",
        need,
        dims=S,
        units="GW",
        doc="On-site nameplate the site still needs beside the grid in service.",
    )
    m.flow(
        "onsite_retiring_gw_per_period",
        lambda onsite_is_bridge, onsite_operating_gw, onsite_needed_gw, dt: (
            onsite_is_bridge * np.maximum(onsite_operating_gw - onsite_needed_gw, 0.0) / dt
        ),
        from_stock="onsite_operating_gw",
        dims=S,
        units="GW/period",
        doc="Bridge plant retired once the grid connection covers the site's planned load.",
    )
