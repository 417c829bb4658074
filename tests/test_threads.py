"""Many threads calling every function at once, with exact results: on a GIL
build the calls interleave, and on a free-threaded build (where the matrix,
``tox -e interpreters``, runs this file with the GIL off) they truly run at
the same time. tests/test_stress.py has the long runs (many greets, one
counter under many adders, callbacks that raise); this file adds the shapes
beside greet, the counter's two kinds of add and its readers at once, and a
callback that waits on another thread's add to the same counter. Every
thread starts at one barrier (``run_threads``), and an exception in any of
them, "Already borrowed" included, fails the test with it."""

from __future__ import annotations

import collections
import json
import threading
import zlib
from types import ModuleType
from typing import Any

import pytest
from test_stress import frequent_thread_switches, run_threads  # noqa: F401 - a fixture

from cases import data_of, words
from json_cases import canonical

THREADS = 4
ROUNDS = 150
# Long enough that a call is still running when another thread's starts,
# short enough for PyPy's slowest route.
TEXT_WORDS = 400
DATA_BYTES = 96 * 1024  # past the size from which the routes release the GIL
# How long a callback waits for another thread's add before the test calls
# that add blocked: far more than an add of a few words takes anywhere.
WAIT = 30.0


def text_of(thread: int, round_: int) -> str:
    """A text unique to its thread and round, with runs of whitespace."""
    return " \t".join(f"w{thread}_{round_}_{i % 37}\u3000x" for i in range(TEXT_WORDS // 2))


def test_greet_split_checksum_from_many_threads_are_exact(binding: ModuleType) -> None:
    datas = [data_of(DATA_BYTES, seed) for seed in range(THREADS)]
    crcs = [zlib.crc32(data) for data in datas]

    def work(thread: int) -> list[str]:
        wrong = []
        for round_ in range(ROUNDS):
            text = text_of(thread, round_)
            if (got := binding.split(text)) != text.split():
                wrong.append(f"split round {round_}: {len(got)} words")
            if (crc := binding.checksum(datas[thread])) != crcs[thread]:
                wrong.append(f"checksum round {round_}: {crc:#x}")
            name = f"{thread}/{round_}/é"
            if (said := binding.greet(name)) != f"Hello, {name}!":
                wrong.append(f"greet round {round_}: {said!r}")
        return wrong

    assert run_threads(work, THREADS) == [[]] * THREADS


def test_adds_with_and_without_keep_and_readers_on_one_counter(
    binding: ModuleType,
) -> None:
    counter = binding.WordCounter()
    # Threads 0 and 1 add without keep, 2 and 3 with a keep that drops their
    # own marker word; thread 4 only reads while they add.
    adders = THREADS

    def text(thread: int, round_: int) -> str:
        return f"all t{thread} all r{round_ % 5} drop{thread}"

    def work(thread: int) -> list[str]:
        wrong: list[str] = []
        if thread == adders:
            for _ in range(ROUNDS):
                snapshot = dict(counter.most_common())
                # Every add has two "all" and one "r0".."r4" among its words,
                # so a snapshot of half an add breaks this.
                rounds = sum(snapshot.get(f"r{k}", 0) for k in range(5))
                if snapshot.get("all", 0) != 2 * rounds:
                    wrong.append(f"half an add seen: {snapshot}")
                counter.count("all")
                len(counter)
                counter.total()
            return wrong
        for round_ in range(ROUNDS):
            if thread % 4 < 2:
                counter.add(text(thread, round_))
            else:
                counter.add(text(thread, round_), keep=lambda w, t=thread: w != f"drop{t}")
        return wrong

    assert run_threads(work, adders + 1) == [[]] * (adders + 1)
    expected: collections.Counter[str] = collections.Counter()
    for thread in range(adders):
        for round_ in range(ROUNDS):
            kept = words(text(thread, round_))
            if thread % 4 >= 2:
                kept = [w for w in kept if w != f"drop{thread}"]
            expected.update(kept)
    assert dict(counter.most_common()) == dict(expected)
    assert (len(counter), counter.total()) == (len(expected), sum(expected.values()))


def test_a_callback_runs_while_another_thread_adds_to_the_same_counter(
    binding: ModuleType,
) -> None:
    counter = binding.WordCounter()
    waiting, added = threading.Event(), threading.Event()

    def keep(word: str) -> bool:
        if word == "first":
            waiting.set()
            # No lock of the counter's is held here (the contract): the other
            # thread's add goes through meanwhile.
            added.wait(WAIT)
        return True

    def work(thread: int) -> bool:
        if thread == 0:
            counter.add("first second", keep=keep)
            return added.is_set()
        waiting.wait(WAIT)
        counter.add("other second")
        added.set()
        return True

    assert run_threads(work, 2) == [True, True], "the add waited for the callback's add"
    assert dict(counter.most_common()) == {"second": 2, "first": 1, "other": 1}


def document_of(thread: int, round_: int) -> dict[str, Any]:
    """A document unique to its thread and round: keys every document shares
    (a route's key cache serves them all), and values of every kind."""
    return {
        "thread": thread,
        "round": round_,
        "records": [
            {"id": i, "name": f"t{thread}r{round_}é{i}", "score": i / 7, "ok": bool(i % 2)}
            for i in range(TEXT_WORDS // 20)
        ],
        "big": 2**70 + round_,
        "nested": [[[None, float("inf"), "\ud800🦀"]]],
    }


def test_loads_and_dumps_from_many_threads_are_exact(binding: ModuleType) -> None:
    def work(thread: int) -> list[str]:
        wrong = []
        for round_ in range(ROUNDS):
            document = document_of(thread, round_)
            text = json.dumps(document)
            if (written := binding.dumps(document)) != text:
                wrong.append(f"dumps round {round_}: {written[:80]!r}")
            if canonical(binding.loads(text)) != canonical(document):
                wrong.append(f"loads round {round_}")
            data = text.encode("utf-16")
            if canonical(binding.loads(data)) != canonical(document):
                wrong.append(f"loads of bytes round {round_}")
        return wrong

    assert run_threads(work, THREADS) == [[]] * THREADS


@pytest.mark.usefixtures("frequent_thread_switches")
def test_dumps_of_a_dict_another_thread_changes_never_crashes(binding: ModuleType) -> None:
    # One dict, written by three threads while the fourth adds and deletes
    # keys and changes the lists inside it. Each dumps gives a str that is
    # valid JSON of a dict, or an Exception (e.g. RuntimeError: "dictionary
    # changed size during iteration"); never a crash, and never a
    # BaseException such as a PanicException.
    shared: dict[Any, Any] = {f"k{i}": [i, {"x": i}] for i in range(200)}
    # The writers start once the dict has begun to change, and stop the
    # changes when they are done: so every run has dumps beside changes.
    changing, done = threading.Event(), threading.Event()

    def change() -> int:
        changes = 0
        while not done.is_set() or not changes:
            key = f"k{changes % 300}"
            if key in shared:
                del shared[key]
            else:
                shared[key] = [changes, {"x": "é" * (changes % 5)}]
            for value in list(shared.values())[:3]:
                value.append(changes)
                del value[-1]
            if changes % 97 == 0:
                shared.clear()
                shared.update({f"k{i}": [i] for i in range(150)})
            changes += 1
            changing.set()
        return changes

    def work(thread: int) -> Any:
        if thread == 0:
            return change()
        seen: collections.Counter[str] = collections.Counter()
        changing.wait()
        try:
            for _ in range(ROUNDS):
                try:
                    written = binding.dumps(shared)
                except Exception as exc:  # noqa: BLE001 - any Exception is allowed
                    seen[type(exc).__name__] += 1
                else:
                    assert type(json.loads(written)) is dict, written[:80]
                    seen["str"] += 1
        finally:
            done.set()
        return seen

    results = run_threads(work, THREADS)
    assert results[0] > 0, "the dict was never changed"
    for seen in results[1:]:
        assert sum(seen.values()) == ROUNDS
        assert seen["str"] > 0, seen
