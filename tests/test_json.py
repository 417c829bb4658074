"""loads(s) and dumps(obj) in docs/contract.md, on every binding: they are
json.loads and json.dumps, with json's default arguments.

Every expected value is computed by ``json`` itself, in this process, from
the same input (tests/json_cases.py holds the inputs). The property tests
hold the routes to json on generated objects and on text broken on purpose;
tests/test_cross.py holds the routes to each other, messages included.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from json_cases import (
    DUMPS_OBJECTS,
    DUMPS_REFUSED,
    ENCODINGS,
    LAYOUTS,
    LOADS_BAD_BYTES,
    LOADS_BYTES,
    LOADS_MALFORMED,
    LOADS_NOT_TEXT,
    LOADS_PAST_DIGIT_LIMIT,
    LOADS_TEXTS,
    LOADS_TOO_DEEP,
    MODERATE,
    OBJECTS,
    PAST_DIGITS,
    POSITIONS_HELD,
    Str,
    canonical,
    dumps_outcome,
    json_outcome,
    malformed_documents,
    nested_dicts,
    nested_lists,
)

# The binding fixture is function-scoped, which Hypothesis warns of because
# it is not reset between examples: it holds an imported module and nothing
# else, so there is nothing to reset. Each route's own run tries 100
# generated inputs per property, in every profile: test_cross.py's
# properties hold all five routes to json at once with the profile's count
# (300, or 10,000 in `thorough`), so the routes' runs need not repeat them.
per_binding = settings(
    max_examples=min(settings().max_examples, 100),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def json_error(call: Callable[[], Any]) -> BaseException:
    """What ``call()`` raised (it must raise)."""
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - the caller compares it whole
        return exc
    raise AssertionError("returned where json raises")


def assert_same_decode_error(got: BaseException, expected: BaseException) -> None:
    """A JSONDecodeError like json's: the same class, its attributes, and on
    CPython the same msg and position (json_cases.POSITIONS_HELD)."""
    assert type(got) is json.JSONDecodeError, repr(got)
    assert isinstance(expected, json.JSONDecodeError)
    # The document is the str json parsed (for bytes, the decoded text), and
    # the line and column follow from the position, as json computes them.
    assert got.doc == expected.doc
    assert 0 <= got.pos <= len(got.doc)
    assert (got.lineno, got.colno) == (
        got.doc.count("\n", 0, got.pos) + 1,
        got.pos - got.doc.rfind("\n", 0, got.pos),
    )
    assert str(got) == f"{got.msg}: line {got.lineno} column {got.colno} (char {got.pos})"
    if POSITIONS_HELD:
        assert (got.msg, got.pos) == (expected.msg, expected.pos)


# --- loads -----------------------------------------------------------------


@pytest.mark.parametrize("text", LOADS_TEXTS.values(), ids=LOADS_TEXTS.keys())
def test_loads_is_json_loads(binding: ModuleType, text: str) -> None:
    assert canonical(binding.loads(text)) == canonical(json.loads(text))


@pytest.mark.parametrize("kind", [bytes, bytearray])
@pytest.mark.parametrize("data", LOADS_BYTES.values(), ids=LOADS_BYTES.keys())
def test_loads_reads_bytes_as_json_does(binding: ModuleType, data: bytes, kind: type) -> None:
    assert canonical(binding.loads(kind(data))) == canonical(json.loads(data))


@pytest.mark.parametrize("text", LOADS_TEXTS.values(), ids=LOADS_TEXTS.keys())
def test_loads_reads_utf8_bytes_of_every_text(binding: ModuleType, text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    assert canonical(binding.loads(data)) == canonical(json.loads(data))


def test_loads_accepts_str_subclasses(binding: ModuleType) -> None:
    text = Str('{"a": ["é", 1]}')
    result = binding.loads(text)
    assert canonical(result) == canonical(json.loads(text))
    # Plain strs come out, as from json, never the subclass.
    assert [type(key) for key in result] == [str]


def test_loads_makes_new_objects_each_call(binding: ModuleType) -> None:
    text = '{"a": [1], "b": {}}'
    first, second = binding.loads(text), binding.loads(text)
    first["a"].append(2)
    first["b"]["c"] = 3
    assert canonical(second) == canonical(json.loads(text))


@pytest.mark.parametrize("text", LOADS_MALFORMED.values(), ids=LOADS_MALFORMED.keys())
def test_loads_refuses_malformed_text_as_json_does(binding: ModuleType, text: str) -> None:
    expected = json_error(lambda: json.loads(text))
    assert_same_decode_error(json_error(lambda: binding.loads(text)), expected)


@pytest.mark.parametrize("kind", [bytes, bytearray])
@pytest.mark.parametrize("data", LOADS_BAD_BYTES.values(), ids=LOADS_BAD_BYTES.keys())
def test_loads_refuses_bad_bytes_as_json_does(binding: ModuleType, data: bytes, kind: type) -> None:
    expected = json_error(lambda: json.loads(data))
    got = json_error(lambda: binding.loads(kind(data)))
    if isinstance(expected, json.JSONDecodeError):
        assert_same_decode_error(got, expected)
        return
    assert isinstance(expected, UnicodeDecodeError)
    assert type(got) is UnicodeDecodeError, repr(got)
    # The codec json picked and the first byte it could not decode; the
    # reason's wording is the core's (held across routes in test_cross.py).
    # Codec names as spelled apart (PyPy says "utf16-le", and its codecs
    # module does not look that name up).
    assert got.encoding.replace("-", "") == expected.encoding.replace("-", "")
    assert got.start == expected.start


@pytest.mark.parametrize("make", LOADS_NOT_TEXT.values(), ids=LOADS_NOT_TEXT.keys())
def test_loads_refuses_what_is_not_text(binding: ModuleType, make: Callable[[], Any]) -> None:
    assert type(json_error(lambda: json.loads(make()))) is TypeError
    assert type(json_error(lambda: binding.loads(make()))) is TypeError


@pytest.mark.parametrize("text", LOADS_PAST_DIGIT_LIMIT.values(), ids=LOADS_PAST_DIGIT_LIMIT.keys())
def test_loads_refuses_ints_past_the_digit_limit(binding: ModuleType, text: str) -> None:
    expected = json_error(lambda: json.loads(text))
    got = json_error(lambda: binding.loads(text))
    # Python's own int() refuses it, in json and in every route: ValueError,
    # not a JSONDecodeError, with Python's message.
    assert type(expected) is ValueError
    assert type(got) is ValueError, repr(got)
    assert str(got) == str(expected)


@pytest.mark.skipif(
    not hasattr(sys, "set_int_max_str_digits"), reason="no int digit limit on this interpreter"
)
def test_loads_follows_the_interpreters_digit_limit(binding: ModuleType) -> None:
    text = "[" + "7" * PAST_DIGITS + "]"
    before = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(PAST_DIGITS + 10)
    try:
        assert canonical(binding.loads(text)) == canonical(json.loads(text))
    finally:
        sys.set_int_max_str_digits(before)
    assert type(json_error(lambda: binding.loads(text))) is ValueError


@pytest.mark.parametrize("text", LOADS_TOO_DEEP.values(), ids=LOADS_TOO_DEEP.keys())
def test_loads_refuses_nesting_too_deep(binding: ModuleType, text: str) -> None:
    assert type(json_error(lambda: json.loads(text))) is RecursionError
    got = json_error(lambda: binding.loads(text))
    assert type(got) is RecursionError, repr(got)
    # The interpreter carries on, and so does the route.
    nested = "[" * MODERATE + "]" * MODERATE
    assert canonical(binding.loads(nested)) == canonical(json.loads(nested))


# --- dumps -----------------------------------------------------------------

DUMPS_MODERATE: dict[str, Any] = {
    "lists_moderately_nested": nested_lists(MODERATE),
    "dicts_moderately_nested": nested_dicts(MODERATE),
}


# A dict subclass's own items(): CPython's C encoder calls it (and wants
# 2-tuples from it), PyPy's json, the pure-Python encoder, reads the dict's
# own items instead. The routes keep CPython's rule; these cases can be held
# to the running json on CPython only.
CPYTHON_ENCODER_CASES = {"dict_subclass_own_items", "items_not_pairs"}
ON_CPYTHON_ONLY = pytest.mark.skipif(
    not POSITIONS_HELD,
    reason="PyPy's json reads a dict subclass without its own items(); the routes follow CPython's",
)


def _cases(cases: dict[str, Any]) -> list[Any]:
    return [
        pytest.param(value, id=key, marks=[ON_CPYTHON_ONLY] if key in CPYTHON_ENCODER_CASES else [])
        for key, value in cases.items()
    ]


@pytest.mark.parametrize("value", _cases({**DUMPS_OBJECTS, **DUMPS_MODERATE}))
def test_dumps_is_json_dumps(binding: ModuleType, value: Any) -> None:
    result = binding.dumps(value)
    assert type(result) is str
    assert result == json.dumps(value)


@pytest.mark.parametrize("make", _cases(DUMPS_REFUSED))
def test_dumps_refuses_what_json_refuses(binding: ModuleType, make: Callable[[], Any]) -> None:
    expected = json_error(lambda: json.dumps(make()))
    got = json_error(lambda: binding.dumps(make()))
    assert type(got) is type(expected), repr(got)
    # json's own wording (the core's texts copy CPython's C encoder), except
    # for nesting too deep, where json names its own encoder: there the
    # message is the core's, the same in every route (test_cross.py). PyPy's
    # json is the pure-Python encoder, worded otherwise: there the type.
    if POSITIONS_HELD and not isinstance(expected, RecursionError):
        assert str(got) == str(expected)
    # And the route carries on.
    assert binding.dumps([1, {"a": None}]) == json.dumps([1, {"a": None}])


def test_dumps_does_not_change_its_argument(binding: ModuleType) -> None:
    value = DUMPS_OBJECTS["records"]
    before = json.dumps(value)
    binding.dumps(value)
    assert json.dumps(value) == before


# --- properties: generated objects and text broken on purpose ---------------


@per_binding
@given(
    value=OBJECTS,
    layout=st.sampled_from(LAYOUTS),
    encoding=st.sampled_from([None, *ENCODINGS]),
)
def test_dumps_and_loads_agree_with_json_on_any_object(
    binding: ModuleType, value: Any, layout: dict[str, Any], encoding: str | None
) -> None:
    assert dumps_outcome(binding.dumps, value) == dumps_outcome(json.dumps, value)
    text = json.dumps(value, **layout)
    document = text if encoding is None else text.encode(encoding, "surrogatepass")
    expected = json_outcome(json.loads, document)
    assert expected[0] == "ok"
    assert json_outcome(binding.loads, document) == expected


@per_binding
@given(document=malformed_documents())
def test_loads_agrees_with_json_on_broken_documents(
    binding: ModuleType, document: str | bytes | bytearray
) -> None:
    # The same outcome type (and the same result where json accepts the
    # edit); the explicit cases above hold messages and positions.
    assert json_outcome(binding.loads, document) == json_outcome(json.loads, document)
