"""Vectorized stock-and-flow engine: model definition, builtins, integrators, step API.

Declare a :class:`Model` in plain Python, run it with :meth:`Model.run` (a
pandas DataFrame with units) or drive it with :meth:`Model.simulator` (the
step API for rolling-horizon coupling). Parameters with a leading sample axis
run a whole Monte Carlo batch in one numpy pass. See ``docs/engine.md``.
"""

from sd_model.engine.chains import DelaySemantics
from sd_model.engine.elementwise import if_then_else, maximum, minimum
from sd_model.engine.errors import (
    EngineError,
    ModelError,
    NonFiniteError,
    SimulationError,
    StepWarning,
)
from sd_model.engine.integrators import Method
from sd_model.engine.lookup import Extrapolation, Lookup
from sd_model.engine.model import Model
from sd_model.engine.series import Interpolation
from sd_model.engine.simulator import Simulator
from sd_model.engine.sources import pulse, ramp, step
from sd_model.engine.variables import Equation, EquationSpec, Variable

__all__ = [
    "DelaySemantics",
    "EngineError",
    "Equation",
    "EquationSpec",
    "Extrapolation",
    "Interpolation",
    "Lookup",
    "Method",
    "Model",
    "ModelError",
    "NonFiniteError",
    "SimulationError",
    "Simulator",
    "StepWarning",
    "Variable",
    "if_then_else",
    "maximum",
    "minimum",
    "pulse",
    "ramp",
    "step",
]
