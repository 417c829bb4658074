"""Many threads at once, and hundreds of thousands of calls without a leak,
on every binding.

The call counts are the contract's promise made concrete: enough calls that
a race would corrupt some result, and that leaking even one small string (or
one reference) per call would grow memory several times past the budget. They
are sized for the slowest route (UniFFI, microseconds a call), so the five
routes' runs stay quick; the tests assert behaviour only.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import json
import sys
import sysconfig
import threading
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import Any

import psutil
import pytest

from cases import EMPTY_NAME_MESSAGE, GOOD_NAMES, HELLO, MIB, data_of, words
from json_cases import nested_lists
from routes import BY_NAME

# 80,000 calls, with the interpreter switching threads every 10 µs: every
# call shares the process with calls of other threads, many times over.
THREADS = 16
CALLS_PER_THREAD = 5_000

WARM_UP_CALLS = 20_000
GREET_CALLS = 150_000
ERROR_CALLS = 100_000
# malloc's smallest block is 32 bytes: leaking one result, or one message, per
# call would cost at least 4.6 MiB (greet) or 3 MiB (the error path) here, and
# one reference per call would show in the refcount: 1 MiB is slack for the
# allocator, not for a leak. PyPy's resident size moves by up to 3 MiB from
# one collection to the next with nothing leaking (seen over 4 million
# ctypes_binding calls), so it gets 4 MiB: there a leak of one block
# a greet still fails the test, one only on the error path may not (PyPy has
# no reference counts either; CPython is where this test is sharpest).
RSS_BUDGET = 4 * MIB if sys.implementation.name == "pypy" else MIB
# PyPy's heap grows for the first rounds of calls that make objects through
# cpyext (PyO3 there) and then holds still: 100,000 PyO3 WordCounters made and
# dropped grew it by 78 MiB, the next 100,000 by 16, each of the next four
# 100,000 by nothing. So there the warm-up is twice the measured calls; on
# CPython a short warm-up fills the caches and allocator pools for good.
PYPY = sys.implementation.name == "pypy"
# A free-threaded build: its allocator (mimalloc, with a heap per thread) and
# its deferred frees let the resident size climb over the first rounds of a
# test that makes many short-lived objects (dumps' walker on the C ABI
# routes), as PyPy's does, before it holds still.
FREE_THREADED = sysconfig.get_config_var("Py_GIL_DISABLED") == 1


def warm_up_calls(short: int, measured: int) -> int:
    """How many calls warm a leak test up on this interpreter."""
    return 2 * measured if PYPY or FREE_THREADED else short


def skip_known_leak(binding: ModuleType) -> None:
    """Skip, saying why, where routes.toml records a leak of this
    interpreter's own for the route: there the resident size grows whatever
    the project does, and a leak test could pass or fail by chance (under
    pytest it has done both), so it would prove nothing."""
    version = ".".join(map(str, sys.implementation.version[:3]))
    if known := BY_NAME[binding.__name__].known_leak(sys.implementation.name, version):
        pytest.skip(f"{sys.implementation.name} {version}: {known}")


# Short names with NUL, non-BMP and the like, to vary what crosses the
# boundary from call to call.
SHORT_NAMES = [name for name in GOOD_NAMES.values() if len(name) < 100]


@pytest.fixture
def frequent_thread_switches() -> Iterator[None]:
    """Make the interpreter switch threads every 10 µs instead of every 5 ms,
    so calls from different threads interleave as finely as they can."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("frequent_thread_switches")
