"""Cost as the data grows: ``greet(name)`` for names from 1 byte to 16 MiB,
ASCII and not, for every route and the pure-Python f-string, each benchmark in
fresh pyperf processes.

What is measured is what a program calling repeatedly sees: the name is made
once, in the benchmark's setup, and the same ``str`` object is passed to every
call. CPython keeps a ``str``'s UTF-8 form once asked for it (an ASCII ``str``
is its own UTF-8), so a route that borrows it (PyO3's ``&str``) encodes a
non-ASCII name on the first call only, while a route that calls ``str.encode``
copies it every call; a program passing a new ``str`` each call would pay
that first encoding every time. The allocator runs as a user gets it: glibc's
defaults, no MALLOC_* variable reaches pyperf's workers. To show where the
time goes at the largest sizes, the ASCII calls there are timed a second time
with glibc's trimming and mmap thresholds raised (memory kept, not handed back
to the OS after each call): the difference is the cost of mapping, faulting
in and returning fresh pages on every call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure as Chart

from .bindings import PYTHON, colors
from .progress import Steps
from .runtime import QUICK, Bench, Pyperf, figure, import_line, time_benchmarks
from .sections import Context, Section, Table, fmt_time, number, ratio, shown
from .shell import environment
from .stats import Figure, Measure, NotMeasured

MiB = 1 << 20
# One character per alphabet: 1, 2 and 4 bytes of UTF-8.
ALPHABETS = {"ascii": "a", "latin1": "\u00e9", "4byte": "\U0001f600"}
LABELS = {"ascii": "ASCII", "latin1": "Latin-1 (é, 2 bytes)", "4byte": "4-byte (😀)"}
# glibc's tunables, set high: no trimming, no mmap for large blocks.
TUNED = {"MALLOC_TRIM_THRESHOLD_": str(1 << 30), "MALLOC_MMAP_THRESHOLD_": str(1 << 30)}
CHART = "size_latency.png"


@dataclass(frozen=True)
class Plan:
    """The sizes (bytes of UTF-8, log-spaced), the sizes also timed with
    malloc tuned, and how pyperf times each benchmark."""

    sizes: tuple[int, ...]
    tuned: tuple[int, ...]
    how: Pyperf


# Four sizes, x4096 then x256 then x16 apart: the fixed cost (1 B), the
# small copy (4 KiB, below glibc's mmap threshold), and the two large ones,
# with malloc tuned at the largest only. Seven sizes (1, 16, 256 B, 4, 64 KiB,
# 1, 16 MiB) and two tuned ones until the shapes came (issue 21): the 54
# benchmarks less, about 65 s, make room for theirs within 12 minutes, and
# the lines between the points kept stay straight on the log-log chart.
PLANS = {
    "full": Plan((1, 4096, MiB, 16 * MiB), (16 * MiB,), Pyperf(1, 3, 0.05)),
    # 1 MiB only (1 B too until the shapes came): the size the quick
    # verdict reads, 18 benchmarks (about 12 s) fewer.
    "quick": Plan((MiB,), (MiB,), QUICK),
}


def name_of(char: str, size: int) -> tuple[str, int]:
    """The expression of a name of about ``size`` UTF-8 bytes made of
    ``char`` (at least one character), and its exact size in bytes."""
    count = max(1, size // len(char.encode()))
    return f"{char!r} * {count}", count * len(char.encode())


@dataclass(frozen=True)
class Sizes:
    """Seconds per call by alphabet, size (the nominal bytes, as text) and
    target; the names' exact sizes; and the ASCII calls with malloc tuned."""

    nbytes: dict[str, dict[str, int]]
    figures: dict[str, dict[str, dict[str, Measure]]]
    tuned: dict[str, dict[str, Figure]]
    tuned_env: dict[str, str]


def _bench(target: str, expr: str) -> Bench:
    return Bench(f"{import_line(target)}name = {expr}", "greet(name)")


# A target whose call took longer than this at one size is not timed at the
# larger ones: its next size could take seconds a call (UniFFI 0.31, which
# copied a name byte by byte in Python, did), and the trend is already plain.
# Said in the table, never hidden.
SLOW = 0.05


def measure(ctx: Context, _: Mapping[str, Measure], steps: Steps) -> Sizes:
    """Every alphabet x size x target, one interleaved round per size from
    the smallest up (a target over ``SLOW`` a call stops there), then the
    tuned ones."""
    plan = PLANS[ctx.mode]
    nbytes: dict[str, dict[str, int]] = {label: {} for label in ALPHABETS}
    figures: dict[str, dict[str, dict[str, Measure]]] = {label: {} for label in ALPHABETS}
    raw = ctx.out / "pyperf" / "sizes"
    for size in plan.sizes:
        benches: dict[str, Bench] = {}
        for label, char in ALPHABETS.items():
            expr, nbytes[label][str(size)] = name_of(char, size)
            for t in ctx.targets:
                if _stopped(figures[label], t) is None:
                    benches[f"{label}-{size}-{t}"] = _bench(t, expr)
        timed = time_benchmarks(
            ctx.shell, ctx.python, benches, plan.how, 1, raw, steps, f"sizes, {size_text(size)}"
        )
        for label in ALPHABETS:
            figures[label][str(size)] = {
                t: figure(timed, f"{label}-{size}-{t}")
                if f"{label}-{size}-{t}" in timed
                else NotMeasured(str(_stopped(figures[label], t)))
                for t in ctx.targets
            }
    tuned_benches = {
        f"tuned-{size}-{t}": _bench(t, name_of(ALPHABETS["ascii"], size)[0])
        for size in plan.tuned
        for t in ctx.targets
        if isinstance(figures["ascii"][str(size)][t], Figure)
    }
    how = Pyperf(plan.how.processes, plan.how.values, plan.how.min_time, tuple(TUNED))
    tuned = time_benchmarks(
        ctx.shell,
        ctx.python,
        tuned_benches,
        how,
        1,
        raw,
        steps,
        "sizes, malloc tuned",
        env=environment(**TUNED),
    )
    return Sizes(
        nbytes=nbytes,
        figures=figures,
        tuned={
            str(s): {
                t: figure(tuned, f"tuned-{s}-{t}") for t in ctx.targets if f"tuned-{s}-{t}" in tuned
            }
            for s in plan.tuned
        },
        tuned_env=TUNED,
    )


