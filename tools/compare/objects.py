"""Nested objects in and out: ``loads(text)`` and ``dumps(obj)`` of every
route against ``json.loads`` and ``json.dumps``, with orjson measured beside
them as the peer (its ratios shown, no verdict for it), timed in the run's
shared rounds (``runtime.time_together``: the same processes for every route,
json and orjson); then calls per second of each on the records document with
one thread and with one per core (``threads.rates``).

Two documents, made by the project from a fixed seed (``DOCUMENTS``), in
each benchmark's setup, so every run and process times the same data:

- ``records``: about 600 KB of records shaped like twitter.json's statuses
  (a record, its user, its entities): strs with non-ASCII (accents,
  Cyrillic, Greek, Arabic, Japanese, emoji), ints (some past 2**32), floats,
  bools, nulls, nested dicts and lists, the same keys in every record;
- ``floats``: a list of 100,000 floats of every magnitude from 1e-20 to 1e20,
  so that both ``repr``'s notations are written and read.

``loads`` reads the document's text as ``json.dumps(obj, ensure_ascii=False)``
writes it (a str, its non-ASCII as characters, as twitter.json holds them);
``dumps`` writes the object with default arguments (``ensure_ascii``), as
``json.dumps`` does. orjson's ``dumps`` returns bytes and writes no
``\\u`` escapes: it is timed with its ``.decode()``, so every side returns a
str. MB/s is the document's UTF-8 bytes over the time, for both directions.

Each setup first checks the function against json on small documents made
by the same generators: a route that answers differently fails its benchmark
instead of being timed, and a route without ``loads`` or ``dumps`` fails with
``AttributeError`` and stands as not measured, with that line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure as Chart

from . import threads
from .bindings import PYTHON, colors
from .progress import Steps
from .runtime import Bench
from .sections import Context, Section, Table, fmt, fmt_time, times
from .shapes import bind, named, rate
from .sizes import size_text
from .stats import Figure, Measure

# The peer: measured beside the routes, given no verdict.
PEER = "orjson"
BASELINE = "json"
OPS = ("loads", "dumps")
# The documents: the expression of each, made by the generators below.
DOCS = {"records": "_records(600)", "floats": "_floats(100_000)"}
TITLES = {"records": "records", "floats": "100,000 floats"}
# Where threads are counted, and what the verdict reads.
THREADS_DOC = "records"
CHART = "objects.png"
# The generators, run in every benchmark's setup and here (``document``).
# Only random.Random(seed).random() draws: its sequence is the same on every
# CPython version and platform (randrange's and choice's are not promised).
DOCUMENTS = """
import random as _random
_WORDS = (
    "the", "a", "json", "rust", "python", "route", "data", "fast", "record", "nested",
    "café", "naïve", "Zürich", "straße", "élan", "東京", "日本語", "テスト", "データ",
    "Привет", "мир", "κόσμος", "مرحبا", "😀", "🚀", "✓",
)
def _records(n):
    r = _random.Random(32).random
    def pick(seq):
        return seq[int(r() * len(seq))]
    def text(k):
        return " ".join(pick(_WORDS) for _ in range(k))
    def user(i):
        return {
            "id": 10_000_000 + int(r() * 1e9),
            "name": text(2),
            "screen_name": f"user_{i}_{int(r() * 1e6)}",
            "location": text(2) if r() < 0.7 else None,
            "description": text(12),
            "url": None if r() < 0.5 else f"https://example.org/{i}",
            "protected": r() < 0.1,
            "followers_count": int(r() * 100_000),
            "friends_count": int(r() * 5_000),
            "created_at": f"Mon Aug {1 + int(r() * 28):02d} 12:{int(r() * 60):02d}:00 +0000 2014",
            "verified": r() < 0.05,
            "lang": pick(("en", "ja", "de", "fr", "ru")),
            "profile_colors": [pick(("C0DEED", "FFFFFF", "000000", "DDEEF6")) for _ in range(3)],
        }
    def record(i):
        return {
            "id": 505_874_924_095_815_681 + i * 7919,
            "id_str": str(505_874_924_095_815_681 + i * 7919),
            "created_at": f"Sun Aug 31 00:{int(r() * 60):02d}:{int(r() * 60):02d} +0000 2014",
            "text": text(6 + int(r() * 14)),
            "truncated": False,
            "entities": {
                "hashtags": [
                    {"text": pick(_WORDS), "indices": [int(r() * 80), int(r() * 140)]}
                    for _ in range(int(r() * 3))
                ],
                "urls": [],
                "user_mentions": [
                    {"screen_name": f"m{int(r() * 1e4)}", "id": int(r() * 1e9), "indices": [0, 12]}
                    for _ in range(int(r() * 2))
                ],
            },
            "metadata": {"result_type": "recent", "iso_language_code": pick(("ja", "en", "ru"))},
            "in_reply_to_status_id": None if r() < 0.8 else int(r() * 1e17),
            "user": user(i),
            "geo": None if r() < 0.7 else {
                "type": "Point", "coordinates": [r() * 180 - 90, r() * 360 - 180],
            },
            "retweet_count": int(r() * 1000),
            "favorite_count": int(r() * 1000),
            "favorited": r() < 0.5,
            "retweeted": r() < 0.5,
            "score": r() * 100,
            "lang": pick(("ja", "en", "ru", "de")),
        }
    return {
        "statuses": [record(i) for i in range(n)],
        "search_metadata": {
            "completed_in": 0.087, "max_id": 505_874_924_095_815_681, "query": "%E4%B8%80",
            "count": n, "since_id": 0,
        },
    }
