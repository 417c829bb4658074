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
import threading
from typing import NoReturn

from ._native import (
    HI_STATUS_EMPTY_NAME,
    HI_STATUS_INVALID_UTF8,
    HI_STATUS_NULL_POINTER,
    HI_STATUS_PANIC,
    lib,
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
# Greetings up to this size go into a buffer each thread keeps (allocated on
# its first call, freed with the thread), with its ctypes reference made once.
# Per thread, because ctypes releases the GIL during the call, so two threads
# may be inside Rust at once.
_SCRATCH = 4096
_scratch = threading.local()

# Looked up once: these run on every call.
_greet = lib.hi_greet_into
_byref = ctypes.byref
_char_at = ctypes.c_char.from_buffer
_encode = str.encode


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
    buf: bytearray
    if cap <= _SCRATCH:
        try:
            buf, ref = _scratch.buf
        except AttributeError:
            buf = bytearray(_SCRATCH)
            ref = _byref(_char_at(buf))
            _scratch.buf = buf, ref
        # None: the greeting's length is known (cap); only an error needs it.
        if _greet(data, size, ref, cap, None):
            _raise(data)
        return buf[:cap].decode()
    # A bytearray reached through a c_char at its start, not a ctypes array:
    # ctypes keeps every array type it makes (one per size) for good.
    buf = bytearray(cap)
    if _greet(data, size, _byref(_char_at(buf)), cap, None):
        _raise(data)
    return buf.decode()


def _raise(data: bytes) -> NoReturn:
    """Raise the error hi_greet_into reported for ``data``, with Rust's message.

    The error path only: the call is made again, with room for the message
    (hi_greet_into is pure, so it fails the same way).
    """
    length = ctypes.c_size_t()
    status = _greet(data, len(data), None, 0, _byref(length))
    buf = bytearray(length.value)
    status = _greet(data, len(data), _byref(_char_at(buf)), length.value, _byref(length))
    raise _ERRORS[status](buf.decode())
