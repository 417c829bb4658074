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
import threading
import zlib
from types import ModuleType

from test_stress import run_threads

from cases import data_of, words

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
