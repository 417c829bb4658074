# Types of _native.py: the shared library as ctypes loads it, with the
# signatures _native.py declares (hi_c_abi.h in Python terms). At run time
# `lib` is a ctypes.CDLL whose functions type checkers would see as Any.
# cffi_binding's _native stubs list the same functions in cffi's types: two
# FFI libraries cannot share a stub, and stubtest (tox -e cross) holds each
# to its module.
import ctypes
from _ctypes import _CArgObject
from typing import Any, type_check_only

__all__ = [
    "HI_STATUS_OK",
    "HI_STATUS_PANIC",
    "statuses",
    "HiBuffer",
    "HiSpans",
    "HiMostCommon",
    "HiJson",
    "HiKeep",
    "Py_buffer",
    "lib",
    "lib_holding_gil",
    "library_path",
    "buffer_api",
]

# enum HiStatus, read from hi_c_abi.h at import: each HI_STATUS_* name and its value.
statuses: dict[str, int]
HI_STATUS_OK: int
HI_STATUS_PANIC: int

class HiBuffer(ctypes.Structure):
    """``struct HiBuffer``: a buffer the caller owns, as the library sees it."""

    ptr: ctypes._Pointer[ctypes.c_char]
    cap: int
    len: int

class HiSpans(ctypes.Structure):
    """``struct HiSpans``: room for ``cap`` words' character spans, as pairs of size_t."""

    ptr: ctypes._Pointer[ctypes.c_size_t]
    cap: int
    len: int

class HiMostCommon(ctypes.Structure):
    """``struct HiMostCommon``: the caller's struct, the library's arrays (hi_most_common_free)."""

    words: ctypes._Pointer[ctypes.c_char]
    words_len: int
    counts: ctypes._Pointer[ctypes.c_uint64]
    len: int

class HiJson(ctypes.Structure):
    """``struct HiJson``: the caller's struct, the library's buffer (hi_json_free)."""

    ptr: int | None
    len: int
    depth: int
    extended: int
    pos: int
    start: int
    end: int
    encoding: int | None
    encoding_len: int

HiKeep: type[ctypes._CFunctionType]

class Py_buffer(ctypes.Structure):
    """CPython's ``Py_buffer`` (stable since 3.0, in the limited API since 3.11)."""

    buf: int | None
    obj: int | None
    len: int
    itemsize: int
    readonly: int
    ndim: int
    format: bytes | None
    shape: int | None
    strides: int | None
    suboffsets: int | None
    internal: int | None

def library_path() -> str:
    """The shared library's path: the one ``_hi_c_abi.*`` library beside this file."""

@type_check_only
class _Lib(ctypes.CDLL):
    def hi_hi(self) -> bytes: ...
    def hi_greet_extra(self) -> int: ...
    def hi_greet_into(
        self, name: bytes | None, len: int, out: HiBuffer | _CArgObject | None, /
    ) -> int: ...
    def hi_version(self) -> bytes: ...
    def hi_last_error(self, out: HiBuffer, /) -> int: ...
    def hi_checksum(
        self, data: bytes | int | None, len: int, value: int, out: ctypes.c_uint32, /
    ) -> int: ...
    def hi_checksum_detach_from(self) -> int: ...
    def hi_split(self, text: bytes, len: int, out: HiSpans, /) -> int: ...
    # A HiWordCounter * is an int (c_void_p); NULL is None.
    def hi_counter_new(self) -> int | None: ...
    def hi_counter_free(self, counter: int | None, /) -> None: ...
    def hi_counter_add(self, counter: int, text: bytes, len: int, /) -> int: ...
    def hi_counter_add_keep(
        self, counter: int, text: bytes, len: int, keep: Any, ctx: int | None, /
    ) -> int: ...
    def hi_counter_add_mask(
        self, counter: int, text: bytes, len: int, keep: bytes, mask_len: int, /
    ) -> int: ...
    def hi_counter_count(
        self, counter: int, word: bytes, len: int, out: ctypes.c_uint64, /
    ) -> int: ...
    def hi_counter_len(self, counter: int, out: ctypes.c_size_t, /) -> int: ...
    def hi_counter_total(self, counter: int, out: ctypes.c_uint64, /) -> int: ...
    def hi_counter_most_common(self, counter: int, n: int, out: HiMostCommon, /) -> int: ...
    def hi_most_common_free(self, result: HiMostCommon, /) -> None: ...
    def hi_json_loads_str(
        self,
        text: bytes,
        len: int,
        max_depth: int,
        python_minor: int,
        max_int_digits: int,
        out: HiJson,
        /,
    ) -> int: ...
    def hi_json_loads_bytes(
        self,
        data: bytes,
        len: int,
        max_depth: int,
        python_minor: int,
        max_int_digits: int,
        out: HiJson,
        /,
    ) -> int: ...
    def hi_json_dumps(self, flat: bytes, len: int, max_depth: int, out: HiJson, /) -> int: ...
    def hi_json_not_text(self, type_name: bytes, len: int, /) -> int: ...
    def hi_json_free(self, out: HiJson, /) -> None: ...

lib: _Lib
# A ctypes.PyDLL at run time (lib itself on PyPy): the same functions, called
# holding the GIL.
lib_holding_gil: _Lib

@type_check_only
class _GetBuffer:
    def __call__(self, obj: object, view: Py_buffer, flags: int, /) -> int: ...

@type_check_only
class _ReleaseBuffer:
    def __call__(self, view: Py_buffer, /) -> None: ...

# CPython's PyObject_GetBuffer and PyBuffer_Release; None without pythonapi (PyPy).
buffer_api: tuple[_GetBuffer, _ReleaseBuffer] | None
