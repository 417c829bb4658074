"""The shared C ABI, used without the binding's own wrapper: from ctypes and from C.

These tests run once for every C ABI route under test (``C_ABI_BINDINGS``:
the routes with ``c_abi = true`` in routes.toml), and use the library and the
header exactly as shipped in that route's installed wheel.
"""

from __future__ import annotations

import ctypes
import importlib
import importlib.resources
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import C_ABI_BINDINGS

from cases import EMPTY_NAME_MESSAGE, HELLO, PANIC_PROBE_MESSAGE, PANIC_PROBE_NAME

pytestmark = pytest.mark.c_abi

# Status codes, as in the header (HI_STATUS_*).
OK, EMPTY_NAME, INVALID_UTF8, NULL_POINTER, PANIC, STOPPED = 0, 1, 2, 3, 4, 5
HEADER = "hi_c_abi.h"
LIBRARY_SUFFIXES = {".so", ".dylib", ".dll", ".pyd"}
PANIC_BUILT_IN = os.environ.get("HI_INJECT_BUG") == "panic"


def package_dir(binding: str) -> Path:
    return Path(str(importlib.resources.files(binding)))


def library_path(binding: str) -> Path:
    """The one shared library the installed package ships (wherever inside it)."""
    (library,) = [
        path for path in package_dir(binding).rglob("*") if path.suffix in LIBRARY_SUFFIXES
    ]
    return library


@pytest.fixture(scope="module", params=C_ABI_BINDINGS)
def binding_name(request: pytest.FixtureRequest) -> str:
    """The name of a C ABI route under test."""
    name: str = request.param
    return name


class HiBuffer(ctypes.Structure):
    """struct HiBuffer, as the header declares it (not the package's own)."""

    _fields_ = (
        ("ptr", ctypes.c_void_p),
        ("cap", ctypes.c_size_t),
        ("len", ctypes.c_size_t),
    )


@pytest.fixture(scope="module")
def lib(binding_name: str) -> ctypes.CDLL:
    """The route's shipped library, loaded afresh with every signature declared."""
    lib = ctypes.CDLL(str(library_path(binding_name)))
    lib.hi_hi.restype = ctypes.c_char_p
    lib.hi_hi.argtypes = []
    lib.hi_version.restype = ctypes.c_char_p
    lib.hi_version.argtypes = []
    lib.hi_greet_extra.restype = ctypes.c_size_t
    lib.hi_greet_extra.argtypes = []
    lib.hi_greet_into.restype = ctypes.c_int
    lib.hi_greet_into.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(HiBuffer)]
    return lib


def greet(lib: ctypes.CDLL, name: bytes | None, length: int, cap: int) -> tuple[int, int, bytes]:
    """Call hi_greet_into with a buffer of ``cap`` bytes; return status, length, buffer."""
    buf = ctypes.create_string_buffer(b"\xaa" * cap, cap)
    out = HiBuffer(ctypes.addressof(buf) if cap else None, cap, 12345)
    status = lib.hi_greet_into(name, length, ctypes.byref(out))
    return status, out.len, buf.raw


def test_ctypes_hi(lib: ctypes.CDLL) -> None:
    # c_char_p: ctypes copies the C string up to its NUL.
    assert lib.hi_hi().decode() == HELLO


def test_ctypes_version(lib: ctypes.CDLL, binding_name: str) -> None:
    assert lib.hi_version().decode() == importlib.import_module(binding_name).__version__


def test_ctypes_greet_extra(lib: ctypes.CDLL) -> None:
    assert lib.hi_greet_extra() == len("Hello, !")


NAME = "a\x00é🦀".encode()
GREETING = "Hello, a\x00é🦀!".encode()


@pytest.mark.parametrize(
    ("name", "length", "status", "text"),
    [
        (b"world", 5, OK, b"Hello, world!"),
        (NAME, len(NAME), OK, GREETING),
        (b"", 0, EMPTY_NAME, EMPTY_NAME_MESSAGE.encode()),
        (None, 0, EMPTY_NAME, EMPTY_NAME_MESSAGE.encode()),
        (b"ab\xff", 3, INVALID_UTF8, b"name is not valid UTF-8 (invalid byte at offset 2)"),
        (None, 3, NULL_POINTER, b"name is NULL but its length is 3"),
    ],
    ids=["ascii", "nul_and_non_bmp", "empty", "null_empty", "invalid_utf8", "null"],
)
def test_ctypes_greet_every_status(
    lib: ctypes.CDLL, name: bytes | None, length: int, status: int, text: bytes
) -> None:
    # Room to spare: the text is written, nothing after it.
    assert greet(lib, name, length, len(text) + 4) == (status, len(text), text + b"\xaa" * 4)
    # One byte short: the length is reported, nothing is written.
    assert greet(lib, name, length, len(text) - 1) == (
        status,
        len(text),
        b"\xaa" * (len(text) - 1),
    )
    # No buffer at all: only the length.
    assert greet(lib, name, length, 0) == (status, len(text), b"")


