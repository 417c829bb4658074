"""State in a Rust object, and a Python callback: ``WordCounter`` of every
route against ``collections.Counter``, timed in the run's shared rounds
(``runtime.time_together``: the same processes for every route and
``Counter``):

- ``add``: a new counter counting a 1 MiB text, ``WordCounter().add(text)``
  against ``Counter(text.split())``;
- ``keep``: the same with a plain Python function choosing the words,
  ``WordCounter().add(text, keep)`` against ``Counter(w for w in
  text.split() if keep(w))``, ``keep = lambda w: len(w) > 3`` in both: one
  call back into Python per word;
- ``new``: ``WordCounter()`` made and dropped at once, against ``Counter()``:
  what an object with Rust state costs to make and free.

The text (ASCII words of 1 to 9 letters, ``shapes.TEXT``) is made in each
benchmark's setup; a new counter at every call, on both sides, so every call
does the same work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure as Chart

from . import charts
from .bindings import PYTHON
from .progress import Steps
from .runtime import Bench
from .sections import Context, Section, Table, fmt_time, ratio
from .shapes import TEXT, bind, named, per_unit, text_of
from .sizes import MiB, size_text
from .stats import Measure

TEXT_BYTES = MiB
KEEP = "keep = lambda w: len(w) > 3\n"
# What each case times: the route's statement and Counter's.
CASES = {
    "add": ("WordCounter().add(text)", "Counter(text.split())"),
    "keep": ("WordCounter().add(text, keep)", "Counter(w for w in text.split() if keep(w))"),
    "new": ("WordCounter()", "Counter()"),
}
TITLES = {
    "add": "add(text)",
    "keep": "add(text, keep)",
    "new": "WordCounter() made and dropped",
}
BASELINE = "Counter"
CHART = "counter.png"
# A route is checked against Counter on a small text, with keep, before timing.
CHECK = (
    "_s = _text(200)\n"
    "_c = WordCounter()\n"
    "_c.add(_s, keep)\n"
    "assert _c.most_common() == Counter(w for w in _s.split() if keep(w)).most_common()\n"
)


def setup(target: str, case: str) -> str:
    """The text and ``keep`` (not for ``new``), Counter, and for a route its
    ``WordCounter``, checked."""
    made = "from collections import Counter\n"
    if case != "new":
        made += f"{TEXT}{KEEP}text = _sized({TEXT_BYTES})\n"
    if target == PYTHON:
        return made
    if case == "new":
        return made + bind(target, ["WordCounter"]) + "assert len(WordCounter()) == 0\n"
    return made + bind(target, ["WordCounter"]) + CHECK


def key(target: str, case: str) -> str:
    """The shared rounds' key of one benchmark."""
    return f"counter.{case}.{target}"


def benchmarks(ctx: Context) -> dict[str, Bench]:
    """Every case of every target."""
    return {
        key(t, case): Bench(setup(t, case), stmts[1] if t == PYTHON else stmts[0])
        for case, stmts in CASES.items()
        for t in ctx.targets
    }


@dataclass(frozen=True)
class Counters:
    """Seconds per call by case then target; the text's bytes and words."""

    figures: dict[str, dict[str, Measure]]
    text_bytes: int
    text_words: int


def measure(ctx: Context, timed: Mapping[str, Measure], steps: Steps) -> Counters:
    """The figures of the shared rounds; the text's size, made here as the
    setups make it."""
    text = text_of(f"_sized({TEXT_BYTES})")
    return Counters(
        figures={case: {t: timed[key(t, case)] for t in ctx.targets} for case in CASES},
        text_bytes=len(text.encode()),
        text_words=len(text.split()),
    )


def tables(data: Counters) -> list[Table]:
    """One row per target: each case's time, ns per word and ratio to Counter."""
    base = {case: by[PYTHON] for case, by in data.figures.items()}
    headers = ["class from"]
    for case in CASES:
        headers += [TITLES[case], *(["ns per word"] if case != "new" else []), "vs Counter"]
    rows = []
    for t in next(iter(data.figures.values())):
        row = [named(t, BASELINE)]
        for case, by in data.figures.items():
            row.append(fmt_time(by[t]))
            if case != "new":
                row.append(per_unit(by[t], data.text_words, 1e9))
            row.append(ratio(by[t], base[case]))
        rows.append(row)
    return [
        Table(
            f"State and callbacks: `WordCounter` (vs `collections.Counter`), text of "
            f"{size_text(data.text_bytes)}, {data.text_words:,} words",
            headers,
            rows,
            f"add(text): `{CASES['add'][0]}` against `{CASES['add'][1]}`. add(text, keep): "
            f"`{CASES['keep'][0]}` against `{CASES['keep'][1]}`, with `{KEEP.strip()}` in "
            "both (one call back into Python per word). WordCounter(): made and dropped, "
            "against `Counter()`. A new counter at every call on both sides; all timed in "
            "the same processes (the shared rounds). ns per word: the median over the "
            "text's words (every one offered to keep).",
            chart=CHART,
        )
    ]


def draw(data: Counters, out: Path) -> None:
    """Median bars with MAD whiskers per case, on a log scale."""
    fig = Chart(figsize=(13, 3.8))
    for ax, (case, by) in zip(fig.subplots(1, len(CASES)), data.figures.items()):
        charts.bars(ax, by, "us", log=True)
        ax.set_title(TITLES[case])
    fig.suptitle("WordCounter against collections.Counter (pure Python: Counter; median ± MAD)")
    fig.tight_layout()
    fig.savefig(out / CHART, dpi=100)


def cost(mode: str, routes: int) -> float:
    """Nothing beyond the shared rounds."""
    return 0.0


SECTION = Section("counter", cost, measure, tables, draw, benchmarks, tolerant=True)
