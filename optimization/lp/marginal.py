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

__all__ = ["LIMIT_KEYS", "STEP_GW", "scenario_keys", "verify_limit_values"]

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
        when not optimal); the caller restores the model afterwards.
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
        gain = (objective - relaxed) / step_gw
        row = out.index[i]
        out.loc[row, "value_busd_per_gw"] = gain if gain > _TOL_BUSD else 0.0
        out.loc[row, "verified"] = True
    return out
