"""loads and dumps, held to the standard library's json: the cases and the
Hypothesis strategies, written once (docs/contract.md).

No expected value is written here: every test computes what ``json`` itself
does with the same input, on the interpreter that runs the test, and holds
the route to it. What is written down is the inputs, chosen to reach every
rule: numbers past i64 and the int digit limit, the float forms, the string
escapes and lone surrogates, every encoding ``json.loads`` tells apart, the
subclasses ``json.dumps`` writes as their base type, and the refusals.
"""

from __future__ import annotations

import collections
import decimal
import enum
import json
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

from hypothesis import strategies as st

MIB = 1 << 20

# Nesting that json refuses with RecursionError on every interpreter, and
# nesting far below any interpreter's limit that must work.
TOO_DEEP = 100_000
MODERATE = 100

# CPython's default limit on the digits of an int read from or written as
# decimal text (sys.set_int_max_str_digits); 0 where there is none.
INT_DIGITS = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 0
# A number of digits past the limit wherever there is one.
PAST_DIGITS = max(INT_DIGITS, 4300) + 1


# --- what a call did -------------------------------------------------------


def canonical(value: Any) -> Any:
    """``value`` as plain data that compares equal exactly when two results of
    loads are the same: the same types (dict and list exactly, not
    subclasses; bool apart from int), the same dict order, and floats by repr
    (so NaN equals NaN, and -0.0 differs from 0.0)."""
    kind = type(value)
    if kind is float:
        return ("float", repr(value))
    if kind is list:
        return ("list", tuple(canonical(item) for item in value))
    if kind is dict:
        return ("dict", tuple((canonical(k), canonical(v)) for k, v in value.items()))
    if kind in (str, int, bool, type(None)):
        return (kind.__name__, value)
    raise AssertionError(f"loads made a {kind.__name__}, which json.loads never makes")


# What a call did: ("ok", canonical result) or ("raises", exception type).
Outcome = tuple[str, Any]


def json_outcome(func: Callable[[Any], Any], arg: Any) -> Outcome:
    """``func(arg)``'s result as ``canonical`` data, or the type it raised."""
    try:
        return ("ok", canonical(func(arg)))
    except Exception as exc:  # noqa: BLE001 - the exception's type is the outcome
        return ("raises", type(exc))


def dumps_outcome(func: Callable[[Any], Any], arg: Any) -> Outcome:
    """``func(arg)``'s result (a str, with its exact type), or the type it raised."""
    try:
        result = func(arg)
    except Exception as exc:  # noqa: BLE001 - the exception's type is the outcome
        return ("raises", type(exc))
    return ("ok", (type(result), result))


def error_details(
    func: Callable[[Any], Any], arg: Any, convert: Callable[[Any], Any] = canonical
) -> Any:
    """Everything a call says, to compare routes with each other: its result
    (``convert``-ed), or its error's type and message, with a
    JSONDecodeError's msg, pos, lineno, colno and doc, and a
    UnicodeDecodeError's encoding, start, end and reason."""
    try:
        result = func(arg)
    except json.JSONDecodeError as exc:
        return (type(exc), str(exc), exc.msg, exc.pos, exc.lineno, exc.colno, exc.doc)
    except UnicodeDecodeError as exc:
        return (type(exc), str(exc), exc.encoding, exc.start, exc.end, exc.reason)
    except Exception as exc:  # noqa: BLE001 - the exception is the outcome
        return (type(exc), str(exc))
    return ("ok", convert(result))


def exact_str(result: Any) -> Any:
    """A dumps result with its exact type, for ``error_details``."""
    return (type(result), result)


def kind_of(details: Any) -> Outcome:
    """``error_details``'s answer cut to an ``Outcome``: the result, or the type raised."""
    return ("ok", details[1]) if details[0] == "ok" else ("raises", details[0])


# --- loads: documents json accepts -----------------------------------------

