# Types of the package maturin generates from the cbindgen header: `ffi` (in
# ffi.py) knows the C types, `lib` is the loaded library. The stubs live inside
# the package because type checkers prefer a package (_native/) over a
# _native.pyi beside it.
#
# The classes below exist only for type checkers (at run time `lib` is a cffi
# Lib and the structs are cffi CData) and hold what this package uses.
from typing import Final, type_check_only

from .ffi import _CharPointer, ffi

__all__ = ["lib", "ffi"]

@type_check_only
class _HiResult:
    status: int
    ptr: _CharPointer
    len: int

@type_check_only
class _Lib:
    HI_STATUS_OK: Final[int]
    HI_STATUS_EMPTY_NAME: Final[int]
    HI_STATUS_INVALID_UTF8: Final[int]
    HI_STATUS_NULL_POINTER: Final[int]
    HI_STATUS_PANIC: Final[int]
    def hi_hi(self) -> _CharPointer: ...
    def hi_greet(self, name: bytes | _CharPointer, len: int, /) -> _HiResult: ...
    def hi_string_free(self, ptr: _CharPointer, len: int, /) -> None: ...
    def hi_version(self) -> _CharPointer: ...

lib: _Lib