def _stopped(by_size: Mapping[str, Mapping[str, Measure]], target: str) -> str | None:
    """Why ``target`` is no longer timed in this alphabet, or None."""
    for size, by_target in by_size.items():
        found = by_target[target]
        if isinstance(found, NotMeasured):
            return found.not_measured
        if found.median > SLOW:
            at = size_text(int(size))
            return f"{fmt_time(found)} a call at {at}: over {SLOW:g} s, not timed larger"
    return None


def cost(mode: str, routes: int) -> float:
    """One round of every benchmark, plus the tuned ones."""
    plan = PLANS[mode]
    count = (len(ALPHABETS) * len(plan.sizes) + len(plan.tuned)) * (routes + 1)
    return count * plan.how.cost()


def size_text(nbytes: int) -> str:
    """A size as the report writes it."""
    for unit, scale in (("MiB", MiB), ("KiB", 1024)):
        if nbytes >= scale:
            return f"{number(nbytes / scale)} {unit}"
    return f"{nbytes} B"


def throughput(nbytes: int, measure: Measure) -> str:
    """MB/s of name bytes through one call (the median)."""
    if isinstance(measure, NotMeasured):
        return "not measured"
    return f"{number(nbytes / measure.median / 1e6)}"


def tables(data: Sizes) -> list[Table]:
    """Per alphabet, time and ratio to Python by size; the throughput; and
    where the time goes with malloc tuned."""
    found = []
    for label, by_size in data.figures.items():
        targets = list(next(iter(by_size.values())))
        found.append(
            Table(
                f"Cost as the data grows, {LABELS[label]} names: time of `greet(name)` (vs Python)",
                ["name", *map(shown, targets)],
                [
                    [
                        size_text(data.nbytes[label][size]),
                        *(
                            f"{fmt_time(f[t])} ({ratio(f[t], f[PYTHON])})"
                            if isinstance(f[t], Figure)
                            else fmt_time(f[t])
                            for t in targets
                        ),
                    ]
                    for size, f in by_size.items()
                ],
                "The same name object at every call (made in the setup), as a program "
                "calling repeatedly sees it; glibc's malloc as a user gets it. "
                "vs Python: over the f-string's median at the same size.",
                chart=CHART if label == next(iter(data.figures)) else None,
            )
        )
    first = next(iter(data.figures.values()))
    targets = list(next(iter(first.values())))
    found.append(
        Table(
            "Throughput: MB/s of name through `greet` (median)",
            ["name", *map(shown, targets)],
            [
                [f"{size_text(data.nbytes[label][size])} {LABELS[label]}"]
                + [throughput(data.nbytes[label][size], f[t]) for t in targets]
                for label, by_size in data.figures.items()
                for size, f in by_size.items()
            ],
        )
    )
    env = ", ".join(f"{k}={v}" for k, v in data.tuned_env.items())
    rows = []
    for size, by_target in data.tuned.items():
        for t, tuned in by_target.items():
            default = data.figures["ascii"][size][t]
            if not isinstance(default, Figure):
                continue
            rows.append(
                [
                    f"{size_text(int(size))} ASCII",
                    shown(t),
                    fmt_time(default),
                    fmt_time(tuned),
                    f"{max(0.0, 1 - tuned.median / default.median):.0%}",
                ]
            )
    found.append(
        Table(
            "Where the time goes at large sizes: the allocator",
            ["name", "function from", "malloc as shipped", "malloc tuned", "share of the call"],
            rows,
            f"malloc tuned: the same benchmark with {env} in pyperf's workers, so "
            "glibc keeps freed memory instead of returning it to the OS after each call. "
            "share: 1 - tuned / as shipped, the part of the call spent mapping, faulting "
            "in and returning fresh pages. The rest is the copies and the conversions.",
        )
    )
    return found


def draw(data: Sizes, out: Path) -> None:
    """Log-log lines: seconds per call against the name's size, per alphabet."""
    palette = colors()
    fig = Chart(figsize=(13, 4.2))
    axes = fig.subplots(1, len(data.figures), squeeze=False)[0]
    for ax, (label, by_size) in zip(axes, data.figures.items()):
        targets = list(next(iter(by_size.values())))
        for t in targets:
            measured = [(s, f) for s, by in by_size.items() if isinstance(f := by[t], Figure)]
            xs = [data.nbytes[label][s] for s, _ in measured]
            ys = [f.median for _, f in measured]
            ax.plot(
                xs,
                ys,
                marker="o",
                markersize=3,
                color=palette[t],
                label=shown(t),
                linestyle="--" if t == PYTHON else "-",
            )
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("name, bytes of UTF-8")
        ax.set_ylabel("seconds per call")
        ax.set_title(LABELS[label])
        ax.grid(True, which="major", alpha=0.3)
    axes[0].legend(fontsize=7)
    fig.suptitle("greet(name): time per call as the name grows (median, log-log)")
    fig.tight_layout()
    fig.savefig(out / CHART, dpi=100)


SECTION = Section("sizes", cost, measure, tables, draw)