def _floats(n):
    r = _random.Random(32).random
    return [(r() - 0.5) * 10.0 ** int(r() * 40 - 20) for _ in range(n)]
"""
# Before timing, each function is checked on small documents of both kinds.
CHECK = {
    "route": (
        "for _o in (_records(3), _floats(100)):\n"
        "    assert loads(_json.dumps(_o, ensure_ascii=False)) == _o\n"
        "    assert dumps(_o) == _json.dumps(_o)\n"
    ),
    PEER: (
        "for _o in (_records(3), _floats(100)):\n"
        "    assert orjson.loads(_json.dumps(_o, ensure_ascii=False)) == _o\n"
        "    assert _json.loads(orjson.dumps(_o).decode()) == _o\n"
    ),
}
# What each target's statement is: json's and orjson's by their module, as a
# user writes them; a route's bound by ``shapes.bind``.
STMTS = {
    PYTHON: {"loads": "json.loads(text)", "dumps": "json.dumps(obj)"},
    PEER: {"loads": "orjson.loads(text)", "dumps": "orjson.dumps(obj).decode()"},
    "route": {"loads": "loads(text)", "dumps": "dumps(obj)"},
}


def _kind(target: str) -> str:
    return target if target in (PYTHON, PEER) else "route"


def made(doc: str, op: str) -> str:
    """The lines that make what ``op`` takes: ``text`` for loads, ``obj`` for dumps."""
    if op == "loads":
        return f"text = _json.dumps({DOCS[doc]}, ensure_ascii=False)\n"
    return f"obj = {DOCS[doc]}\n"


def binding(target: str) -> str:
    """Setup lines binding the target's functions, and checking them."""
    if target == PYTHON:
        return "import json\n"
    if target == PEER:
        return "import orjson\n" + CHECK[PEER]
    return bind(target, list(OPS)) + CHECK["route"]


def setup(target: str, doc: str, op: str) -> str:
    """The generators, the target's functions (checked), the document."""
    return f"{DOCUMENTS}import json as _json\n{binding(target)}{made(doc, op)}"


def statement(target: str, op: str) -> str:
    """What one call of ``op`` is, for ``target``."""
    return STMTS[_kind(target)][op]


def key(target: str, doc: str, op: str) -> str:
    """The shared rounds' key of one benchmark."""
    return f"objects.{doc}.{op}.{target}"


def targets(ctx: Context) -> list[str]:
    """json (the baseline), every route, then the peer."""
    return [*ctx.targets, PEER]


def benchmarks(ctx: Context) -> dict[str, Bench]:
    """Both documents, both directions, every target."""
    return {
        key(t, doc, op): Bench(setup(t, doc, op), statement(t, op))
        for doc in DOCS
        for op in OPS
        for t in targets(ctx)
    }


def document(doc: str) -> tuple[object, str]:
    """The document, made here as each setup makes it, and its text."""
    namespace: dict[str, object] = {}
    exec(DOCUMENTS, namespace)
    obj = eval(DOCS[doc], namespace)
    return obj, json.dumps(obj, ensure_ascii=False)


@dataclass(frozen=True)
class Objects:
    """Seconds per call by document, then direction, then target; each
    document's bytes (its text's UTF-8); calls per second on ``threads_doc``
    by direction, then target, then thread count (as text)."""

    figures: dict[str, dict[str, dict[str, Measure]]]
    nbytes: dict[str, int]
    threads_doc: str
    threads: dict[str, dict[str, dict[str, Measure]]]


