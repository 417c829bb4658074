"""All bindings imported together, in one interpreter, behave as one."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cases import (
    ADD_SEQUENCES,
    BAD_DATA,
    BUFFER_KINDS,
    CHECKSUM_VALUES,
    GOOD_NAMES,
    HELLO,
    LONE_SURROGATES,
    MIB,
    NOT_WHITESPACE,
    SPLIT_SURROGATES,
    SPLIT_TEXTS,
    WHITESPACE,
    CounterOracle,
    counter_state,
    expected_greet,
    expected_split,
    kind,
    outcome,
    words,
)
from json_cases import (
    DUMPS_OBJECTS,
    DUMPS_REFUSED,
    ENCODINGS,
    LAYOUTS,
    LOADS_BAD_BYTES,
    LOADS_MALFORMED,
    LOADS_NOT_TEXT,
    LOADS_PAST_DIGIT_LIMIT,
    LOADS_TEXTS,
    LOADS_TOO_DEEP,
    OBJECTS,
    dumps_outcome,
    error_details,
    exact_str,
    json_outcome,
    kind_of,
    malformed_documents,
)

pytestmark = pytest.mark.cross

# Hypothesis's default text is valid Unicode only: it almost never yields a
# lone surrogate, and neither does text() over an alphabet that merely
# includes category Cs (it weighs the 2,048 surrogates against the whole
# code space). So the names come from st.text() (with its NUL, whitespace
# and edge-case heuristics), from text over every code point, and from
# strings built character by character, each one a surrogate about half
# the time.
ANY_CHARACTER = st.characters(codec=None)
SURROGATE = st.characters(categories=["Cs"])
NAMES = st.one_of(
    st.text(),
    st.text(alphabet=ANY_CHARACTER),
    st.lists(st.one_of(ANY_CHARACTER, SURROGATE)).map("".join),
)

# Tried in every run before any generated name: the empty name and the
# contract's own cases up to the 1 MiB scale (the 16 MiB ones are tested per
# binding in test_contract.py).
EXPLICIT_NAMES = [
    "",
    *(name for name in GOOD_NAMES.values() if len(name) <= MIB),
    *LONE_SURROGATES.values(),
]

F = TypeVar("F", bound=Callable[..., None])


def with_explicit_names(test: F) -> F:
    """Add every name of EXPLICIT_NAMES to ``test`` as a Hypothesis example."""
    for name in EXPLICIT_NAMES:
        test = example(name=name)(test)
    return test


def test_all_bindings_say_hi_alike(all_bindings: list[ModuleType]) -> None:
    assert {module.hi() for module in all_bindings} == {HELLO}


@given(name=NAMES)
@with_explicit_names
def test_greet_agrees_on_any_str(all_bindings: list[ModuleType], name: str) -> None:
    outcomes = {module.__name__: outcome(module.greet, name) for module in all_bindings}
    # Differential: the same result, or the same exception type and message.
    assert len(set(outcomes.values())) == 1, outcomes
    # And what they agree on is what the contract says.
    assert next(iter(outcomes.values())) == expected_greet(name)


# Text for split and WordCounter: about half of the characters whitespace
# (every kind str.isspace() knows, U+001C..U+001F, U+0085 and U+3000 among
# them) or look-alikes that are not (NUL, zero-width space), so words and
# runs of whitespace of every kind meet; the rest any character, surrogates
# included (those texts must raise UnicodeEncodeError).
SPACE_OR_NOT = st.sampled_from(WHITESPACE + NOT_WHITESPACE)
WORD_CHARACTER = st.one_of(st.characters(max_codepoint=0x7F), ANY_CHARACTER, SURROGATE)
TEXTS = st.one_of(
    st.lists(st.one_of(SPACE_OR_NOT, WORD_CHARACTER)).map("".join),
    st.text(),
    NAMES,
)
# Text that encodes, for the counter's sequences.
VALID_TEXTS = st.lists(
    st.one_of(SPACE_OR_NOT, st.characters(max_codepoint=0x7F), st.characters(codec="utf-8"))
).map("".join)


def with_examples_of(examples: list[dict[str, Any]]) -> Callable[[F], F]:
    """Add each of ``examples`` (arguments by name) to a test as a Hypothesis example."""

    def add(test: F) -> F:
        for arguments in examples:
            test = example(**arguments)(test)
        return test

    return add


def with_examples(argument: str, values: list[Any]) -> Callable[[F], F]:
    """Add each of ``values`` to a test as a Hypothesis example of ``argument``."""
    return with_examples_of([{argument: value} for value in values])


def agreed(outcomes: dict[str, Any]) -> Any:
    """The one outcome every binding had (failing if they differ)."""
    assert len({repr(value) for value in outcomes.values()}) == 1, outcomes
    return next(iter(outcomes.values()))


@given(text=TEXTS)
@with_examples(
    "text",
    [*(text for text in SPLIT_TEXTS.values() if len(text) <= MIB), *SPLIT_SURROGATES.values()],
)
def test_split_agrees_with_str_split(all_bindings: list[ModuleType], text: str) -> None:
    outcomes = {module.__name__: kind(module.split, text) for module in all_bindings}
    assert agreed(outcomes) == expected_split(text)


# Any int as the starting value: small, around 2**32 and 2**64, far beyond.
VALUES = st.one_of(
    st.integers(min_value=-(2**33), max_value=2**33),
    st.integers(),
    st.integers(min_value=-(2**200), max_value=2**200),
    st.booleans(),
)


@given(data=st.binary(), kind_name=st.sampled_from(sorted(BUFFER_KINDS)), value=VALUES)
@example(data=b"", kind_name="bytes", value=0)
@example(data=bytes(70_000), kind_name="bytearray", value=2**32 + 1)
def test_checksum_agrees_with_zlib(
    all_bindings: list[ModuleType], data: bytes, kind_name: str, value: int
) -> None:
    # Each binding gets the same object zlib gets, made fresh (an mmap, a view).
    make = BUFFER_KINDS[kind_name]
    outcomes = {
        module.__name__: (
            kind(module.checksum, make(data)),
            kind(module.checksum, make(data), value),
        )
        for module in all_bindings
    }
    expected = (kind(zlib.crc32, make(data)), kind(zlib.crc32, make(data), value))
    assert agreed(outcomes) == expected


@pytest.mark.parametrize("value", CHECKSUM_VALUES.values(), ids=CHECKSUM_VALUES.keys())
@pytest.mark.parametrize("make", BAD_DATA.values(), ids=BAD_DATA.keys())
def test_checksum_refusals_agree(
    all_bindings: list[ModuleType], make: Callable[[], Any], value: Any
) -> None:
    outcomes = {module.__name__: kind(module.checksum, make(), value) for module in all_bindings}
    assert agreed(outcomes) == kind(zlib.crc32, make(), value)


# keep predicates, named so a failure says which; their results are not
# always bools, and truth values decide.
KEEPS: dict[str, Callable[[str], Any] | None] = {
    "none": None,
    "all": lambda word: True,
    "odd_length": lambda word: len(word) % 2,
    "ascii": lambda word: word.isascii(),
    "tail": lambda word: word[1:],
}
ADDS = st.lists(st.tuples(VALID_TEXTS, st.sampled_from(sorted(KEEPS))), max_size=12)
NS = st.one_of(st.none(), st.integers(min_value=-3, max_value=12), st.integers())


def run_counter(counter: Any, adds: list[tuple[str, str]], n: int | None) -> Any:
    """Everything ``counter`` says after ``adds``, with keep's calls."""
    calls: list[str] = []
    for text, keep_name in adds:
        keep = KEEPS[keep_name]

        def recorded(word: str, keep: Any = keep) -> Any:
            calls.append(word)
            return keep(word)

        counter.add(text, None if keep is None else recorded)
    seen = [word for text, _ in adds for word in words(text)]
    return (
        counter_state(counter),
        counter.most_common(n),
        [counter.count(word) for word in [*seen, "never"]],
        calls,
    )


