"""Progress during the long run: a live bar, and one line per finished step
(so a log, or a terminal without live display, still shows progress)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)


class Steps:
    """The steps of a run, each shown while it runs and logged when done."""

    def __init__(self, progress: Progress, total: int) -> None:
        self._progress = progress
        self._task = progress.add_task("starting", total=total)

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        """Show ``label`` while the block runs; log it with its duration after."""
        self._progress.update(self._task, description=label)
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
        self._progress.console.print(f"[green]done[/] {label} [dim]({seconds:.1f} s)[/]")
        self._progress.advance(self._task)


@contextmanager
def running(console: Console, total: int) -> Iterator[Steps]:
    """A progress display of ``total`` steps, live for the block."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console) as progress:
        yield Steps(progress, total)