def thread_setups(ctx: Context, op: str) -> dict[str, str]:
    """Each target's setup for the threads, binding ``loads``/``dumps`` (or
    json's, or orjson's) under one name, so one statement serves all."""
    found = {}
    for t in targets(ctx):
        if t == PYTHON:
            bound = "from json import loads, dumps\n"
        elif t == PEER:
            bound = (
                "import orjson\nloads = orjson.loads\n"
                "def dumps(o):\n    return orjson.dumps(o).decode()\n"
            )
        else:
            bound = bind(t, list(OPS))
        found[t] = f"{DOCUMENTS}import json as _json\n{bound}{made(THREADS_DOC, op)}"
    return found


# The threads' warm-up checks (true when the call answers as json does).
THREAD_CHECKS = {
    "loads": "loads(text) == _json.loads(text)",
    "dumps": "_json.loads(dumps(obj)) == obj",
}


def measure(ctx: Context, timed: Mapping[str, Measure], steps: Steps) -> Objects:
    """The shared rounds' figures, each document's size, then the threads."""
    return Objects(
        figures={
            doc: {op: {t: timed[key(t, doc, op)] for t in targets(ctx)} for op in OPS}
            for doc in DOCS
        },
        nbytes={doc: len(document(doc)[1].encode()) for doc in DOCS},
        threads_doc=THREADS_DOC,
        threads={
            op: threads.rates(
                ctx,
                steps,
                f"{op} threads",
                thread_setups(ctx, op),
                THREAD_CHECKS[op],
                f"{op}({'text' if op == 'loads' else 'obj'})",
                strict=False,
                cap=CAP,
            )
            for op in OPS
        },
    )


# A target whose one call takes longer than this (one thread, first sample)
# is not counted again: its calls per second are that sample's.
CAP = 1.0


def cost(mode: str, routes: int) -> float:
    """The threads: both directions, every route, json and orjson (the timed
    calls are in the shared rounds' estimate)."""
    return len(OPS) * threads.cost(mode, routes + 1)


def against(found: Measure, base: Measure) -> float | None:
    """The median over the base's median, or None where either is not measured."""
    if isinstance(found, Figure) and isinstance(base, Figure):
        return found.median / base.median
    return None


def cell(by_target: Mapping[str, Measure], target: str) -> str:
    """Time, then its ratio to json and, for a route, to orjson."""
    found = by_target[target]
    if not isinstance(found, Figure):
        return fmt_time(found)
    parts = []
    if target != PYTHON and (x := against(found, by_target[PYTHON])) is not None:
        parts.append(f"{times(x)} json")
    if target not in (PYTHON, PEER) and (y := against(found, by_target[PEER])) is not None:
        parts.append(f"{times(y)} orjson")
    return fmt_time(found) + (f" ({', '.join(parts)})" if parts else "")


def slower(data: Objects) -> str:
    """Where a target's median is over json's, plainly: each such target
    with its documents, directions and ratios."""
    found: dict[str, list[str]] = {}
    for doc, by_op in data.figures.items():
        for op, by_target in by_op.items():
            for t in by_target:
                x = against(by_target[t], by_target[PYTHON])
                if t != PYTHON and x is not None and x > 1:
                    found.setdefault(t, []).append(f"{op} of {TITLES[doc]} {times(x)}")
    if not found:
        return "No function measured here is slower than json's."
    return (
        "Slower than json here (median over json's median, above 1): "
        + "; ".join(f"{t}: {', '.join(cases)}" for t, cases in found.items())
        + "."
    )