@given(adds=ADDS, n=NS)
@example(adds=[(text, "none") for text in ADD_SEQUENCES["ties"]], n=2)
@example(adds=[("a b a c", "odd_length"), ("b b", "all")], n=-1)
def test_word_counter_agrees_with_collections_counter(
    all_bindings: list[ModuleType], adds: list[tuple[str, str]], n: int | None
) -> None:
    outcomes = {
        module.__name__: run_counter(module.WordCounter(), adds, n) for module in all_bindings
    }
    assert agreed(outcomes) == run_counter(CounterOracle(), adds, n)


# --- loads and dumps: held to json, and to each other, messages included ----

# Every error the routes raise from the core is the same in each: type,
# message, and a JSONDecodeError's msg, pos, line, column and document.
JSON_ERRORS: dict[str, Any] = {
    **{f"malformed_{key}": text for key, text in LOADS_MALFORMED.items()},
    **{f"bad_bytes_{key}": data for key, data in LOADS_BAD_BYTES.items()},
    **{f"digits_{key}": text for key, text in LOADS_PAST_DIGIT_LIMIT.items()},
    **{f"too_deep_{key}": text for key, text in LOADS_TOO_DEEP.items()},
}


@pytest.mark.parametrize("document", JSON_ERRORS.values(), ids=JSON_ERRORS.keys())
def test_loads_errors_agree(all_bindings: list[ModuleType], document: Any) -> None:
    outcomes = {module.__name__: error_details(module.loads, document) for module in all_bindings}
    assert kind_of(agreed(outcomes)) == json_outcome(json.loads, document)