def test_many_threads_get_every_result_right(binding: ModuleType) -> None:
    start = threading.Barrier(THREADS)

    def work(thread: int) -> tuple[int, list[str]]:
        hi, greet = binding.hi, binding.greet
        calls = 0
        wrong: list[str] = []
        start.wait()
        for call in range(CALLS_PER_THREAD):
            if call % 10 == 9:
                # The error path too: its message must not cross threads.
                try:
                    greet("")
                    wrong.append(f"thread {thread} call {call}: greet('') returned")
                except ValueError as exc:
                    if str(exc) != EMPTY_NAME_MESSAGE:
                        wrong.append(f"thread {thread} call {call}: {exc!r}")
            elif call % 2:
                if (said := hi()) != HELLO:
                    wrong.append(f"thread {thread} call {call}: hi() -> {said!r}")
            else:
                # Unique to this thread and call: a result meant for another
                # call, or another thread, cannot pass for this one.
                name = f"{thread}/{call}/{SHORT_NAMES[call % len(SHORT_NAMES)]}"
                if (said := greet(name)) != f"Hello, {name}!":
                    wrong.append(f"thread {thread} call {call}: greet({name!r}) -> {said!r}")
            calls += 1
        return calls, wrong

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(work, range(THREADS)))

    assert [wrong for _, wrong in results] == [[]] * THREADS
    assert sum(calls for calls, _ in results) == THREADS * CALLS_PER_THREAD


@pytest.mark.usefixtures("frequent_thread_switches")
def test_threads_with_large_names_get_every_result_right(binding: ModuleType) -> None:
    # Names past the C ABI wrappers' 4 KiB first buffer, of lengths that
    # differ per thread and call: buffers kept between calls are taken and
    # given back by many threads at once, and grow while others use theirs.
    threads, calls = 4, 60
    start = threading.Barrier(threads)

    def work(thread: int) -> list[str]:
        greet = binding.greet
        wrong: list[str] = []
        start.wait()
        for call in range(calls):
            name = f"{thread}/{call}/" + "é" * (5_000 + 3_001 * ((thread + call) % 7))
            if (said := greet(name)) != f"Hello, {name}!":
                wrong.append(f"thread {thread} call {call}: {len(said)} characters back")
        return wrong

    with ThreadPoolExecutor(max_workers=threads) as pool:
        assert list(pool.map(work, range(threads))) == [[]] * threads


def resident_bytes() -> int:
    """This process's resident memory, after a full garbage collection."""
    gc.collect()
    return int(psutil.Process().memory_info().rss)


def test_a_million_calls_leak_nothing(binding: ModuleType) -> None:
    greet = binding.greet
    # Made at run time, so not the interned literal: its refcount is ours alone.
    name = b"world".decode()
    empty = ""

    def calls(count: int) -> None:
        for _ in range(count):
            greet(name)
        for _ in range(count * ERROR_CALLS // GREET_CALLS):
            with contextlib.suppress(ValueError):
                greet(empty)

    # On Python 3.12+ "" is immortal and its count never moves; on 3.11 it
    # is a real count, and so is the name's on every version.
    assert_no_leak(binding, calls, WARM_UP_CALLS, GREET_CALLS, name, empty)


# One counter, many threads: each thread's adds hold words of its own and
# words every thread adds, so both a lost update and a half-applied add show.
COUNTER_THREADS = 8
ADDS_PER_THREAD = 400


def thread_text(thread: int, call: int) -> str:
    """The text thread ``thread`` adds at call ``call``."""
    return f"shared t{thread} shared c{call % 7} t{thread}_{call} \u3000shared"


def expected_counts(threads: list[int]) -> collections.Counter[str]:
    """collections.Counter of every text the given threads add."""
    counts: collections.Counter[str] = collections.Counter()
    for thread in threads:
        for call in range(ADDS_PER_THREAD):
            counts.update(words(thread_text(thread, call)))
    return counts


def run_threads(work: Callable[[int], Any], threads: int) -> list[Any]:
    """``work(thread)`` in ``threads`` threads started together; the results."""
    start = threading.Barrier(threads)

    def started(thread: int) -> Any:
        start.wait()
        return work(thread)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(started, range(threads)))


def assert_counts(counter: Any, expected: collections.Counter[str]) -> None:
    """``counter`` holds exactly ``expected`` (the order of ties between
    threads is the order the adds happened to run in, so not compared)."""
    assert dict(counter.most_common()) == dict(expected)
    assert (len(counter), counter.total()) == (len(expected), sum(expected.values()))
    # most_common is sorted by count whatever the order of ties.
    counts = [count for _, count in counter.most_common()]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.usefixtures("frequent_thread_switches")
