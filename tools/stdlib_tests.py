"""The standard library's own tests, pointed at each route (``tox -e stdlib``).

CPython ships its test suite with the interpreter (the ``test`` package).
This runs the parts of it that exercise what a route replaces, with the
route's function substituted in the test process: ``zlib.crc32`` by
``checksum`` (test_zlib), ``str.split()`` by ``split`` (string_tests),
``Counter.most_common`` by ``WordCounter`` (test_collections), and
``json.loads`` and ``json.dumps`` by ``loads`` and ``dumps`` (test_json). Which tests,
and which are left out and why: ``stdlib_tests.toml``. No test file is
copied: the interpreter's own modules run, unchanged.

A test taken must pass, and must call the route at least once: a test that
never reaches the route would pass without testing it, so it fails until
the list leaves it out with a reason. An interpreter without its ``test``
package (Debian's python3 ships it apart, as libpython3.X-testsuite) is
skipped with a line that says so, and the exit status is then 0 only with
``--allow-missing``, never silently.

Usage: ``python tools/stdlib_tests.py [ROUTE ...]`` (default: every route).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import importlib
import json
import sys
import time
import types
import unittest
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from routes import NAMES, ROOT, read_toml

LIST = ROOT / "tools" / "stdlib_tests.toml"


@dataclass
class Reach:
    """How many times the tests called the route's function."""

    calls: int = 0

    def counted(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """``function``, counting its calls."""

        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return function(*args, **kwargs)

        return call


@contextlib.contextmanager
def zlib_substituted(route: types.ModuleType, module: Any, reach: Reach) -> Iterator[None]:
    """test_zlib's ``zlib`` with ``crc32`` replaced by the route's ``checksum``."""
    proxy: Any = types.ModuleType("zlib")
    proxy.__dict__.update(zlib.__dict__)
    proxy.crc32 = reach.counted(route.checksum)
    saved = module.zlib
    module.zlib = proxy
    try:
        yield
    finally:
        module.zlib = saved


def json_substituted(
    route: types.ModuleType, reach: Reach, classes: dict[str, type[unittest.TestCase]]
) -> dict[str, type[unittest.TestCase]]:
    """test_json's C-accelerated test classes (``self.loads``, ``self.dumps``
    and ``self.json``) with ``loads(s)`` and ``dumps(obj)`` the route's; a
    call with any other argument (``object_hook``, ``indent``, ``sort_keys``
    ...) stays json's own, and does not count as reaching the route."""
    # The class's own json: test_json's fresh import, with its C accelerator.
    base: Any = getattr(next(iter(classes.values()), None), "json", json)
    loads, dumps = reach.counted(route.loads), reach.counted(route.dumps)

    def route_loads(s: Any, *args: Any, **kwargs: Any) -> Any:
        return base.loads(s, *args, **kwargs) if args or kwargs else loads(s)

    def route_dumps(obj: Any, *args: Any, **kwargs: Any) -> Any:
        return base.dumps(obj, *args, **kwargs) if args or kwargs else dumps(obj)

    proxy: Any = types.ModuleType("json")
    proxy.__dict__.update(base.__dict__)
    proxy.loads, proxy.dumps = route_loads, route_dumps
    members = {
        "json": proxy,
        "loads": staticmethod(route_loads),
        "dumps": staticmethod(route_dumps),
    }
    return {name: type(name, (cls,), members) for name, cls in classes.items()}


def split_str(route: types.ModuleType, reach: Reach) -> type[str]:
    """A str whose ``split()`` (and ``split(None)``, the same call) is the route's."""
    split = reach.counted(route.split)

    class RouteStr(str):
        __slots__ = ()

        def split(self, *args: Any, **kwargs: Any) -> list[str]:
            if not kwargs and (args == () or args == (None,) or args == (None, -1)):
                words: list[str] = split(self)
                return words
            return str.split(self, *args, **kwargs)

    return RouteStr


def counter_class(route: types.ModuleType, reach: Reach) -> type[collections.Counter[Any]]:
    """A ``Counter`` whose ``most_common`` is the route's ``WordCounter``'s, for
    a counter of words: str keys that are one word each, positive int counts.

    The words are added to a fresh WordCounter in the counter's order, each as
    many times as its count: its ties are then in the same order as Counter's.
    Any other counter (keys that are not words, counts of 0 or less, or not
    ints) is Counter's own, and does not count as reaching the route.
    """
    most_common = reach.counted(lambda counter, n: counter.most_common(n))

    class Counter(collections.Counter):  # type: ignore[type-arg]
        # The name test_collections' reprs and pickles expect.
        def most_common(self, n: int | None = None) -> list[tuple[Any, int]]:
            items = list(self.items())
            if all(_word(key) and type(count) is int and count > 0 for key, count in items):
                counter = route.WordCounter()
                counter.add(" ".join(key for key, count in items for _ in range(count)))
                pairs: list[tuple[Any, int]] = most_common(counter, n)
                return pairs
            return super().most_common(n)

    Counter.__module__ = __name__
    Counter.__qualname__ = "Counter"
    # pickle finds the class by its module and name: this module's Counter.
    globals()["Counter"] = Counter
    return Counter


def _word(key: object) -> bool:
    """Whether ``key`` is one word as split finds it (a str that splits to itself)."""
    return type(key) is str and key.split() == [key]


@dataclass
class Suite:
    """One stdlib test module, its substitution, what is taken and what is left out."""

    name: str
    module: str
    substitutes: str
    classes: list[str]
    deselect: dict[str, str] = field(default_factory=dict)
    only: str = ""


def suites() -> list[Suite]:
    """The suites of stdlib_tests.toml."""
    return [Suite(**entry) for entry in read_toml(LIST)["suite"]]


@contextlib.contextmanager
def substituted(
    suite: Suite, route: types.ModuleType, reach: Reach
) -> Iterator[dict[str, type[unittest.TestCase]]]:
    """The suite's test classes, by name, with the route substituted while in use."""
    module: Any = importlib.import_module(suite.module)
    if suite.name == "test_zlib":
        with zlib_substituted(route, module, reach):
            yield {name: getattr(module, name) for name in suite.classes}
    elif suite.name == "string_tests":
        kind = split_str(route, reach)
        # string_tests' classes are mixins: a TestCase of each, on the route's str.
        yield {
            name: type(name, (getattr(module, name), unittest.TestCase), {"type2test": kind})
            for name in suite.classes
        }
    elif suite.name == "test_collections":
        saved = module.Counter
        module.Counter = counter_class(route, reach)
        try:
            yield {name: getattr(module, name) for name in suite.classes}
        finally:
            module.Counter = saved
    elif suite.name.startswith("test_json"):
        yield json_substituted(
            route, reach, {name: getattr(module, name) for name in suite.classes}
        )
    else:
        raise ValueError(f"{LIST}: no substitution for suite {suite.name!r}")


@dataclass
class Outcome:
    """What one route did with one suite."""

    passed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    deselected: list[str] = field(default_factory=list)


def run_suite(suite: Suite, route: types.ModuleType) -> Outcome:
    """Every test of the suite's classes, one at a time, each checked to reach the route."""
    outcome = Outcome()
    reach = Reach()
    loader = unittest.TestLoader()
    with substituted(suite, route, reach) as classes:
        for class_name, cls in classes.items():
            for method in loader.getTestCaseNames(cls):
                test_id = f"{class_name}.{method}"
                if suite.only and suite.only not in method:
                    continue
                if test_id in suite.deselect:
                    outcome.deselected.append(test_id)
                    continue
                result = unittest.TestResult()
                before = reach.calls
                cls(method).run(result)
                problems = [text for _, text in result.failures + result.errors]
                problems += [f"skipped: {why}" for _, why in result.skipped]
                if not problems and reach.calls == before:
                    problems.append(
                        "never called the route: leave it out in stdlib_tests.toml, saying why"
                    )
                if problems:
                    outcome.failed[test_id] = "\n".join(problems)
                else:
                    outcome.passed.append(test_id)
    unknown = set(suite.deselect) - {
        f"{c}.{m}" for c in classes for m in loader.getTestCaseNames(classes[c])
    }
    for test_id in sorted(unknown):
        outcome.failed[test_id] = "listed in stdlib_tests.toml, but no such test here"
    return outcome


def main(argv: list[str]) -> int:
    """Run every suite on every route named (default: all); 1 if any test failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("routes", nargs="*", default=list(NAMES))
    parser.add_argument(
        "--allow-missing", action="store_true", help="exit 0 when this Python has no test package"
    )
    args = parser.parse_args(argv)
    try:
        importlib.import_module("test.support")
    except ImportError:
        print(
            f"SKIPPED: {sys.executable} ({sys.version.split()[0]}) has no `test` package "
            "(the standard library's own tests; Debian ships them apart, in "
            "libpython3.X-testsuite): no stdlib test ran."
        )
        return 0 if args.allow_missing else 1
    failures = 0
    start = time.perf_counter()
    for name in args.routes:
        route = importlib.import_module(name)
        for suite in suites():
            outcome = run_suite(suite, route)
            failures += len(outcome.failed)
            print(
                f"{name} {suite.name} ({suite.substitutes}): {len(outcome.passed)} passed, "
                f"{len(outcome.failed)} failed, {len(outcome.deselected)} deselected"
            )
            for test_id, text in outcome.failed.items():
                print(f"  FAILED {test_id}:\n    " + text.replace("\n", "\n    "))
    print(f"stdlib tests: {failures} failed, in {time.perf_counter() - start:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
