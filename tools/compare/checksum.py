"""A large buffer read in place: ``checksum(data)`` of every route against
``zlib.crc32(data)``, from 64 B to 64 MiB, timed in the run's shared rounds
(``runtime.time_together``: the same processes for every route and zlib);
and calls per second of ``checksum`` on 16 MiB with one thread and with one
per core (``threads.rates``), where a route that releases the GIL while Rust
reads makes more calls with more threads, as zlib.crc32 does (it releases
it above 5 KiB).

The data is made in each benchmark's setup (``bytes``, a repeating run of
the 256 byte values) and the same object passed to every call; a route
that copies it (rather than read it in place) pays the copy every call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure as Chart

from . import threads
from .bindings import PYTHON
from .progress import Steps
from .runtime import Bench
from .sections import Context, Section, Table, fmt, fmt_time, ratio, times
from .shapes import bind, lines, named, rate
from .sizes import MiB, size_text
from .stats import Figure, Measure

# Sizes in bytes: 64 B to 64 MiB, log-spaced (x64 apart, then x4 to 64 MiB).
SIZES = (64, 4096, 256 << 10, 16 * MiB, 64 * MiB)
# Where threads are counted, and the verdict reads the rate: large enough
# for every route to release the GIL (shared_rust::CHECKSUM_DETACH_FROM is
# 256 KiB) and for zlib.crc32 (5 KiB).
THREADS_AT = 16 * MiB
BASELINE = "from zlib import crc32 as checksum\n"
STMT = "checksum(data)"
ZLIB = "zlib.crc32"
CHART = "checksum.png"


def data_of(nbytes: int) -> str:
    """The expression of ``nbytes`` bytes of data (one copy: bytes' ``*``,
    and ``+`` of an empty tail returns the same object)."""
    return f"bytes(range(256)) * {nbytes // 256} + bytes(range({nbytes % 256}))"


def setup(target: str, nbytes: int) -> str:
    """Bind ``checksum`` (zlib's for the baseline), make the data, and check
    a route against zlib on its first 1,000 bytes."""
    made = f"data = {data_of(nbytes)}\n"
    if target == PYTHON:
        return BASELINE + made
    return (
        bind(target, ["checksum"])
        + "from zlib import crc32\n"
        + made
        + "assert checksum(data[:1000], 7) == crc32(data[:1000], 7)\n"
    )


def key(target: str, nbytes: int) -> str:
    """The shared rounds' key of one benchmark."""
    return f"checksum.{nbytes}.{target}"


def benchmarks(ctx: Context) -> dict[str, Bench]:
    """Every size of every target."""
    return {key(t, n): Bench(setup(t, n), STMT) for n in SIZES for t in ctx.targets}


@dataclass(frozen=True)
class Checksums:
    """Seconds per call by size (bytes, as text) then target; calls per
    second on ``threads_bytes`` by target then thread count (as text)."""

    figures: dict[str, dict[str, Measure]]
    threads_bytes: int
    threads: dict[str, dict[str, Measure]]


def measure(ctx: Context, timed: Mapping[str, Measure], steps: Steps) -> Checksums:
    """The shared rounds' figures, then the threads."""
    made = f"data = {data_of(THREADS_AT)}\nfrom zlib import crc32\n"
    return Checksums(
        figures={str(n): {t: timed[key(t, n)] for t in ctx.targets} for n in SIZES},
        threads_bytes=THREADS_AT,
        threads=threads.rates(
            ctx,
            steps,
            "checksum threads",
            {t: (bind(t, ["checksum"]) or BASELINE) + made for t in ctx.targets},
            "checksum(data) == crc32(data)",
            STMT,
            strict=False,
        ),
    )


def cost(mode: str, routes: int) -> float:
    """The threads (the timed calls are in the shared rounds' estimate)."""
    return threads.cost(mode, routes)


def scaling(by_count: Mapping[str, Measure]) -> str:
    """Calls/s with the most threads over one thread (medians), and the
    threads section's word for it; empty if either was not measured."""
    measured = {n: f for n, f in by_count.items() if isinstance(f, Figure)}
    if len(measured) != len(by_count) or len(measured) < 2:
        return ""
    return f"{times(threads.scaling(measured))}, {threads.verdict(measured)}"


def tables(data: Checksums) -> list[Table]:
    """Time per call and ratio to zlib by size; MB/s; the threads."""
    targets = list(next(iter(data.figures.values())))
    counts = list(next(iter(data.threads.values())))
    return [
        Table(
            "Large buffers: time of `checksum(data)` (vs `zlib.crc32(data)`)",
            ["data", *(named(t, ZLIB) for t in targets)],
            [
                [
                    size_text(int(n)),
                    *(
                        f"{fmt_time(f[t])} ({ratio(f[t], f[PYTHON])})"
                        if isinstance(f[t], Figure) and isinstance(f[PYTHON], Figure)
                        else fmt_time(f[t])
                        for t in targets
                    ),
                ]
                for n, f in data.figures.items()
            ],
            "The baseline is zlib.crc32, timed in the same processes (the shared rounds), "
            "on the same bytes object, made once per value in the setup. vs zlib: over "
            "zlib.crc32's median at the same size.",
            chart=CHART,
        ),
        Table(
            "Large buffers: MB/s through `checksum` (median)",
            ["data", *(named(t, ZLIB) for t in targets)],
            [
                [size_text(int(n)), *(rate(f[t], int(n), 1e-6) for t in targets)]
                for n, f in data.figures.items()
            ],
        ),
        Table(
            f"Large buffers, threads: calls per second of `checksum(data)`, "
            f"{size_text(data.threads_bytes)}",
            [
                "function from",
                *(f"{n} thread{'s' * (n != '1')}" for n in counts),
                "scaling, threads",
            ],
            [
                [named(t, ZLIB), *(fmt(f[n], "calls/s") for n in counts), scaling(f)]
                for t, f in data.threads.items()
            ],
            "As the threads section counts greet: a fresh process per sample, the threads "
            "started together, the calls they finish in a fixed time. scaling: the median "
            "calls/s with every core over the median with one; the word by the threads "
            f"section's rule (parallel if >= {threads.PARALLEL}, slower if < "
            f"{threads.SLOWER}). zlib.crc32 releases the GIL for data over 5 KiB.",
        ),
    ]


def draw(data: Checksums, out: Path) -> None:
    """MB/s against size (log-log), and calls/s by thread count."""
    fig = Chart(figsize=(12, 4.2))
    left, right = fig.subplots(1, 2)
    by_size = {int(n): f for n, f in data.figures.items()}
    lines(left, by_size, ZLIB, {n: n for n in by_size}, invert=True)
    left.set_xlabel("data, bytes")
    left.set_ylabel("bytes per second")
    left.set_title("checksum(data): throughput (median)")
    counts = threads.bars(right, data.threads, lambda t: named(t, ZLIB))
    right.set_ylabel("calls per second")
    right.set_title(
        f"{size_text(data.threads_bytes)}: 1 thread (light), {counts[-1]} threads (dark)"
    )
    fig.suptitle("checksum(data) against zlib.crc32")
    fig.tight_layout()
    fig.savefig(out / CHART, dpi=100)


SECTION = Section("checksum", cost, measure, tables, draw, benchmarks, tolerant=True)