def test_ctypes_greet_exact_buffer_from_extra(lib: ctypes.CDLL) -> None:
    cap = len(NAME) + lib.hi_greet_extra()
    assert greet(lib, NAME, len(NAME), cap) == (OK, cap, GREETING)


def test_ctypes_greet_null_out(lib: ctypes.CDLL) -> None:
    # No HiBuffer: refused, nothing read or written.
    assert lib.hi_greet_into(b"world", 5, None) == NULL_POINTER
    assert lib.hi_greet_into(b"", 0, None) == NULL_POINTER


def test_ctypes_panic_status(lib: ctypes.CDLL) -> None:
    """A panic comes back as HI_STATUS_PANIC, in the panic build (tox -e panic)."""
    name = PANIC_PROBE_NAME.encode()
    if PANIC_BUILT_IN:
        expected = PANIC_PROBE_MESSAGE.encode()
        assert greet(lib, name, len(name), 64)[:2] == (PANIC, len(expected))
        assert greet(lib, name, len(name), len(expected))[2] == expected
    else:
        assert greet(lib, name, len(name), 64)[:2] == (OK, len(name) + 8)


# Calls every function of the header and checks each result (exit 1 if any fails).
C_PROGRAM = Path(__file__).with_name("c_abi_program.c")


def compile_c_program(tmp_path: Path, binding_name: str) -> Path:
    """C_PROGRAM built with the C compiler against the route's shipped header and library."""
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        pytest.skip("no C compiler on PATH (cc, gcc or clang)")
    header = package_dir(binding_name) / HEADER
    assert header.is_file(), "the wheel must ship the C header"
    library = library_path(binding_name)
    program = tmp_path / "program"
    subprocess.run(
        [
            compiler,
            "-std=c99",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-I",
            str(header.parent),
            str(C_PROGRAM),
            str(library),
            f"-Wl,-rpath,{library.parent}",
            "-o",
            str(program),
        ],
        check=True,
    )
    return program


def test_c_program_calls_every_function(tmp_path: Path, binding_name: str) -> None:
    program = compile_c_program(tmp_path, binding_name)
    run = subprocess.run([str(program)], capture_output=True, text=True, check=False)
    assert (run.returncode, run.stdout, run.stderr) == (0, "ok\n", "")


def test_c_program_sees_panics_as_a_status(tmp_path: Path, binding_name: str) -> None:
    """In the panic build, every function returns HI_STATUS_PANIC on the probe; C carries on."""
    if not PANIC_BUILT_IN:
        pytest.skip("needs the panic build (tox -e panic)")
    program = compile_c_program(tmp_path, binding_name)
    run = subprocess.run(
        [str(program), PANIC_PROBE_NAME], capture_output=True, text=True, check=False
    )
    assert (run.returncode, run.stdout) == (0, "ok\n"), run.stderr


KEEP = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t)


def test_ctypes_keep_callback_that_stops(lib: ctypes.CDLL) -> None:
    """A raw HiKeep through ctypes: stop counts nothing, and the message says why."""
    lib.hi_counter_new.restype = ctypes.c_void_p
    lib.hi_counter_new.argtypes = []
    lib.hi_counter_free.argtypes = [ctypes.c_void_p]
    lib.hi_counter_add_keep.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.c_size_t,
        KEEP,
        ctypes.c_void_p,
    ]
    lib.hi_counter_total.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint64)]
    lib.hi_last_error.argtypes = [ctypes.POINTER(HiBuffer)]
    seen: list[bytes] = []

    def keep(ctx: int | None, word: bytes, size: int) -> int:
        seen.append(word[:size])
        return 7 if word[:size] == b"b" else 1

    callback = KEEP(keep)
    counter = lib.hi_counter_new()
    try:
        assert lib.hi_counter_add_keep(counter, b"a b c", 5, callback, None) == STOPPED
        assert seen == [b"a", b"b"]
        total = ctypes.c_uint64(99)
        assert lib.hi_counter_total(counter, ctypes.byref(total)) == OK
        assert total.value == 0
        buf = ctypes.create_string_buffer(256)
        out = HiBuffer(ctypes.addressof(buf), 256, 0)
        assert lib.hi_last_error(ctypes.byref(out)) == OK
        assert buf.raw[: out.len] == b"keep returned 7: the add stopped, nothing was counted"
    finally:
        lib.hi_counter_free(counter)


def test_wrapper_error_longer_than_its_buffer(
    binding_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error message that does not fit the kept buffer still comes back whole.

    The wrapper's buffers hold 4 KiB or more, and every message today is
    shorter, so the path that calls again with room for the message is forced
    here: no kept buffer, and new ones only as large as the greeting.
    """
    module = importlib.import_module(binding_name)
    kept = list(module._spare)
    module._spare.clear()
    monkeypatch.setattr(module, "_SMALL", 1)
    try:
        with pytest.raises(ValueError, match=f"^{EMPTY_NAME_MESSAGE}$"):
            module.greet("")
        # The buffer of 8 bytes made for it was kept; a longer greeting replaces it.
        assert module.greet("world") == "Hello, world!"
    finally:
        module._spare[:] = kept
