"""Progress on standard error: live bars on a terminal, plain lines otherwise.

A bar redrawn in place is noise in a log file or a CI job, and rich shows
nothing at all when standard error is not a terminal; there each step is one
plain ``gwplan: ...`` line instead, so that a long run in a pipeline still
says what it is doing. ``--json`` runs pass ``quiet=True`` and print nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from optimization.cli.support import err

__all__ = ["RateColumn", "samples", "status", "steps"]

PLAIN_REPORTS = 10  # plain-line sample counts per run: every 10 %


class RateColumn(ProgressColumn):
    """Samples per second."""

    def render(self, task: Task) -> Text:
        """The task's rate, once known."""
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f} samples/s")


def _plain(message: str) -> None:
    err.print(f"gwplan: {message}", highlight=False, soft_wrap=True)


def _elapsed(start: float) -> str:
    return f"{time.perf_counter() - start:,.1f} s"


@contextmanager
def status(message: str, quiet: bool = False) -> Iterator[None]:
    """One step of unknown length: a spinner on a terminal, a start and an end line otherwise."""
    if quiet:
        yield
        return
    if err.is_terminal:
        with err.status(Text(message)):
            yield
        return
    start = time.perf_counter()
    _plain(f"{message} ...")
    yield
    _plain(f"{message}: done in {_elapsed(start)}")


@contextmanager
def steps(total: int, quiet: bool) -> Iterator[Callable[[str], None]]:
    """``advance(message)`` closes one of ``total`` steps and starts the next.

    An empty message closes the last step. On a terminal a transient bar;
    otherwise one ``[i/total] message`` line per step.
    """
    if quiet:
        yield lambda message: None
        return
    if not err.is_terminal:
        start, done = time.perf_counter(), [0]

        def say(message: str) -> None:
            if message:
                done[0] += 1
                _plain(f"[{done[0]}/{total}] {message} ({_elapsed(start)} so far)")

        yield say
        _plain(f"finished in {_elapsed(start)}")
        return
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("starting", total=total)
        started = [False]

        def advance(message: str) -> None:
            if started[0]:
                bar.advance(task)
            started[0] = True
            bar.update(task, description=message)

        yield advance


@contextmanager
def samples(total: int, quiet: bool, label: str = "sweep") -> Iterator[Callable[[int], None]]:
    """``advance(n)`` counts ``n`` more of ``total`` samples done.

    On a terminal a bar with rate and time left; otherwise a plain line at
    every tenth of the run (and at the end).
    """
    if quiet:
        yield lambda done: None
        return
    if not err.is_terminal:
        start, done, shown = time.perf_counter(), [0], [0]
        step = max(1, total // PLAIN_REPORTS)

        def count(n: int) -> None:
            done[0] += n
            if done[0] - shown[0] >= step or done[0] >= total > shown[0]:
                shown[0] = done[0]
                share = 100 * done[0] / total if total else 100.0
                _plain(f"{label}: {done[0]:,}/{total:,} samples ({share:.0f}%), {_elapsed(start)}")

        _plain(f"{label}: {total:,} samples")
        yield count
        return
    bar = Progress(
        TextColumn(label, markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
    )
    with bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)
