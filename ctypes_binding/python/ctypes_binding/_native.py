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

# enum HiStatus, as in hi_c_abi.h.
HI_STATUS_OK = 0
HI_STATUS_EMPTY_NAME = 1
HI_STATUS_INVALID_UTF8 = 2
HI_STATUS_NULL_POINTER = 3
HI_STATUS_PANIC = 4

_SUFFIXES = (".so", ".pyd", ".dylib", ".dll")


def library_path() -> str:
    """The shared library's path: the one ``_hi_c_abi.*`` library beside this file."""
    here = os.path.dirname(os.path.abspath(__file__))
    found = [
        os.path.join(here, entry)
        for entry in os.listdir(here)
        if entry.startswith("_hi_c_abi.") and entry.endswith(_SUFFIXES)
    ]
    if len(found) != 1:
        raise ImportError(f"expected one _hi_c_abi library in {here}, found {found}")
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
