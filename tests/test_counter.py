"""WordCounter in docs/contract.md, on every binding: after the same calls it
says what collections.Counter says (cases.CounterOracle), and a callback's
exception leaves it as the same object, leaving the counter as it was."""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import CodeType, ModuleType, TracebackType
from typing import Any, TypeVar

import pytest

from cases import (
    ADD_SEQUENCES,
    BAD_MOST_COMMON_NS,
    KEEP_RAISES,
    KEEP_RESULTS,
    KEEP_TEXTS,
    MOST_COMMON_NS,
    NOT_CALLABLE,
    NOT_STR,
    SPLIT_SURROGATES,
    CounterOracle,
    Truth,
    counter_state,
    words,
)

T = TypeVar("T")

# Long enough for any route on a loaded machine; a deadlock never ends.
DEADLOCK_TIMEOUT = 60.0


def within_timeout(func: Callable[[], T]) -> T:
    """``func()``, run in a thread: a deadlock fails the test instead of
    hanging the run (the thread is a daemon, left behind)."""
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(func())
        except BaseException as exc:  # noqa: BLE001 - handed to the test below
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(DEADLOCK_TIMEOUT)
    assert not thread.is_alive(), f"still running after {DEADLOCK_TIMEOUT} s: a deadlock"
    if errors:
        raise errors[0]
    return results[0]


def codes_in(traceback: TracebackType | None) -> list[CodeType]:
    """The code objects of every frame in ``traceback``."""
    codes = []
    while traceback is not None:
        codes.append(traceback.tb_frame.f_code)
        traceback = traceback.tb_next
    return codes


def words_of(texts: list[str]) -> list[str]:
    """Every word of ``texts``, and words never counted."""
    return [word for text in texts for word in words(text)] + ["never", "", "A"]


@pytest.mark.parametrize("texts", ADD_SEQUENCES.values(), ids=ADD_SEQUENCES.keys())
def test_counter_says_what_collections_counter_says(binding: ModuleType, texts: list[str]) -> None:
    counter, oracle = binding.WordCounter(), CounterOracle()
    assert counter_state(counter) == counter_state(oracle)
    for text in texts:
        assert counter.add(text) is None
        oracle.add(text)
        assert counter_state(counter) == counter_state(oracle), text
    for word in words_of(texts):
        assert counter.count(word) == oracle.count(word), word
    for label, n in MOST_COMMON_NS.items():
        assert counter.most_common(n) == oracle.most_common(n), f"most_common({label})"


def test_counter_returns_plain_types(binding: ModuleType) -> None:
    counter = binding.WordCounter()
    counter.add("b a b \U0001f980")
    common = counter.most_common()
    assert type(common) is list
    assert all(type(pair) is tuple and len(pair) == 2 for pair in common)
    assert all(type(word) is str and type(count) is int for word, count in common)
    assert type(counter.count("b")) is int
    assert type(counter.count("never")) is int
    assert type(len(counter)) is int
    assert type(counter.total()) is int
    assert type(counter.most_common(1)) is list


def test_counters_are_independent(binding: ModuleType) -> None:
    first, second = binding.WordCounter(), binding.WordCounter()
    first.add("a b")
    second.add("c")
    assert (first.most_common(), second.most_common()) == ([("a", 1), ("b", 1)], [("c", 1)])


def test_add_takes_its_arguments_by_keyword(binding: ModuleType) -> None:
    counter, oracle = binding.WordCounter(), CounterOracle()
    for text in ("a b", "b c"):
        oracle.add(text)
    counter.add(text="a b", keep=None)
    counter.add("b c", None)
    assert counter_state(counter) == counter_state(oracle)


@pytest.mark.parametrize("keep", KEEP_RESULTS.values(), ids=KEEP_RESULTS.keys())
def test_keep_decides_by_truth_value_once_per_word_in_order(
    binding: ModuleType, keep: Callable[[str], Any]
) -> None:
    counter, oracle = binding.WordCounter(), CounterOracle()
    for text in KEEP_TEXTS:
        calls: list[str] = []

        def recorded(word: str, calls: list[str] = calls) -> Any:
            assert type(word) is str
            calls.append(word)
            return keep(word)

        counter.add(text, keep=recorded)
        assert calls == words(text)
        oracle.add(text, keep)
        assert counter_state(counter) == counter_state(oracle), text


def test_keep_is_not_called_without_words(binding: ModuleType) -> None:
    calls: list[str] = []
    counter = binding.WordCounter()
    counter.add(" \u3000\x1c", keep=calls.append)
    assert calls == []
    assert counter_state(counter) == counter_state(CounterOracle())


def raising_keep(exc: BaseException, calls: list[str], *, via_truth: bool) -> Callable[[str], Any]:
    """A keep that records its calls and raises ``exc`` on the second word,
    itself or (``via_truth``) from the truth value of its result."""

    def keep(word: str) -> Any:
        calls.append(word)
        if len(calls) < 2:
            return True
        if via_truth:
            return Truth(exc)
        raise exc

    return keep


