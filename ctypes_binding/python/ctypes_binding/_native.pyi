# Types of _native.py: the shared library as ctypes loads it, with the
# signatures _native.py declares (hi_c_abi.h in Python terms). At run time
# `lib` is a ctypes.CDLL whose functions type checkers would see as Any.
import ctypes
from _ctypes import _CArgObject
from typing import Final, type_check_only

__all__ = [
    "HI_STATUS_OK",
    "HI_STATUS_EMPTY_NAME",
    "HI_STATUS_INVALID_UTF8",
    "HI_STATUS_NULL_POINTER",
    "HI_STATUS_PANIC",
    "HiBuffer",
    "lib",
    "lib_holding_gil",
    "library_path",
]

HI_STATUS_OK: Final = 0
HI_STATUS_EMPTY_NAME: Final = 1
HI_STATUS_INVALID_UTF8: Final = 2
HI_STATUS_NULL_POINTER: Final = 3
HI_STATUS_PANIC: Final = 4

class HiBuffer(ctypes.Structure):
    """``struct HiBuffer``: a buffer the caller owns, as the library sees it."""

    ptr: ctypes._Pointer[ctypes.c_char]
    cap: int
    len: int

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

lib: _Lib
# A ctypes.PyDLL at run time (lib itself on PyPy): the same functions, called
# holding the GIL.
lib_holding_gil: _Lib
