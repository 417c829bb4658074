"""Limits: the largest input each function takes in each route, and what one
more gives. Facts of the routes, not measurements: read from routes.toml's
``[route.limits]`` (derived from the types that carry each length), beside
what the last big-input proof found (``tox -e bigmem``, tools/bigmem.py,
which runs every function of every route past 4 GiB and writes
``results/bigmem.json``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from routes import FUNCTIONS, Limit

from .builds import ROOT
from .progress import Steps
from .sections import Context, Section, Table
from .stats import Measure

PROOF = ROOT / "results" / "bigmem.json"
# How the table names each function.
TITLES = {
    "greet": "greet",
    "split": "split",
    "checksum": "checksum",
    "add": "WordCounter.add",
    "most_common": "WordCounter.most_common",
}


def count(n: int) -> str:
    """``n`` as a power of two less one where it is one (an integer type's
    largest value), else with thousands separators."""
    bits = (n + 1).bit_length() - 1
    return f"2**{bits} - 1" if n > 1 and n + 1 == 1 << bits else f"{n:,}"


def largest(limit: Limit) -> str:
    """The limit in words: its bounds and what is raised past them."""
    if not limit.bounded:
        return "any size Python holds"
    bounds = []
    if limit.word_bytes is not None:
        bounds.append(f"{count(limit.word_bytes)} bytes a word")
    if limit.words is not None:
        bounds.append(f"{count(limit.words)} words")
    return f"{', '.join(bounds)}; past: {limit.past}"


def _proof() -> dict[str, Any]:
    """The last big-input proof's outcomes, by route and case; empty if none ran here."""
    if not PROOF.exists():
        return {}
    found: dict[str, Any] = json.loads(PROOF.read_text(encoding="utf-8"))
    return found


def measure(ctx: Context, timed: Mapping[str, Measure], steps: Steps) -> dict[str, Any]:
    """Each route's limits, and the proof's outcomes for it (if it ran)."""
    proof = _proof()
    cases = proof.get("cases", {})
    return {
        "limits": {
            r.name: {f: {"largest": largest(r.limits[f]), "by": r.limits[f].by} for f in FUNCTIONS}
            for r in ctx.routes
        },
        "proof": {
            "when": proof.get("when", ""),
            "outcomes": {r.name: cases.get(r.name, {}) for r in ctx.routes},
        },
    }


def tables(data: dict[str, Any]) -> list[Table]:
    """The limits by route and function; then the big-input proof's outcomes."""
    limits = data["limits"]
    rows = [
        [name, *(by_function[f]["largest"] for f in FUNCTIONS)]
        for name, by_function in limits.items()
    ]
    carried = [
        [name, TITLES[f], by_function[f]["by"]]
        for name, by_function in limits.items()
        for f in FUNCTIONS
    ]
    found = [
        Table(
            "Limits: the largest input each function takes",
            ["route", *(TITLES[f] for f in FUNCTIONS)],
            rows,
            "From routes.toml ([route.limits]), derived from the types that carry each length "
            "across. Past a limit the function raises the exception named, never a wrong value; "
            "`tox -e bigmem` proves each function of each route past 4 GiB.",
        )
    ]
    found.append(
        Table(
            "Limits: what carries each length across", ["route", "function", "carried by"], carried
        )
    )
    proof = data["proof"]
    outcomes = proof["outcomes"]
    names = sorted({case for by_case in outcomes.values() for case in by_case})
    if names:
        found.append(
            Table(
                f"The big-input proof (tox -e bigmem, {proof['when']})",
                ["route", *names],
                [
                    [route, *(by_case.get(c, "not run") for c in names)]
                    for route, by_case in outcomes.items()
                ],
                "Each case in a fresh process, past 4 GiB, compared with the standard library: "
                "`exact`, the documented exception, or why it was skipped.",
            )
        )
    return found


def draw(data: dict[str, Any], out: Path) -> None:
    """No chart: the limits are words, not figures."""


SECTION = Section("limits", lambda mode, routes: 0.0, measure, tables, draw)