def test_threads_adding_to_one_counter_lose_nothing(binding: ModuleType) -> None:
    counter = binding.WordCounter()

    def work(thread: int) -> None:
        for call in range(ADDS_PER_THREAD):
            counter.add(thread_text(thread, call))
            # A snapshot taken among the adds of every thread: never half an
            # add (each has six words, three of them "shared").
            if call % 50 == 0:
                snapshot = dict(counter.most_common())
                assert sum(snapshot.values()) % 6 == 0
                assert snapshot["shared"] * 2 == sum(snapshot.values())

    run_threads(work, COUNTER_THREADS)
    assert_counts(counter, expected_counts(list(range(COUNTER_THREADS))))


@pytest.mark.usefixtures("frequent_thread_switches")
def test_threads_with_callbacks_of_their_own(binding: ModuleType) -> None:
    counter = binding.WordCounter()

    def work(thread: int) -> list[str]:
        calls: list[str] = []

        def keep(word: str) -> bool:
            calls.append(word)
            # Another thread's word offered here would show in calls.
            return word != f"t{thread}"

        for call in range(ADDS_PER_THREAD):
            counter.add(thread_text(thread, call), keep=keep)
        return calls

    calls = run_threads(work, COUNTER_THREADS)
    for thread, called in enumerate(calls):
        offered = [w for c in range(ADDS_PER_THREAD) for w in words(thread_text(thread, c))]
        assert called == offered, f"thread {thread}"
    expected = expected_counts(list(range(COUNTER_THREADS)))
    for thread in range(COUNTER_THREADS):
        del expected[f"t{thread}"]
    assert_counts(counter, expected)


class ThreadError(Exception):
    """Raised by the callbacks of some threads: one new object per add."""


@pytest.mark.usefixtures("frequent_thread_switches")
def test_threads_whose_callbacks_raise_get_their_own_exception(binding: ModuleType) -> None:
    counter = binding.WordCounter()
    # Even threads raise, in every add, at its third word; odd ones keep all.
    raising = list(range(0, COUNTER_THREADS, 2))

    def work(thread: int) -> list[str]:
        wrong: list[str] = []
        for call in range(ADDS_PER_THREAD):
            mine = ThreadError(thread, call)
            offered: list[str] = []

            def keep(word: str, mine: ThreadError = mine, offered: list[str] = offered) -> bool:
                offered.append(word)
                if thread in raising and len(offered) == 3:
                    raise mine
                return True

            try:
                counter.add(thread_text(thread, call), keep=keep)
            except ThreadError as exc:
                if exc is not mine:
                    wrong.append(f"thread {thread} call {call}: {exc.args} came back")
            else:
                if thread in raising:
                    wrong.append(f"thread {thread} call {call}: add did not raise")
            expected = len(words(thread_text(thread, call)))
            if len(offered) != (3 if thread in raising else expected):
                wrong.append(f"thread {thread} call {call}: {offered} offered")
        return wrong

    assert run_threads(work, COUNTER_THREADS) == [[]] * COUNTER_THREADS
    succeeding = [thread for thread in range(COUNTER_THREADS) if thread not in raising]
    assert_counts(counter, expected_counts(succeeding))


@pytest.mark.usefixtures("frequent_thread_switches")
def test_threads_get_every_checksum_and_split_right(binding: ModuleType) -> None:
    # Buffers either side of the size from which the GIL is released.
    buffers = [data_of(size, seed) for seed, size in enumerate((10, 4096, 70_000, 300_000))]
    crcs = [zlib.crc32(buffer) for buffer in buffers]
    texts = [f"{i} a\x1cb \u3000{name}" for i, name in enumerate(SHORT_NAMES)]
    expected = [words(text) for text in texts]

    def work(thread: int) -> list[str]:
        wrong = []
        for call in range(300):
            i = (thread + call) % len(buffers)
            if (crc := binding.checksum(buffers[i])) != crcs[i]:
                wrong.append(f"thread {thread} call {call}: checksum {i} -> {crc}")
            j = (thread + call) % len(texts)
            if (got := binding.split(texts[j])) != expected[j]:
                wrong.append(f"thread {thread} call {call}: split -> {got!r}")
        return wrong

    assert run_threads(work, 8) == [[]] * 8


