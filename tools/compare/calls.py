"""Per call: ``hi()`` and ``greet("world")`` of every route and of the same two
functions in Python, timed in the run's shared rounds (runtime.time_together)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from matplotlib.figure import Figure as Chart

from . import charts
from .progress import Steps
from .runtime import Bench, figure, import_line
from .sections import Context, Section, Table, fmt, ratio, shown
from .stats import Figure, Measure

# What each benchmark runs, by function: the statement timed.
CALLS = {"hi": "hi()", "greet": "greet('world')"}
TITLES = {"hi": "hi()", "greet": 'greet("world")'}
CHART = "call_latency.png"


def key(target: str, func: str) -> str:
    """The shared rounds' key of ``target``'s call of ``func`` (the steps
    section times the same call under the same key)."""
    return f"{target}.{func}"


def benchmarks(ctx: Context) -> dict[str, Bench]:
    """Both calls of every target."""
    return {
        key(t, func): Bench(import_line(t), stmt)
        for func, stmt in CALLS.items()
        for t in ctx.targets
    }


def measure(
    ctx: Context, timed: Mapping[str, Measure], steps: Steps
) -> dict[str, dict[str, Figure]]:
    """The figures of the shared rounds, by function then target."""
    return {func: {t: figure(timed, key(t, func)) for t in ctx.targets} for func in CALLS}


def tables(data: dict[str, dict[str, Figure]]) -> list[Table]:
    """One table: time per call, and its ratio to the pure-Python function."""
    targets = list(data["hi"])
    base = targets[0]
    n = min(f.n for by in data.values() for f in by.values())
    return [
        Table(
            "Per call: time of one call",
            ["function from", *(x for f in TITLES.values() for x in (f, "vs Python"))],
            [
                [
                    shown(t),
                    *(
                        x
                        for f in CALLS
                        for x in (fmt(data[f][t], "ns"), ratio(data[f][t], data[f][base]))
                    ),
                ]
                for t in targets
            ],
            f"{n} or more values per cell, from fresh processes that each time every call "
            "(and every step below), interleaved. vs Python: median over the median of the "
            "same function written in Python, from the same processes.",
            chart=CHART,
        )
    ]


def draw(data: dict[str, dict[str, Figure]], out: Path) -> None:
    """Median bars with MAD whiskers, on a log scale."""
    fig = Chart(figsize=(11, 3.8))
    axes = fig.subplots(1, len(CALLS))
    for ax, func in zip(axes, CALLS):
        charts.bars(ax, data[func], "ns", log=True)
        ax.set_title(TITLES[func])
    fig.suptitle("Time per call (median ± MAD, log scale)")
    fig.tight_layout()
    fig.savefig(out / CHART, dpi=100)


SECTION = Section("calls", lambda mode, routes: 0.0, measure, tables, draw, benchmarks)
