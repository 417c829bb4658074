"""The verdict: a "which route" table at the top of the report, and a short
one for the README (``summary.md``), computed from the run's figures by the
rules below, written out in the report so a reader can check each line. No
opinion is written by hand: other figures, another verdict.

A timed rule reads a ratio band. Against the standard library's or pure
Python's function, timed in the same processes in turn with the route's
(runtime.time_together), the ratio is taken value by value: the route's i-th
value over the baseline's i-th, from the same process and round, so the
speed at which that process happened to run cancels out; the band is the
median of those ratios less and plus their MAD. Against the fastest route
(builds, timed apart), the band is the route's median less and plus its MAD,
over the fastest median. A clause holds only when the whole band lies on the
good side of the rule's limit; a band that straddles the limit grants
nothing, and the report names it. So a noisier run (wider MADs) can take a
clause away, never give one; and each limit is set between the groups the
routes form, away from every route, so that a quiet run and a noisy one give
the same clauses.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from matrix import wheelset

from .bindings import PYTHON, ROUTES, Route
from .builds import Artifacts
from .checksum import THREADS_AT, Checksums
from .counter import Counters
from .facts import Glue
from .interpreters import Interpreters, Where, shape_scaling, shape_verdicts
from .objects import THREADS_DOC, Objects
from .sections import Table, fmt_time, number, times
from .sizes import Sizes, size_text
from .split import WORDS, Splits
from .stats import Figure, Measure
from .threads import PARALLEL, Threads, verdict

# The limits. Against the standard library (or pure Python), timed in the
# same processes, so a busy machine slows both sides: a call that costs at
# most twice what Python's own costs, and, where Rust does the work, no more
# than Python's own.
CALLS = 2.0
SIZES = 2.0
SPLIT = 2.0
KEEP = 1.0
STATE = 1.0
CHECKSUM = 1.0
# loads and dumps of the records document, against json's.
OBJECTS = 1.0
# Against the fastest route, where no baseline exists.
BUILDS = 1.25
# Glue is counted, not timed: no spread.
GLUE = 1.25
# The short table's "pick it when": the strongest clauses, at most this many.
STRONGEST = 3


@dataclass(frozen=True)
class Decision:
    """Whom a rule grants its clause, and how clearly: each granted route's
    margin (how many times its band clears the limit; infinite for a fact,
    which has no noise), and the routes whose band straddles the limit."""

    margins: dict[str, float]
    straddling: tuple[str, ...] = ()


def band(found: Figure, reference: Figure) -> tuple[float, float]:
    """The ratio ``found / reference`` of two figures timed apart (builds, a
    thread count): ``found``'s median less and plus its MAD, over the
    reference's median (one figure for every route: the route's own spread
    is what decides how clearly it stands on one side)."""
    return (
        (found.median - found.mad) / reference.median,
        (found.median + found.mad) / reference.median,
    )


def paired_band(found: Figure, reference: Figure) -> tuple[float, float]:
    """The ratio ``found / reference`` of two figures timed in the same
    processes, value by value (the i-th values of each come from the same
    process and round; a benchmark timed in fewer processes has the first
    ones): the median of the ratios less and plus their MAD."""
    ratios = Figure.of([f / r for f, r in zip(found.samples, reference.samples, strict=False)])
    return (ratios.median - ratios.mad, ratios.median + ratios.mad)


def at_most(
    figures: Mapping[str, Figure],
    limit: float,
    reference: Figure | None = None,
    counted: bool = False,
) -> Decision:
    """The routes whose ratio band to ``reference`` lies wholly at or below
    ``limit``: value by value where ``reference`` is given (a baseline timed
    in the same processes), else against the figure of the lowest median. A
    timed figure of one sample has no spread to judge by: it grants nothing,
    as a straddling band (``counted``: the figures are counts, exact, as glue
    lines are)."""
    if not figures:
        return Decision({})
    ref = reference or min(figures.values(), key=lambda f: f.median)
    margins: dict[str, float] = {}
    straddling = []
    for name, f in figures.items():
        low, high = paired_band(f, ref) if reference else band(f, ref)
        if high <= limit and (counted or f.n > 1):
            margins[name] = limit / high if high > 0 else math.inf
        elif low <= limit:
            straddling.append(name)
    return Decision(margins, tuple(straddling))


def at_least(bands: Mapping[str, tuple[float, float]], limit: float) -> Decision:
    """The routes whose band lies wholly at or above ``limit``."""
    margins = {n: low / limit for n, (low, _) in bands.items() if low >= limit}
    straddling = tuple(n for n, (low, high) in bands.items() if low < limit <= high)
    return Decision(margins, straddling)


def fact(names: Iterable[str]) -> Decision:
    """A clause granted by a fact (a tag, an interpreter that ran): no noise."""
    return Decision(dict.fromkeys(names, math.inf))


def both(first: Decision, second: Decision) -> Decision:
    """Granted where both are (the smaller margin); straddling where either
    straddles and neither denies."""
    granted = first.margins.keys() & second.margins.keys()
    either = (set(first.margins) | set(first.straddling)) & (
        set(second.margins) | set(second.straddling)
    )
    return Decision(
        {n: min(first.margins[n], second.margins[n]) for n in sorted(granted)},
        tuple(sorted(either - granted)),
    )


@dataclass(frozen=True)
class Rule:
    """A clause of "pick it when", and the rule that grants it."""

    when: str
    rule: str


def _vs(limit: float, what: str) -> str:
    return f"takes at most {limit:g}x the time of {what}"


RULES = {
    "calls": Rule(
        "small calls are hot",
        f'greet("world") {_vs(CALLS, "the same function in Python")}',
    ),
    "sizes": Rule(
        "names are large",
        f"greet of the largest ASCII name {_vs(SIZES, 'the f-string')}",
    ),
    "threads": Rule(
        "many threads call it",
        f"greet makes at least {PARALLEL:g}x the calls/s with every core that it makes "
        "with one thread (the threads section)",
    ),
    "checksum": Rule(
        "you pass large buffers",
        f"checksum of {size_text(THREADS_AT)} {_vs(CHECKSUM, 'zlib.crc32')}",
    ),
    "split": Rule(
        "you return many small strs",
        f"split of {max(WORDS):,} words {_vs(SPLIT, 'str.split')}",
    ),
    "objects": Rule(
        "you pass nested dicts and lists",
        f"loads and dumps of the {THREADS_DOC} document each "
        f"{_vs(OBJECTS, 'json.loads and json.dumps')}",
    ),
    "keep": Rule(
        "you call back into Python",
        f"WordCounter add(text, keep) {_vs(KEEP, 'Counter over the same generator and callback')}",
    ),
    "state": Rule(
        "state lives in Rust objects",
        f"WordCounter add(text), and WordCounter() made and dropped, each {_vs(STATE, 'Counter')}",
    ),
    "pypy": Rule(
        "you ship to PyPy too",
        "it ran on a PyPy here (the interpreters section: the host's PyPy, or the matrix's)",
    ),
    "free": Rule(
        "you run free-threaded Python",
        "it passed on every free-threaded build run here with the GIL off, and split's "
        "and add's threads were parallel on each",
    ),
    "wheel": Rule("one wheel for all Python 3", "its wheel is tagged py3-none"),
    "builds": Rule(
        "you rebuild often",
        f"the warm rebuild {_vs(BUILDS, 'the fastest route')}",
    ),
    "glue": Rule(
        "you want the least glue",
        f"its glue lines are at most {GLUE:g}x the fewest (counted: no spread)",
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


def _measured(by_target: Mapping[str, Measure], names: Iterable[str]) -> dict[str, Figure]:
    """The routes' figures that were measured."""
    return {n: f for n in names if isinstance(f := by_target[n], Figure)}