COUNTERS = 100_000
RAISING_ADDS = 20_000
CHECKSUM_CALLS = 100_000


def refcounts(*objects: object) -> tuple[int, ...]:
    """The objects' reference counts (CPython), read after a collection;
    PyPy has none: zeros. A free-threaded build keeps a heap type's references
    per thread and merges them only when it collects: before that, the type's
    count falls by every instance made and dropped meanwhile."""
    gc.collect()
    count = getattr(sys, "getrefcount", lambda _: 0)
    return tuple(count(obj) for obj in objects)


# A leak grows the resident size in every round of calls; a heap that steps
# up once after the warm-up (PyPy's, when its collector raises its
# threshold) or swings between rounds (a free-threaded build's) does not. So
# a test passes at the first round within the budget, and fails only when
# every round grew past it.
LEAK_ROUNDS = 3


def assert_no_leak(
    binding: ModuleType,
    calls: Callable[[int], None],
    warm_up: int,
    measured: int,
    *kept: object,
) -> None:
    """After ``calls(warm_up)``, ``calls(measured)`` leaves the reference
    counts of ``kept`` as they were, every time, and grows the resident memory
    by less than the budget in one of ``LEAK_ROUNDS`` rounds."""
    skip_known_leak(binding)
    calls(warm_up_calls(warm_up, measured))
    # The reading itself warmed up first: on 3.15t the first call of
    # refcounts() counts one reference more than every later one (its own,
    # before the interpreter specializes it), for a plain Python class too.
    refcounts(*kept)
    grown_by_round: list[str] = []
    for _ in range(LEAK_ROUNDS):
        before, refs_before = resident_bytes(), refcounts(*kept)
        calls(measured)
        assert refcounts(*kept) == refs_before
        grown = resident_bytes() - before
        if grown < RSS_BUDGET:
            return
        grown_by_round.append(f"{grown / MIB:.1f} MiB")
    pytest.fail(f"resident memory grew in every round: by {', '.join(grown_by_round)}")


