"""The error path: ``greet("")`` raising ValueError, per route and in Python,
timed by pyperf in the run's shared rounds (the exception caught in the
statement timed, as a caller would)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from matplotlib.figure import Figure as Chart

from . import charts
from .progress import Steps
from .runtime import Bench, figure, import_line
from .sections import Context, Section, Table, fmt, ratio, shown
from .stats import Figure, Measure

STMT = "try:\n    greet('')\nexcept ValueError:\n    pass"
CHART = "error_path.png"


def benchmarks(ctx: Context) -> dict[str, Bench]:
    """The caught ValueError of every target."""
    return {f"{t}.error": Bench(import_line(t), STMT) for t in ctx.targets}


def measure(ctx: Context, timed: Mapping[str, Measure], steps: Steps) -> dict[str, Figure]:
    """The figures of the shared rounds, by target."""
    return {t: figure(timed, f"{t}.error") for t in ctx.targets}


def tables(data: dict[str, Figure]) -> list[Table]:
    """One table: the error path's time, and its ratio to Python's."""
    base = next(iter(data.values()))
    return [
        Table(
            'The error path: `greet("")` raising ValueError, caught',
            ["function from", "time", "vs Python"],
            [[shown(t), fmt(f, "ns"), ratio(f, base)] for t, f in data.items()],
            "The statement timed is `try: greet('') / except ValueError: pass`; the "
            "Python baseline raises the same ValueError from an `if not name`.",
            chart=CHART,
        )
    ]


def draw(data: dict[str, Figure], out: Path) -> None:
    """Median bars with MAD whiskers, on a log scale."""
    fig = Chart(figsize=(8, 3.8))
    charts.bars(fig.subplots(), data, "ns", log=True)
    fig.suptitle('greet("") raising ValueError (median ± MAD, log scale)')
    fig.tight_layout()
    fig.savefig(out / CHART, dpi=100)


SECTION = Section("errors", lambda mode, routes: 0.0, measure, tables, draw, benchmarks)
