"""shared_rust's hi, greet, split, checksum, WordCounter, loads, dumps: a C ABI, with ctypes.

The shared library beside this file (``_hi_c_abi`` plus the platform's
suffix) is the C ABI that ``cffi_binding`` also exposes, declared in
``hi_c_abi.h``.
Every function's ``argtypes`` and ``restype`` is declared in ``_native.py``;
this module only converts Python values to C and back, and statuses to
exceptions, so it raises what the PyO3 bindings raise. docs/c-abi.md explains
the shape of the C calls.

cffi_binding's ``__init__.py`` makes the same C calls in the same order with
cffi, so many lines of the two match: greet and its buffer pool,
``_words``, the counter's methods, loads and dumps. What knows neither cffi
nor ctypes is written once, in ``_common.py``, and the flat encoding of
loads and dumps in ``_flat.py``. The rest stays in each module, written
out: it holds ctypes's own calls and memory, and it runs on every call,
where a shared helper would add a Python call to each.
"""

from __future__ import annotations

import ctypes
import operator
import sys
import weakref
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

from . import _common, _flat
from ._common import KEEP as _KEEP
from ._common import SMALL as _SMALL
from ._common import PanicException as PanicException
from ._common import utf8 as _utf8
from ._native import (
    HI_STATUS_PANIC,
    HiBuffer,
    HiJson,
    HiMostCommon,
    HiSpans,
    Py_buffer,
    buffer_api,
    lib,
    lib_holding_gil,
    statuses,
)

__all__ = ["hi", "greet", "split", "checksum", "WordCounter", "loads", "dumps"]
__version__: str = lib.hi_version().decode()


# Errors in one place: every status but OK, mapped to the exception PyO3
# raises for it (_common.errors), the statuses as the header declares them
# (_native reads them from hi_c_abi.h). The message always comes from Rust.
_ERRORS = _common.errors(statuses)

# The constant greeting, made a str once from Rust's C string: every route
# caches it (the PyO3 routes intern it), so hi() costs no C call.
_HI: str = lib.hi_hi().decode()
# The greeting of a name of n bytes is n + _EXTRA bytes: buffers are sized
# before the call, and Rust writes the greeting straight into them.
_EXTRA: int = lib.hi_greet_extra()
# Buffers Rust writes greetings into, kept between calls as _common says (a
# fresh bytearray is also zero-filled; a large call releases the GIL), each
# with its HiBuffer: (HiBuffer, bytearray, size).
_spare: list[tuple[HiBuffer, bytearray, int]] = []

# Looked up once: these run on every call. A small greeting's call keeps the
# GIL: Rust's work is shorter than releasing and retaking it (docs/c-abi.md).
# A larger one's releases it, so other threads run while Rust copies (the
# report's threads table).
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
        # _common.utf8, written out: greet's call is the shortest of all.
        data = _encode(name)
    except TypeError:
        raise _common.not_str("greet", "name", name) from None
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


def _raise_last(status: int) -> NoReturn:
    """Raise the error of the call that just returned ``status`` on this thread.

    Every function but hi_greet_into leaves its message in hi_last_error.
    """
    raise _ERRORS[status](_last_error_text())


def _last_error_text() -> str:
    """The message of this thread's latest failed call (hi_last_error)."""
    buf = bytearray(_SMALL)
    out = _describe(buf)
    lib_holding_gil.hi_last_error(out)
    if out.len > len(buf):
        buf = bytearray(out.len)
        out = _describe(buf)
        lib_holding_gil.hi_last_error(out)
    return buf[: out.len].decode()


def _lib_for(size: int) -> Any:
    """The library to call for ``size`` bytes of work: small calls keep the GIL (see greet)."""
    return lib_holding_gil if size <= _SMALL else lib


