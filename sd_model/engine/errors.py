"""Exceptions raised by the stock-and-flow engine.

Every message names the variable concerned and, during a run, the model time,
in plain words, so that a planner can find the faulty equation without a stack
trace.
"""

from __future__ import annotations


class EngineError(Exception):
    """Base class of every error raised by :mod:`sd_model.engine`."""


class ModelError(EngineError):
    """The model definition is ill-posed.

    Raised while declaring or compiling a model: a name used but never defined,
    an algebraic loop without a stock in it, a lookup with unsorted x values,
    an array of the wrong shape, a flow attached to no stock, and so on.
    """


class SimulationError(EngineError):
    """A run failed or was asked for something impossible.

    Examples: ``dt`` does not divide the horizon, a delay time is negative, an
    equation raised an exception at some time.
    """


class NonFiniteError(SimulationError):
    """A variable became NaN or infinite during a run."""


class StepWarning(UserWarning):
    """A delay or smooth has stages shorter than the time step ``dt``.

    Issued once per variable at the start of a run: Euler then overshoots
    and may oscillate. A DELAY N (``semantics="delay_n"``) lowers its order
    instead, as Vensim does, and says so with this warning.
    """
