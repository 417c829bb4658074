"""Progress during the long run: a live bar with an estimate of the time left,
and one line per finished step (so a log, or a terminal without live display,
still shows progress).

Each step advances the bar by its estimated cost in seconds, so the estimate
of the time left weighs a cold build and a 0.1-second benchmark as they
deserve; rich scales it by the pace actually seen, so a slower machine gets a
longer, still fair, estimate.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class Steps:
    """The steps of a run, each shown while it runs and logged when done."""

    def __init__(self, progress: Progress, total: float) -> None:
        self._progress = progress
        self._task = progress.add_task("starting", total=total)

    @contextmanager
    def step(self, label: str, cost: float = 1.0, log: bool = True) -> Iterator[None]:
        """Show ``label`` while the block runs; log it with its duration
        after (unless not ``log``), and advance the bar by ``cost``
        (estimated seconds)."""
        self._progress.update(self._task, description=label)
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        if log:
            self._progress.console.print(f"[green]done[/] {label} [dim]({seconds:.1f} s)[/]")
        self._progress.advance(self._task, cost)

    def grow(self, cost: float) -> None:
        """Add ``cost`` to the total: work found once the run is under way."""
        task = self._progress.tasks[0]
        self._progress.update(self._task, total=(task.total or 0) + cost)


@contextmanager
def running(console: Console, total: float) -> Iterator[Steps]:
    """A progress display of ``total`` estimated seconds, live for the block."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        TextColumn("left about"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as progress:
        yield Steps(progress, total)
