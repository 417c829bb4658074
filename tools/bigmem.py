"""The big-input proof (``tox -e bigmem``): every function of every route
past 4 GiB, each case in a fresh process, against the standard library.

Each case gives a route an input past 4 GiB (or, for a limit in routes.toml,
at that limit and one past it) and checks the answer against the standard
library's: exact, or, where routes.toml states a limit the input passes, the
exception it names, whose message names the limit. Never a wrong value,
never a PanicException. ``checksum`` runs CPython's own test_zlib big-buffer
case (``ChecksumBigBufferTestCase.test_big_buffer``) with ``zlib.crc32``
replaced by the route's ``checksum`` (tools/stdlib_tests.py).

A case needs memory for several copies of its input (the input, its UTF-8,
the route's result, the standard library's): ``NEEDS`` says how many, and
the run checks each case's peak resident memory against it. Before each
case the free memory (``MemAvailable``) is read; where it is less than the
case needs, the case is skipped with a line that says how much was found
and how much is needed, and the summary counts it as skipped, not passed.
Outcomes go to ``results/bigmem.json``, which the report's limits section
shows.

Usage: ``python tools/bigmem.py [ROUTE ...] [--cases CASE,...] [--list]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from routes import BY_NAME, NAMES, ROOT, Limit

GIB = 1 << 30
# Past 4 GiB: past every 32-bit length, signed or not.
BIG = (4 << 30) + 3
OUT = ROOT / "results" / "bigmem.json"


@dataclass(frozen=True)
class Case:
    """One input for one function. ``size``: its bytes, or for a bound on
    words its number of words (a text of ``a a a ...``, two bytes a word);
    ``copies``: how many input-sized blocks are alive at once at most, in
    any route that answers, and ``refused`` in one that refuses; 1 GiB more
    for the interpreter and the rest."""

    name: str
    function: str
    size: int
    copies: float
    refused: float = 3.5
    # Which bound of the route's limit for `function` the input reaches:
    # "word_bytes" (its longest word) or "words" (how many it has).
    bound: str = "word_bytes"

    @property
    def text_bytes(self) -> int:
        """The input's size in bytes."""
        return 2 * self.size if self.bound == "words" else self.size

    def need(self, refusing: bool) -> int:
        """Bytes of free memory the case needs, in a route that refuses it or not."""
        return int((self.refused if refusing else self.copies) * self.text_bytes) + GIB


# The counter's cases: a text past 4 GiB of two words of 2 GiB + 1 byte (one
# word, counted twice, and the counter holds one copy: past UniFFI's i32, and
# ctypes.string_at's C int) and two short ones.
COUNTED_WORD = (2 << 30) + 1
COUNTED_BYTES = 2 * (COUNTED_WORD + 1) + len("y z")


def counted() -> str:
    """The counter's text (made when a case needs it: 4 GiB)."""
    return xs((COUNTED_WORD, " "), (COUNTED_WORD, " y z"))


def xs(*runs: tuple[int, str]) -> str:
    """Each run's ``n`` letters "x" then its text, joined: one allocation of
    the whole (``"x" * n + text`` would hold two copies of it for a moment)."""
    chunk = "x" * (1 << 20)
    parts: list[str] = []
    for n, text in runs:
        whole, rest = divmod(n, len(chunk))
        parts += [chunk] * whole + ["x" * rest, text]
    return "".join(parts)


def cases(route: str) -> list[Case]:
    """Every case for ``route``: past 4 GiB for each function, then at and
    one past each bound its routes.toml limits state."""
    found = [
        Case("greet", "greet", BIG, 4),
        Case("split", "split", BIG, 3),
        Case("checksum-test_zlib", "checksum", BIG + 1, 1.3),
        Case("checksum-bytearray", "checksum", BIG, 1.3),
        Case("add", "add", COUNTED_BYTES, 3.5),
        Case("add-keep", "add", COUNTED_BYTES, 4),
        Case("most_common", "most_common", COUNTED_BYTES, 3.5),
    ]
    for function, limit in BY_NAME[route].limits.items():
        for bound in ("word_bytes", "words"):
            figure = getattr(limit, bound)
            if figure is None:
                continue
            # Words: "a a a ...", whose result is a list of n pointers (8
            # bytes each, 4 copies of the text) and, over the C ABI, n spans
            # of 16 bytes (8 copies): 18 with the text, its UTF-8 and the
            # standard library's list; a word: as "split" or "most_common".
            copies = 5 if bound == "word_bytes" else 18
            if function == "most_common" and bound == "words":
                # That many distinct words ("0 1 2 ...", about 11 bytes a
                # word, 5.5 copies): the counter's map holds each one with
                # its count and hash, about 60 bytes, 30 copies more.
                copies = 40
            for past in (0, 1):
                name = f"{function}-{bound}-{'past' if past else 'at'}"
                refused = copies if function == "most_common" and bound == "words" else 4
                found.append(Case(name, function, figure + past, copies, refused, bound))
    return found


