"""Lengths past what a carrier takes are read in pieces, exactly.

Two routes read some inputs in pieces, below a limit of the type that carries
them (routes.toml's [route.limits] says which): uniffi_binding's checksum
(UniFFI's ForeignBytes has an i32 length) and ctypes_binding's most_common
(ctypes.string_at takes a C int). The real limits need 2 GiB and more, which
tox -e bigmem crosses (tools/bigmem.py); here the piece size is made tiny, so
the same code runs in pieces on small inputs, against the standard library.
Each test runs on the bindings under test that read in pieces (where none
is, pytest reports its empty parameter set as a skip).
"""

from __future__ import annotations

import array
import importlib
import zlib
from collections import Counter
from types import ModuleType

import pytest
from conftest import BINDINGS

# The module attribute that holds each function's piece size, where it has one.
PIECES = {"checksum": "_PIECE", "most_common": "_INT_MAX"}

DATA = [
    b"",
    b"a",
    b"penguin" * 5,
    bytearray(range(256)) * 3,
    memoryview(array.array("i", range(50))),
    memoryview(bytes(range(200))).cast("B", (10, 20)),
]


def pieced(function: str) -> list[ModuleType]:
    """The bindings under test that read ``function``'s input in pieces."""
    modules = [importlib.import_module(name) for name in BINDINGS]
    return [module for module in modules if hasattr(module, PIECES[function])]


@pytest.mark.parametrize(
    ("pieces", "data", "piece"),
    [
        pytest.param(m, d, p, id=f"{m.__name__}-{type(d).__name__}-{len(bytes(d))}-{p}")
        for m in pieced("checksum")
        for d in DATA
        for p in (1, 2, 7, 64)
    ],
)
def test_checksum_in_pieces_is_zlibs(
    pieces: ModuleType, monkeypatch: pytest.MonkeyPatch, data: object, piece: int
) -> None:
    monkeypatch.setattr(pieces, PIECES["checksum"], piece)
    for value in (0, 1, 0xFFFFFFFF, -5):
        assert pieces.checksum(data, value) == zlib.crc32(data, value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("pieces", "piece"),
    [
        pytest.param(m, p, id=f"{m.__name__}-{p}")
        for m in pieced("most_common")
        for p in (1, 2, 5, 1000)
    ],
)
def test_most_common_in_pieces_is_counters(
    pieces: ModuleType, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    monkeypatch.setattr(pieces, PIECES["most_common"], piece)
    text = "b a b 🦀 é a c b zzzz"
    counter = pieces.WordCounter()
    counter.add(text)
    expected = Counter(text.split())
    for n in (None, 0, 1, 3, 10):
        assert counter.most_common(n) == expected.most_common(n)
