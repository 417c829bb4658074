"""The verdict's rules, fed figures (no timing here): each clause holds only
where the whole ratio band is within its limit, a noisier run never grants
more, and the short table fits the README's screen."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

import pytest

from ..bindings import PYTHON, ROUTES
from ..builds import Artifacts
from ..checksum import THREADS_AT, Checksums
from ..counter import Counters
from ..facts import Glue
from ..interpreters import Interpreters, Where
from ..objects import THREADS_DOC, Objects
from ..report import rows_of
from ..sizes import Sizes
from ..split import WORDS, Splits
from ..stats import Check, Figure, Measure, NotMeasured
from ..threads import Threads
from ..verdict import (
    ROW_LIMIT,
    RULES,
    STRONGEST,
    Decision,
    at_least,
    at_most,
    band,
    decide,
    paired_band,
    rules_text,
    strongest,
    summary,
)

NAMES = [r.name for r in ROUTES]


def fig(median: float, mad: float = 0.0) -> Figure:
    """A figure of that median and MAD: two values, the low one first."""
    return Figure("s", [median - mad, median + mad], 2, median, mad, median - mad, median + mad)


def against(median: float, mad: float = 0.0) -> Figure:
    """A route's figure whose values run against a baseline's ``fig``: the
    high one first, so their ratios, value by value, spread wider still."""
    return Figure("s", [median + mad, median - mad], 2, median, mad, median - mad, median + mad)


def test_band_is_the_routes_span_over_the_references_median() -> None:
    assert band(fig(10, 1), fig(5, 1)) == (9 / 5, 11 / 5)
    assert band(fig(10), fig(5, 2)) == (2.0, 2.0)


def test_a_paired_band_cancels_the_speed_of_each_process() -> None:
    # One process ran at half the speed of the other, both calls alike: the
    # ratio is 2 in each, where the medians' band would span 1.33 to 2.67.
    slow_and_fast = Figure.of([2.0, 4.0])
    assert paired_band(slow_and_fast, Figure.of([1.0, 2.0])) == (2.0, 2.0)
    assert band(slow_and_fast, Figure.of([1.0, 2.0])) == (2 / 1.5, 4 / 1.5)
    # The values against each other: ratios 4 and 1, median 2.5, MAD 1.5.
    assert paired_band(slow_and_fast, Figure.of([2.0, 1.0])) == (1.0, 4.0)
    # A route timed in the first process only pairs with that process's value.
    assert paired_band(Figure.of([3.0]), Figure.of([1.0, 2.0])) == (3.0, 3.0)


@pytest.mark.parametrize(
    ("found", "granted", "straddling"),
    [
        (fig(1.5, 0.1), True, False),  # 1.6 at most: within 2x
        (fig(1.9, 0.1), True, False),  # the band's top on the limit
        (fig(1.95, 0.1), False, True),  # 1.85 to 2.05: straddles
        (fig(2.5, 0.1), False, False),  # wholly above
    ],
)
def test_at_most_grants_only_a_band_wholly_within(
    found: Figure, granted: bool, straddling: bool
) -> None:
    decision = at_most({"a": found}, 2.0, fig(1.0))
    assert ("a" in decision.margins) is granted
    assert ("a" in decision.straddling) is straddling


def test_at_most_without_reference_reads_the_fastest() -> None:
    decision = at_most({"a": fig(1.0, 0.05), "b": fig(1.1, 0.05), "c": fig(3.0, 0.1)}, 1.5)
    assert set(decision.margins) == {"a", "b"}
    assert decision.margins["a"] == pytest.approx(1.5 / 1.05)


def test_one_timed_sample_grants_nothing_but_a_count_does() -> None:
    once = Figure.of([1.0])
    assert at_most({"a": once}, 2.0, fig(1.0)) == Decision({}, ("a",))
    assert at_most({"a": once}, 2.0, fig(1.0), counted=True) == Decision({"a": 2.0})


def test_at_least_grants_only_a_band_wholly_above() -> None:
    decision = at_least({"a": (1.3, 1.5), "b": (1.2, 1.3), "c": (1.0, 1.1)}, 1.25)
    assert decision == Decision({"a": 1.3 / 1.25}, ("b",))


def _sections(spread: float) -> dict[str, object]:
    """Figures shaped as a run's: two routes that cross cheaply, two at
    about 2.7x of the baseline, one far behind, each MAD ``spread`` of its
    median. Every shape's figures by target, as the sections keep them."""
    ratios = dict(zip(NAMES, (1.3, 2.7, 1.3, 2.7, 11.0)))

    def by_target(base: float, ratio: Mapping[str, float]) -> dict[str, Measure]:
        found: dict[str, Measure] = {PYTHON: fig(base, base * spread)}
        found.update({n: against(base * r, base * r * spread) for n, r in ratio.items()})
        return found

    calls = {"greet": by_target(40e-9, dict(zip(NAMES, (0.9, 10.5, 0.9, 13.5, 197.0))))}
    largest = by_target(8e-4, dict(zip(NAMES, (1.3, 4.0, 1.0, 4.0, 34.0))))
    rates = dict(zip(NAMES, (1.0, 1.4, 1.0, 1.4, 1.1)))
    threads = Threads(
        "x",
        {
            t: {"1": fig(400.0, 400 * spread), "2": fig(400 * r, 400 * r * spread)}
            for t, r in {PYTHON: 1.0, **rates}.items()
        },
    )
    checksum = by_target(2.4e-3, dict.fromkeys(NAMES, 0.13))
    new = dict(zip(NAMES, (0.16, 1.95, 0.16, 3.7, 10.0)))
    return {
        "calls": calls,
        "sizes": Sizes({"ascii": {"16": 16}}, {"ascii": {"16": largest}}, {}, {}),
        "threads": threads,
        "checksum": Checksums({str(THREADS_AT): checksum}, THREADS_AT, {}),
        "split": Splits({str(max(WORDS)): by_target(6e-3, ratios)}, {}),
        "counter": Counters(
            {
                "add": by_target(16e-3, dict.fromkeys(NAMES, 0.17)),
                "keep": by_target(21e-3, dict(zip(NAMES, (0.7, 1.4, 0.7, 1.4, 34.0)))),
                "new": by_target(3e-7, new),
            },
            0,
            0,
        ),
        "objects": Objects(
            {
                THREADS_DOC: {
                    "loads": by_target(9e-3, dict(zip(NAMES, (0.55, 2.6, 0.55, 3.1, 9.0)))),
                    "dumps": by_target(1e-2, dict(zip(NAMES, (0.45, 1.8, 0.45, 2.2, 8.0)))),
                }
            },
            {},
            THREADS_DOC,
            {},
        ),
        "interpreters": Interpreters(
            "",
            [
                Where("pypy", "PyPy 3.11.1", False, "", {n: Check(True, "") for n in NAMES}),
                Where(
                    "3.13t",
                    "CPython 3.13.1",
                    True,
                    "",
                    {n: Check(n in NAMES[3:], "") for n in NAMES},
                    gil_after_imports=False,
                ),
            ],
        ),
    }


