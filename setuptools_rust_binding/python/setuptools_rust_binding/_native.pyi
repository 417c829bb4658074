# The same file in pyo3_binding and setuptools_rust_binding, which build one
# glue (src/lib.rs); tests/test_copies.py fails when the copies differ.
# PyO3 lists every name a module adds in its __all__, in the order added.
from collections.abc import Callable
from typing import Any, final

# Buffer (PEP 688): collections.abc.Buffer from 3.12; typing_extensions'
# for 3.11, which mypy's bundled typeshed knows (a stub import: nothing at run time).
from typing_extensions import Buffer

__all__ = ["hi", "greet", "split", "checksum", "WordCounter", "loads", "dumps", "__version__"]

__version__: str

def hi() -> str:
    """Return the greeting, "Hello from Rust!"."""

def greet(name: str) -> str:
    """Return "Hello, {name}!"; raise ValueError for an empty name."""

def split(text: str) -> list[str]:
    """Return text.split(): the words between runs of whitespace, as strs."""

def checksum(data: Buffer, value: int = 0, /) -> int:
    """Return zlib.crc32(data, value): the CRC-32 of any C-contiguous buffer,
    read in place, continuing from value.
    """

def loads(s: str | bytes | bytearray) -> Any:
    """Return json.loads(s): the value of the JSON document s (str, bytes
    or bytearray).
    """

def dumps(obj: Any) -> str:
    """Return json.dumps(obj): obj as JSON text, with json's default
    separators, ensure_ascii, and floats as repr writes them.
    """

@final
class WordCounter:
    """Counts words as collections.Counter(text.split()) does, from any
    number of threads.
    """

    def __new__(cls) -> WordCounter:
        """Make an empty counter."""

    def add(self, text: str, keep: Callable[[str], object] | None = None) -> None:
        """Count the words of text.split(); with keep, only those for which
        keep(word) is true. An exception from keep leaves the counter
        unchanged.
        """

    def count(self, word: str) -> int:
        """Return how many times word was counted (0 if never)."""

    def __len__(self) -> int:
        """Return the number of distinct words counted."""

    def total(self) -> int:
        """Return the sum of the counts."""

    def most_common(self, n: int | None = None) -> list[tuple[str, int]]:
        """Return the n most common words and their counts (all for None),
        highest first, ties in the order first counted.
        """
