"""split(text) in docs/contract.md, on every binding: it is str.split()."""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

import pytest

from cases import (
    NOT_STR,
    SPLIT_EACH_WHITESPACE,
    SPLIT_SURROGATES,
    SPLIT_TEXTS,
    expected_split,
    kind,
    words,
)


def assert_split(binding: ModuleType, text: str) -> None:
    """``binding.split(text)`` is ``words(text)``: the same plain strs."""
    result = binding.split(text)
    assert type(result) is list
    assert all(type(word) is str for word in result)
    # Compared whole (a mismatch in a 16 MiB case would print megabytes).
    expected = words(text)
    if len(text) > 1000:
        assert len(result) == len(expected)
    assert result == expected


@pytest.mark.parametrize("text", SPLIT_TEXTS.values(), ids=SPLIT_TEXTS.keys())
def test_split_is_str_split(binding: ModuleType, text: str) -> None:
    assert_split(binding, text)


# Where the interpreter's own str.split() departs from str.isspace(), measured:
# PyPy 3.11 keeps U+001C..U+001F inside words, though isspace() is true for
# them; PyPy 3.9 also splits at U+180E, for which its isspace() is false.
SPLIT_DEPARTS = {
    "cpython": set(),
    "pypy": set("\x1c\x1d\x1e\x1f") | ({"\u180e"} if sys.version_info < (3, 11) else set()),
}


def test_the_reference_is_cpythons_str_split() -> None:
    # The tests' reference (cases.words) against the interpreter's own
    # str.split(), at every code point. No binding here: this holds the
    # reference honest, and records the interpreter's departures from it
    # (the test fails the day one is fixed or a new one appears).
    departs = {
        c
        for c in map(chr, range(sys.maxunicode + 1))
        if not 0xD800 <= ord(c) <= 0xDFFF and (f"a{c}b").split() != words(f"a{c}b")
    }
    assert departs == SPLIT_DEPARTS.get(sys.implementation.name, set())


@pytest.mark.parametrize("text", SPLIT_EACH_WHITESPACE.values(), ids=SPLIT_EACH_WHITESPACE.keys())
def test_split_at_every_whitespace_character(binding: ModuleType, text: str) -> None:
    # U+001C..U+001F among them: str.isspace() says yes, Rust's char does not.
    assert_split(binding, text)


def test_split_takes_text_by_keyword(binding: ModuleType) -> None:
    text = "a b\u3000c"
    assert binding.split(text=text) == words(text)


def test_split_accepts_str_subclasses(binding: ModuleType) -> None:
    class Text(str):
        def split(self, *args: Any, **kwargs: Any) -> list[str]:
            raise AssertionError("split must read the text, not call its split()")

    text = Text("a b\u3000c")
    result = binding.split(text)
    # Plain strs, not the subclass.
    assert [type(word) for word in result] == [str, str, str]
    assert result == words(text)


@pytest.mark.parametrize("text", SPLIT_SURROGATES.values(), ids=SPLIT_SURROGATES.keys())
def test_split_refuses_lone_surrogates(binding: ModuleType, text: str) -> None:
    assert expected_split(text) == ("raises", UnicodeEncodeError)
    with pytest.raises(UnicodeEncodeError) as info:
        binding.split(text)
    # Python's own error, as for greet.
    assert info.value.encoding == "utf-8"
    assert info.value.reason == "surrogates not allowed"


@pytest.mark.parametrize("value", NOT_STR.values(), ids=NOT_STR.keys())
def test_split_refuses_what_is_not_a_str(binding: ModuleType, value: Any) -> None:
    # str.split refuses the same, with the same type.
    assert kind(str.split, value) == ("raises", TypeError)
    with pytest.raises(TypeError) as info:
        binding.split(value)
    assert type(info.value) is TypeError


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((), {}), (("a", "b"), {}), (("a",), {"text": "b"}), ((), {"txt": "a"})],
    ids=["no_argument", "two_arguments", "twice", "unknown_keyword"],
)
def test_split_refuses_wrong_arguments(
    binding: ModuleType, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(TypeError) as info:
        binding.split(*args, **kwargs)
    assert type(info.value) is TypeError