def _decide(spread: float) -> dict[str, Decision]:
    builds: dict[str, dict[str, Measure]] = {
        n: {"warm": fig(w, w * spread)} for n, w in zip(NAMES, (4.9, 3.5, 6.3, 5.6, 5.2))
    }
    tags = ("cp311-abi3-x", "py3-none-x", "cp311-abi3-x", "py3-none-x", "py3-none-x")
    artifacts = {n: Artifacts("", 0, [t], "", 0, "", 0) for n, t in zip(NAMES, tags)}
    glue = {n: {"rust": Glue([], lines)} for n, lines in zip(NAMES, (240, 900, 260, 1000, 330))}
    return decide(NAMES, _sections(spread), builds, artifacts, glue)


def _granted(decisions: Mapping[str, Decision]) -> dict[str, set[str]]:
    return {k: set(d.margins) for k, d in decisions.items()}


def test_a_quiet_run_and_a_noisy_run_give_the_same_clauses() -> None:
    # MADs of 1% and of 10% of every median.
    quiet, noisy = _granted(_decide(0.01)), _granted(_decide(0.1))
    assert quiet == noisy
    assert quiet["split"] == {NAMES[0], NAMES[2]}
    assert quiet["keep"] == {NAMES[0], NAMES[2]}
    assert quiet["threads"] == {NAMES[1], NAMES[3]}
    assert quiet["builds"] == {NAMES[1]}
    assert quiet["checksum"] == set(NAMES)
    assert quiet["objects"] == {NAMES[0], NAMES[2]}


