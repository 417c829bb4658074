"""The C ABI of cffi_binding, used without cffi: from ctypes and from C.

These tests name one binding because only cffi_binding has a C ABI. They use
the library and the header exactly as shipped in the installed wheel.
"""

from __future__ import annotations

import ctypes
import importlib.resources
import shutil
import subprocess
from pathlib import Path

import pytest

from cases import EMPTY_NAME_MESSAGE, HELLO

pytestmark = pytest.mark.c_abi

# Status codes, as in the header (HI_STATUS_*).
OK, EMPTY_NAME, INVALID_UTF8, NULL_POINTER = 0, 1, 2, 3


class HiResult(ctypes.Structure):
    _fields_ = [("status", ctypes.c_int), ("ptr", ctypes.c_void_p), ("len", ctypes.c_size_t)]


def package_dir() -> Path:
    return Path(str(importlib.resources.files("cffi_binding")))


def library_path() -> Path:
    (library,) = [
        path
        for path in (package_dir() / "_native").iterdir()
        if path.suffix in {".so", ".dylib", ".dll"}
    ]
    return library


@pytest.fixture(scope="module")
def lib() -> ctypes.CDLL:
    lib = ctypes.CDLL(str(library_path()))
    lib.hi_hi.restype = ctypes.c_char_p
    lib.hi_hi.argtypes = []
    lib.hi_greet.restype = HiResult
    lib.hi_greet.argtypes = [ctypes.c_char_p, ctypes.c_size_t]
    lib.hi_string_free.restype = None
    lib.hi_string_free.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    lib.hi_version.restype = ctypes.c_char_p
    lib.hi_version.argtypes = []
    return lib


def greet(lib: ctypes.CDLL, name: bytes | None, length: int) -> tuple[int, str]:
    """Call hi_greet, copy the text out, free it once."""
    result = lib.hi_greet(name, length)
    try:
        assert result.ptr, "hi_greet returned a NULL text"
        return result.status, ctypes.string_at(result.ptr, result.len).decode()
    finally:
        lib.hi_string_free(result.ptr, result.len)


def test_ctypes_hi(lib: ctypes.CDLL) -> None:
    # c_char_p: ctypes copies the C string up to its NUL.
    assert lib.hi_hi().decode() == HELLO


@pytest.mark.parametrize(
    ("name", "length", "expected"),
    [
        (b"world", 5, (OK, "Hello, world!")),
        (b"a\x00b", 3, (OK, "Hello, a\x00b!")),
        ("🦀".encode(), 4, (OK, "Hello, 🦀!")),
        (b"", 0, (EMPTY_NAME, EMPTY_NAME_MESSAGE)),
        (None, 0, (EMPTY_NAME, EMPTY_NAME_MESSAGE)),
        (b"ab\xff", 3, (INVALID_UTF8, "name is not valid UTF-8 (invalid byte at offset 2)")),
        (None, 3, (NULL_POINTER, "name is NULL but its length is 3")),
    ],
    ids=["ascii", "nul", "non_bmp", "empty", "null_empty", "invalid_utf8", "null"],
)
def test_ctypes_greet(
    lib: ctypes.CDLL, name: bytes | None, length: int, expected: tuple[int, str]
) -> None:
    assert greet(lib, name, length) == expected


def test_ctypes_free_null_is_a_no_op(lib: ctypes.CDLL) -> None:
    lib.hi_string_free(None, 0)
    lib.hi_string_free(None, 5)


def test_ctypes_version(lib: ctypes.CDLL) -> None:
    import cffi_binding

    assert lib.hi_version().decode() == cffi_binding.__version__


C_PROGRAM = r"""
#include <stdio.h>
#include <string.h>
#include "hi_cffi.h"

int main(void) {
    const char *hello = hi_hi();
    printf("%s\n", hello);
    HiResult ok = hi_greet("C\0!", 3);
    printf("%d %zu ", (int)ok.status, ok.len);
    fwrite(ok.ptr, 1, ok.len, stdout);
    printf("\n");
    hi_string_free(ok.ptr, ok.len);
    HiResult err = hi_greet("", 0);
    printf("%d %.*s\n", (int)err.status, (int)err.len, err.ptr);
    hi_string_free(err.ptr, err.len);
    hi_string_free(NULL, 0);
    return 0;
}
"""


def test_c_program_compiles_against_the_shipped_header(tmp_path: Path) -> None:
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        pytest.skip("no C compiler on PATH (cc, gcc or clang)")
    header = package_dir() / "hi_cffi.h"
    assert header.is_file(), "the wheel must ship the C header"
    library = library_path()
    source = tmp_path / "main.c"
    source.write_text(C_PROGRAM)
    program = tmp_path / "main"
    subprocess.run(
        [
            compiler,
            "-std=c99",
            "-Wall",
            "-Werror",
            "-I",
            str(header.parent),
            str(source),
            str(library),
            f"-Wl,-rpath,{library.parent}",
            "-o",
            str(program),
        ],
        check=True,
    )
    output = subprocess.run([str(program)], check=True, capture_output=True).stdout
    assert output == (f"{HELLO}\n0 11 Hello, C\0!!\n1 {EMPTY_NAME_MESSAGE}\n".encode())
