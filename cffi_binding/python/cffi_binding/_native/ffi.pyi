# Types of the cffi module maturin generates from the cbindgen header (see
# __init__.pyi). At run time `ffi` is a cffi FFI; typed here with only what
# this package calls: every `char` pointer it hands to `ffi` points to UTF-8,
# and every other pointer to a HiBuffer, which cffi's general signatures
# cannot promise.
from typing import Literal, Protocol, TypedDict, overload, type_check_only

@type_check_only
class _CharPointer: ...

@type_check_only
class _HiBuffer:
    """A `struct HiBuffer *` (hi_c_abi.h)."""

    ptr: _CharPointer
    cap: int
    len: int

@type_check_only
class _HiBufferInit(TypedDict):
    ptr: _CharPointer
    cap: int

@type_check_only
class _Allocator(Protocol):
    def __call__(self, cdecl: Literal["char[]"], size: int, /) -> _CharPointer: ...

@type_check_only
class _FFI:
    NULL: _CharPointer
    @overload
    def new(self, cdecl: Literal["HiBuffer *"], init: _HiBufferInit, /) -> _HiBuffer: ...
    @overload
    def new(self, cdecl: Literal["char[]"], size: int, /) -> _CharPointer: ...
    def new_allocator(self, *, should_clear_after_alloc: bool) -> _Allocator: ...
    # A cffi buffer over the memory (all of an array's, without a size), read
    # here only as a bytes-like object whose slices are bytes.
    def buffer(self, cdata: _CharPointer, size: int = ..., /) -> bytes: ...
    def string(self, cdata: _CharPointer, /) -> bytes: ...
    def unpack(self, cdata: _CharPointer, length: int, /) -> bytes: ...

ffi: _FFI
