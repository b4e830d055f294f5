"""Elementwise helpers that are fast on Python floats and vectorized on arrays.

In a single run dimensionless values are Python floats, on which numpy
ufuncs cost about 1 µs per call and return numpy scalars that slow down every
later operation. These helpers take the pure-Python path for floats and the
numpy path for arrays, with identical results, so one equation serves single
runs and batches at full speed in both.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def minimum(a: Any, b: Any) -> Any:
    """Elementwise minimum (Vensim ``MIN``); NaN in ``a`` propagates.

    Examples
    --------
    >>> minimum(2.0, 3.0)
    2.0
    >>> minimum(np.array([1.0, 4.0]), 3.0)
    array([1., 3.])
    """
    if type(a) is float and type(b) is float:
        return b if b < a else a
    return np.minimum(a, b)


def maximum(a: Any, b: Any) -> Any:
    """Elementwise maximum (Vensim ``MAX``); NaN in ``a`` propagates.

    Examples
    --------
    >>> maximum(2.0, 3.0)
    3.0
    """
    if type(a) is float and type(b) is float:
        return b if b > a else a
    return np.maximum(a, b)


def if_then_else(condition: Any, when_true: Any, when_false: Any) -> Any:
    """Elementwise choice (Vensim ``IF THEN ELSE``); both branches are evaluated.

    Examples
    --------
    >>> if_then_else(1.0 > 0.0, 5.0, 7.0)
    5.0
    """
    if isinstance(condition, bool):
        return when_true if condition else when_false
    return np.where(condition, when_true, when_false)
