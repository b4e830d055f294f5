"""Marginal values that hold: shadow prices checked by re-solving with the limit relaxed.

A dual value is the objective's rate of change only where the optimal basis
stays optimal; at a degenerate vertex (a limit that is tight but useless, or
tight together with another) the dual of one row can be large while relaxing
it changes nothing. `verify_limit_values` re-solves, warm, with each of the
largest candidates' scenario keys raised by a small step and keeps as the
limit's value what the objective actually gains per GW.

Each per-entity limit carries its ``scenario_key`` (the override key that
relaxes it: ``sites.ABI.grid_limit_gw``), so a planner can take the value and
the key straight to `PlanningModel.resolve`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

__all__ = [
    "LIMIT_KEYS",
    "STEP_GW",
    "scenario_keys",
    "verify_headroom_values",
    "verify_limit_values",
]

#: limit name -> (scenario table, field) of the override key that relaxes it
LIMIT_KEYS: dict[str, tuple[str, str]] = {
    "site_max": ("sites", "max_gw"),
    "grid_limit": ("sites", "grid_limit_gw"),
    "ppa_max": ("ppa_options", "max_gw"),
}

#: Relaxation step of a verification re-solve [GW].
STEP_GW = 0.1

#: A verified value below this is reported as zero [$B per GW].
_TOL_BUSD = 1e-3


def scenario_keys(limits: pd.DataFrame) -> pd.Series:
    """The override key relaxing each row of ``limits`` (columns ``limit``, ``key``)."""
    return pd.Series(
        [
            f"{LIMIT_KEYS[limit][0]}.{key}.{LIMIT_KEYS[limit][1]}"
            for limit, key in zip(limits["limit"], limits["key"], strict=True)
        ],
        index=limits.index,
        dtype=object,
    )


def verify_limit_values(
    limits: pd.DataFrame,
    current: Mapping[str, float],
    objective: float,
    solve_with: Callable[[dict[str, float]], float | None],
    *,
    top: int,
    step_gw: float = STEP_GW,
) -> pd.DataFrame:
    """``limits`` with each candidate's value checked by a re-solve.

    Parameters
    ----------
    limits
        ``limit``, ``key``, ``scenario_key``, ``value_busd_per_gw`` (the dual).
    current
        Each scenario key's value in the solved scenario [GW].
    objective
        The solved objective [$B NPV, minimised].
    solve_with
        Re-solves with the given overrides and returns the objective (``None``
        when not optimal, NaN when the scenario forbids the relaxation: such a
        limit is worth nothing to relax); the caller restores the model afterwards.
    top
        How many of the largest duals to check (0: none).
    step_gw
        Relaxation step [GW].

    Returns
    -------
    pandas.DataFrame
        ``limits`` plus ``verified`` (bool: checked by a re-solve) and
        ``value_busd_per_gw`` replaced, where checked, by the objective's gain
        per GW of relaxation (0 for a degenerate limit).
    """
    out = limits.copy()
    out["dual_busd_per_gw"] = out["value_busd_per_gw"]
    out["verified"] = False
    dual = out["value_busd_per_gw"].to_numpy(dtype=float)
    order = [i for i in np.argsort(-dual, kind="stable") if dual[i] > _TOL_BUSD][:top]
    for i in order:
        key = str(out["scenario_key"].iloc[i])
        relaxed = solve_with({key: float(current[key]) + step_gw})
        if relaxed is None:
            continue
        # NaN: the scenario forbids the relaxation (a leased site cannot also be owned)
        gain = 0.0 if np.isnan(relaxed) else (objective - relaxed) / step_gw
        row = out.index[i]
        out.loc[row, "value_busd_per_gw"] = gain if gain > _TOL_BUSD else 0.0
        out.loc[row, "verified"] = True
    return out


def verify_headroom_values(
    regions: pd.DataFrame,
    objective: float,
    solve_with: Callable[[str, int, float], float | None],
    *,
    top: int,
    step_gw: float = STEP_GW,
) -> pd.DataFrame:
    """``regions`` with each binding region's step value checked by a re-solve.

    Parameters
    ----------
    regions
        The plan's ``regions`` frame (``region``, ``headroom_value_busd_per_gw``,
        ``headroom_step_value_busd_per_gw``), periods in order within a region.
    objective
        The solved objective [$B NPV, minimised].
    solve_with
        ``(region, first period position, step)``: re-solves with the region's
        headroom raised by ``step`` from that period on and returns the objective
        (``None`` when not optimal).
    top
        How many regions to check, largest step value first.
    step_gw
        Relaxation step [GW].

    Returns
    -------
    pandas.DataFrame
        ``regions`` plus ``headroom_step_verified``; at the first binding period
        of each checked region the step value is the re-solved gain per GW.
    """
    out = regions.copy()
    out["headroom_step_verified"] = False
    step_values = out["headroom_step_value_busd_per_gw"].to_numpy(dtype=float)
    candidates: list[tuple[float, str, int, object]] = []
    regions_col = out["region"].to_numpy()
    values = out["headroom_value_busd_per_gw"].to_numpy(dtype=float)
    for region in dict.fromkeys(regions_col.tolist()):
        at = np.flatnonzero(regions_col == region)
        hot = at[values[at] > _TOL_BUSD]
        if len(hot):
            first = int(hot[0])
            position = first - int(at[0])  # periods are in order within a region
            candidates.append((float(step_values[first]), str(region), position, out.index[first]))
    candidates.sort(key=lambda item: -item[0])
    for _, region, position, row in candidates[:top]:
        relaxed = solve_with(region, position, step_gw)
        if relaxed is None:
            continue
        gain = (objective - relaxed) / step_gw
        out.at[row, "headroom_step_value_busd_per_gw"] = gain if gain > _TOL_BUSD else 0.0
        out.at[row, "headroom_step_verified"] = True
    return out