def _baseline(by_target: Mapping[str, Measure]) -> Figure | None:
    found = by_target.get(PYTHON)
    return found if isinstance(found, Figure) else None


def _against_baseline(
    by_target: Mapping[str, Measure] | None, names: list[str], limit: float
) -> Decision:
    """``at_most`` against the baseline of ``by_target``; nothing where the
    baseline or the shape was not measured."""
    if by_target is None or (base := _baseline(by_target)) is None:
        return Decision({})
    return at_most(_measured(by_target, names), limit, base)


def _against(by_target: Mapping[str, Measure], name: str) -> str:
    """A route's median over the baseline's; or not measured (its section
    says why)."""
    found, base = by_target[name], by_target[PYTHON]
    if not isinstance(found, Figure):
        return "not measured"
    if not isinstance(base, Figure):
        return "baseline not measured"
    return times(found.median / base.median)


def _largest(sizes: Any) -> tuple[str, Mapping[str, Measure] | None]:
    """The largest ASCII name's size, as text, and its figures by target."""
    if not isinstance(sizes, Sizes):
        return "", None
    size = list(sizes.figures["ascii"])[-1]
    return size_text(sizes.nbytes["ascii"][size]), sizes.figures["ascii"][size]


def _scaling_bands(threads: Any, names: list[str]) -> dict[str, tuple[float, float]]:
    """Each route's threads scaling as a band (calls/s, so the most threads
    over one); none with a single core."""
    if not isinstance(threads, Threads):
        return {}
    found = {}
    for n in names:
        by_count = threads.figures[n]
        most = by_count[max(by_count, key=int)] if len(by_count) > 1 else None
        if most is not None and most.n > 1:
            found[n] = band(most, by_count["1"])
    return found


