"""The shared library, loaded with ctypes, and every C declaration it needs.

``hi_c_abi.h`` (shipped beside this file) is the C header these declarations
follow. setuptools-rust puts the library here as ``_hi_c_abi`` plus the
platform's extension-module suffix: build_ext's name for the target
``ctypes_binding._hi_c_abi`` (``_hi_c_abi.cpython-311-x86_64-linux-gnu.so`` on
Linux, ``_hi_c_abi.cpython-311-darwin.so`` on macOS,
``_hi_c_abi.cp311-win_amd64.pyd`` on Windows). Not ``_native``: Python would
take a ``_native.<suffix>`` file for this module and fail to import it. The
suffix names the Python that built the wheel, but the library uses no Python
API and any Python 3 loads it, so the file is found by its stem, not by this
interpreter's suffixes.
"""

from __future__ import annotations

import ctypes
import os
from typing import Any

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

_HERE = os.path.dirname(os.path.abspath(__file__))
_SUFFIXES = (".so", ".pyd", ".dylib", ".dll")


def _statuses() -> dict[str, int]:
    """``enum HiStatus``, each ``HI_STATUS_*`` name and its value, from hi_c_abi.h.

    Read from the header beside this file, which cbindgen writes from the Rust
    enum (c_abi's tests keep it so), rather than written here again: the
    lines ``HI_STATUS_NAME = value,`` of ``typedef enum HiStatus { ... } HiStatus;``.
    """
    with open(os.path.join(_HERE, "hi_c_abi.h"), "rb") as header:
        enum = header.read().partition(b"enum HiStatus {")[2].partition(b"} HiStatus;")[0]
    found = {}
    for line in enum.split(b"\n"):
        name, equals, value = line.strip().rstrip(b",").partition(b" = ")
        if equals and name.startswith(b"HI_STATUS_"):
            found[name.decode()] = int(value)
    return found


statuses = _statuses()
HI_STATUS_OK = statuses["HI_STATUS_OK"]
HI_STATUS_PANIC = statuses["HI_STATUS_PANIC"]


def library_path() -> str:
    """The shared library's path: the one ``_hi_c_abi.*`` library beside this file."""
    found = [
        os.path.join(_HERE, entry)
        for entry in os.listdir(_HERE)
        if entry.startswith("_hi_c_abi.") and entry.endswith(_SUFFIXES)
    ]
    if len(found) != 1:
        raise ImportError(f"expected one _hi_c_abi library in {_HERE}, found {found}")
    return found[0]


class HiBuffer(ctypes.Structure):
    """``struct HiBuffer``: a buffer the caller owns, as the library sees it.

    ``ptr`` points to ``cap`` writable bytes; each call sets ``len`` to the
    length of its text, written only if it fits.
    """

    _fields_ = (
        ("ptr", ctypes.POINTER(ctypes.c_char)),
        ("cap", ctypes.c_size_t),
        ("len", ctypes.c_size_t),
    )


class HiSpans(ctypes.Structure):
    """``struct HiSpans``: room for ``cap`` words' character spans, as pairs of size_t.

    Each call sets ``len`` to the number of words; the first ``min(len, cap)``
    are written.
    """

    _fields_ = (
        ("ptr", ctypes.POINTER(ctypes.c_size_t)),
        ("cap", ctypes.c_size_t),
        ("len", ctypes.c_size_t),
    )


class HiMostCommon(ctypes.Structure):
    """``struct HiMostCommon``: the caller's struct, the library's arrays (hi_most_common_free)."""

    _fields_ = (
        ("words", ctypes.POINTER(ctypes.c_char)),
        ("words_len", ctypes.c_size_t),
        ("counts", ctypes.POINTER(ctypes.c_uint64)),
        ("len", ctypes.c_size_t),
    )


class HiJson(ctypes.Structure):
    """``struct HiJson``: the caller's struct, the library's buffer (hi_json_free)."""

    _fields_ = (
        ("ptr", ctypes.c_void_p),
        ("len", ctypes.c_size_t),
        ("depth", ctypes.c_size_t),
        ("extended", ctypes.c_uint8),
        ("pos", ctypes.c_size_t),
        ("start", ctypes.c_size_t),
        ("end", ctypes.c_size_t),
        ("encoding", ctypes.c_void_p),
        ("encoding_len", ctypes.c_size_t),
    )


# typedef int (*HiKeep)(void *ctx, const char *word, size_t len): for C
# callers and the tests; the package decides about words in Python instead
# (docs/c-abi.md).
HiKeep = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_char), ctypes.c_size_t
)


class Py_buffer(ctypes.Structure):  # the C API's own name
    """CPython's ``Py_buffer`` (stable since 3.0, in the limited API since 3.11)."""

    _fields_ = (
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.c_void_p),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.c_void_p),
        ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p),
        ("internal", ctypes.c_void_p),
    )


