"""Dependency checks and evaluation order of the auxiliaries and flows."""

from __future__ import annotations

import difflib
import heapq
from collections.abc import Iterable, Mapping, Sequence

from sd_model.engine.errors import ModelError


def check_references(
    reads: Mapping[str, Sequence[str]], defined: Iterable[str], what: str = "uses"
) -> None:
    """Raise if a variable reads a name that is never defined.

    Parameters
    ----------
    reads : mapping
        Variable name -> names its equation reads.
    defined : iterable of str
        Every name that may be read.
    what : str
        Verb for the message (``uses``, ``starts from``...).
    """
    known = set(defined)
    for owner, names in reads.items():
        for name in names:
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise ModelError(f"'{owner}' {what} '{name}', which is not defined{hint}")


def evaluation_order(deps: Mapping[str, Sequence[str]]) -> list[str]:
    """Order nodes so that each comes after the nodes it reads.

    Parameters
    ----------
    deps : mapping
        Node -> names it reads; names that are not nodes (stocks, constants,
        time) are ignored. Ties keep the mapping's order, so independent flows
        are evaluated in declaration order.

    Returns
    -------
    list of str
        The nodes in a valid evaluation order.

    Raises
    ------
    ModelError
        If the nodes read each other in a loop: an algebraic loop with no stock.
    """
    position = {name: i for i, name in enumerate(deps)}
    waiting = {name: {d for d in reads if d in position} for name, reads in deps.items()}
    readers: dict[str, list[str]] = {name: [] for name in deps}
    for name, reads in waiting.items():
        for dep in reads:
            readers[dep].append(name)
    ready = [position[n] for n, reads in waiting.items() if not reads]
    heapq.heapify(ready)
    names = list(deps)
    order: list[str] = []
    while ready:
        name = names[heapq.heappop(ready)]
        order.append(name)
        for reader in readers[name]:
            waiting[reader].discard(name)
            if not waiting[reader]:
                heapq.heappush(ready, position[reader])
    if len(order) < len(names):
        loop = _find_loop({n: r for n, r in waiting.items() if r})
        raise ModelError(
            "algebraic loop with no stock in it: "
            + " -> ".join(loop)
            + "; break it with a stock, a delay or a smooth"
        )
    return order


def _find_loop(waiting: Mapping[str, set[str]]) -> list[str]:
    """Return one loop, in the direction information flows, among unresolved nodes."""
    node = next(iter(waiting))
    seen: list[str] = []
    while node not in seen:
        seen.append(node)
        node = min(waiting[node])
    loop = [*seen[seen.index(node) :], node]
    return loop[::-1]