@pytest.mark.parametrize("make", LOADS_NOT_TEXT.values(), ids=LOADS_NOT_TEXT.keys())
def test_loads_refusals_of_what_is_not_text_agree(
    all_bindings: list[ModuleType], make: Callable[[], Any]
) -> None:
    # Every route raises the core's TypeError text (shared_rust::json::NotText),
    # which is json's own wording.
    outcomes = {module.__name__: error_details(module.loads, make()) for module in all_bindings}
    assert agreed(outcomes) == error_details(json.loads, make())


@pytest.mark.parametrize("make", DUMPS_REFUSED.values(), ids=DUMPS_REFUSED.keys())
def test_dumps_errors_agree(all_bindings: list[ModuleType], make: Callable[[], Any]) -> None:
    outcomes = {
        module.__name__: error_details(module.dumps, make(), exact_str) for module in all_bindings
    }
    assert kind_of(agreed(outcomes)) == dumps_outcome(json.dumps, make())


@given(
    value=OBJECTS,
    layout=st.sampled_from(LAYOUTS),
    encoding=st.sampled_from([None, *ENCODINGS]),
)
@with_examples_of(
    [{"value": value, "layout": {}, "encoding": None} for value in DUMPS_OBJECTS.values()]
)
def test_dumps_and_loads_agree_with_json(
    all_bindings: list[ModuleType], value: Any, layout: dict[str, Any], encoding: str | None
) -> None:
    dumped = {
        module.__name__: error_details(module.dumps, value, exact_str) for module in all_bindings
    }
    assert kind_of(agreed(dumped)) == dumps_outcome(json.dumps, value)
    # What json wrote of the same object, in any layout, read back as a str
    # or as bytes in any encoding json.loads reads.
    text = json.dumps(value, **layout)
    document = text if encoding is None else text.encode(encoding, "surrogatepass")
    loaded = {module.__name__: error_details(module.loads, document) for module in all_bindings}
    assert kind_of(agreed(loaded)) == json_outcome(json.loads, document)


@given(document=malformed_documents())
@with_examples(
    "document",
    [
        *(text for text in LOADS_TEXTS.values() if len(text) <= MIB),
        *LOADS_MALFORMED.values(),
        *LOADS_BAD_BYTES.values(),
    ],
)
def test_loads_agrees_with_json_loads_on_broken_documents(
    all_bindings: list[ModuleType], document: str | bytes | bytearray
) -> None:
    outcomes = {module.__name__: error_details(module.loads, document) for module in all_bindings}
    assert kind_of(agreed(outcomes)) == json_outcome(json.loads, document)