class _Library(ctypes.CDLL):
    """The library, with the signature of every function the package calls."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        size_t, char_p = ctypes.c_size_t, ctypes.c_char_p
        # const char *hi_hi(void): a static C string, never freed.
        self.hi_hi.argtypes = []
        self.hi_hi.restype = char_p
        # size_t hi_greet_extra(void)
        self.hi_greet_extra.argtypes = []
        self.hi_greet_extra.restype = size_t
        # HiStatus hi_greet_into(const char *name, size_t len, HiBuffer *out)
        # A HiBuffer itself may be passed for its pointer: ctypes passes it by
        # reference, its cheapest conversion for a pointer argument.
        self.hi_greet_into.argtypes = [char_p, size_t, ctypes.POINTER(HiBuffer)]
        # A C enum is an int.
        self.hi_greet_into.restype = ctypes.c_int
        # const char *hi_version(void): a static C string, never freed.
        self.hi_version.argtypes = []
        self.hi_version.restype = char_p
        status, void_p, counter = ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p
        u32, u64 = ctypes.c_uint32, ctypes.c_uint64
        # Each declaration below follows hi_c_abi.h; a HiWordCounter * is
        # opaque (an int here), and pointers to results are the ctypes
        # instances themselves (passed by reference).
        signatures = {
            "hi_last_error": ([ctypes.POINTER(HiBuffer)], status),
            # data: c_void_p takes bytes as they are, or an address.
            "hi_checksum": ([void_p, size_t, u32, ctypes.POINTER(u32)], status),
            "hi_checksum_detach_from": ([], size_t),
            "hi_split": ([char_p, size_t, ctypes.POINTER(HiSpans)], status),
            "hi_counter_new": ([], counter),
            "hi_counter_free": ([counter], None),
            "hi_counter_add": ([counter, char_p, size_t], status),
            "hi_counter_add_keep": ([counter, char_p, size_t, HiKeep, void_p], status),
            "hi_counter_add_mask": ([counter, char_p, size_t, char_p, size_t], status),
            "hi_counter_count": ([counter, char_p, size_t, ctypes.POINTER(u64)], status),
            "hi_counter_len": ([counter, ctypes.POINTER(size_t)], status),
            "hi_counter_total": ([counter, ctypes.POINTER(u64)], status),
            "hi_counter_most_common": ([counter, size_t, ctypes.POINTER(HiMostCommon)], status),
            "hi_most_common_free": ([ctypes.POINTER(HiMostCommon)], None),
            # text and data: c_char_p takes bytes as they are.
            "hi_json_loads_str": (
                [char_p, size_t, size_t, ctypes.c_uint32, size_t, ctypes.POINTER(HiJson)],
                status,
            ),
            "hi_json_loads_bytes": (
                [char_p, size_t, size_t, ctypes.c_uint32, size_t, ctypes.POINTER(HiJson)],
                status,
            ),
            "hi_json_dumps": ([char_p, size_t, size_t, ctypes.POINTER(HiJson)], status),
            "hi_json_not_text": ([char_p, size_t], status),
            "hi_json_free": ([ctypes.POINTER(HiJson)], None),
        }
        for name, (argtypes, restype) in signatures.items():
            function = getattr(self, name)
            function.argtypes = argtypes
            function.restype = restype


# Its calls release the GIL, so other threads run while Rust works.
lib = _Library(library_path())

if hasattr(ctypes, "PyDLL"):

    class _LibraryHoldingGil(_Library, ctypes.PyDLL):
        """The same library through ``ctypes.PyDLL``: its calls keep the GIL.

        For calls whose Rust work is shorter than releasing the GIL and
        taking it back (a small greeting; docs/c-abi.md). PyDLL also checks
        for a Python exception after each call; the library never sets one.
        """

    # The same library (the loader maps it once), for the small calls.
    lib_holding_gil: _Library = _LibraryHoldingGil(lib._name)
else:  # PyPy's ctypes has no PyDLL: every call goes through lib.
    lib_holding_gil = lib


def _buffer_api() -> tuple[Any, Any] | None:
    """CPython's PyObject_GetBuffer and PyBuffer_Release, declared; None without them.

    The one way ctypes reaches a read-only buffer's memory (a memoryview of
    bytes, a read-only mmap or numpy array) without copying it: ctypes'
    from_buffer requires a writable one. Through ``ctypes.pythonapi``, a
    PyDLL: the calls hold the GIL, and a Python error they set is raised.
    PyPy has no ``pythonapi``: there a read-only buffer is copied.
    """
    api = getattr(ctypes, "pythonapi", None)
    if api is None:
        return None
    get, release = api.PyObject_GetBuffer, api.PyBuffer_Release
    get.argtypes = [ctypes.py_object, ctypes.POINTER(Py_buffer), ctypes.c_int]
    get.restype = ctypes.c_int
    release.argtypes = [ctypes.POINTER(Py_buffer)]
    release.restype = None
    return get, release


buffer_api = _buffer_api()