@pytest.mark.parametrize("spread", [0.02, 0.05, 0.1, 0.2, 0.4])
def test_more_noise_never_grants_more(spread: float) -> None:
    quiet = _granted(_decide(0.01))
    for rule, routes in _granted(_decide(spread)).items():
        assert routes <= quiet[rule], (rule, spread)


def test_a_shape_not_measured_grants_nothing() -> None:
    sections = _sections(0.01)
    sections["split"] = Splits(
        {str(max(WORDS)): dict.fromkeys([PYTHON, *NAMES], NotMeasured("quick"))}, {}
    )
    builds: dict[str, dict[str, Measure]] = {n: {"warm": NotMeasured("quick")} for n in NAMES}
    artifacts = {n: Artifacts("", 0, ["py3-none-x"], "", 0, "", 0) for n in NAMES}
    glue = {n: {"rust": Glue([], 10)} for n in NAMES}
    decisions = decide(NAMES, sections, builds, artifacts, glue)
    assert decisions["split"].margins == decisions["builds"].margins == {}
    assert not decide(NAMES, {}, builds, artifacts, glue)["calls"].margins


def test_nested_objects_need_both_directions_within_the_limit() -> None:
    sections = _sections(0.01)
    base = fig(1e-2, 1e-4)
    fast, slow = against(0.5e-2, 0.5e-4), against(1.5e-2, 1.5e-4)
    missing = {n: NotMeasured("failed: AttributeError") for n in NAMES[3:]}
    by_op: dict[str, dict[str, Measure]] = {
        "loads": {PYTHON: base, NAMES[0]: fast, NAMES[1]: fast, NAMES[2]: slow, **missing},
        "dumps": {PYTHON: base, NAMES[0]: fast, NAMES[1]: slow, NAMES[2]: fast, **missing},
    }
    sections["objects"] = Objects({THREADS_DOC: by_op}, {}, THREADS_DOC, {})
    builds: dict[str, dict[str, Measure]] = {n: {"warm": NotMeasured("quick")} for n in NAMES}
    artifacts = {n: Artifacts("", 0, ["py3-none-x"], "", 0, "", 0) for n in NAMES}
    glue = {n: {"rust": Glue([], 10)} for n in NAMES}
    decision = decide(NAMES, sections, builds, artifacts, glue)["objects"]
    assert list(decision.margins) == [NAMES[0]]
    # Value by value: 0.505/0.99 and 0.495/1.01, the band's top the first.
    assert decision.margins[NAMES[0]] == pytest.approx(0.99 / 0.505)
    assert decision.straddling == ()


def test_strongest_puts_the_rarest_clause_first() -> None:
    decisions = {
        "calls": Decision({"a": 2.0, "b": 2.0}),
        "checksum": Decision({"a": 9.0, "b": 9.0, "c": 9.0}),
        "split": Decision({"a": 1.2, "b": 1.5}),
        "wheel": Decision({"a": math.inf}),
        "glue": Decision({"a": 1.1, "c": 1.3}),
    }
    assert strongest("a", decisions) == ["wheel", "calls", "split"]
    assert strongest("b", decisions) == ["calls", "split", "checksum"]
    assert strongest("c", decisions, 1) == ["glue"]


def test_the_short_table_fits_the_screen() -> None:
    greet: dict[str, Measure] = {PYTHON: fig(1.0), **{n: NotMeasured("quick") for n in NAMES}}
    # Every set of STRONGEST clauses, with every claim unshown: the longest
    # row any run can give.
    for chosen in itertools.combinations(RULES, STRONGEST):
        decisions = {k: Decision(dict.fromkeys(NAMES, 1.0) if k in chosen else {}) for k in RULES}
        table = summary(NAMES, decisions, greet)
        assert len(table.headers) <= 6
        for line in rows_of(table)[2:]:
            assert len(line) <= ROW_LIMIT, line
            assert line.count(";") == STRONGEST - 1, line


def test_the_rules_are_a_list_of_short_lines() -> None:
    text = rules_text()
    items = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(items) == len(RULES)
    for line, rule in zip(items, RULES.values()):
        assert rule.when in line
        assert len(line) <= ROW_LIMIT, line
