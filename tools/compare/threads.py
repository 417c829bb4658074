"""Threads: calls per second of ``greet`` on a large name with one thread, and
with as many threads as the machine has cores, per route and in Python.

Not a pyperf benchmark (pyperf times one thread): each sample is a fresh
process that makes the name, warms up, starts the threads together and counts
the calls they finish in a fixed time. The samples are interleaved, each
round in another order. A route that releases the GIL around its Rust work
makes more calls with more threads; one that holds it makes about as many
(it serializes), or fewer (the threads fight over the GIL).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure as Chart

from .bindings import colors
from .builds import rotated
from .progress import Steps
from .runtime import import_line
from .sections import Context, Section, Table, fmt, shown, times
from .stats import Figure, Measure

# The name: 1 MiB of "é" (2 MiB of UTF-8), where the work is large enough
# for releasing the GIL to pay.
CHAR, COUNT = "\u00e9", 1 << 20
CHART = "threads.png"

# Run as `python -I -c SCRIPT <setup> <threads> <seconds>`, where the setup
# binds greet and name; prints calls/s.
SCRIPT = """
import sys, threading, time
setup, threads, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
exec(setup)
expected = 'Hello, ' + name + '!'
for _ in range(5):  # warm-up, and a check that the call works
    assert greet(name) == expected
start_line = threading.Barrier(threads + 1)
stop = threading.Event()
counts = [0] * threads
def work(i):
    start_line.wait()
    n = 0
    while not stop.is_set():
        greet(name)
        n += 1
    counts[i] = n
workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
for w in workers:
    w.start()
start_line.wait()
start = time.perf_counter()
time.sleep(seconds)
stop.set()
for w in workers:
    w.join()
print(sum(counts) / (time.perf_counter() - start))
"""


@dataclass(frozen=True)
class Plan:
    """Processes per cell and seconds each counts calls."""

    processes: int
    seconds: float


PLANS = {"full": Plan(3, 0.5), "quick": Plan(2, 0.3)}
# The rules of the verdict: the ratio of calls/s with every core to one thread.
PARALLEL, SLOWER = 1.25, 0.8


@dataclass(frozen=True)
class Threads:
    """Calls per second by target then thread count (as text)."""

    name: str
    figures: dict[str, dict[str, Figure]]


def measure(ctx: Context, _: Mapping[str, Measure], steps: Steps) -> Threads:
    """Every target with 1 and with ``cores`` threads, interleaved."""
    plan = PLANS[ctx.mode]
    counts = sorted({1, os.cpu_count() or 1})
    cells = [(t, n) for t in ctx.targets for n in counts]
    samples: dict[tuple[str, int], list[float]] = {cell: [] for cell in cells}
    for rep in range(plan.processes):
        with steps.step(f"threads: round {rep + 1}/{plan.processes}", 0):
            for target, n in rotated(cells, rep):
                with steps.step(f"threads: {target} x {n}", plan.seconds + 0.3, log=False):
                    outcome = ctx.shell.run(
                        [
                            str(ctx.python),
                            "-I",
                            "-c",
                            SCRIPT,
                            import_line(target) + f"name = {CHAR!r} * {COUNT}",
                            str(n),
                            str(plan.seconds),
                        ],
                        cwd=ctx.scratch,
                        label=f"threads {target} x{n}",
                    )
                    samples[(target, n)].append(float(outcome.output().splitlines()[-1]))
    return Threads(
        name=f"{CHAR!r} * {COUNT}",
        figures={
            t: {str(n): Figure.of(samples[(t, n)], "calls/s") for n in counts} for t in ctx.targets
        },
    )


def cost(mode: str, routes: int) -> float:
    """Each sample: its counting time and a process start."""
    plan = PLANS[mode]
    return plan.processes * (routes + 1) * 2 * (plan.seconds + 0.3)


def scaling(by_count: Mapping[str, Figure]) -> float:
    """Calls/s with the most threads over calls/s with one (medians)."""
    most = max(by_count, key=int)
    return by_count[most].median / by_count["1"].median


def verdict(by_count: Mapping[str, Figure]) -> str:
    """ "parallel", "serializes" or "slower", by the rules above."""
    if len(by_count) < 2:
        return "not measured (one core)"
    found = scaling(by_count)
    return "parallel" if found >= PARALLEL else "slower" if found < SLOWER else "serializes"


def tables(data: Threads) -> list[Table]:
    """One table: calls/s per thread count, the scaling and what it means."""
    counts = list(next(iter(data.figures.values())))
    return [
        Table(
            f"Threads: calls per second of `greet(name)`, name = {data.name}",
            [
                "function from",
                *(f"{n} thread{'s' * (n != '1')}" for n in counts),
                "scaling",
                "threads",
            ],
            [
                [
                    shown(t),
                    *(fmt(f[n], "calls/s") for n in counts),
                    times(scaling(f)) if len(f) > 1 else "",
                    verdict(f),
                ]
                for t, f in data.figures.items()
            ],
            "Each sample: a fresh process, the threads started together, the calls "
            "they finish in a fixed time. scaling: calls/s with every core over one "
            f"thread. threads: parallel if scaling >= {PARALLEL}, slower if < {SLOWER}, "
            "else serializes. The machine is shared: a busy core lowers the scaling. "
            "Pure Python holds the GIL throughout, so its scaling is the reference: what "
            "noise and the allocator alone do here; a route is parallel only well above it.",
            chart=CHART,
        )
    ]


def draw(data: Threads, out: Path) -> None:
    """Grouped bars: calls/s by thread count, per target, log scale."""
    palette = colors()
    fig = Chart(figsize=(9, 3.8))
    ax = fig.subplots()
    counts = list(next(iter(data.figures.values())))
    width = 0.8 / len(counts)
    for i, (t, by_count) in enumerate(data.figures.items()):
        for k, n in enumerate(counts):
            f = by_count[n]
            ax.bar(
                i + k * width,
                f.median,
                width,
                yerr=f.mad,
                capsize=3,
                color=palette[t],
                alpha=1.0 if k else 0.45,
                edgecolor="black",
            )
    ax.set_xticks(
        [i + width * (len(counts) - 1) / 2 for i in range(len(data.figures))],
        [shown(t).replace(" (baseline)", "") for t in data.figures],
        fontsize=8,
        rotation=20,
        ha="right",
    )
    ax.set_yscale("log")
    ax.set_ylabel("calls per second")
    ax.set_title(f"greet on {data.name}: 1 thread (light) and {counts[-1]} threads (dark)")
    fig.tight_layout()
    fig.savefig(out / CHART, dpi=100)


SECTION = Section("threads", cost, measure, tables, draw)
