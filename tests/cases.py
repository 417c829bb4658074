"""The contract's cases and expected outcomes, written once (docs/contract.md)."""

from __future__ import annotations

import array
import collections
import mmap
import random
import re
import struct
import sys
import warnings
from collections.abc import Callable
from typing import Any

# The greeting, written down once for the whole suite.
HELLO = "Hello from Rust!"

EMPTY_NAME_MESSAGE = "name must not be empty"

MIB = 1 << 20

# Names greet() accepts; the expected result is always f"Hello, {name}!".
GOOD_NAMES: dict[str, str] = {
    "ascii": "world",
    "accents": "Zoë Åsa",
    "cjk": "世界",
    "emoji": "🦀",
    "non_bmp": "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \U0010fffd",
    "nul_only": "\x00",
    "nul_inside": "a\x00b",
    "nul_edges": "\x00mid\x00",
    "whitespace": " \t\n",
    "control": "\x01\x1b[0m\x7f",
    "bom_and_joiners": "\ufeff👩\u200d💻",
    # Either side of the PyO3 routes' switch from a Rust String to joining
    # the str itself (docs/pyo3.md), and the C ABI wrappers' 4 KiB buffer.
    "ascii_191": "x" * 191,
    "ascii_192": "x" * 192,
    "ascii_193": "x" * 193,
    "latin1_short": "é" * 3,
    "fits_4k_buffer": "x" * (4096 - len("Hello, !")),
    "just_over_4k_buffer": "x" * (4097 - len("Hello, !")),
    # Exactly 1 MiB of UTF-8: every width from 1 to 4 bytes, and NUL.
    "long_1mib_mixed": "Zoë\x00世界🦀 " * (MIB // 16),
    "long_16mib": "x" * (16 * MIB),
    "long_16mib_non_bmp": "🦀" * (4 * MIB),
}

# Not a str: TypeError in every binding.
NOT_STR: dict[str, Any] = {
    "none": None,
    "bytes": b"world",
    "bytearray": bytearray(b"world"),
    "int": 1,
    "float": 1.5,
    "list": ["world"],
    "object": object(),
}

# Lone surrogates cannot be encoded as UTF-8: UnicodeEncodeError.
LONE_SURROGATES: dict[str, str] = {
    "high": "\ud800",
    "low": "\udfff",
    "inside": "a\udc80b",
    "after_non_bmp": "🦀\ud83e",
    "after_1mib": "x" * MIB + "\udfff",
}

# Calls that must raise TypeError in every binding, as (function, args, kwargs):
# wrong argument counts, unknown keywords, and a name that is not a str.
Call = tuple[str, tuple[Any, ...], dict[str, Any]]
TYPE_ERROR_CALLS: dict[str, Call] = {
    "hi(1)": ("hi", (1,), {}),
    "hi('x')": ("hi", ("x",), {}),
    "hi(None)": ("hi", (None,), {}),
    "hi(name='x')": ("hi", (), {"name": "x"}),
    "greet()": ("greet", (), {}),
    "greet('a', 'b')": ("greet", ("a", "b"), {}),
    "greet('a', name='b')": ("greet", ("a",), {"name": "b"}),
    "greet(nom='a')": ("greet", (), {"nom": "a"}),
    **{f"greet({key})": ("greet", (value,), {}) for key, value in NOT_STR.items()},
}

# What a call did: ("ok", result) or (exception type name, message).
Outcome = tuple[str, Any]


def outcome(func: Callable[..., Any], *args: Any) -> Outcome:
    """Call ``func`` and return what it did, a result or an exception, as data."""
    try:
        return ("ok", func(*args))
    except Exception as exc:  # noqa: BLE001 - the exception is the outcome
        return (type(exc).__name__, str(exc))


def expected_greet(name: str) -> Outcome:
    """What the contract says ``greet(name)`` does, for any str ``name``."""
    if not name:
        return ("ValueError", EMPTY_NAME_MESSAGE)
    try:
        # The contract: a name that is not encodable as UTF-8 (a lone
        # surrogate) raises Python's own UnicodeEncodeError, message included.
        name.encode("utf-8")
    except UnicodeEncodeError as exc:
        return ("UnicodeEncodeError", str(exc))
    return ("ok", f"Hello, {name}!")


# A build made with HI_INJECT_BUG=panic in the environment (tox -e panic)
# panics in shared_rust's greet on this name, with this message. In every
# other build it is an ordinary name.
PANIC_PROBE_NAME = "hi_inject_bug=panic"
PANIC_PROBE_MESSAGE = "injected panic"


# What a call did, compared across bindings and with the standard library:
# ("ok", result) or ("raises", exception type). Messages are not compared:
# the contract lets TypeError's differ by route.
Kind = tuple[str, Any]


def kind(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Kind:
    """Call ``func`` and return its result, or the type of what it raised."""
    try:
        return ("ok", func(*args, **kwargs))
    except Exception as exc:  # noqa: BLE001 - the exception's type is the outcome
        return ("raises", type(exc))


# --- split: held to str.split() -------------------------------------------

# Every character that str.isspace() calls whitespace: the contract's
# definition, computed here rather than listed.
WHITESPACE = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())
# The words of a text as the contract defines them, and as CPython's
# str.split() gives them: what lies between runs of WHITESPACE. The tests hold
# the bindings to this, not to the running interpreter's str.split(): PyPy
# (3.9 and 3.11) does not split at U+001C..U+001F, though its str.isspace()
# is true for them (test_split.py records it).
_SPACE_RUN = re.compile(f"[{re.escape(WHITESPACE)}]+")


def words(text: str) -> list[str]:
    """``text.split()`` as CPython computes it, on any interpreter."""
    return [word for word in _SPACE_RUN.split(text) if word]


# Characters that look like space but are not, to Python: split must keep them.
NOT_WHITESPACE = "\x00\u180e\u200b\u200d\u2060\ufeff"

SPLIT_TEXTS: dict[str, str] = {
    "empty": "",
    "one_word": "word",
    "spaces_around": "  a  b  ",
    "only_whitespace": WHITESPACE,
    "every_whitespace_between": "w" + "w".join(WHITESPACE) + "w",
    "info_separators": "a\x1cb\x1dc\x1ed\x1fe",
    "nel_and_ideographic": "a\x85b\u3000c\u2028d\u2029e",
    "look_alikes_kept": f"a{NOT_WHITESPACE}b {NOT_WHITESPACE}",
    "nul": "a\x00b \x00 c\x00",
    "non_bmp": "🦀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢\t\U0010fffd\n🦀🦀",
    **{f"greet_{key}": name for key, name in GOOD_NAMES.items() if len(name) < 1000},
    # Many small words, then few long ones, then one word of 16 MiB.
    "many_words_1mib": "ab c\u3000" * (MIB // 5),
    "long_words_16mib": ("x" * 1023 + " ") * (16 * 1024),
    "one_word_16mib": "x" * (16 * MIB),
    "one_word_16mib_non_bmp": "🦀" * (4 * MIB),
}

# Each whitespace character alone between two words, for a failure that
# names the character.
SPLIT_EACH_WHITESPACE: dict[str, str] = {f"U+{ord(c):04X}": f"a{c}b{c}" for c in WHITESPACE}

# Lone surrogates anywhere, whitespace around them included.
SPLIT_SURROGATES: dict[str, str] = {
    **LONE_SURROGATES,
    "between_words": "a \ud800 b",
    "after_whitespace": "a\u3000\udfff",
}


def expected_split(text: str) -> Kind:
    """What the contract says ``split(text)`` does, for any str: ``text.split()``,
    or UnicodeEncodeError where ``text`` cannot be UTF-8 (a lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return ("raises", UnicodeEncodeError)
    return ("ok", words(text))


# --- checksum: held to zlib.crc32() ---------------------------------------


# Every array.array type code. PyPy 3.9's array module has no `typecodes`;
# its list is CPython's ("w" is 3.13+).
ARRAY_TYPECODES: str = getattr(array, "typecodes", "bBuhHiIlLqQfd")


class Index:
    """Not an int, but usable as one (``__index__``), as zlib.crc32 takes it."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __index__(self) -> int:
        return self.value

    def __repr__(self) -> str:
        return f"Index({self.value})"


def data_of(size: int, seed: int = 21) -> bytes:
    """``size`` bytes of deterministic noise: a misread byte changes the CRC."""
    return random.Random(seed).randbytes(size)


# Sizes either side of shared_rust::CHECKSUM_DETACH_FROM (64 KiB today, where
# the routes start to release the GIL), from the empty buffer to 1 MiB; odd
# ones too, which no multi-byte format divides.
CHECKSUM_SIZES = (0, 1, 7, 4096, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, MIB + 3)


def _array(code: str) -> Callable[[bytes], Any]:
    def make(data: bytes) -> Any:
        made = array.array(code)
        # Whole items only; 'u' is deprecated from 3.13 on, but still a type code.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            made.frombytes(data[: len(data) // made.itemsize * made.itemsize])
        return made

    return make


def _mmap(data: bytes) -> Any:
    # Anonymous, so nothing on disk. mmap refuses length 0: the empty case
    # maps one zero byte (the expected CRC is zlib's of the same object).
    mapped = mmap.mmap(-1, max(len(data), 1))
    mapped.write(data)
    return mapped


def _cast(fmt: Any, columns: int = 0) -> Callable[[bytes], Any]:
    def make(data: bytes) -> Any:
        size = struct.calcsize(fmt)
        width = size * max(columns, 1)
        whole = memoryview(data[: len(data) // width * width])
        if not columns or not whole:
            # memoryview refuses a shape with a zero in it.
            return whole.cast(fmt)
        # Multi-dimensional and C-contiguous: a plain buffer to zlib.
        return whole.cast(fmt, shape=[len(whole) // width, columns])

    return make


# Every kind of buffer the contract names, made from the same bytes. What
# each must give is what zlib.crc32 gives for the very same object.
BUFFER_KINDS: dict[str, Callable[[bytes], Any]] = {
    "bytes": bytes,
    "bytearray": bytearray,
    "memoryview_bytes": memoryview,
    "memoryview_bytearray": lambda data: memoryview(bytearray(data)),
    "memoryview_read_only": lambda data: memoryview(bytearray(data)).toreadonly(),
    "memoryview_sliced": lambda data: memoryview(data)[len(data) // 3 : len(data) - 5],
    "memoryview_int": _cast("i"),
    "memoryview_double": _cast("d"),
    "memoryview_2d_bytes": _cast("B", 16),
    "memoryview_2d_int": _cast("i", 3),
    "mmap": _mmap,
    **{f"array_{code}": _array(code) for code in ARRAY_TYPECODES},
}
try:
    import numpy  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # not a test dependency: it has no wheel for every interpreter tested
    pass
else:
    BUFFER_KINDS.update(
        {
            "numpy_uint8": lambda data: numpy.frombuffer(data, dtype=numpy.uint8),
            "numpy_2d_int32": lambda data: numpy.frombuffer(
                data[: len(data) // 8 * 8], dtype=numpy.int32
            ).reshape(-1, 2),
            # Not C-contiguous: zlib.crc32 refuses them, and so must checksum.
            "numpy_strided": lambda data: numpy.frombuffer(data, dtype=numpy.uint8)[::2],
            "numpy_fortran": lambda data: numpy.asfortranarray(
                numpy.frombuffer(data[: len(data) // 8 * 8], dtype=numpy.uint8).reshape(-1, 8)
            ),
        }
    )

# Data zlib.crc32 refuses: no buffer at all, or a buffer that is not
# C-contiguous. The exception type expected is the one zlib raises.
BAD_DATA: dict[str, Callable[[], Any]] = {
    "str": lambda: "abc",
    "none": lambda: None,
    "int": lambda: 1,
    "list": lambda: [1, 2],
    "object": object,
    "strided": lambda: memoryview(data_of(100))[::2],
    "reversed": lambda: memoryview(data_of(100))[::-1],
    "strided_empty": lambda: memoryview(b"")[::2],
    "strided_large": lambda: memoryview(data_of(MIB))[::3],
    "strided_int": lambda: memoryview(data_of(400)).cast("i")[1::2],
}

# Starting values zlib.crc32 takes (any int, bool included, or an __index__),
# and the ones it refuses.
CHECKSUM_VALUES: dict[str, Any] = {
    "0": 0,
    "1": 1,
    "-1": -1,
    "2**31": 2**31,
    "2**32-1": 2**32 - 1,
    "2**32": 2**32,
    "-2**40": -(2**40),
    "2**64+5": 2**64 + 5,
    "10**30": 10**30,
    "-10**30": -(10**30),
    "True": True,
    "False": False,
    "Index(7)": Index(7),
    "Index(-2**40)": Index(-(2**40)),
}
BAD_CHECKSUM_VALUES: dict[str, Any] = {
    "1.5": 1.5,
    "None": None,
    "'1'": "1",
    "b'1'": b"1",
    "object": object(),
}

# --- WordCounter: held to collections.Counter -----------------------------


class CounterOracle:
    """The contract's WordCounter, written with collections.Counter: what
    every binding's WordCounter is compared with, after the same calls."""

    def __init__(self) -> None:
        self.counts: collections.Counter[str] = collections.Counter()

    def add(self, text: str, keep: Callable[[str], Any] | None = None) -> None:
        """Count the words of ``text.split()`` that ``keep`` keeps, all at once;
        a text that is not UTF-8 (a lone surrogate) raises UnicodeEncodeError."""
        text.encode("utf-8")
        kept = [word for word in words(text) if keep is None or keep(word)]
        self.counts.update(kept)

    def count(self, word: str) -> int:
        """How many times ``word`` was counted."""
        word.encode("utf-8")
        return self.counts[word]

    def __len__(self) -> int:
        return len(self.counts)

    def total(self) -> int:
        """The sum of the counts (Counter.total() is 3.10+)."""
        return sum(self.counts.values())

    def most_common(self, n: int | None = None) -> list[tuple[str, int]]:
        """Counter.most_common(n)."""
        return self.counts.most_common(n)


def counter_state(counter: Any) -> tuple[list[tuple[str, int]], int, int]:
    """Everything a counter says about itself: (most_common(), len, total())."""
    return (counter.most_common(), len(counter), counter.total())


# Sequences of texts to add, one counter per sequence.
ADD_SEQUENCES: dict[str, list[str]] = {
    "nothing": [],
    "empty_texts": ["", " \t\n", WHITESPACE],
    # Ties broken by the order the words were first counted, not by the word.
    "ties": ["d b c a", "a b", "c"],
    "ties_reversed_alphabet": ["z y x w", "w x y z"],
    "one_word_many_times": ["a a a", "a"],
    "unicode": ["🦀 Zoë 世界 a\x00b", "🦀\u3000x\x1cy", "\U0010fffd 🦀"],
    "whitespace_kinds": ["w".join(WHITESPACE), "w x"],
    "many": [" ".join(random.Random(seed).choices("abcdefghij", k=50)) for seed in range(40)],
    "many_distinct": [" ".join(f"w{i}_{j}" for j in range(100)) for i in range(20)],
}

# n for most_common(n): None, ints around the counter's size, negative ones
# (they give []), and ones past any size (they give all).
MOST_COMMON_NS: dict[str, int | None] = {
    "None": None,
    "0": 0,
    "1": 1,
    "2": 2,
    "3": 3,
    "100": 100,
    "-1": -1,
    "-10**30": -(10**30),
    "2**64": 2**64,
    "10**30": 10**30,
    "True": True,
    "False": False,
}
# Neither None nor an int: TypeError (the contract).
BAD_MOST_COMMON_NS: dict[str, Any] = {"1.5": 1.5, "'1'": "1", "list": [1], "object": object()}
# Neither None nor callable: TypeError, even when there is no word to offer.
NOT_CALLABLE: dict[str, Any] = {"int": 1, "str": "x", "bytes": b"", "list": [], "object": object()}


class CustomError(ValueError):
    """An Exception subclass of the test's own."""


class CustomBaseException(BaseException):
    """A BaseException that is not an Exception, of the test's own."""


# What a keep callback may raise: the contract says any BaseException comes
# out of add as the same object.
KEEP_RAISES: dict[str, Callable[[], BaseException]] = {
    "ValueError": lambda: ValueError("keep refused"),
    "CustomError": lambda: CustomError("a subclass"),
    "TypeError": lambda: TypeError("the callback's own TypeError"),
    "UnicodeEncodeError": lambda: UnicodeEncodeError("utf-8", "\ud800", 0, 1, "mine"),
    "StopIteration": lambda: StopIteration(1),
    "KeyboardInterrupt": KeyboardInterrupt,
    "SystemExit": lambda: SystemExit(3),
    "GeneratorExit": GeneratorExit,
    "CustomBaseException": lambda: CustomBaseException("not an Exception"),
}


class Truth:
    """A keep result whose truth value is computed by Python code."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __bool__(self) -> bool:
        if isinstance(self.value, BaseException):
            raise self.value
        return bool(self.value)


# keep results that are not bools: their truth value decides.
KEEP_RESULTS: dict[str, Callable[[str], Any]] = {
    "bool": lambda word: len(word) % 2 == 1,
    "int": lambda word: len(word) % 2,
    "str": lambda word: word[1:],
    "list": lambda word: list(word[1:]),
    "none": lambda word: None,
    "object": lambda word: object(),
    "truth": lambda word: Truth(word.startswith("a")),
}

KEEP_TEXTS = ["a bb ccc a dddd bb e", "ab a b\u3000abc"]