_index = operator.index
_str = str.__str__
_c_char = ctypes.c_char
_addressof = ctypes.addressof
_SIZE_T = ctypes.sizeof(ctypes.c_size_t)
_SIZE_MAX = (1 << (8 * _SIZE_T)) - 1
# The spans are read as "P" (void *), size_t's size wherever CPython and PyPy
# run: the one unsigned format of that size typeshed's memoryview.cast knows.
# From this many bytes on, checksum releases the GIL: shared_rust's threshold.
_DETACH_FROM: int = lib.hi_checksum_detach_from()
_checksum_releasing_gil = lib.hi_checksum
_checksum_holding_gil = lib_holding_gil.hi_checksum

# The span buffers hi_split writes into, kept between calls as the greeting
# buffers are: (HiSpans, bytearray, words). One starts with room for _SPANS
# words; one too small is replaced by one of the exact size (the call is made
# again); one over _KEEP bytes is used once.
_SPANS = 512
_spare_spans: list[tuple[HiSpans, bytearray, int]] = []
_take_spans = _spare_spans.pop
_give_back_spans = _spare_spans.append


def _new_spans(words: int) -> tuple[HiSpans, bytearray, int]:
    """A span buffer for at least ``words`` words: its HiSpans, the buffer, its room."""
    room = max(words, _SPANS)
    buf = bytearray(2 * _SIZE_T * room)
    # As in _describe: a pointer through the buffer's first byte, which holds
    # an export of the bytearray for as long as the HiSpans lives.
    first = ctypes.pointer(_c_char.from_buffer(buf))
    spans = HiSpans(ctypes.cast(first, ctypes.POINTER(ctypes.c_size_t)), room, 0)
    return spans, buf, room


def _words(text: str, data: bytes) -> list[str]:
    """The words of ``text`` (whose UTF-8 is ``data``): Rust's spans, sliced here.

    Rust finds every word and writes where it starts and ends, in characters;
    Python only slices the original ``str`` there (docs/c-abi.md).
    """
    try:
        entry = _take_spans()
    except IndexError:
        entry = _new_spans(0)
    out, buf, room = entry
    split_ = _lib_for(len(data)).hi_split
    try:
        if status := split_(data, len(data), out):
            _raise_last(status)
        words = out.len
        if words > room:
            out, buf, room = entry = _new_spans(words)
            if status := split_(data, len(data), out):
                _raise_last(status)
        if type(text) is not str:
            # A subclass may override slicing; its plain str may not.
            text = _str(text)
        with memoryview(buf) as view:
            ends: Iterator[int] = iter(view[: 2 * _SIZE_T * words].cast("P"))
            return [text[start:end] for start, end in zip(ends, ends)]
    finally:
        if len(buf) <= _KEEP:
            _give_back_spans(entry)


def split(text: str) -> list[str]:
    """Return ``text.split()``: the words between runs of whitespace."""
    return _words(text, _utf8(text, "split", "text"))


def _crc(address: Any, size: int, value: int) -> int:
    """hi_checksum of ``size`` bytes at ``address`` (bytes, an int address or None)."""
    out = ctypes.c_uint32()
    call = _checksum_holding_gil if size < _DETACH_FROM else _checksum_releasing_gil
    if status := call(address, size, value, out):
        _raise_last(status)
    return out.value


def checksum(data: Any, value: int = 0, /) -> int:
    """Return ``zlib.crc32(data, value)``: the CRC-32 of any C-contiguous buffer, read in place."""
    # operator.index: what zlib.crc32 accepts (int, bool, __index__), modulo 2**32.
    value = _index(value) & 0xFFFFFFFF
    if type(data) is bytes:
        # c_void_p passes a bytes object's own storage: no copy, no export.
        return _crc(data, len(data), value)
    if type(data) is bytearray and data and buffer_api is not None:
        # Writable: ctypes points at its first byte, holding an export that
        # ends with the c_char (del), so the bytearray can be resized after.
        # Not on PyPy (no buffer_api there), whose export lasts until its GC
        # collects the c_char.
        first = _c_char.from_buffer(data)
        try:
            return _crc(_addressof(first), len(data), value)
        finally:
            del first
    return _checksum_exported(data, value)