def _text(case: Case) -> str:
    """The case's text: one word of ``size`` bytes, or ``size`` one-letter
    words (a bound's cases); COUNTED (the counter's); or one word past 4 GiB
    then " y z"."""
    if case.name.endswith(("-at", "-past")):
        if case.bound == "word_bytes":
            return "x" * case.size
        if case.function == "most_common":  # distinct words, for the counter
            return " ".join(map(str, range(case.size)))
        return "a " * case.size
    if case.function in ("add", "most_common"):
        return counted()
    return xs((case.size, " y z"))


def expected_refusal(limit: Limit, case: Case) -> str | None:
    """The exception ``limit`` documents for the case's input, or None: exact."""
    figure = getattr(limit, case.bound)
    if figure is None:
        return None
    if case.name.endswith(("-at", "-past")):
        return limit.past if case.size > figure else None
    longest = COUNTED_WORD if case.function in ("add", "most_common") else case.size
    return limit.past if longest > figure else None


def run_case(route_name: str, case: Case) -> str:
    """Run one case in this process: its outcome, or AssertionError."""
    import importlib

    route = importlib.import_module(route_name)
    limit = BY_NAME[route_name].limits[case.function]
    refusal = expected_refusal(limit, case)
    if case.function == "checksum":
        return _checksum(route, case)
    text = _text(case)
    call: Callable[[], Any]
    if case.function == "greet":
        call = lambda: route.greet(text)  # noqa: E731
    elif case.function == "split":
        call = lambda: route.split(text)  # noqa: E731
    else:
        # The text goes once counted: the standard library's counts first.
        counter, expected = _count(route, case, text)
        del text
        call = lambda: _compare(counter, expected, case)  # noqa: E731
    if refusal is not None:
        raised: BaseException | None = None
        try:
            call()
        except BaseException as exc:  # noqa: BLE001 - which one is the check
            raised = exc
        assert raised is not None, f"no {refusal} past the limit of routes.toml"
        assert type(raised).__name__ == refusal, f"{type(raised).__name__}: {raised}"
        figure = f"{getattr(limit, case.bound)}"
        assert figure in str(raised), f"the message names no limit: {raised}"
        return f"{refusal} as documented"
    got: Any = call()
    if case.function == "greet":
        # == f"Hello, {text}!" without a third copy of the text.
        assert len(got) == len(text) + len("Hello, !"), "length"
        assert got.startswith("Hello, "), "prefix"
        assert got.startswith(text, 7), "name"
        assert got.endswith("!"), "suffix"
    elif case.function == "split":
        assert got == text.split(), "split != str.split()"
    return "exact"


def _count(route: Any, case: Case, text: str) -> tuple[Any, Any]:
    """The route's WordCounter after adding ``text`` (with a keep for
    add-keep), and collections.Counter of the same words."""
    from collections import Counter

    keep = (lambda word: len(word) > 1) if case.name == "add-keep" else None
    expected = Counter(w for w in text.split() if keep is None or keep(w))
    counter = route.WordCounter()
    counter.add(text, keep)
    return counter, expected


def _compare(counter: Any, expected: Any, case: Case) -> None:
    """The counter against collections.Counter: len, total, each count, and
    for most_common, most_common()."""
    assert len(counter) == len(expected), "len"
    assert counter.total() == expected.total(), "total"
    for word, count in expected.items():
        assert counter.count(word) == count, "count"
    if case.function == "most_common":
        assert counter.most_common() == expected.most_common(), "most_common"


