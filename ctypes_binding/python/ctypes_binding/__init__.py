"""shared_rust's ``hi()`` and ``greet(name)``, behind a C ABI, loaded with ctypes.

The shared library beside this file (``_hi_c_abi`` plus the platform's
suffix) is the C ABI that ``cffi_binding`` also exposes, declared in
``hi_c_abi.h``.
Every function's ``argtypes`` and ``restype`` is declared in ``_native.py``;
this module only converts Python values to C and back, and statuses to
exceptions, so it raises what the PyO3 bindings raise. docs/c-abi.md explains
the shape of the C calls.
"""

from __future__ import annotations

import ctypes
from typing import NoReturn

from ._native import (
    HI_STATUS_EMPTY_NAME,
    HI_STATUS_INVALID_UTF8,
    HI_STATUS_NULL_POINTER,
    HI_STATUS_PANIC,
    HiBuffer,
    lib,
    lib_holding_gil,
)

__all__ = ["hi", "greet"]
__version__: str = lib.hi_version().decode()


class PanicException(BaseException):
    """Rust panicked inside the library; the message is the panic's.

    Like PyO3's ``pyo3_runtime.PanicException``, a ``BaseException``: a panic
    is a bug, not an error that ``except Exception`` should swallow.
    """


# Errors in one place: every status but OK, mapped to the exception PyO3
# raises for it. The message always comes from Rust.
_ERRORS: dict[int, type[BaseException]] = {
    HI_STATUS_EMPTY_NAME: ValueError,
    HI_STATUS_INVALID_UTF8: ValueError,
    HI_STATUS_NULL_POINTER: ValueError,
    HI_STATUS_PANIC: PanicException,
}

# The constant greeting, made a str once from Rust's C string: every route
# caches it (the PyO3 routes intern it), so hi() costs no C call.
_HI: str = lib.hi_hi().decode()
# The greeting of a name of n bytes is n + _EXTRA bytes: buffers are sized
# before the call, and Rust writes the greeting straight into them.
_EXTRA: int = lib.hi_greet_extra()
# Buffers Rust writes greetings into, kept between calls, each with its
# HiBuffer (the C struct that describes it to Rust, set once): a fresh
# bytearray is zero-filled, and at 1 MiB and more a fresh buffer on every call
# is what makes glibc map, fault in and unmap pages each time (docs/c-abi.md).
# A call takes a buffer off this list, so it owns it alone (a large call
# releases the GIL, and a signal handler may call greet in the middle of
# another call), and puts it back when done: the list holds at most one
# buffer per call that ran at the same time. A buffer that is too small is
# replaced by one the size of the greeting; one larger than _KEEP is used once
# and freed.
_SMALL = 4096
# glibc's malloc keeps freed blocks of up to 32 MiB in its heap (the ceiling of
# its dynamic mmap threshold on 64-bit): the same bound for what is kept here.
_KEEP = 32 << 20
_spare: list[tuple[HiBuffer, bytearray, int]] = []

# Looked up once: these run on every call. A small greeting's call keeps the
# GIL: Rust's work is shorter than releasing and retaking it, which cost about
# 100 ns of a 1 us call (docs/c-abi.md). A larger one's releases it, so other
# threads run while Rust copies (the threads table: two threads on a 1 MiB
# name make more calls than one).
_greet = lib.hi_greet_into
_greet_holding_gil = lib_holding_gil.hi_greet_into
_encode = str.encode
_take = _spare.pop
_give_back = _spare.append


def _describe(buf: bytearray) -> HiBuffer:
    """The HiBuffer of ``buf``, through a c_char at its start.

    Not a ctypes array: ctypes keeps every array type it makes (one per size)
    for good. The pointer holds a buffer export of the bytearray, which keeps
    it alive and stops it from being resized while the HiBuffer lives.
    """
    return HiBuffer(ctypes.pointer(ctypes.c_char.from_buffer(buf)), len(buf), 0)


def _new_buffer(cap: int) -> tuple[HiBuffer, bytearray, int]:
    """A buffer of at least ``cap`` bytes, with its HiBuffer and its size."""
    buf = bytearray(max(cap, _SMALL))
    return _describe(buf), buf, len(buf)


def hi() -> str:
    """Return the greeting, "Hello from Rust!"."""
    return _HI


def greet(name: str) -> str:
    """Return "Hello, {name}!"; raise ValueError for an empty name."""
    try:
        # str.encode rather than name.encode: it refuses non-str with a
        # TypeError, and a lone surrogate with UnicodeEncodeError, as PyO3 does.
        data = _encode(name)
    except TypeError:
        raise TypeError(f"greet() argument 'name' must be str, not {type(name).__name__}") from None
    size = len(data)
    cap = size + _EXTRA
    try:
        entry = _take()
    except IndexError:
        entry = _new_buffer(cap)
    out, buf, room = entry
    if cap > room:
        out, buf, room = entry = _new_buffer(cap)
    try:
        if cap <= _SMALL:
            if status := _greet_holding_gil(data, size, out):
                _raise(status, out, buf, data)
            # A bytearray slice decodes fastest.
            return buf[:cap].decode()
        if status := _greet(data, size, out):
            _raise(status, out, buf, data)
        # The name's bytes go before the str is made: one large block alive at
        # a time, not two, keeps glibc from handing pages back after every call.
        del data
        # Decoded straight from the buffer, no intermediate copy.
        return str(memoryview(buf)[:cap], "utf-8")
    finally:
        # Given back on every path, the error ones too; a buffer over _KEEP never.
        if room <= _KEEP:
            _give_back(entry)


def _raise(status: int, out: HiBuffer, buf: bytearray, data: bytes) -> NoReturn:
    """Raise the error hi_greet_into reported for ``data``, with Rust's message.

    The message is in the buffer if it fit; else the call is made once more,
    with room for it (hi_greet_into is pure, so it fails the same way).
    """
    length = out.len
    if length > out.cap:
        buf = bytearray(length)
        out = _describe(buf)
        status = _greet(data, len(data), out)
        length = out.len
    raise _ERRORS[status](buf[:length].decode())
