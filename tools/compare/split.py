"""Many small objects returned: ``split(text)`` of every route against
``text.split()``, for texts of 1, 1,000 and 160,000 words, timed in the
run's shared rounds (``runtime.time_together``: the same processes for every
route and ``str.split``). 160,000 words is the issue's target size, timed
instead of 100,000: one size fewer in the budget, and the one the target
names.

The text (ASCII words of 1 to 9 letters, ``shapes.TEXT``) is made in each
benchmark's setup and the same ``str`` passed to every call; the list and
its words are made afresh by every call, as ``str.split`` makes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure as Chart

from .bindings import PYTHON
from .progress import Steps
from .runtime import Bench
from .sections import Context, Section, Table, fmt_time, ratio
from .shapes import TEXT, bind, lines, named, per_unit, text_of
from .stats import Figure, Measure

WORDS = (1, 1000, 160_000)
BASELINE = "str.split"
CHART = "split.png"


def setup(target: str, words: int) -> str:
    """Make the text, bind ``split``, and check a route against
    ``str.split`` on a text of 100 words."""
    made = f"{TEXT}text = _text({words})\n"
    if target == PYTHON:
        return made
    return made + bind(target, ["split"]) + "_s = _text(100)\nassert split(_s) == _s.split()\n"


def key(target: str, words: int) -> str:
    """The shared rounds' key of one benchmark."""
    return f"split.{words}.{target}"


def benchmarks(ctx: Context) -> dict[str, Bench]:
    """Every size of every target: ``text.split()`` for the baseline, as a
    Python user writes it."""
    return {
        key(t, n): Bench(setup(t, n), "text.split()" if t == PYTHON else "split(text)")
        for n in WORDS
        for t in ctx.targets
    }


@dataclass(frozen=True)
class Splits:
    """Seconds per call by words (as text) then target; each text's bytes."""

    figures: dict[str, dict[str, Measure]]
    nbytes: dict[str, int]


def measure(ctx: Context, timed: Mapping[str, Measure], steps: Steps) -> Splits:
    """The figures of the shared rounds; each text's size, made here as the
    setups make it."""
    return Splits(
        figures={str(n): {t: timed[key(t, n)] for t in ctx.targets} for n in WORDS},
        nbytes={str(n): len(text_of(f"_text({n})").encode()) for n in WORDS},
    )


def words(n: str) -> str:
    """A word count as the tables write it."""
    return f"{int(n):,} word{'s' * (n != '1')}"


def tables(data: Splits) -> list[Table]:
    """Time per call (vs str.split), and ns per word."""
    targets = list(next(iter(data.figures.values())))
    return [
        Table(
            "Many small objects: time of `split(text)` (vs `text.split()`)",
            ["text", *(named(t, BASELINE) for t in targets)],
            [
                [
                    f"{words(n)} ({data.nbytes[n]:,} B)",
                    *(
                        f"{fmt_time(f[t])} ({ratio(f[t], f[PYTHON])})"
                        if isinstance(f[t], Figure) and isinstance(f[PYTHON], Figure)
                        else fmt_time(f[t])
                        for t in targets
                    ),
                ]
                for n, f in data.figures.items()
            ],
            "ASCII words of 1 to 9 letters, one space apart; the same str at every call "
            "(made in the setup), a new list of new words returned by every call. vs "
            "str.split: over text.split()'s median, timed in the same processes.",
            chart=CHART,
        ),
        Table(
            "Many small objects: ns per word of `split` (median)",
            ["text", *(named(t, BASELINE) for t in targets)],
            [
                [words(n), *(per_unit(f[t], int(n), 1e9) for t in targets)]
                for n, f in data.figures.items()
            ],
        ),
    ]


def draw(data: Splits, out: Path) -> None:
    """ns per word against the words in the text (log-log)."""
    fig = Chart(figsize=(8, 4.2))
    ax = fig.subplots()
    by_words = {int(n): f for n, f in data.figures.items()}
    lines(ax, by_words, BASELINE, {n: n for n in by_words})
    ax.set_xlabel("words in the text")
    ax.set_ylabel("seconds per word")
    fig.suptitle("split(text) against text.split(): time per word (median, log-log)")
    fig.tight_layout()
    fig.savefig(out / CHART, dpi=100)


def cost(mode: str, routes: int) -> float:
    """Nothing beyond the shared rounds."""
    return 0.0


SECTION = Section("split", cost, measure, tables, draw, benchmarks, tolerant=True)