LOADS_TEXTS: dict[str, str] = {
    "null": "null",
    "true": "true",
    "false": "false",
    "zero": "0",
    "minus_zero": "-0",
    "minus_zero_float": "-0.0",
    "int": "42",
    "negative": "-17",
    "i64_max": "9223372036854775807",
    "i64_max_plus_1": "9223372036854775808",
    "i64_min": "-9223372036854775808",
    "i64_min_minus_1": "-9223372036854775809",
    "u64_max_plus_1": "18446744073709551616",
    "int_100_digits": "1" + "0" * 99,
    "int_at_digit_limit": "-" + "9" * (INT_DIGITS or 4300),
    "float": "1.5",
    "float_tenth": "0.1",
    "float_exponent": "1e5",
    "float_exponent_upper": "1E+5",
    "float_exponent_negative": "2.5e-3",
    "float_1e16": "1e16",
    "float_max": "1.7976931348623157e308",
    "float_min_subnormal": "5e-324",
    "float_min_normal": "2.2250738585072014e-308",
    "float_next_after_1": "1.0000000000000002",
    "float_many_digits": "0." + "1" * 800,
    "float_past_the_digit_limit": "1" * PAST_DIGITS + ".5",
    "float_exponent_past_the_digit_limit": "1" * PAST_DIGITS + "e0",
    "overflow_1e400": "1e400",
    "overflow_negative": "-1e400",
    "overflow_long_mantissa": "[23456789012E666]",
    "underflow_1e-400": "1e-400",
    "nan": "NaN",
    "infinity": "Infinity",
    "minus_infinity": "-Infinity",
    "specials_in_a_list": "[NaN, Infinity, -Infinity, 1]",
    "empty_string": '""',
    "string": '"abc"',
    "non_ascii_raw": '"Zoë Åsa 世界 🦀 \U0010fffd"',
    "non_ascii_escaped": '"\\u00e9\\u4e16\\u00C5"',
    "surrogate_pair_escaped": '"\\ud83e\\udd80"',
    "lone_high_escaped": '"\\ud800"',
    "lone_low_escaped": '"\\udfff"',
    "high_then_letter": '"\\ud800\\u0041"',
    "high_then_high": '"\\ud800\\ud800"',
    "low_then_high": '"\\udc00\\ud800"',
    "high_then_raw_text": '"\\ud83eabc"',
    "lone_surrogate_raw_in_str": '"a\ud800b"',
    "surrogate_pair_raw_halves_in_str": '"\ud83e\udd80"',
    "every_short_escape": '"\\"\\\\\\/\\b\\f\\n\\r\\t"',
    "escaped_nul": '"a\\u0000b"',
    "raw_del_and_c1": '"\x7f\x85\u2028"',
    "escaped_key_equals_raw_key": '{"\\u00e9": 1, "é": 2}',
    "whitespace_everywhere": ' \t\n\r[ 1 ,\n2 , { "a" :\t3 } ]\r\n\t ',
    "empty_object": "{}",
    "empty_array": "[]",
    "nested": '{"a": [1, {"b": null, "c": [true, false]}], "d": {}}',
    "duplicate_keys": '{"a": 1, "b": 2, "a": 3}',
    "duplicate_keys_nested": '{"x": {"k": 1}, "y": 0, "x": {"k": 2, "k": 3}}',
    "key_order_kept": '{"z": 1, "a": 2, "m": 3}',
    "records_with_repeated_keys": "["
    + ", ".join(f'{{"id": {i}, "name": "n{i}", "tags": ["a", "é"]}}' for i in range(200))
    + "]",
    "nested_moderately": "[" * MODERATE + "]" * MODERATE,
    "nested_objects_moderately": '{"a": ' * MODERATE + "1" + "}" * MODERATE,
    "long_string_1mib": '"' + "x" * MIB + '"',
    "long_string_non_ascii": '"' + "é世🦀\\n" * (MIB // 16) + '"',
    "many_numbers": "[" + ", ".join(str(i * 7919 - 10**6) for i in range(10_000)) + "]",
    "many_floats": "[" + ", ".join(repr(i / 7) for i in range(10_000)) + "]",
}


def _utf8_bom(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.encode("utf-8")


SAMPLE = '{"a": ["é", "🦀", 1.5, null], "\\ud800": "\U0010fffd"}'

# Bytes json.loads decodes: every encoding its detect_encoding tells apart,
# with and without a BOM, and the short inputs where it guesses from NULs.
LOADS_BYTES: dict[str, bytes] = {
    "utf8": SAMPLE.encode("utf-8"),
    "utf8_bom": _utf8_bom(SAMPLE),
    "utf16_le": SAMPLE.encode("utf-16-le"),
    "utf16_be": SAMPLE.encode("utf-16-be"),
    "utf16_bom": SAMPLE.encode("utf-16"),
    "utf16_be_bom": b"\xfe\xff" + SAMPLE.encode("utf-16-be"),
    "utf32_le": SAMPLE.encode("utf-32-le"),
    "utf32_be": SAMPLE.encode("utf-32-be"),
    "utf32_bom": SAMPLE.encode("utf-32"),
    "utf32_be_bom": b"\x00\x00\xfe\xff" + SAMPLE.encode("utf-32-be"),
    "one_byte": b"7",
    "two_bytes_utf8": b"12",
    "two_bytes_utf16_le": b"1\x00",
    "two_bytes_utf16_be": b"\x001",
    "three_bytes": b"123",
    "utf32_le_short": b"1\x00\x00\x00",
    "utf32_be_short": b"\x00\x00\x001",
    # UTF-8 of a lone surrogate: json decodes with "surrogatepass".
    "utf8_lone_surrogate": b'"\xed\xa0\x80"',
    "utf16_lone_surrogate": '["\ud800"]'.encode("utf-16-le", "surrogatepass"),
    "utf8_non_bmp": '"🦀"'.encode(),
    "utf8_long": ('["' + "é世🦀" * (MIB // 8) + '"]').encode(),
}

# --- loads: what json refuses ----------------------------------------------

# Text json.loads refuses with JSONDecodeError.
LOADS_MALFORMED: dict[str, str] = {
    "empty": "",
    "only_whitespace": " \t\n",
    "open_bracket": "[",
    "close_bracket": "]",
    "open_brace": "{",
    "key_only": '{"a"',
    "key_and_colon": '{"a":',
    "no_colon": '{"a" 1}',
    "unquoted_key": "{a: 1}",
    "single_quotes": "{'a': 1}",
    "number_key": "{1: 2}",
    "no_comma_in_array": "[1 2]",
    "no_comma_in_object": '{"a": 1 "b": 2}',
    "double_comma": "[1,,2]",
    "leading_comma": "[,1]",
    "trailing_comma_array": "[1,]",
    "trailing_comma_object": '{"a": 1,}',
    "leading_zero": "01",
    "leading_zero_negative": "-01",
    "minus_alone": "-",
    "plus": "+1",
    "leading_dot": ".5",
    "trailing_dot": "1.",
    "exponent_without_digits": "1e",
    "exponent_sign_only": "1e+",
    "double_minus": "--1",
    "hex": "0x10",
    "nan_lowercase": "nan",
    "minus_nan": "-NaN",
    "inf": "inf",
    "infinity_cut": "Infinit",
    "python_true": "True",
    "python_none": "None",
    "tru": "tru",
    "nul": "nul",
    "unterminated_string": '"abc',
    "unterminated_after_escape": '"abc\\',
    "invalid_escape": '"\\x41"',
    "short_unicode_escape": '"\\u12"',
    "bad_unicode_escape": '"\\u12g4"',
    "bad_low_surrogate_escape": '"\\ud800\\u12"',
    "raw_nul_in_string": '"a\x00b"',
    "raw_newline_in_string": '"a\nb"',
    "raw_tab_in_string": '"a\tb"',
    "raw_control_in_key": '{"a\x1f": 1}',
    "extra_data": "[1] [2]",
    "extra_number": "1 2",
    "extra_after_object": '{"a": 1}}',
    "bom_in_str": "\ufeff[1]",
    "nbsp_not_whitespace": "\u00a01",
    "form_feed_not_whitespace": "\x0c1",
    "vertical_tab_not_whitespace": "[1,\x0b2]",
    "comment": "[1] // no",
    "error_on_line_3": '{\n  "a": 1,\n  "b": x\n}',
    "error_after_crlf": "[1,\r\n2,\r\n]",
    "error_after_non_ascii": '["é🦀世", x]',
    "error_after_non_ascii_key": '{"🦀🦀": 1, "é": }',
    "error_after_escaped_surrogates": '["\\ud83e\\udd80\\ud800", ?]',
    "error_after_raw_lone_surrogate": '["\ud800", ?]',
    "unclosed_nested": "[" * MODERATE,
    "unclosed_deep_object": '{"a": ' * MODERATE,
    "error_after_1mib": "[" + '"x", ' * (MIB // 5) + "}",
}


# json's message and position: CPython's scanner (the _json module) is the
# reference, of the running version (3.13 gave trailing commas messages of
# their own, "Illegal trailing comma before end of array" at the comma, where
# 3.11 and 3.12 say "Expecting value" after it; the core follows the version
# the binding passes it). PyPy's json says other things at other places
# ('"a\x00"' is "Unterminated string starting at" 0 there), so on PyPy only
# the type is held.
POSITIONS_HELD = sys.implementation.name == "cpython"


# Bytes json.loads refuses: UnicodeDecodeError where the detected encoding
# fails, JSONDecodeError where the decoded text does.
LOADS_BAD_BYTES: dict[str, bytes] = {
    "invalid_utf8_start": b"\xff",
    "invalid_utf8_in_string": b'"\xc3"',
    "invalid_utf8_after_text": b'["abc", "\xe9"]',
    "overlong_utf8": b'"\xc0\xaf"',
    "utf8_past_u10ffff": b'"\xf4\x90\x80\x80"',
    "utf32_past_u10ffff": b"1\x00\x00\x00\x00\x00\x11\x00",
    "utf16_odd_length": '"ab"'.encode("utf-16-le") + b"\x00",
    "utf8_bom_only": b"\xef\xbb\xbf",
    "utf16_bom_only": b"\xff\xfe",
    "empty_bytes": b"",
    "malformed_utf16": "[1 2]".encode("utf-16"),
    "malformed_utf32_non_ascii": '["é", x]'.encode("utf-32-be"),
    "nul_bytes_only": b"\x00\x00\x00\x00",
}

# Not a str, bytes or bytearray: TypeError (json.loads says so).
LOADS_NOT_TEXT: dict[str, Callable[[], Any]] = {
    "none": lambda: None,
    "int": lambda: 1,
    "float": lambda: 1.5,
    "list": lambda: ["[]"],
    "dict": dict,
    "memoryview": lambda: memoryview(b"[1]"),
    "object": object,
}

# Ints past Python's digit limit: ValueError from Python's own int(), as in json.
LOADS_PAST_DIGIT_LIMIT: dict[str, str] = {
    "positive": "1" * PAST_DIGITS,
    "negative": "-" + "1" * PAST_DIGITS,
    "in_a_list": "[1, " + "2" * (PAST_DIGITS + 1000) + "]",
    "as_a_value": '{"a": ' + "3" * PAST_DIGITS + "}",
}

# Nesting too deep for json: RecursionError (valid or not, closed or not).
LOADS_TOO_DEEP: dict[str, str] = {
    "arrays_open": "[" * TOO_DEEP,
    "arrays_closed": "[" * TOO_DEEP + "]" * TOO_DEEP,
    "objects": '{"a":' * TOO_DEEP + "1" + "}" * TOO_DEEP,
    "mixed": '[{"a":' * (TOO_DEEP // 2) + "1" + "}]" * (TOO_DEEP // 2),
}


# --- dumps: objects json writes --------------------------------------------


class Number(enum.IntEnum):
    """An IntEnum: json writes its int."""

    ONE = 1
    BIG = 2**80


class Flags(enum.IntFlag):
    """An IntFlag: json writes its int."""

    READ = 4
    WRITE = 2


class Colour(str, enum.Enum):
    """A str mixed-in Enum: json writes its str."""

    RED = "red"


class Half(float, enum.Enum):
    """A float mixed-in Enum: json writes its float."""

    HALF = 0.5


class Plain(enum.Enum):
    """An Enum of no json type: json refuses it."""

    A = 1


class Int(int):
    """An int subclass with reprs of its own, which json ignores."""

    def __repr__(self) -> str:
        return "Int(...)"

    __str__ = __repr__


class Float(float):
    """A float subclass with reprs of its own, which json ignores."""

    def __repr__(self) -> str:
        return "Float(...)"

    __str__ = __repr__


class Str(str):
    """A str subclass with reprs of its own, which json ignores."""

    def __repr__(self) -> str:
        return "Str(...)"

    __str__ = __repr__


class Dict(dict):  # type: ignore[type-arg]
    """A dict subclass."""


class ItemsDict(dict):  # type: ignore[type-arg]
    """A dict subclass whose items() json calls (PyMapping_Items, dct.items())."""

    def items(self) -> Any:
        return [("from_items", 1), *super().items()]


class TriplesDict(dict):  # type: ignore[type-arg]
    """A dict subclass whose items() gives 3-tuples: json refuses (ValueError)."""

    def items(self) -> Any:
        return [(key, value, None) for key, value in super().items()]


class List(list):  # type: ignore[type-arg]
    """A list subclass whose own __iter__ json calls (PySequence_Fast, ``for``)."""

    def __iter__(self) -> Any:
        return iter(["from_iter"])


class Tuple(tuple):  # type: ignore[type-arg]
    """A tuple subclass."""


class Point(NamedTuple):
    """A named tuple: json writes it as a list."""

    x: int
    y: float


def _moved() -> collections.OrderedDict[str, int]:
    # move_to_end changes the OrderedDict's order, not the dict underneath it:
    # json follows the OrderedDict's own items().
    ordered = collections.OrderedDict([("a", 1), ("b", 2), ("c", 3)])
    ordered.move_to_end("a")
    return ordered


CONTROL_CHARACTERS = "".join(map(chr, range(0x20))) + "\x7f"

DUMPS_OBJECTS: dict[str, Any] = {
    "none": None,
    "true": True,
    "false": False,
    "zero": 0,
    "negative": -17,
    "i64_max": 2**63 - 1,
    "i64_max_plus_1": 2**63,
    "i64_min": -(2**63),
    "i64_min_minus_1": -(2**63) - 1,
    "u64_max_plus_1": 2**64,
    "int_100_digits": 10**99,
    "int_at_digit_limit": -(10 ** ((INT_DIGITS or 4300) - 1)),
    "float_1e16": 1e16,
    "float_1e15": 1e15,
    "float_1_5e-07": 1.5e-07,
    "float_1e-05": 1e-05,
    "float_0_0001": 0.0001,
    "float_minus_zero": -0.0,
    "float_zero": 0.0,
    "float_nan": float("nan"),
    "float_inf": float("inf"),
    "float_minus_inf": float("-inf"),
    "float_min_subnormal": 5e-324,
    "float_max": 1.7976931348623157e308,
    "float_tenth": 0.1,
    "float_third": 1 / 3,
    "float_1e22": 1e22,
    "float_integral": 123456789.0,
    "float_negative_exponent": -2.5e-300,
    "string_empty": "",
    "string": "abc",
    "string_non_ascii": "Zoë Åsa 世界",
    "string_non_bmp": "🦀\U0010fffd",
    "string_lone_high": "\ud800",
    "string_lone_low": "a\udfffb",
    "string_control_characters": CONTROL_CHARACTERS,
    "string_quotes_and_slashes": "\"\\/'",
    "string_line_separators": "\u2028\u2029\x85",
    "string_1mib_mixed": "Zoë\x00世界🦀 \n" * (MIB // 16),
    "list_empty": [],
    "tuple_empty": (),
    "list": [1, "a", None, True, 1.5],
    "tuple": (1, ("a", (None,))),
    "dict_empty": {},
    "dict": {"a": 1, "b": [2, 3], "c": {"d": None}},
    "dict_order_kept": {"z": 1, "a": 2, "m": 3},
    "nested_moderately": [[[[[[[[[[{"a": [[[[]]]]}]]]]]]]]]],
    "shared_not_circular": [[1, 2]] * 3,
    "shared_dict_not_circular": {"a": {"x": 1}, "b": [{"x": 1}]},
    "key_int": {1: "a", -5: "b", 2**70: "c"},
    "key_float": {1.5: 1, 1e16: 2, -0.0: 3, 0.1: 4},
    "key_float_specials": {float("nan"): 1, float("inf"): 2, float("-inf"): 3},
    "key_bool": {True: 1, False: 2},
    "key_none": {None: 1},
    "key_mixed_same_text": {1: "int", "1": "str", 1.5: "float", "1.5": "str", False: 0},
    "key_non_ascii": {"é🦀": 1, "\ud800": 2},
    "key_int_enum": {Number.ONE: "one", Number.BIG: "big"},
    "key_str_subclass": {Str("k"): 1},
    "key_int_subclass": {Int(7): 1},
    "key_float_subclass": {Float(2.5): 1},
    "key_str_enum": {Colour.RED: 1},
    "int_enum": [Number.ONE, Number.BIG],
    "int_flag": [Flags.READ, Flags.READ | Flags.WRITE],
    "str_enum": Colour.RED,
    "float_enum": Half.HALF,
    "int_subclass": Int(42),
    "float_subclass": Float(0.1),
    "str_subclass": Str("é"),
    "dict_subclass": Dict(a=1, b=Dict(c=2)),
    "dict_subclass_own_items": ItemsDict(a=1),
    "ordered_dict": collections.OrderedDict([("b", 1), ("a", 2)]),
    "ordered_dict_moved": _moved(),
    "list_subclass_own_iter": List([1, 2]),
    "tuple_subclass": Tuple((1, 2)),
    "named_tuple": Point(1, 2.5),
    "records": [
        {"id": i, "name": f"n{i}é", "score": i / 3, "ok": i % 2 == 0, "tags": ["a", None]}
        for i in range(200)
    ],
}


def self_list() -> list[Any]:
    """A list that holds itself."""
    made: list[Any] = []
    made.append(made)
    return made


def self_dict() -> dict[str, Any]:
    """A dict that holds itself."""
    made: dict[str, Any] = {}
    made["self"] = made
    return made


def indirect_cycle() -> list[Any]:
    """A list that holds a dict that holds the list."""
    outer: list[Any] = [1, {}]
    outer[1]["back"] = outer
    return outer


def nested_lists(depth: int) -> list[Any]:
    """A list inside a list ... ``depth`` levels deep."""
    made: list[Any] = []
    for _ in range(depth):
        made = [made]
    return made


def nested_dicts(depth: int) -> dict[str, Any]:
    """A dict inside a dict ... ``depth`` levels deep."""
    made: dict[str, Any] = {}
    for _ in range(depth):
        made = {"a": made}
    return made


# Objects json.dumps refuses, made fresh for each call (a cycle is broken
# by nothing but the garbage collector), and the type it raises.
DUMPS_REFUSED: dict[str, Callable[[], Any]] = {
    "set": lambda: {1, 2},
    "frozenset": lambda: frozenset(),
    "bytes": lambda: b"abc",
    "bytearray": lambda: bytearray(b"abc"),
    "object": object,
    "complex": lambda: 1 + 2j,
    "decimal": lambda: decimal.Decimal("1.5"),
    "range": lambda: range(3),
    "type": lambda: int,
    "enum_not_int": lambda: Plain.A,
    "set_nested_in_list": lambda: [1, [2, {3}]],
    "object_as_dict_value": lambda: {"a": {"b": object()}},
    "key_tuple": lambda: {(1, 2): 1},
    "key_bytes": lambda: {b"k": 1},
    "key_frozenset": lambda: {frozenset(): 1},
    "key_nested": lambda: {"a": [{(): 1}]},
    "key_decimal": lambda: {decimal.Decimal(1): 1},
    "circular_list": self_list,
    "circular_dict": self_dict,
    "circular_indirect": indirect_cycle,
    "items_not_pairs": lambda: TriplesDict(a=1),
    "int_past_digit_limit": lambda: 10 ** (PAST_DIGITS - 1),
    "int_key_past_digit_limit": lambda: {10 ** (PAST_DIGITS - 1): 1},
    "too_deep_lists": lambda: nested_lists(TOO_DEEP),
    "too_deep_dicts": lambda: nested_dicts(TOO_DEEP),
}


# --- Hypothesis strategies -------------------------------------------------

# Any character, lone surrogates included about as often as any other kind
# (st.text() alone almost never makes one).
ANY_CHARACTER = st.characters(codec=None)
SURROGATE = st.characters(categories=["Cs"])
TEXT = st.one_of(
    st.text(),
    st.lists(st.one_of(ANY_CHARACTER, SURROGATE, st.sampled_from('"\\/\x00\n\x7f'))).map("".join),
)
INTS = st.one_of(
    st.integers(min_value=-(2**64), max_value=2**64),
    st.integers(),
    st.integers(min_value=-(10**300), max_value=10**300),
)
FLOATS = st.floats()  # NaN, infinities, -0.0 and subnormals included
SUBCLASSED_LEAVES = st.one_of(
    INTS.map(Int),
    FLOATS.map(Float),
    TEXT.map(Str),
    st.sampled_from([Number.ONE, Number.BIG, Flags.READ, Colour.RED, Half.HALF]),
)
LEAVES = st.one_of(st.none(), st.booleans(), INTS, FLOATS, TEXT, SUBCLASSED_LEAVES)
KEYS = st.one_of(TEXT, TEXT, st.none(), st.booleans(), INTS, FLOATS, SUBCLASSED_LEAVES)


def _containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    pairs = st.lists(st.tuples(KEYS, children), max_size=6)
    return st.one_of(
        st.lists(children, max_size=6),
        st.lists(children, max_size=6).map(tuple),
        st.dictionaries(KEYS, children, max_size=6),
        pairs.map(collections.OrderedDict),
        pairs.map(Dict),
    )


# Every kind of object json.dumps writes, nested: the dumps property's input.
# max_leaves: generating the objects is most of the properties' time (it
# halves from 20 leaves to 10), and ten leaves already nest every container
# in every other; the fixed cases hold the large documents.
OBJECTS = st.recursive(LEAVES, _containers, max_leaves=10)

# JSON-significant characters, for mutations that reach the parser's rules.
JSON_CHARACTERS = '{}[],:"\\/ \t\n\r-+.eE0123456789tfnulrsaINy\x00\x1f\x7fé\ud800'


# How json.dumps may lay a document out: loads must read every layout.
LAYOUTS: list[dict[str, Any]] = [
    {},
    {"indent": 2},
    {"indent": 0},
    {"indent": "\t", "ensure_ascii": False},
    {"separators": (",", ":")},
    {"separators": (" , ", " : "), "ensure_ascii": False},
]


@st.composite
def json_texts(draw: st.DrawFn) -> str:
    """A document json accepts: an object json.dumps wrote in any layout."""
    return json.dumps(draw(OBJECTS), **draw(st.sampled_from(LAYOUTS)))


def _mutate(text: str, draw: st.DrawFn) -> str:
    """One edit of ``text``: a character deleted, inserted, replaced or
    doubled, a cut, or a slice moved elsewhere."""
    at = draw(st.integers(min_value=0, max_value=len(text)))
    edit = draw(st.sampled_from(["delete", "insert", "replace", "cut", "double", "move"]))
    character = draw(st.one_of(st.sampled_from(JSON_CHARACTERS), ANY_CHARACTER))
    if edit == "delete":
        return text[:at] + text[at + 1 :]
    if edit == "insert":
        return text[:at] + character + text[at:]
    if edit == "replace":
        return text[:at] + character + text[at + 1 :]
    if edit == "cut":
        return text[:at]
    end = draw(st.integers(min_value=at, max_value=min(len(text), at + 12)))
    if edit == "double":
        return text[:end] + text[at:end] + text[end:]
    where = draw(st.integers(min_value=0, max_value=len(text)))
    rest = text[:at] + text[end:]
    return rest[:where] + text[at:end] + rest[where:]


@st.composite
def malformed_texts(draw: st.DrawFn) -> str:
    """A document json accepts, then one to three edits: most of them break
    it, in every place a parser can break; some leave it valid."""
    text = draw(json_texts())
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        text = _mutate(text, draw)
    return text


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be"]


@st.composite
def malformed_documents(draw: st.DrawFn) -> str | bytes | bytearray:
    """Malformed text as a str, or encoded in any encoding json.loads reads
    (then perhaps a byte edited too), as bytes or a bytearray."""
    text = draw(malformed_texts())
    form = draw(st.sampled_from(["str", "str", "bytes", "bytearray"]))
    if form == "str":
        return text
    encoded = text.encode(draw(st.sampled_from(ENCODINGS)), "surrogatepass")
    if encoded and draw(st.booleans()):
        at = draw(st.integers(min_value=0, max_value=len(encoded) - 1))
        encoded = encoded[:at] + bytes([draw(st.integers(0, 255))]) + encoded[at + 1 :]
    return encoded if form == "bytes" else bytearray(encoded)
