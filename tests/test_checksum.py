"""checksum(data, value=0, /) in docs/contract.md, on every binding: it is
zlib.crc32, for what zlib.crc32 takes and for what it refuses (the same
exception type, computed by calling zlib.crc32 on the same objects)."""

from __future__ import annotations

import array
import mmap
import sys
import zlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from cases import (
    BAD_CHECKSUM_VALUES,
    BAD_DATA,
    BUFFER_KINDS,
    CHECKSUM_SIZES,
    CHECKSUM_VALUES,
    data_of,
    kind,
)


def assert_no_export_held(buffer: Any) -> None:
    """Fail if anything still holds a view of ``buffer``: each of these
    refuses to resize, release or close while an export is held."""
    if isinstance(buffer, bytearray):
        buffer.append(0)
        del buffer[-1]
    elif isinstance(buffer, array.array):
        buffer.frombytes(bytes(buffer.itemsize))
    elif isinstance(buffer, memoryview):
        buffer.release()
    elif isinstance(buffer, mmap.mmap):
        buffer.close()


@pytest.mark.parametrize("size", CHECKSUM_SIZES)
@pytest.mark.parametrize("make", BUFFER_KINDS.values(), ids=BUFFER_KINDS.keys())
def test_checksum_is_crc32_of_any_buffer(
    binding: ModuleType, make: Callable[[bytes], Any], size: int
) -> None:
    buffer = make(data_of(size))
    expected = kind(zlib.crc32, buffer)
    assert expected[0] == "ok", expected
    result = binding.checksum(buffer)
    assert type(result) is int
    assert result == expected[1]
    # With a starting value too: the CRC of this buffer continued from it.
    assert binding.checksum(buffer, 0xDEADBEEF) == zlib.crc32(buffer, 0xDEADBEEF)
    assert_no_export_held(buffer)


def test_checksum_continues_a_crc(binding: ModuleType) -> None:
    # crc32(a + b) == crc32(b, crc32(a)): the value is the running CRC.
    first, second = data_of(1000, seed=1), data_of(70_000, seed=2)
    running = binding.checksum(second, binding.checksum(first))
    assert running == zlib.crc32(first + second)


@pytest.mark.parametrize("value", CHECKSUM_VALUES.values(), ids=CHECKSUM_VALUES.keys())
@pytest.mark.parametrize("size", [0, 5, 100_000])
def test_checksum_takes_any_int_value(binding: ModuleType, value: Any, size: int) -> None:
    data = data_of(size)
    expected = kind(zlib.crc32, data, value)
    assert expected[0] == "ok", expected
    assert binding.checksum(data, value) == expected[1]


@pytest.mark.parametrize("value", BAD_CHECKSUM_VALUES.values(), ids=BAD_CHECKSUM_VALUES.keys())
def test_checksum_refuses_what_zlib_refuses_as_value(binding: ModuleType, value: Any) -> None:
    data = bytearray(data_of(100))
    refused = kind(zlib.crc32, data, value)
    assert refused[0] == "raises", refused
    with pytest.raises(refused[1]) as info:
        binding.checksum(data, value)
    assert type(info.value) is refused[1]
    # Refused after data was taken, perhaps: no export may be left behind.
    assert_no_export_held(data)


# PyPy 3.9's zlib.crc32 reads a non-contiguous memoryview; CPython's and
# PyPy 3.11's refuse it with BufferError, and so does every route everywhere.
ZLIB_READS_STRIDED = sys.implementation.name == "pypy" and sys.version_info < (3, 11)


@pytest.mark.parametrize("make", BAD_DATA.values(), ids=BAD_DATA.keys())
def test_checksum_refuses_what_zlib_refuses_as_data(
    binding: ModuleType, make: Callable[[], Any]
) -> None:
    refused = kind(zlib.crc32, make())
    if refused[0] == "ok" and ZLIB_READS_STRIDED and isinstance(make(), memoryview):
        # The contract's rule, CPython's zlib's, on every interpreter.
        refused = ("raises", BufferError)
    assert refused[0] == "raises", refused
    for args in [(make(),), (make(), 1)]:
        with pytest.raises(refused[1]) as info:
            binding.checksum(*args)
        # TypeError for no buffer, BufferError for one that is not C-contiguous.
        assert type(info.value) is refused[1], args


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        ((), {}),
        ((), {"data": b"abc"}),
        ((b"abc",), {"value": 1}),
        ((), {"data": b"abc", "value": 1}),
        ((b"abc", 1, 2), {}),
        ((b"abc",), {"other": 1}),
    ],
    ids=["none", "data_by_keyword", "value_by_keyword", "both_by_keyword", "three", "unknown"],
)
def test_checksum_arguments_are_positional_only(
    binding: ModuleType, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    refused = kind(zlib.crc32, *args, **kwargs)
    assert refused == ("raises", TypeError)
    with pytest.raises(TypeError) as info:
        binding.checksum(*args, **kwargs)
    assert type(info.value) is TypeError


def test_checksum_holds_no_export_after_the_call(binding: ModuleType) -> None:
    # Every path: a small and a large buffer (either side of the GIL release),
    # a memoryview of it, and a call refused for its value.
    for size in (10, 1 << 20):
        data = bytearray(data_of(size))
        assert binding.checksum(data) == zlib.crc32(data)
        data.extend(b"more")
        assert binding.checksum(data) == zlib.crc32(data)
        view = memoryview(data)
        assert binding.checksum(view, 3) == zlib.crc32(view, 3)
        view.release()
        with pytest.raises(TypeError):
            binding.checksum(data, None)
        data.clear()
        assert binding.checksum(data) == zlib.crc32(b"")