def _checksum_exported(data: Any, value: int) -> int:
    """checksum of any other buffer: exported as zlib.crc32 does, released after.

    PyObject_GetBuffer(data, PyBUF_SIMPLE) is exactly what zlib.crc32 asks, so
    it refuses the same objects with the same exceptions, and it reads a
    read-only buffer in place, which ctypes' from_buffer cannot.
    """
    if buffer_api is None:
        return _checksum_copied(data, value)
    get, release = buffer_api
    view = Py_buffer()
    get(data, view, 0)  # PyBUF_SIMPLE; raises what the buffer raises
    try:
        return _crc(view.buf, view.len, value)
    finally:
        release(view)


def _checksum_copied(data: Any, value: int) -> int:
    """checksum without the C API (PyPy): any buffer but bytes is copied.

    PyPy's ctypes has no PyObject_GetBuffer, and the export its from_buffer
    takes lasts until the GC collects the ctypes object, long after the call:
    a bytearray could not be resized after it. So on PyPy only, a buffer that
    is not bytes is copied once, the one copy of its input this package makes
    (docs/c-abi.md).
    """
    with memoryview(data) as view:
        if not view.c_contiguous:
            raise BufferError("checksum() needs a C-contiguous buffer")
        copy = view.tobytes()
    return _crc(copy, len(copy), value)


# ctypes.string_at declares its size a C int, which wraps past 2 GiB (4 GiB
# + 5 bytes would read 5): longer texts are read in pieces of at most this.
_INT_MAX = (1 << (8 * ctypes.sizeof(ctypes.c_int) - 1)) - 1


def _bytes_at(pointer: Any, size: int) -> bytes:
    """The ``size`` bytes at ``pointer``, whatever the size (one piece: no extra copy)."""
    address: int = ctypes.cast(pointer, ctypes.c_void_p).value or 0
    pieces = range(0, size, _INT_MAX)
    return b"".join(ctypes.string_at(address + at, min(_INT_MAX, size - at)) for at in pieces)


def _free_counter(counter: int) -> None:
    """Free a counter's Rust state: called once, by its finalizer."""
    lib_holding_gil.hi_counter_free(counter)


class WordCounter:
    """Words counted in Rust, as ``collections.Counter(text.split())`` counts them.

    Owns one ``HiWordCounter``, freed exactly once when the object is
    collected (``weakref.finalize``).
    """

    __slots__ = ("__weakref__", "_counter")

    def __init__(self) -> None:
        """An empty counter."""
        counter = lib_holding_gil.hi_counter_new()
        if not counter:
            _raise_last(HI_STATUS_PANIC)
        self._counter: int = counter
        weakref.finalize(self, _free_counter, counter)

    def add(self, text: str, keep: Callable[[str], object] | None = None) -> None:
        """Count the words of ``text.split()``; with ``keep``, those ``keep(word)`` is true for.

        ``keep`` is called here, in Python, on the words Rust found, in order;
        an exception it (or its result's truth value) raises leaves as is,
        and nothing is counted. Rust then counts the kept words all at once.
        """
        if keep is not None and not callable(keep):
            raise _common.not_callable(keep)
        data = _utf8(text, "add", "text")
        library = _lib_for(len(data))
        if keep is None:
            status = library.hi_counter_add(self._counter, data, len(data))
        else:
            kept = _common.mask(keep, _words(text, data))
            status = library.hi_counter_add_mask(self._counter, data, len(data), kept, len(kept))
        if status:
            _raise_last(status)

    def count(self, word: str) -> int:
        """How many times ``word`` was counted: 0 if never."""
        data = _utf8(word, "count", "word")
        out = ctypes.c_uint64()
        if status := lib_holding_gil.hi_counter_count(self._counter, data, len(data), out):
            _raise_last(status)
        return out.value

    def __len__(self) -> int:
        """How many distinct words were counted."""
        out = ctypes.c_size_t()
        if status := lib_holding_gil.hi_counter_len(self._counter, out):
            _raise_last(status)
        return out.value

    def total(self) -> int:
        """The sum of the counts."""
        out = ctypes.c_uint64()
        if status := lib_holding_gil.hi_counter_total(self._counter, out):
            _raise_last(status)
        return out.value

    def most_common(self, n: int | None = None) -> list[tuple[str, int]]:
        """The ``n`` most common words and their counts (all for None), as Counter.most_common."""
        # None: all; an int saturates to size_t (a negative one gives none).
        limit = _SIZE_MAX if n is None else min(max(_index(n), 0), _SIZE_MAX)
        out = HiMostCommon()
        if status := lib.hi_counter_most_common(self._counter, limit, out):
            _raise_last(status)
        try:
            if not out.len:
                return []
            # The words arrive joined by "\n", which no word holds.
            words = _bytes_at(out.words, out.words_len).decode().split("\n")
            return list(zip(words, out.counts[: out.len]))
        finally:
            lib_holding_gil.hi_most_common_free(out)


