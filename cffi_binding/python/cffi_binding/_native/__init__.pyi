# Types of the package maturin generates from the cbindgen header: `ffi` (in
# ffi.py) knows the C types, `lib` is the loaded library. The stubs live inside
# the package because type checkers prefer a package (_native/) over a
# _native.pyi beside it.
#
# The class below exists only for type checkers (at run time `lib` is a cffi
# Lib) and holds what this package uses.
from typing import Final, type_check_only

from .ffi import _CharPointer, _HiBuffer, ffi

__all__ = ["lib", "ffi"]

@type_check_only
class _Lib:
    HI_STATUS_OK: Final[int]
    HI_STATUS_EMPTY_NAME: Final[int]
    HI_STATUS_INVALID_UTF8: Final[int]
    HI_STATUS_NULL_POINTER: Final[int]
    HI_STATUS_PANIC: Final[int]
    def hi_hi(self) -> _CharPointer: ...
    def hi_greet_extra(self) -> int: ...
    def hi_greet_into(self, name: bytes | _CharPointer, len: int, out: _HiBuffer, /) -> int: ...
    def hi_version(self) -> _CharPointer: ...

lib: _Lib