@pytest.mark.parametrize("via_truth", [False, True], ids=["keep", "truth_value"])
@pytest.mark.parametrize("make", KEEP_RAISES.values(), ids=KEEP_RAISES.keys())
def test_a_callback_exception_leaves_add_as_the_same_object(
    binding: ModuleType, make: Callable[[], BaseException], via_truth: bool
) -> None:
    counter = binding.WordCounter()
    counter.add("p a b a")
    before = counter_state(counter)
    exc, calls = make(), list[str]()
    keep = raising_keep(exc, calls, via_truth=via_truth)

    with pytest.raises(type(exc)) as info:
        counter.add("p q r s", keep=keep)

    assert info.value is exc
    # The frame that raised is in the traceback: the callback's own, or
    # __bool__'s.
    raiser = Truth.__bool__ if via_truth else keep
    assert raiser.__code__ in codes_in(exc.__traceback__)
    # No word after the one that raised was offered, and nothing was counted.
    assert calls == ["p", "q"]
    assert counter_state(counter) == before
    assert counter.count("p") == 1
    # The counter carries on.
    counter.add("p")
    assert counter.count("p") == 2


def test_a_callback_may_use_its_counter(binding: ModuleType) -> None:
    def scenario(counter: Any) -> tuple[list[Any], Any]:
        seen: list[Any] = []
        counter.add("a b a")

        def inner(word: str) -> bool:
            seen.append(("inner", word, counter_state(counter)))
            return True

        def keep(word: str) -> bool:
            # The counter as it was before this add: none of its words yet.
            seen.append((word, counter.count(word), counter.most_common(1), counter_state(counter)))
            if word == "x":
                counter.add("a nested")
            elif word == "y":
                counter.add("z y", keep=inner)
            return word != "n"

        counter.add("x y n x", keep=keep)
        return seen, counter_state(counter)

    got = within_timeout(lambda: scenario(binding.WordCounter()))
    assert got == scenario(CounterOracle())


def test_a_callback_that_adds_then_raises(binding: ModuleType) -> None:
    # The nested add was an add of its own, and stays; the outer one counts nothing.
    def scenario(counter: Any) -> Any:
        exc = CustomStop()

        def keep(word: str) -> bool:
            counter.add(f"nested {word}")
            if word == "b":
                raise exc
            return True

        try:
            counter.add("a b c", keep=keep)
        except CustomStop as caught:
            return caught is exc, counter_state(counter)
        raise AssertionError("add did not raise")

    expected = scenario(CounterOracle())
    assert expected[0]
    assert within_timeout(lambda: scenario(binding.WordCounter())) == expected


class CustomStop(Exception):
    """Raised by one test's callback."""


@pytest.mark.parametrize("text", ["", "a b"], ids=["no_words", "words"])
@pytest.mark.parametrize("keep", NOT_CALLABLE.values(), ids=NOT_CALLABLE.keys())
def test_keep_must_be_none_or_callable(binding: ModuleType, keep: Any, text: str) -> None:
    counter = binding.WordCounter()
    counter.add("a")
    before = counter_state(counter)
    with pytest.raises(TypeError) as info:
        counter.add(text, keep=keep)
    assert type(info.value) is TypeError
    assert counter_state(counter) == before


@pytest.mark.parametrize(
    ("args", "kwargs"), [((1,), {}), ((None,), {}), (("a b",), {}), ((), {"text": "a"})]
)
def test_word_counter_takes_no_arguments(
    binding: ModuleType, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(TypeError) as info:
        binding.WordCounter(*args, **kwargs)
    assert type(info.value) is TypeError


@pytest.mark.parametrize("value", NOT_STR.values(), ids=NOT_STR.keys())
def test_add_and_count_refuse_what_is_not_a_str(binding: ModuleType, value: Any) -> None:
    counter = binding.WordCounter()
    counter.add("a")
    before = counter_state(counter)
    calls: list[str] = []
    for call, args in [
        (counter.add, (value,)),
        (counter.add, (value, calls.append)),
        (counter.count, (value,)),
    ]:
        with pytest.raises(TypeError) as info:
            call(*args)
        assert type(info.value) is TypeError
    assert calls == []
    assert counter_state(counter) == before


@pytest.mark.parametrize("text", SPLIT_SURROGATES.values(), ids=SPLIT_SURROGATES.keys())
def test_add_and_count_refuse_lone_surrogates(binding: ModuleType, text: str) -> None:
    counter = binding.WordCounter()
    counter.add("a")
    before = counter_state(counter)
    calls: list[str] = []
    for call, args in [
        (counter.add, (text,)),
        (counter.add, (text, calls.append)),
        (counter.count, (text,)),
    ]:
        with pytest.raises(UnicodeEncodeError) as info:
            call(*args)
        assert info.value.encoding == "utf-8"
        assert info.value.reason == "surrogates not allowed"
    # Refused before any word was offered, or counted.
    assert calls == []
    assert counter_state(counter) == before


@pytest.mark.parametrize("n", BAD_MOST_COMMON_NS.values(), ids=BAD_MOST_COMMON_NS.keys())
def test_most_common_refuses_what_is_not_an_int(binding: ModuleType, n: Any) -> None:
    counter = binding.WordCounter()
    counter.add("a b a")
    with pytest.raises(TypeError) as info:
        counter.most_common(n)
    assert type(info.value) is TypeError


def test_most_common_takes_n_by_keyword(binding: ModuleType) -> None:
    counter, oracle = binding.WordCounter(), CounterOracle()
    counter.add("a b a c")
    oracle.add("a b a c")
    assert counter.most_common(n=2) == oracle.most_common(2)
    assert counter.most_common(n=None) == oracle.most_common(None)
