# Types of the cffi module maturin generates from the cbindgen header (see
# __init__.pyi). At run time `ffi` is a cffi FFI; typed here with only what
# this package calls: every pointer it hands to `ffi` points to char, so
# `string` and `unpack` return bytes, which cffi's general signatures cannot
# promise.
from typing import type_check_only

@type_check_only
class _CharPointer: ...

@type_check_only
class _FFI:
    NULL: _CharPointer
    def string(self, cdata: _CharPointer, /) -> bytes: ...
    def unpack(self, cdata: _CharPointer, length: int, /) -> bytes: ...

ffi: _FFI