def _checksum(route: Any, case: Case) -> str:
    """CPython's own big-buffer test with the route's checksum; or a
    bytearray (the buffer path) with a running value, against zlib.crc32."""
    import zlib

    if case.name == "checksum-test_zlib":
        import importlib
        import unittest

        from stdlib_tests import Reach, zlib_substituted

        support: Any = importlib.import_module("test.support")
        test_zlib: Any = importlib.import_module("test.test_zlib")
        support.set_memlimit("6G")
        reach = Reach()
        result = unittest.TestResult()
        with zlib_substituted(route, test_zlib, reach):
            test_zlib.ChecksumBigBufferTestCase("test_big_buffer").run(result)
        problems = [text for _, text in result.failures + result.errors + result.skipped]
        assert not problems, problems
        assert reach.calls, "the route was not called"
        return "exact (test_zlib)"
    data = bytearray(case.size)
    data[-1] = 1
    assert route.checksum(data, 12345) == zlib.crc32(data, 12345), "checksum != zlib.crc32"
    return "exact"


def available() -> int:
    """Free memory (MemAvailable), in bytes; 0 where /proc/meminfo is missing."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def gib(n: float) -> str:
    return f"{n / GIB:.1f} GiB"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("routes", nargs="*", default=list(NAMES))
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--list", action="store_true", help="list the cases and what each needs")
    parser.add_argument("--child", nargs=2, metavar=("ROUTE", "CASE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        route, name = args.child
        case = next(c for c in cases(route) if c.name == name)
        print(run_case(route, case))
        return 0
    chosen = set(args.cases.split(",")) if args.cases else None
    plan = [(r, c) for r in args.routes for c in cases(r) if chosen is None or c.name in chosen]
    if args.list:
        for route, case in plan:
            print(
                f"{route} {case.name}: {case.text_bytes:,} bytes, needs {gib(_need(route, case))}"
            )
        return 0
    outcomes: dict[str, dict[str, str]] = {}
    tally = {"passed": 0, "failed": 0, "skipped": 0}
    start = time.perf_counter()
    for route, case in plan:
        free = available()
        label = f"{route} {case.name}"
        need = _need(route, case)
        if free < need:
            outcome = f"skipped: found {gib(free)} free, needs {gib(need)}"
            tally["skipped"] += 1
            print(f"SKIPPED {label}: {outcome[len('skipped: ') :]}", flush=True)
        else:
            outcome, ok = _spawn(route, case)
            tally["passed" if ok else "failed"] += 1
            print(f"{'ok' if ok else 'FAILED'} {label}: {outcome}", flush=True)
        outcomes.setdefault(route, {})[case.name] = outcome
    seconds = time.perf_counter() - start
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    OUT.parent.mkdir(exist_ok=True)
    previous = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    merged = previous.get("cases", {})
    for route, by_case in outcomes.items():
        merged.setdefault(route, {}).update(by_case)
    OUT.write_text(
        json.dumps({"when": when, "seconds": round(seconds), "cases": merged}, indent=1) + "\n",
        encoding="utf-8",
    )
    print(
        f"bigmem: {tally['passed']} passed, {tally['failed']} failed, "
        f"{tally['skipped']} skipped (not passed: too little free memory), in {seconds:.0f} s"
    )
    return 1 if tally["failed"] else 0


def _need(route: str, case: Case) -> int:
    """What the case needs in ``route``: less where the route refuses it."""
    return case.need(expected_refusal(BY_NAME[route].limits[case.function], case) is not None)


def _spawn(route: str, case: Case) -> tuple[str, bool]:
    """Run the case in a fresh process: its outcome and whether it passed,
    with its time and peak resident memory, which must be within its need."""
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, __file__, "--child", route, case.name],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss * 1024
    seconds = time.perf_counter() - start
    how = f"({seconds:.0f} s, peak {gib(peak)})"
    lines = output.strip().splitlines()
    if child.returncode != 0:
        return f"{lines[-1] if lines else f'exit status {child.returncode}'} {how}", False
    if peak > _need(route, case):
        return (
            f"{lines[-1]}, but its peak is over the {gib(_need(route, case))} it claims {how}",
            False,
        )
    return f"{lines[-1]} {how}", True


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
