"""Array helpers for equations in the engine layout ``(sample, vendor, site, region)``.

Every dimensioned value has this rank (plus a last ``lessor`` axis when the
scenario has lessors), with size 1 on the axes it does not vary along, so
sums keep their dimensions (``keepdims``) and a per-site quantity maps to its
region through the site-by-region membership matrix.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = [
    "by_region",
    "by_site",
    "lessor_total",
    "ratio",
    "reading",
    "site_total",
    "sites_before",
    "total",
    "vendor_total",
]

VENDOR, SITE, REGION, LESSOR = 1, 2, 3, 4


def _sum(x: Any, axis: int | tuple[int, ...]) -> Any:
    # The engine carries a value with one element as a plain float (one vendor,
    # site and region, single run): a sum over its size-1 axes is the value itself.
    if np.ndim(x) == 0:
        return x
    return np.sum(x, axis=axis, keepdims=True)


def vendor_total(x: Any) -> Any:
    """Sum over vendors."""
    return _sum(x, VENDOR)


def lessor_total(x: Any) -> Any:
    """Sum over lessors (only in a model with a ``lessor`` axis)."""
    return _sum(x, LESSOR)


def site_total(x: Any) -> Any:
    """Sum over sites."""
    return _sum(x, SITE)


def sites_before(x: Any) -> Any:
    """Sum over the sites before each site in axis order (exclusive cumulative sum)."""
    if np.ndim(x) == 0:  # a single site: nothing comes before it
        return 0.0
    return np.cumsum(x, axis=SITE) - x


def total(x: Any) -> Any:
    """Sum over every model dimension (keeps the sample axis)."""
    return _sum(x, (VENDOR, SITE, REGION))


def by_region(x: Any, membership: Any) -> Any:
    """Per-site values summed into their regions."""
    # a matrix product, not a (sample, vendor, site, region) temporary; einsum, not
    # matmul: BLAS threads cost more than they give on these thin products
    if _plain(x, membership, REGION):
        sample, vendor, site = x.shape[:3]
        flat = np.einsum("ij,jk->ik", x.reshape(sample * vendor, site), membership[0, 0])
        return flat.reshape(sample, vendor, 1, -1)
    return _sum(x * membership, SITE)


def by_site(x: Any, membership: Any) -> Any:
    """Per-region values copied to each site of the region."""
    if _plain(x, membership, SITE):
        sample, vendor, _, region = x.shape
        flat = np.einsum("ik,jk->ij", x.reshape(sample * vendor, region), membership[0, 0])
        return flat.reshape(sample, vendor, -1, 1)
    return _sum(x * membership, REGION)


def _plain(x: Any, membership: Any, single: int) -> bool:
    """Whether a matrix product applies: rank-4 ``x`` of one site or region, no lessor axis.

    ``single`` is the axis ``x`` has size 1 along; ``membership`` must be the
    plain ``(1, 1, site, region)`` matrix.
    """
    return (
        isinstance(x, np.ndarray)
        and x.ndim == 4
        and x.shape[single] == 1
        and isinstance(membership, np.ndarray)
        and membership.ndim == 4
        and membership.shape[:2] == (1, 1)
        and x.shape[SITE + REGION - single] == membership.shape[SITE + REGION - single]
    )


def ratio(numerator: Any, denominator: Any) -> Any:
    """``numerator / denominator``, 0 where the denominator is 0 (Vensim ZIDZ).

    Examples
    --------
    >>> ratio(1.0, 0.0)
    0.0
    >>> ratio(np.array([1.0, 2.0]), np.array([2.0, 0.0]))
    array([0.5, 0. ])
    """
    if type(numerator) is float and type(denominator) is float:
        return numerator / denominator if denominator else 0.0
    den = np.asarray(denominator)
    safe = np.where(den == 0, 1.0, den)
    return np.where(den == 0, 0.0, np.asarray(numerator) / safe)


def reading(fn: Callable[..., Any], *names: str) -> Callable[..., Any]:
    """``fn`` as an equation reading the variables ``names`` (names chosen at build time).

    The engine reads an equation's inputs from its parameter names; this
    gives a shared function (e.g. one stage of a delay chain) the names of the
    variables it must read.
    """

    def equation(*values: Any) -> Any:
        return fn(*values)

    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    equation.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(name, kind) for name in names]
    )
    return equation