def test_counters_made_and_dropped_leak_nothing(
    binding: ModuleType,
) -> None:
    # Each counter counts a word, so its Rust state holds an allocation
    # (at least 32 bytes: 3 MiB over 100,000 counters if never freed).
    word_counter, text = binding.WordCounter, b"word another".decode()

    def calls(counters: int) -> None:
        for _ in range(counters):
            word_counter().add(text)

    assert_no_leak(binding, calls, COUNTERS // 10, COUNTERS, word_counter, text)


def test_callbacks_that_raise_leak_nothing(
    binding: ModuleType,
) -> None:
    counter = binding.WordCounter()
    counter.add("a b")
    # One exception object raised again and again: whatever the glue keeps
    # of it must be let go (its refcount) each time, as must the counter.
    exc = ThreadError("again")
    text = b"a b c".decode()

    def keep(word: str) -> bool:
        if word == "b":
            raise exc
        return True

    others: list[BaseException] = []

    def calls(adds: int) -> None:
        for _ in range(adds):
            try:
                counter.add(text, keep=keep)
            except ThreadError as caught:
                if caught is not exc:
                    others.append(caught)
                # Raised again, an exception's traceback grows by the new
                # frames: that is Python's doing, not a leak, so it goes.
                caught.__traceback__ = None

    assert_no_leak(binding, calls, RAISING_ADDS // 10, RAISING_ADDS, exc, counter, keep, text)
    assert others == []
    assert counter.most_common() == [("a", 1), ("b", 1)]


def test_checksum_and_split_leak_nothing(
    binding: ModuleType,
) -> None:
    checksum, split = binding.checksum, binding.split
    data, text = bytearray(data_of(100)), "a few\u3000words \x1c here".encode().decode()
    large = data_of(100_000)

    def calls(count: int) -> None:
        for i in range(count):
            checksum(data, i)
            with contextlib.suppress(TypeError):
                checksum(text)
            if i % 2:
                split(text)
            if i % 1000 == 0:
                checksum(large)
                with contextlib.suppress(UnicodeEncodeError):
                    split("\ud800 x")
        # No export left: a leaked one would forbid this.
        data.append(0)
        del data[-1]

    assert_no_leak(binding, calls, CHECKSUM_CALLS // 10, CHECKSUM_CALLS, data, text, large)


JSON_CALLS = 100_000
# Python's own limit on an int's decimal digits (CPython 3.11+), whose
# ValueError loads raises through Python's int().
PAST_DIGITS_ON = hasattr(sys, "get_int_max_str_digits") and sys.get_int_max_str_digits() > 0


def test_loads_and_dumps_leak_nothing(binding: ModuleType) -> None:
    loads, dumps = binding.loads, binding.dumps
    # Made at run time, so their refcounts are ours alone; each call makes a
    # dict of a dozen objects (loads) or a str (dumps), so keeping any one of
    # them would grow the resident size far past the budget.
    value = {"id": 7, "name": "é🦀\ud800", "score": 2.5, "big": 2**70, "tags": [None, True]}
    text = json.dumps(value) + " "
    data = text.encode("utf-16")
    # One of each error: JSONDecodeError, UnicodeDecodeError, TypeError (a
    # value, a key, not text), ValueError (a cycle, an int past the digit
    # limit); RecursionError has a test of its own, below.
    malformed, not_utf8 = b'{"a": [1, 2}'.decode(), bytearray(b'["\xff"]')
    not_serializable, bad_key = {"a": [1, {2}]}, {"a": {(1,): 1}}
    cycle: list[Any] = [1]
    cycle.append(cycle)
    many_digits = "1" * (sys.get_int_max_str_digits() + 1 if PAST_DIGITS_ON else 5000)
    errors: list[tuple[Callable[[Any], Any], Any, type[Exception]]] = [
        (loads, malformed, json.JSONDecodeError),
        (loads, not_utf8, UnicodeDecodeError),
        (loads, 1.5, TypeError),
        (dumps, not_serializable, TypeError),
        (dumps, bad_key, TypeError),
        (dumps, cycle, ValueError),
    ]
    if PAST_DIGITS_ON:
        errors.append((loads, many_digits, ValueError))

    def calls(count: int) -> None:
        # Every other call an error, each kind in turn; between them loads of
        # a str, loads of bytes and dumps, in turn.
        for i in range(count // 2):
            if i % 3 == 0:
                loads(text)
            elif i % 3 == 1:
                loads(data)
            else:
                dumps(value)
            call, argument, error = errors[i % len(errors)]
            with contextlib.suppress(error):
                call(argument)
                raise AssertionError(f"{argument!r:.40} did not raise {error.__name__}")

    kept = (value, text, data, malformed, not_utf8, not_serializable, bad_key, cycle, many_digits)
    assert_no_leak(binding, calls, JSON_CALLS // 10, JSON_CALLS, *kept)


# The nesting refusals, one level past the limit: each builds and drops a
# list (loads) or a frame of the walk (dumps) per level, so a leak of any
# part grows the resident size by tens of KiB a call. (At 100,000 levels a
# free-threaded build's allocator keeps or returns many MiB between rounds
# of calls, which would drown the budget.)
DEEP_CALLS = 1_000


def test_nesting_refusals_leak_nothing(binding: ModuleType) -> None:
    depth = sys.getrecursionlimit() + 1
    too_deep_text, too_deep_value = "[" * depth, nested_lists(depth)

    def calls(count: int) -> None:
        for _ in range(count):
            with pytest.raises(RecursionError):
                binding.loads(too_deep_text)
            with pytest.raises(RecursionError):
                binding.dumps(too_deep_value)

    assert_no_leak(binding, calls, DEEP_CALLS // 10, DEEP_CALLS, too_deep_text, too_deep_value)
