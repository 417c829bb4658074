"""The verdict: a "which route" table at the top of the report, computed from
the run's figures by the rules below, written out in the report so a reader
can check each line. No opinion is written by hand: other figures, another
verdict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .bindings import PYTHON
from .builds import Artifacts
from .checksum import THREADS_AT, Checksums
from .counter import Counters
from .facts import Glue
from .interpreters import Interpreters, Where, shape_scaling, shape_verdicts
from .sections import Table, fmt_time, number, times
from .sizes import Sizes, size_text
from .split import WORDS, Splits
from .stats import Figure, Measure
from .threads import Threads, verdict

# A route is "among the best" on a figure when it is within this factor of
# the best route's.
CLOSE = 1.5
# Glue is compared more tightly: lines are counted, not timed.
CLOSE_GLUE = 1.25


@dataclass(frozen=True)
class Rule:
    """A clause of "pick it when", and the rule that grants it."""

    when: str
    rule: str


RULES = {
    "calls": Rule(
        "small calls are hot",
        f'greet("world") within {CLOSE}x of the fastest route (medians, each widened by its MAD)',
    ),
    "sizes": Rule(
        "names are large",
        f"time / Python's at the largest ASCII size within {CLOSE}x of the lowest route's",
    ),
    "threads": Rule("you call it from many threads", "the threads section says parallel"),
    "checksum": Rule(
        "you pass large buffers",
        f"checksum of {size_text(THREADS_AT)} (time, so MB/s) within {CLOSE}x of the fastest "
        "route's (medians, each widened by its MAD)",
    ),
    "split": Rule(
        "you return many small objects",
        f"split of {max(WORDS):,} words within {CLOSE}x of the fastest route "
        "(medians, each widened by its MAD)",
    ),
    "keep": Rule(
        "you call back into Python",
        f"WordCounter add(text, keep) within {CLOSE}x of the fastest route "
        "(medians, each widened by its MAD)",
    ),
    "state": Rule(
        "you keep state in Rust objects",
        f"WordCounter add(text) and WordCounter() made and dropped both within {CLOSE}x "
        "of the fastest route's (medians, each widened by its MAD)",
    ),
    "pypy": Rule(
        "you ship to PyPy too",
        "it ran on a PyPy here (the interpreters section: the host's PyPy, or the matrix's)",
    ),
    "free": Rule(
        "you run free-threaded Python",
        "it passed its suite on every free-threaded build the matrix ran, the GIL "
        "stayed off, and on each the threads of split and of WordCounter.add (a "
        "counter per thread) are parallel (the interpreters section)",
    ),
    "wheel": Rule("one wheel must serve every Python 3", "its wheel is tagged py3-none"),
    "builds": Rule(
        "you rebuild often",
        f"warm rebuild within {CLOSE}x of the fastest route (medians, each widened by its MAD)",
    ),
    "glue": Rule(
        "you want the least glue to keep", f"glue lines within {CLOSE_GLUE}x of the fewest"
    ),
}


def serves(tags: list[str]) -> str:
    """What one wheel serves, read from its tags."""
    tag = tags[0]
    python, abi = tag.split("-")[:2]
    if abi == "abi3":
        return f"CPython {python[2]}.{python[3:]}+, one abi3 wheel"
    if abi == "none":
        return "every Python 3, one py3-none wheel"
    return f"one wheel per CPython version ({python})"


def _close(
    values: Mapping[str, float], factor: float, spreads: Mapping[str, float] | None = None
) -> set[str]:
    """The keys whose value is within ``factor`` of the smallest. With
    ``spreads`` (each value's MAD), within it as far as the noise allows: a
    route whose median less its MAD is within ``factor`` of the best's median
    plus its MAD, so two routes that differ only by noise get the same clause."""
    if not values:
        return set()
    spread = spreads or {}
    best = min(values, key=lambda k: values[k])
    limit = (values[best] + spread.get(best, 0.0)) * factor
    return {k for k, v in values.items() if v - spread.get(k, 0.0) <= limit}


def _measured(by_target: Mapping[str, Measure], names: list[str]) -> dict[str, Figure]:
    """The routes' figures that were measured."""
    return {n: f for n in names if isinstance(f := by_target[n], Figure)}


def _close_figures(figures: Mapping[str, Figure]) -> set[str]:
    """``_close`` of the figures' medians, widened by their MADs."""
    return _close(
        {n: f.median for n, f in figures.items()}, CLOSE, {n: f.mad for n, f in figures.items()}
    )


def _against(by_target: Mapping[str, Measure], name: str) -> str:
    """A route's median over the baseline's; or not measured (its section
    says why)."""
    found, base = by_target[name], by_target[PYTHON]
    if not isinstance(found, Figure):
        return "not measured"
    if not isinstance(base, Figure):
        return "baseline not measured"
    return times(found.median / base.median)


def _short(where: Where) -> str:
    """How the "ran on" column names an interpreter: ``PyPy 3.11.17``,
    ``CPython 3.13.15 free-threaded``."""
    return where.version + (" free-threaded" if where.free_threaded else "")


def _shape_cells(sections: Mapping[str, Any], name: str) -> list[str]:
    """The checksum, split and WordCounter cells of one route's row."""
    checksums, splits, counters = (sections.get(k) for k in ("checksum", "split", "counter"))
    cells = []
    if isinstance(checksums, Checksums):
        at = checksums.figures[str(THREADS_AT)]
        found = at[name]
        cells.append(
            f"{number(THREADS_AT / found.median / 1e6)} MB/s ({_against(at, name)})"
            if isinstance(found, Figure)
            else _against(at, name)
        )
    else:
        cells.append("not measured")
    if isinstance(splits, Splits):
        at = splits.figures[str(max(WORDS))]
        found = at[name]
        cells.append(
            f"{fmt_time(found)} ({_against(at, name)})"
            if isinstance(found, Figure)
            else _against(at, name)
        )
    else:
        cells.append("not measured")
    if isinstance(counters, Counters):
        against = {case: _against(by, name) for case, by in counters.figures.items()}
        cells.append(
            "; ".join(f"{case} {x}" for case, x in against.items())
            if any(isinstance(by[name], Figure) for by in counters.figures.values())
            else "not measured"
        )
    else:
        cells.append("not measured")
    return cells


def _shape_clauses(sections: Mapping[str, Any], names: list[str]) -> dict[str, set[str]]:
    """The routes each shape's rule grants (none where not measured)."""
    checksums, splits, counters = (sections.get(k) for k in ("checksum", "split", "counter"))

    def close(by_target: Mapping[str, Measure] | None) -> set[str]:
        return set() if by_target is None else _close_figures(_measured(by_target, names))

    counted = counters.figures if isinstance(counters, Counters) else {}
    return {
        "checksum": close(
            checksums.figures[str(THREADS_AT)] if isinstance(checksums, Checksums) else None
        ),
        "split": close(splits.figures[str(max(WORDS))] if isinstance(splits, Splits) else None),
        "keep": close(counted.get("keep")),
        "state": close(counted.get("add")) & close(counted.get("new")),
    }


def table(
    names: list[str],
    sections: Mapping[str, Any],
    builds: Mapping[str, Mapping[str, Measure]],
    artifacts: Mapping[str, Artifacts],
    glue: Mapping[str, Mapping[str, Glue]],
    interpreter: str,
) -> Table:
    """The "which route" table, from whatever sections this run measured."""
    calls = sections.get("calls")
    sizes = sections.get("sizes")
    threads = sections.get("threads")
    others = sections.get("interpreters")
    greet = {n: calls["greet"][n].median for n in names} if calls else {}
    growth: dict[str, float] = {}
    largest = ""
    if isinstance(sizes, Sizes):
        size = list(sizes.figures["ascii"])[-1]
        at = sizes.figures["ascii"][size]
        python = at[PYTHON]
        if isinstance(python, Figure):
            growth = {n: f.median / python.median for n in names if isinstance(f := at[n], Figure)}
        largest = size_text(sizes.nbytes["ascii"][size])
    warm = {
        n: f.median for n, f in ((n, builds[n]["warm"]) for n in names) if isinstance(f, Figure)
    }
    lines = {n: sum(g.lines for g in glue[n].values()) for n in names}
    where = others.found if isinstance(others, Interpreters) else []
    ran_on = {n: [w for w in where if n in w.passed] for n in names}
    on_pypy = {n for n in names if any(w.is_pypy for w in ran_on[n])}
    free_builds = [w for w in where if w.free_threaded]
    free = {
        n
        for n in names
        if free_builds
        and all(
            n in w.passed
            and w.gil_after_imports is False
            and all(shape_verdicts(w, n).get(k) == "parallel" for k in ("split", "add"))
            for w in free_builds
        )
    }
    shapes = _shape_clauses(sections, names)
    granted = {
        "calls": _close(greet, CLOSE, {n: calls["greet"][n].mad for n in greet} if calls else None),
        "sizes": _close(growth, CLOSE),
        "threads": {
            n
            for n in names
            if isinstance(threads, Threads) and verdict(threads.figures[n]) == "parallel"
        },
        **shapes,
        "pypy": on_pypy,
        "free": free,
        "wheel": {n for n in names if "-none-" in artifacts[n].tags[0]},
        "builds": _close(warm, CLOSE, {n: builds[n]["warm"].mad for n in warm}),  # type: ignore[union-attr]
        "glue": _close({k: float(v) for k, v in lines.items()}, CLOSE_GLUE),
    }
    rows = []
    for n in names:
        picks = [RULES[k].when for k, ok in granted.items() if n in ok]
        rows.append(
            [
                n,
                f"{fmt_time(calls['greet'][n])} ({times(greet[n] / calls['greet'][PYTHON].median)})"
                if calls
                else "not measured",
                f"{largest}: {times(growth[n])}"
                if n in growth
                else f"{largest}: not measured (slower than the size section's cap)"
                if largest
                else "not measured",
                verdict(threads.figures[n]) if isinstance(threads, Threads) else "not measured",
                "; ".join(shape_scaling(w, n) for w in free_builds if w.shape_threads)
                or "not measured",
                *_shape_cells(sections, n),
                serves(artifacts[n].tags),
                ", ".join([interpreter, *(_short(w) for w in ran_on[n])]),
                "; ".join(
                    f"{fmt_time(f)} {phase}"
                    for phase, f in builds[n].items()
                    if isinstance(f, Figure)
                ),
                str(lines[n]),
                "; ".join(picks) if picks else "no rule picks it on these figures",
            ]
        )
    rules = "; ".join(f'"{r.when}" if {r.rule}' for r in RULES.values())
    return Table(
        "Which route? (computed from this run's figures)",
        [
            "route",
            'greet("world") (vs Python)',
            "largest name (vs Python)",
            "threads",
            "free-threaded threads (scaling)",
            f"checksum {size_text(THREADS_AT)} (vs zlib.crc32)",
            f"split {max(WORDS):,} words (vs str.split)",
            "WordCounter (vs Counter)",
            "one wheel serves",
            "ran on",
            "builds",
            "glue lines",
            "pick it when",
        ],
        rows,
        f'Rules of "pick it when", applied to the figures below: {rules}. '
        "A column that says not measured grants no clause.",
    )
