# Types of the cffi module maturin generates from the cbindgen header (see
# __init__.pyi). At run time `ffi` is a cffi FFI; typed here with only what
# this package calls: every `char` pointer it hands to `ffi` points to UTF-8,
# and every other pointer to the struct or cell named, which cffi's general
# signatures cannot promise.
from collections.abc import Callable
from types import TracebackType
from typing import Any, Literal, Protocol, TypedDict, TypeVar, overload, type_check_only

from typing_extensions import Self

_T = TypeVar("_T")

@type_check_only
class _CharPointer: ...

@type_check_only
class _SizeTArray: ...

@type_check_only
class _Counter:
    """A `HiWordCounter *` (opaque)."""

@type_check_only
class _U32Cell:
    def __getitem__(self, index: Literal[0], /) -> int: ...

@type_check_only
class _U64Cell:
    def __getitem__(self, index: Literal[0], /) -> int: ...

@type_check_only
class _SizeTCell:
    def __getitem__(self, index: Literal[0], /) -> int: ...

@type_check_only
class _U64Pointer: ...

@type_check_only
class _Keep:
    """A `HiKeep` made by `ffi.callback` (tools/memcheck.py; the package uses none)."""

@type_check_only
class _Uint8Buffer:
    """`ffi.from_buffer("uint8_t[]", data)`: released on leaving a `with` block."""

    def __len__(self) -> int: ...
    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
        /,
    ) -> None: ...

@type_check_only
class _HiBuffer:
    """A `struct HiBuffer *` (hi_c_abi.h)."""

    ptr: _CharPointer
    cap: int
    len: int

@type_check_only
class _HiSpans:
    """A `struct HiSpans *` (hi_c_abi.h)."""

    ptr: _SizeTArray
    cap: int
    len: int

@type_check_only
class _HiMostCommon:
    """A `struct HiMostCommon *` (hi_c_abi.h)."""

    words: _CharPointer
    words_len: int
    counts: _U64Pointer
    len: int

@type_check_only
class _HiJson:
    """A `struct HiJson *` (hi_c_abi.h)."""

    ptr: _CharPointer
    len: int
    depth: int
    extended: int
    pos: int
    start: int
    end: int
    encoding: _CharPointer
    encoding_len: int

@type_check_only
class _HiBufferInit(TypedDict):
    ptr: _CharPointer
    cap: int

@type_check_only
class _HiSpansInit(TypedDict):
    ptr: _SizeTArray
    cap: int

@type_check_only
class _Allocator(Protocol):
    @overload
    def __call__(self, cdecl: Literal["char[]"], size: int, /) -> _CharPointer: ...
    @overload
    def __call__(self, cdecl: Literal["size_t[]"], size: int, /) -> _SizeTArray: ...

@type_check_only
class _FFI:
    NULL: Any
    @overload
    def new(self, cdecl: Literal["HiBuffer *"], init: _HiBufferInit, /) -> _HiBuffer: ...
    @overload
    def new(self, cdecl: Literal["HiSpans *"], init: _HiSpansInit, /) -> _HiSpans: ...
    @overload
    def new(self, cdecl: Literal["HiMostCommon *"], /) -> _HiMostCommon: ...
    @overload
    def new(self, cdecl: Literal["HiJson *"], /) -> _HiJson: ...
    @overload
    def new(self, cdecl: Literal["char[]"], size: int, /) -> _CharPointer: ...
    @overload
    def new(self, cdecl: Literal["uint32_t *"], /) -> _U32Cell: ...
    @overload
    def new(self, cdecl: Literal["uint64_t *"], /) -> _U64Cell: ...
    @overload
    def new(self, cdecl: Literal["size_t *"], /) -> _SizeTCell: ...
    def new_allocator(self, *, should_clear_after_alloc: bool) -> _Allocator: ...
    # A cffi buffer over the memory (all of an array's, without a size), read
    # here only as a bytes-like object whose slices are bytes.
    def buffer(self, cdata: _CharPointer | _SizeTArray, size: int = ..., /) -> bytes: ...
    def string(self, cdata: _CharPointer, /) -> bytes: ...
    @overload
    def unpack(self, cdata: _CharPointer, length: int, /) -> bytes: ...
    @overload
    def unpack(self, cdata: _U64Pointer, length: int, /) -> list[int]: ...
    def from_buffer(
        self, cdecl: Literal["uint8_t[]"], python_buffer: object, /
    ) -> _Uint8Buffer: ...
    def sizeof(self, cdecl: Literal["size_t"], /) -> int: ...
    def gc(self, cdata: _T, destructor: Callable[[_T], None], /) -> _T: ...
    def callback(
        self, cdecl: Literal["HiKeep"], python_callable: Callable[[Any, _CharPointer, int], int], /
    ) -> _Keep: ...

ffi: _FFI