def decide(
    names: list[str],
    sections: Mapping[str, Any],
    builds: Mapping[str, Mapping[str, Measure]],
    artifacts: Mapping[str, Artifacts],
    glue: Mapping[str, Mapping[str, Glue]],
) -> dict[str, Decision]:
    """Every rule's decision, from whatever sections this run measured (a
    shape not measured grants no clause)."""
    calls, checksums, splits, counters = (
        sections.get(k) for k in ("calls", "checksum", "split", "counter")
    )
    counted = counters.figures if isinstance(counters, Counters) else {}
    objects = sections.get("objects")
    nested = objects.figures[THREADS_DOC] if isinstance(objects, Objects) else {}
    at_16 = checksums.figures[str(THREADS_AT)] if isinstance(checksums, Checksums) else None
    where = _where(sections, names)
    return {
        "calls": _against_baseline(calls["greet"] if calls else None, names, CALLS),
        "sizes": _against_baseline(_largest(sections.get("sizes"))[1], names, SIZES),
        "threads": at_least(_scaling_bands(sections.get("threads"), names), PARALLEL),
        "checksum": _against_baseline(at_16, names, CHECKSUM),
        "split": _against_baseline(
            splits.figures[str(max(WORDS))] if isinstance(splits, Splits) else None, names, SPLIT
        ),
        "objects": both(
            _against_baseline(nested.get("loads"), names, OBJECTS),
            _against_baseline(nested.get("dumps"), names, OBJECTS),
        ),
        "keep": _against_baseline(counted.get("keep"), names, KEEP),
        "state": both(
            _against_baseline(counted.get("add"), names, STATE),
            _against_baseline(counted.get("new"), names, STATE),
        ),
        "pypy": fact(n for n in names if any(w.is_pypy for w in where[n])),
        "free": fact(n for n in names if _free_threaded(n, _found(sections))),
        "wheel": fact(n for n in names if "-none-" in artifacts[n].tags[0]),
        "builds": at_most(
            {n: f for n in names if isinstance(f := builds[n]["warm"], Figure)}, BUILDS
        ),
        "glue": at_most(
            {n: Figure.of([sum(g.lines for g in glue[n].values())], "lines") for n in names},
            GLUE,
            counted=True,
        ),
    }


def _found(sections: Mapping[str, Any]) -> list[Where]:
    """Every interpreter the interpreters section found."""
    others = sections.get("interpreters")
    return others.found if isinstance(others, Interpreters) else []


def _where(sections: Mapping[str, Any], names: list[str]) -> dict[str, list[Where]]:
    """The interpreters each route ran on (the interpreters section), by route."""
    found = _found(sections)
    return {n: [w for w in found if n in w.passed] for n in names}