_recursion_limit = sys.getrecursionlimit
_LOAD_ERRORS = {
    statuses["HI_STATUS_JSON_SYNTAX"]: "syntax",
    statuses["HI_STATUS_JSON_DECODE"]: "decode",
    statuses["HI_STATUS_JSON_INT_DIGITS"]: "int_digits",
}
_FLAT_UNSUPPORTED = statuses["HI_STATUS_FLAT_UNSUPPORTED"]


def _take_json(out: HiJson) -> bytes:
    """The buffer a hi_json_* call returned in ``out``, copied, then freed."""
    try:
        return _bytes_at(out.ptr, out.len)
    finally:
        lib_holding_gil.hi_json_free(out)


# loads and dumps have the same steps in cffi_binding and ctypes_binding (the
# checks and rebuilding live once, in _flat.py and Rust); what differs is each
# library's call, its HiJson and how the buffer is read, so each wrapper stays
# in its own package, which builds and installs alone from its sdist.
def loads(s: str | bytes | bytearray) -> Any:
    """Return ``json.loads(s)``: Rust parses, marshal (or _flat.decode) builds the objects."""
    given = _flat.loads_input(s)
    if given is None:
        name = type(s).__name__.encode("utf-8", "surrogatepass")
        _raise_last(lib_holding_gil.hi_json_not_text(name, len(name)))
    data, is_str = given
    library = _lib_for(len(data))
    call = library.hi_json_loads_str if is_str else library.hi_json_loads_bytes
    out = HiJson()
    status = call(data, len(data), _recursion_limit(), _flat.PYTHON_MINOR, _flat.int_digits(), out)
    if status:
        kind = _LOAD_ERRORS.get(status)
        if kind is None:
            _raise_last(status)
        encoding = _bytes_at(out.encoding, out.encoding_len).decode() if out.encoding_len else ""
        raise _flat.load_error(
            kind, _last_error_text(), s, out.pos, out.start, out.end, encoding
        ) from None
    return _flat.rebuild(_take_json(out), out.depth, bool(out.extended))


def dumps(obj: Any) -> str:
    """Return ``json.dumps(obj)``: Python flattens (marshal, or _flat.walk), Rust writes."""
    flat = _flat.encode(obj)
    out = HiJson()
    status = _lib_for(len(flat)).hi_json_dumps(flat, len(flat), _recursion_limit(), out)
    if status == _FLAT_UNSUPPORTED:
        # marshal wrote what JSON has no value for: flattened again, as json walks.
        flat = _flat.walk(obj)
        status = _lib_for(len(flat)).hi_json_dumps(flat, len(flat), _recursion_limit(), out)
    if status:
        _raise_last(status)
    # ASCII (ensure_ascii).
    return _take_json(out).decode("ascii")
