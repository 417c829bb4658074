"""Threads: calls per second of ``greet`` on a large name with one thread, and
with as many threads as the machine has cores, per route and in Python.

Not a pyperf benchmark (pyperf times one thread): each sample is a fresh
process that makes the name, warms up, starts the threads together and counts
the calls they finish in a fixed time. The samples are interleaved, each
round in another order. A route that releases the GIL around its Rust work
makes more calls with more threads; one that holds it makes about as many
(it serializes), or fewer (the threads fight over the GIL). ``rates`` counts
any call so: the checksum section counts ``checksum`` on 16 MiB with it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure as Chart

from .bindings import colors
from .builds import rotated
from .progress import Steps
from .runtime import figure, import_line
from .sections import Context, Section, Table, fmt, shown, times
from .shell import error_line
from .stats import Figure, Measure, NotMeasured

# The name: 1 MiB of "é" (2 MiB of UTF-8), where the work is large enough
# for releasing the GIL to pay.
CHAR, COUNT = "\u00e9", 1 << 20
CHART = "threads.png"

# Run as `python -I -c SCRIPT <setup> <check> <stmt> <threads> <seconds>`:
# the setup binds what the statement calls, the check (an expression, true
# when the call works) is the warm-up; prints calls/s. The statement is
# written into the loop itself, so nothing but it runs between two counts.
SCRIPT = """
import sys, threading, time
setup, check, stmt = sys.argv[1], sys.argv[2], sys.argv[3]
threads, seconds = int(sys.argv[4]), float(sys.argv[5])
exec(setup)
warm = time.perf_counter()
for _ in range(5):  # warm-up, and a check that the call works
    assert eval(check)
    if time.perf_counter() - warm > seconds:  # a slow call is warm after one
        break
start_line = threading.Barrier(threads + 1)
stop = threading.Event()
counts = [0] * threads
exec(
    "def work(i):\\n"
    "    start_line.wait()\\n"
    "    n = 0\\n"
    "    while not stop.is_set():\\n"
    f"        {stmt}\\n"
    "        n += 1\\n"
    "    counts[i] = n\\n"
)
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


# 0.4 s a sample (0.5 s until the checksum's threads came, issue 21; 0.2 s
# in --quick, 0.3 s before): a greet on 2 MiB and a checksum on 16 MiB take
# at most a few ms, so every sample still counts dozens of calls or more.
PLANS = {"full": Plan(3, 0.4), "quick": Plan(2, 0.2)}
# The rules of the verdict: the ratio of calls/s with every core to one thread.
PARALLEL, SLOWER = 1.25, 0.8


@dataclass(frozen=True)
class Threads:
    """Calls per second by target then thread count (as text)."""

    name: str
    figures: dict[str, dict[str, Figure]]


def thread_counts() -> list[int]:
    """The thread counts every rate is measured at: 1, and one per core."""
    return sorted({1, os.cpu_count() or 1})


def rates(
    ctx: Context,
    steps: Steps,
    title: str,
    setups: Mapping[str, str],
    check: str,
    stmt: str,
    strict: bool = True,
    cap: float | None = None,
) -> dict[str, dict[str, Measure]]:
    """Calls per second of ``stmt`` by target (the setup of each in
    ``setups``) then thread count (1, and one per core), each sample a fresh
    process (``SCRIPT``), the cells interleaved, each round in another order.
    Not ``strict``: a target whose process fails (a route without the
    function) is not run again and stands as not measured, with its error.
    With ``cap`` (seconds): a target whose call, in its first one-thread
    sample, takes longer is not run again either, and stands as not
    measured, with that sample's time per call."""
    plan = PLANS[ctx.mode]
    counts = thread_counts()
    cells = [(t, n) for t in setups for n in counts]
    samples: dict[tuple[str, int], list[float]] = {cell: [] for cell in cells}
    failed: dict[str, NotMeasured] = {}
    for rep in range(plan.processes):
        with steps.step(f"{title}: round {rep + 1}/{plan.processes}", 0):
            for target, n in rotated(cells, rep):
                if target in failed:
                    continue
                with steps.step(f"{title}: {target} x {n}", plan.seconds + 0.3, log=False):
                    outcome = ctx.shell.run(
                        [
                            str(ctx.python),
                            "-I",
                            "-c",
                            SCRIPT,
                            setups[target],
                            check,
                            stmt,
                            str(n),
                            str(plan.seconds),
                        ],
                        cwd=ctx.scratch,
                        label=f"{title} {target} x{n}",
                        check=strict,
                    )
                    if outcome.returncode:
                        failed[target] = NotMeasured(f"failed: {error_line(outcome.output())}")
                        continue
                    rate = float(outcome.output().splitlines()[-1])
                    samples[(target, n)].append(rate)
                    if cap is not None and n == 1 and 1 / rate > cap:
                        failed[target] = NotMeasured(
                            f"one call took {1 / rate:.2g} s with 1 thread (one sample), "
                            f"over the {cap} s cap"
                        )
    return {
        t: {str(n): failed.get(t) or Figure.of(samples[(t, n)], "calls/s") for n in counts}
        for t in setups
    }


def measure(ctx: Context, _: Mapping[str, Measure], steps: Steps) -> Threads:
    """Every target with 1 and with ``cores`` threads, interleaved."""
    found = rates(
        ctx,
        steps,
        "threads",
        {t: import_line(t) + f"name = {CHAR!r} * {COUNT}" for t in ctx.targets},
        "greet(name) == 'Hello, ' + name + '!'",
        "greet(name)",
    )
    return Threads(
        name=f"{CHAR!r} * {COUNT}",
        figures={t: {n: figure(by, n) for n in by} for t, by in found.items()},
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


def bars(
    ax: Any, figures: Mapping[str, Mapping[str, Figure | NotMeasured]], label: Callable[[str], str]
) -> list[str]:
    """Grouped bars of calls/s, one group per target and one bar per thread
    count (light: one thread); a cell that is not a Figure is left out.
    Returns the thread counts. Shared by greet's chart and checksum's."""
    palette = colors()
    counts = list(next(iter(figures.values())))
    width = 0.8 / len(counts)
    for i, (t, by_count) in enumerate(figures.items()):
        for k, n in enumerate(counts):
            f = by_count[n]
            if isinstance(f, Figure):
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
        [i + width * (len(counts) - 1) / 2 for i in range(len(figures))],
        [label(t).replace(" (baseline)", "") for t in figures],
        fontsize=8,
        rotation=20,
        ha="right",
    )
    return counts


def draw(data: Threads, out: Path) -> None:
    """Grouped bars: calls/s by thread count, per target, log scale."""
    fig = Chart(figsize=(9, 3.8))
    ax = fig.subplots()
    counts = bars(ax, data.figures, shown)
    ax.set_yscale("log")
    ax.set_ylabel("calls per second")
    ax.set_title(f"greet on {data.name}: 1 thread (light) and {counts[-1]} threads (dark)")
    fig.tight_layout()
    fig.savefig(out / CHART, dpi=100)


SECTION = Section("threads", cost, measure, tables, draw)
