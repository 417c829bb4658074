"""A Rust panic becomes a Python exception, never an abort.

No input makes a release build panic, and release wheels carry no test-only
function to make one. So ``tox -e panic`` sets ``HI_INJECT_BUG=panic``, with
which shared_rust's build script makes ``greet``, ``split`` and
``checksum`` panic on one input (``shared_rust::PANIC_PROBE``),
``WordCounter.add`` right after its callback kept that word, and ``loads`` and
``dumps`` on a str value that is that input, and builds every
binding; there the panic must come back as ``PanicException``. Every other
environment tests a release build, where that input must be an ordinary
input: proof that no test hook was shipped.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from cases import PANIC_PROBE_MESSAGE, PANIC_PROBE_NAME, CounterOracle, counter_state, words

PANIC_BUILT_IN = os.environ.get("HI_INJECT_BUG") == "panic"


def test_a_rust_panic_becomes_a_python_exception(binding: ModuleType) -> None:
    if not PANIC_BUILT_IN:
        assert binding.greet(PANIC_PROBE_NAME) == f"Hello, {PANIC_PROBE_NAME}!"
        return
    # BaseException: the point is what it is *not* (an Exception), checked below.
    with pytest.raises(BaseException) as info:  # noqa: PT011
        binding.greet(PANIC_PROBE_NAME)
    # PyO3's pyo3_runtime.PanicException, or the package's own (the C ABI and
    # UniFFI routes): all derive from BaseException only, so `except
    # Exception` does not swallow a bug.
    assert type(info.value).__name__ == "PanicException"
    assert not isinstance(info.value, Exception)
    assert str(info.value) == PANIC_PROBE_MESSAGE
    # The interpreter and the library carry on.
    assert binding.greet("world") == "Hello, world!"


def assert_panics(call: Callable[[], Any]) -> None:
    """``call()`` raises the route's PanicException, with the panic's message."""
    with pytest.raises(BaseException) as info:  # noqa: PT011 - checked below
        call()
    assert type(info.value).__name__ == "PanicException"
    assert not isinstance(info.value, Exception)
    assert str(info.value) == PANIC_PROBE_MESSAGE


def test_a_panic_in_split_becomes_a_python_exception(binding: ModuleType) -> None:
    if not PANIC_BUILT_IN:
        assert binding.split(PANIC_PROBE_NAME) == words(PANIC_PROBE_NAME)
        return
    assert_panics(lambda: binding.split(PANIC_PROBE_NAME))
    text = "a b"
    assert binding.split(text) == words(text)


def test_a_panic_in_checksum_becomes_a_python_exception(binding: ModuleType) -> None:
    probe = PANIC_PROBE_NAME.encode()
    if not PANIC_BUILT_IN:
        assert binding.checksum(probe) == zlib.crc32(probe)
        return
    assert_panics(lambda: binding.checksum(probe))
    assert binding.checksum(b"abc") == zlib.crc32(b"abc")


def test_a_panic_in_add_leaves_the_counter_as_it_was(binding: ModuleType) -> None:
    counter, oracle = binding.WordCounter(), CounterOracle()
    counter.add("a b a")
    oracle.add("a b a")
    before = counter_state(counter)
    calls: list[str] = []
    text = f"a {PANIC_PROBE_NAME} b"

    def keep(word: str) -> bool:
        calls.append(word)
        return True

    if not PANIC_BUILT_IN:
        counter.add(PANIC_PROBE_NAME)
        counter.add(text, keep=keep)
        oracle.add(PANIC_PROBE_NAME)
        oracle.add(text)
        assert calls == words(text)
        assert counter_state(counter) == counter_state(oracle)
        return
    # Without keep: the panic is in split, inside add.
    assert_panics(lambda: counter.add(PANIC_PROBE_NAME))
    assert counter_state(counter) == before
    # With keep: right after keep returned for the probe. The C ABI
    # wrappers ask keep about every word before Rust counts any
    # (docs/c-abi.md), so they have asked about "b" too; in every route keep
    # saw the words in order, once each, the probe included.
    assert_panics(lambda: counter.add(text, keep=keep))
    assert calls in (["a", PANIC_PROBE_NAME], words(text))
    assert counter_state(counter) == before
    # The counter carries on.
    counter.add("b")
    oracle.add("b")
    assert counter_state(counter) == counter_state(oracle)


def test_a_panic_in_loads_and_dumps_becomes_a_python_exception(binding: ModuleType) -> None:
    # The probe as a str value: the test build panics where Rust reads it
    # (loads) and where Rust writes it (dumps).
    value = ["a", {"b": PANIC_PROBE_NAME}]
    document = json.dumps(value)
    if not PANIC_BUILT_IN:
        assert binding.loads(document) == value
        assert binding.dumps(value) == document
        return
    assert_panics(lambda: binding.loads(document))
    assert_panics(lambda: binding.dumps(value))
    assert binding.loads('["a"]') == ["a"]
    assert binding.dumps(["a"]) == '["a"]'
