"""Where sweep chunks run: in this process, in local processes, or on a Dask cluster.

Each executor maps a picklable function over work items and yields results as
they complete, in any order; the sweep runner orders them by sample, so the
same seed gives the same table on every executor.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

from optimization.sweeps.lifeline import die_with_parent

__all__ = [
    "DaskExecutor",
    "Executor",
    "ExecutorKind",
    "InProcessExecutor",
    "LocalProcessExecutor",
    "make_executor",
]

T = TypeVar("T")
R = TypeVar("R")
ExecutorKind = Literal["inprocess", "processes", "dask"]


class Executor(Protocol):
    """Runs ``fn`` over items and yields ``(item, result)`` pairs as they complete."""

    def map_unordered(
        self, fn: Callable[[T], R], items: Iterable[T]
    ) -> Iterator[tuple[T, R | BaseException]]:
        """Yield each item with its result, or with the exception its call raised."""
        ...

    def close(self) -> None:
        """Release workers and connections."""
        ...


@dataclass
class InProcessExecutor:
    """Runs every item here, one after another (for debugging and small sweeps)."""

    def map_unordered(
        self, fn: Callable[[T], R], items: Iterable[T]
    ) -> Iterator[tuple[T, R | BaseException]]:
        """Yield each item with its result, or with the exception its call raised."""
        for item in items:
            try:
                yield item, fn(item)
            except Exception as error:  # recorded per chunk by the runner
                yield item, error

    def close(self) -> None:
        """Nothing to release."""


class LocalProcessExecutor:
    """Runs items in a pool of local worker processes (default: one per core).

    Workers are started with ``spawn`` so that no solver thread pool or lock
    is inherited half-initialised from the parent, and end when this process
    ends, even when it is killed (`optimization.sweeps.lifeline`).
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        )

    def map_unordered(
        self, fn: Callable[[T], R], items: Iterable[T]
    ) -> Iterator[tuple[T, R | BaseException]]:
        """Yield each item with its result, or with the exception its call raised."""
        futures = {self._pool.submit(fn, item): item for item in items}
        for future in as_completed(futures):
            error = future.exception()
            yield futures[future], error if error is not None else future.result()

    def close(self) -> None:
        """Shut the pool down."""
        self._pool.shutdown(cancel_futures=True)


class DaskExecutor:
    """Runs items on a Dask distributed cluster.

    Parameters
    ----------
    address
        Scheduler address such as ``tcp://10.0.0.5:8786``; when omitted a
        `distributed.LocalCluster` with ``workers`` single-threaded worker
        processes is started here and closed with the executor.
    """

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as error:  # pragma: no cover - dask is a declared dependency
            raise RuntimeError("the dask executor needs `pip install dask[distributed]`") from error
        self._cluster: Any = None
        if address is None:
            self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            self._client: Any = Client(self._cluster)  # type: ignore[no-untyped-call]
        else:
            self._client = Client(address)  # type: ignore[no-untyped-call]

    def map_unordered(
        self, fn: Callable[[T], R], items: Iterable[T]
    ) -> Iterator[tuple[T, R | BaseException]]:
        """Yield each item with its result, or with the exception its call raised."""
        from distributed import as_completed as dask_completed

        items = list(items)
        futures = self._client.map(fn, items, pure=False)
        owner = {future.key: item for future, item in zip(futures, items, strict=True)}
        for future in dask_completed(futures):  # type: ignore[no-untyped-call]
            item = owner[future.key]
            if future.status == "error":
                yield item, future.exception()
            else:
                yield item, future.result()
            future.release()

    def close(self) -> None:
        """Close the client (and the local cluster, if this executor started one)."""
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(
    kind: ExecutorKind, *, address: str | None = None, workers: int | None = None
) -> Executor:
    """Create an executor by kind (``address`` only for ``"dask"``)."""
    if address is not None and kind != "dask":
        raise ValueError("an address is only used by the dask executor")
    if kind == "inprocess":
        return InProcessExecutor()
    if kind == "processes":
        return LocalProcessExecutor(workers)
    return DaskExecutor(address, workers)
