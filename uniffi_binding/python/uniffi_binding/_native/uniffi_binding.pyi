# The public names of the module that uniffi-bindgen generates from the
# library's metadata (its private ctypes helpers are not stubbed).

import typing

__all__ = [
    "InternalError",
    "GreetError",
    "JsonError",
    "FlatValue",
    "KeepError",
    "LimitError",
    "MostCommon",
    "WordCounter",
    "WordCounterProtocol",
    "Keep",
    "checksum",
    "greet",
    "hi",
    "json_dumps",
    "json_loads_bytes",
    "json_loads_str",
    "json_not_text",
    "split",
    "version",
]

class InternalError(Exception):
    """UniFFI's error for a panic caught in Rust, or a failure of its own."""

class GreetError(Exception):
    """shared_rust refused a name; the message is its Display text."""

    class Refused(GreetError):
        """The only variant: the reason is in the message."""

def greet(name: str) -> str:
    """Return "Hello, {name}!"; raise GreetError for an empty name."""

def hi() -> str:
    """Return the greeting, "Hello from Rust!"."""

def version() -> str:
    """The crate's version: maturin writes the same into the wheel's metadata."""

class LimitError(Exception):
    """A result past what UniFFI carries; the message is shared_rust's."""

    class TooLarge(LimitError):
        """The only variant: the limit is in the message."""

def split(text: str) -> list[str]:
    """The words of text, as text.split() gives them; LimitError past UniFFI's limits."""

def checksum(data: bytes, value: int) -> int:
    """zlib.crc32(data, value); data must be bytes, value a u32."""

class KeepError(Exception):
    """Why a Keep callback stopped add_kept."""

    class Raised(KeepError):
        """The callback raised; the package keeps and re-raises the exception."""

        def __init__(self) -> None: ...

    class Unexpected(KeepError):
        """UniFFI's callback machinery failed; the reason is its text."""

        reason: str
        def __init__(self, reason: str) -> None: ...

class Keep(typing.Protocol):
    """The keep callback of WordCounter.add_kept."""

    def keep(self, word: str) -> bool:
        """Whether to count word; raise KeepError.Raised to stop."""

class MostCommon:
    """most_common's pairs, as two lists."""

    __match_args__ = ()
    words: list[str]
    counts: list[int]
    def __init__(self, *, words: list[str], counts: list[int]) -> None: ...

class WordCounterProtocol(typing.Protocol):
    """The methods of WordCounter, as a protocol."""

    def add(self, text: str) -> None: ...
    def add_kept(self, text: str, keep: Keep) -> None: ...
    def count(self, word: str) -> int: ...
    def len(self) -> int: ...
    def total(self) -> int: ...
    def most_common(self, n: int | None) -> MostCommon: ...

class WordCounter(WordCounterProtocol):
    """shared_rust::WordCounter as a UniFFI object."""

    def __init__(self) -> None: ...
    def __del__(self) -> None:
        """Release the Rust object's handle, once."""
    def add(self, text: str) -> None:
        """Count every word of text."""

    def add_kept(self, text: str, keep: Keep) -> None:
        """Count the words keep keeps; KeepError stops it, counting nothing."""

    def count(self, word: str) -> int:
        """How many times word was counted."""

    def len(self) -> int:
        """How many distinct words were counted."""

    def total(self) -> int:
        """The sum of the counts."""

    def most_common(self, n: int | None) -> MostCommon:
        """The n most common words (all for None); LimitError past UniFFI's limits."""

class FlatValue:
    """A value json.loads read, in the flat format (shared_rust::json::flat)."""

    __match_args__ = ()
    data: bytes
    depth: int
    extended: bool
    def __init__(self, *, data: bytes, depth: int, extended: bool) -> None: ...

class JsonError(Exception):
    """Why a json call failed: one variant per exception the package raises."""

    class Syntax(JsonError):
        msg: str
        pos: int
        def __init__(self, msg: str, pos: int) -> None: ...

    class Decode(JsonError):
        encoding: str
        object_start: int
        start: int
        end: int
        reason: str
        def __init__(
            self, encoding: str, object_start: int, start: int, end: int, reason: str
        ) -> None: ...

    class TooDeep(JsonError):
        msg: str
        def __init__(self, msg: str) -> None: ...

    class Type(JsonError):
        msg: str
        def __init__(self, msg: str) -> None: ...

    class Value(JsonError):
        msg: str
        def __init__(self, msg: str) -> None: ...

    class IntDigits(JsonError):
        decimal: str
        def __init__(self, decimal: str) -> None: ...

    class Unsupported(JsonError):
        msg: str
        def __init__(self, msg: str) -> None: ...

    class TooLarge(JsonError):
        msg: str
        def __init__(self, msg: str) -> None: ...

def json_loads_str(
    text: bytes, max_depth: int, python_minor: int, max_int_digits: int
) -> FlatValue:
    """json.loads of a str given as WTF-8, as a flat value; JsonError as json raises."""

def json_loads_bytes(
    data: bytes, max_depth: int, python_minor: int, max_int_digits: int
) -> FlatValue:
    """json.loads of bytes, as a flat value; JsonError as json raises."""

def json_dumps(flat: bytes, max_depth: int) -> str:
    """json.dumps of an object flattened; JsonError as json raises."""

def json_not_text(type_name: str) -> str:
    """json's TypeError message for a loads argument of this type."""