def _free_threaded(name: str, found: list[Where]) -> bool:
    """Passed on every free-threaded build the matrix ran, the GIL stayed
    off, and split's and add's threads were parallel on each."""
    free_builds = [w for w in found if w.free_threaded]
    return bool(free_builds) and all(
        name in w.passed
        and w.gil_after_imports is False
        and all(shape_verdicts(w, name).get(k) == "parallel" for k in ("split", "add"))
        for w in free_builds
    )


def picks(name: str, decisions: Mapping[str, Decision]) -> list[str]:
    """The rules granted to ``name``, in the order of RULES."""
    return [k for k, d in decisions.items() if name in d.margins]


def strongest(name: str, decisions: Mapping[str, Decision], most: int = STRONGEST) -> list[str]:
    """The ``most`` strongest rules granted to ``name``: first those granted
    to the fewest routes (what sets the route apart), then the widest margin
    (a fact before a figure), then the order of RULES."""
    order = list(decisions)
    granted = picks(name, decisions)
    granted.sort(
        key=lambda k: (len(decisions[k].margins), -decisions[k].margins[name], order.index(k))
    )
    return granted[:most]


def rules_text(decisions: Mapping[str, Decision] | None = None) -> str:
    """The rules as a Markdown list, each with the routes whose band
    straddled its limit in this run (granted nothing)."""
    lines = [
        'Rules of "pick it when", applied to the figures of this run. A timed rule reads '
        "a ratio band. Against a baseline timed in the same processes: the route's value "
        "over the baseline's, value by value (each pair from one process and round), their "
        "median less and plus their MAD; so it can differ from the ratio of the medians "
        "shown. Against the fastest route: the route's median less and plus its MAD, over "
        "the fastest median. The clause holds only when the whole band is within the "
        "limit, and a band that straddles the limit grants nothing, nor does a timed figure "
        "of one sample (no spread to judge by). A figure not measured grants no clause.",
        "",
    ]
    for key, r in RULES.items():
        line = f'- "{r.when}": {r.rule}'
        straddling = decisions[key].straddling if decisions else ()
        if straddling:
            line += f" (straddling here, so not granted: {', '.join(straddling)})"
        lines.append(line)
    return "\n".join(lines)


def _short(where: Where) -> str:
    """How the "ran on" column names an interpreter: ``PyPy 3.11.17``,
    ``CPython 3.13.15 free-threaded``."""
    return where.version + (" free-threaded" if where.free_threaded else "")


def _shape_cells(sections: Mapping[str, Any], name: str) -> list[str]:
    """The checksum, split, WordCounter and loads/dumps cells of one route's row."""
    checksums, splits, counters = (sections.get(k) for k in ("checksum", "split", "counter"))
    objects = sections.get("objects")
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
    if isinstance(objects, Objects):
        nested = objects.figures[THREADS_DOC]
        cells.append(
            "; ".join(f"{op} {_against(by, name)}" for op, by in nested.items())
            if any(isinstance(by[name], Figure) for by in nested.values())
            else "not measured"
        )
    else:
        cells.append("not measured")
    return cells


def table(
    names: list[str],
    sections: Mapping[str, Any],
    builds: Mapping[str, Mapping[str, Measure]],
    artifacts: Mapping[str, Artifacts],
    glue: Mapping[str, Mapping[str, Glue]],
    interpreter: str,
) -> Table:
    """The "which route" table, from whatever sections this run measured.
    It takes decide()'s parameters (and the host's interpreter): it shows the
    figures the rules read, beside what they grant."""
    calls = sections.get("calls")
    threads = sections.get("threads")
    largest, at_largest = _largest(sections.get("sizes"))
    where = _where(sections, names)
    decisions = decide(names, sections, builds, artifacts, glue)
    free_builds = [w for w in _found(sections) if w.free_threaded]
    rows = []
    for n in names:
        granted = [RULES[k].when for k in picks(n, decisions)]
        rows.append(
            [
                n,
                f"{fmt_time(calls['greet'][n])} ({_against(calls['greet'], n)})"
                if calls
                else "not measured",
                f"{largest}: {_against(at_largest, n)}"
                if at_largest is not None and isinstance(at_largest[n], Figure)
                else f"{largest}: not measured (slower than the size section's cap)"
                if largest
                else "not measured",
                verdict(threads.figures[n]) if isinstance(threads, Threads) else "not measured",
                "; ".join(shape_scaling(w, n) for w in free_builds if w.shape_threads)
                or "not measured",
                *_shape_cells(sections, n),
                serves(artifacts[n].tags),
                ", ".join([interpreter, *(_short(w) for w in where[n])]),
                "; ".join(
                    f"{fmt_time(f)} {phase}"
                    for phase, f in builds[n].items()
                    if isinstance(f, Figure)
                ),
                str(sum(g.lines for g in glue[n].values())),
                "; ".join(granted) if granted else "no rule picks it on these figures",
            ]
        )
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
            f"loads/dumps {THREADS_DOC} (vs json)",
            "one wheel serves",
            "ran on",
            "builds",
            "glue lines",
            "pick it when",
        ],
        rows,
        rules_text(decisions),
    )


