# Types of the package maturin generates from the cbindgen header: `ffi` (in
# ffi.py) knows the C types, `lib` is the loaded library. The stubs live inside
# the package because type checkers prefer a package (_native/) over a
# _native.pyi beside it.
#
# The class below exists only for type checkers (at run time `lib` is a cffi
# Lib) and holds what this package uses. ctypes_binding's _native.pyi lists
# the same functions of the one header in ctypes' types: two FFI libraries
# cannot share a stub, and stubtest (tox -e cross) holds each to its module.
from typing import Any, Final, type_check_only

from .ffi import (
    _CharPointer,
    _Counter,
    _HiBuffer,
    _HiJson,
    _HiMostCommon,
    _HiSpans,
    _Keep,
    _SizeTCell,
    _U32Cell,
    _U64Cell,
    _Uint8Buffer,
    ffi,
)

__all__ = ["lib", "ffi"]

@type_check_only
class _Lib:
    HI_STATUS_OK: Final[int]
    HI_STATUS_EMPTY_NAME: Final[int]
    HI_STATUS_INVALID_UTF8: Final[int]
    HI_STATUS_NULL_POINTER: Final[int]
    HI_STATUS_PANIC: Final[int]
    HI_STATUS_STOPPED: Final[int]
    HI_STATUS_MASK_LENGTH: Final[int]
    HI_STATUS_JSON_SYNTAX: Final[int]
    HI_STATUS_JSON_DECODE: Final[int]
    HI_STATUS_JSON_TOO_DEEP: Final[int]
    HI_STATUS_JSON_TYPE: Final[int]
    HI_STATUS_JSON_CIRCULAR: Final[int]
    HI_STATUS_JSON_INT_DIGITS: Final[int]
    HI_STATUS_FLAT_UNSUPPORTED: Final[int]
    HI_STATUS_FLAT_MALFORMED: Final[int]
    HI_STATUS_TOO_LARGE: Final[int]
    HI_STATUS_JSON_ITEMS: Final[int]
    def hi_hi(self) -> _CharPointer: ...
    def hi_greet_extra(self) -> int: ...
    def hi_greet_into(self, name: bytes | _CharPointer, len: int, out: _HiBuffer, /) -> int: ...
    def hi_version(self) -> _CharPointer: ...
    def hi_last_error(self, out: _HiBuffer, /) -> int: ...
    def hi_checksum(
        self, data: bytes | _Uint8Buffer, len: int, value: int, out: _U32Cell, /
    ) -> int: ...
    def hi_checksum_detach_from(self) -> int: ...
    def hi_split(self, text: bytes, len: int, out: _HiSpans, /) -> int: ...
    def hi_counter_new(self) -> _Counter: ...
    def hi_counter_free(self, counter: _Counter, /) -> None: ...
    def hi_counter_add(self, counter: _Counter, text: bytes, len: int, /) -> int: ...
    def hi_counter_add_keep(
        self, counter: _Counter, text: bytes, len: int, keep: _Keep, ctx: Any, /
    ) -> int: ...
    def hi_counter_add_mask(
        self, counter: _Counter, text: bytes, len: int, keep: bytes, mask_len: int, /
    ) -> int: ...
    def hi_counter_count(
        self, counter: _Counter, word: bytes, len: int, out: _U64Cell, /
    ) -> int: ...
    def hi_counter_len(self, counter: _Counter, out: _SizeTCell, /) -> int: ...
    def hi_counter_total(self, counter: _Counter, out: _U64Cell, /) -> int: ...
    def hi_counter_most_common(self, counter: _Counter, n: int, out: _HiMostCommon, /) -> int: ...
    def hi_most_common_free(self, result: _HiMostCommon, /) -> None: ...
    def hi_json_loads_str(
        self,
        text: bytes,
        len: int,
        max_depth: int,
        python_minor: int,
        max_int_digits: int,
        out: _HiJson,
        /,
    ) -> int: ...
    def hi_json_loads_bytes(
        self,
        data: bytes,
        len: int,
        max_depth: int,
        python_minor: int,
        max_int_digits: int,
        out: _HiJson,
        /,
    ) -> int: ...
    def hi_json_dumps(self, flat: bytes, len: int, max_depth: int, out: _HiJson, /) -> int: ...
    def hi_json_not_text(self, type_name: bytes, len: int, /) -> int: ...
    def hi_json_free(self, out: _HiJson, /) -> None: ...

lib: _Lib