def tables(data: Objects) -> list[Table]:
    """Time and ratios; MB/s; the threads."""
    order = list(data.figures[THREADS_DOC]["loads"])
    columns = [(doc, op) for doc in data.figures for op in OPS]
    headers = [f"{op} {TITLES[doc]}" for doc, op in columns]
    counts = list(next(iter(data.threads["loads"].values())))
    return [
        Table(
            "Nested objects: time of `loads(text)` and `dumps(obj)` (vs `json`, and orjson)",
            ["function from", *headers],
            [
                [named(t, BASELINE), *(cell(data.figures[d][op], t) for d, op in columns)]
                for t in order
            ],
            f"Documents made by the project from a fixed seed: records, "
            f"{size_text(data.nbytes['records'])} of twitter.json-like records (strs with "
            "non-ASCII, ints, floats, bools, nulls, nested dicts and lists); 100,000 floats "
            f"of every magnitude ({size_text(data.nbytes['floats'])}). loads reads the "
            "text `json.dumps(obj, ensure_ascii=False)` writes; dumps writes the object with "
            "default arguments. Baseline: `json.loads` and `json.dumps`; the peer: "
            "`orjson.loads` and `orjson.dumps(obj).decode()` (orjson returns bytes); all "
            "timed in the same processes (the shared rounds). json: over json's median; "
            "orjson: over orjson's median. " + slower(data),
            chart=CHART,
        ),
        Table(
            "Nested objects: MB/s through `loads` and `dumps` (median)",
            ["function from", *headers],
            [
                [
                    named(t, BASELINE),
                    *(rate(data.figures[d][op][t], data.nbytes[d], 1e-6) for d, op in columns),
                ]
                for t in order
            ],
            "The document's UTF-8 bytes (the text loads reads) over the median time, "
            "in both directions.",
        ),
        Table(
            f"Nested objects, threads: calls per second of `loads` and `dumps`, "
            f"{TITLES[data.threads_doc]} ({size_text(data.nbytes[data.threads_doc])})",
            ["function from", *(h for op in OPS for h in thread_headers(op, counts))],
            [
                [
                    named(t, BASELINE),
                    *(
                        c
                        for op in OPS
                        for c in (
                            *(fmt(data.threads[op][t][n], "calls/s") for n in counts),
                            scaling(data.threads[op][t]),
                        )
                    ),
                ]
                for t in order
            ],
            "As the threads section counts greet: a fresh process per sample, the threads "
            "started together, the calls they finish in a fixed time. scaling: the median "
            "calls/s with every core over the median with one; the word by the threads "
            f"section's rule (parallel if >= {threads.PARALLEL}, slower if < "
            f"{threads.SLOWER}). json holds the GIL throughout: its scaling is the reference.",
        ),
    ]


def thread_headers(op: str, counts: list[str]) -> list[str]:
    """The threads table's columns for one direction."""
    return [*(f"{op}, {n} thread{'s' * (n != '1')}" for n in counts), f"{op}, scaling"]


def scaling(by_count: Mapping[str, Measure]) -> str:
    """The threads section's scaling and word; empty where a count was not
    measured (its cells say why) or the machine has one core."""
    measured = {n: f for n, f in by_count.items() if isinstance(f, Figure)}
    if len(measured) != len(by_count) or len(measured) < 2:
        return ""
    return f"{times(threads.scaling(measured))}, {threads.verdict(measured)}"


def palette() -> dict[str, str]:
    """Each target's color: the routes' and json's as in every chart; the peer grey."""
    return {**colors(), PEER: "grey"}


def draw(data: Objects, out: Path) -> None:
    """Per document and direction, each target's time over json's (median,
    MAD whiskers), log scale, the line at 1 being json."""
    fig = Chart(figsize=(13, 4.2))
    axes = fig.subplots(1, len(DOCS) * len(OPS), sharey=True)
    paint = palette()
    for ax, (doc, op) in zip(axes, [(d, op) for d in data.figures for op in OPS]):
        by_target = data.figures[doc][op]
        base = by_target[PYTHON]
        order = list(by_target)
        for i, t in enumerate(order):
            f = by_target[t]
            if isinstance(f, Figure) and isinstance(base, Figure):
                ax.bar(
                    i,
                    f.median / base.median,
                    yerr=f.mad / base.median,
                    capsize=3,
                    color=paint.get(t, "grey"),
                )
            else:
                ax.annotate(
                    "not measured",
                    (i, 0.03),
                    xycoords=("data", "axes fraction"),
                    ha="center",
                    va="bottom",
                    rotation=90,
                    fontsize=7,
                )
        ax.axhline(1.0, color="black", linewidth=0.8, linestyle="--")
        ax.set_yscale("log")
        ax.set_xticks(
            range(len(order)),
            [BASELINE if t == PYTHON else t for t in order],
            rotation=30,
            ha="right",
            fontsize=7,
        )
        ax.set_title(f"{op} {TITLES[doc]}", fontsize=9)
    axes[0].set_ylabel("time / json's time (median ± MAD)")
    fig.suptitle("loads and dumps against json (below 1: faster than json); orjson in grey")
    fig.tight_layout()
    fig.savefig(out / CHART, dpi=100)


SECTION = Section("objects", cost, measure, tables, draw, benchmarks, tolerant=True)