# The short table's columns, at most six, each row at most ROW_LIMIT
# characters of Markdown: the README shows it whole, on one screen.
ROW_LIMIT = 200


def wheels(route: Route) -> str:
    """The wheels the route publishes, per platform: the set routes.toml
    declares (its ``wheel_tag`` and each ``runs_on`` entry's ``wheels``),
    which the matrix checks against the wheels that passed there."""
    tags = wheelset.declared(route.wheel_tag, route.runs_on)
    return ", ".join(_short_tag(t) for t in tags)


def _short_tag(tag: str) -> str:
    """A tag as short as it stays clear: ``cp314-cp314t`` -> ``cp314t``,
    ``pp311-pypy311_pp80`` -> ``pp311``; abi3 and py3-none tags whole."""
    python, _, abi = tag.partition("-")
    if abi.startswith(python):
        return abi
    return python if abi.startswith("pypy") else tag


# Marks a claim of routes.toml that this run did not show.
UNSHOWN = "†"


_OLDEST: dict[str, str] = {}


def _oldest_cpython(route: Route) -> str:
    """The route's oldest CPython, "3.11" (its pyproject.toml, read once)."""
    if route.name not in _OLDEST:
        _OLDEST[route.name] = ".".join(map(str, route.oldest("cpython")))
    return _OLDEST[route.name]


def runs_on(route: Route, decisions: Mapping[str, Decision]) -> str:
    """Where the route runs, as routes.toml claims it (CPython unless PyPy is
    named; ``3.14t``: the
    free-threaded build); a claim that this run did not show (the "pypy" and
    "free" rules) is marked ``UNSHOWN``."""
    found = [f"{_oldest_cpython(route)}+"]
    for key, rule, label in (("pypy", "pypy", "PyPy {}+"), ("free_threaded", "free", "{}t+")):
        claim = route.runs_on.get(key, {})
        if "oldest" not in claim:  # routes.toml says why not; the table lists where it runs
            continue
        shown = route.name in decisions[rule].margins
        found.append(label.format(claim["oldest"]) + ("" if shown else UNSHOWN))
    return ", ".join(found)


def summary(
    names: list[str],
    decisions: Mapping[str, Decision],
    greet: Mapping[str, Measure] | None,
    route_of: Callable[[str], Route] | None = None,
) -> Table:
    """The short route table: the route, the wheels it publishes, where it
    runs (``runs_on``), greet's ratio to Python (``greet``: its figures by target), and
    the strongest clauses of "pick it when" (``strongest``)."""
    find = route_of or {r.name: r for r in ROUTES}.__getitem__
    rows = []
    for n in names:
        clauses = [RULES[k].when for k in strongest(n, decisions)]
        rows.append(
            [
                n,
                wheels(find(n)),
                runs_on(find(n), decisions),
                _against(greet, n) if greet else "not measured",
                "; ".join(clauses) if clauses else "no rule picks it",
            ]
        )
    return Table(
        "Which route?",
        [
            "route",
            "wheels it publishes",
            "runs on (CPython unless named)",
            'greet("world") vs Python',
            "pick it when",
        ],
        rows,
        f"runs on: as routes.toml claims; {UNSHOWN} not run here. "
        f'"Pick it when": at most {STRONGEST} of the clauses the rules grant, those that '
        "the fewest routes get first, then the widest margin.",
    )
