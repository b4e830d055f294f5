"""The start of a run: reset the memories of delays, and warn about too short stages.

Before the stocks get their initial values, each DELAY N lowers its order if
needed (their stage contents depend on it) and each fixed delay empties its
pipeline. Every delay and smooth whose stages are shorter than ``dt`` at the
start gets one :class:`~sd_model.engine.errors.StepWarning`.
"""

from __future__ import annotations

import sys
import warnings
from types import FrameType
from typing import Any, cast

import numpy as np

from sd_model.engine.errors import StepWarning
from sd_model.engine.pipeline import delay_steps
from sd_model.engine.program import InitialValues, Program


def reset_memories(program: Program, init: InitialValues, dt: float) -> None:
    """Reset fixed delays and DELAY N stage times for a run starting now."""
    for memory in program.memories:
        delay_time = init.get(memory.delay_time)
        times = memory.times
        times.reset(delay_time, dt)
        lowest, highest = int(np.min(times.active)), int(np.max(times.active))
        if lowest < times.order:
            to = f"{lowest}" if lowest == highest else f"{lowest} to {highest} by sample"
            _warn(
                f"DELAY N '{times.name}': order lowered from {times.order} to {to} "
                f"so that order * dt <= delay time ({_shortest(delay_time):g}), as Vensim does"
            )
        _check_stage(times.name, "flow", delay_time, lowest, dt)  # stages fit unless D0 < dt
    for slot in program.pipelines:
        steps = delay_steps(init.get(slot.delay_time), dt, slot.name)
        slot.pipeline.reset(steps, init.get(slot.name))
    for name, var in program.variables.items():
        if var.kind == "aux" and var.stages:
            owner = program.variables[name.split(".")[0]]
            _check_stage(owner.name, owner.kind, init.get(name) * var.stages, var.stages, dt)


#: Kind of a builtin's output -> the builtin and the name of its time constant.
_BUILTINS = {
    "flow": ("delay", "delay"),
    "stock": ("smooth", "smoothing"),
    "aux": ("trend", "average"),
}


def _check_stage(owner: str, kind: str, total: Any, stages: int, dt: float) -> None:
    """Warn if ``stages * dt`` exceeds the delay or smoothing time ``total``."""
    shortest = _shortest(total)
    if stages * dt <= shortest * (1 + 1e-9):  # round-off: 3 * 0.1 fits in 0.3
        return
    what, time_name = _BUILTINS[kind]
    _warn(
        f"{what} '{owner}': order {stages} * dt = {stages * dt:g} exceeds its {time_name} time "
        f"{shortest:g}; each stage is shorter than a step, so Euler overshoots and may "
        "oscillate. Use a smaller dt or a lower order"
    )


def _shortest(value: Any) -> float:
    return float(np.min(value))


def _warn(message: str) -> None:
    """Warn, pointing at the first caller outside the engine (the user's run)."""
    level, caller = 1, cast(FrameType | None, sys._getframe())
    while caller is not None and caller.f_globals.get("__name__", "").startswith(_ENGINE):
        level, caller = level + 1, caller.f_back
    warnings.warn(message, StepWarning, stacklevel=level)


_ENGINE = "sd_model.engine."
