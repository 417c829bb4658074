"""Time four shapes of the C ABI's str-to-str call, through cffi and ctypes.

The shapes (docs/c-abi.md says which one ships, and why):

- ``struct``: ``HiResult hi_greet_struct(name, len)``, a status and an owned
  text in a struct returned by value, then ``hi_string_free(ptr, len)``;
- ``out``: ``HiStatus hi_greet_out(name, len, &ptr, &len)``, the owned text
  through out-parameters, then ``hi_string_free``;
- ``into``: ``HiStatus hi_greet_into_args(name, len, buf, cap, &len)``,
  Python allocates the buffer (its size known from the name's length and
  ``hi_greet_extra()``) and Rust writes the greeting into it; nothing to free;
- ``buffer+scratch``: ``HiStatus hi_greet_into(name, len, &out)``, as
  ``into+scratch`` with the buffer described by a ``HiBuffer`` (pointer,
  size, and the length Rust sets) that each thread keeps with its buffer: one
  argument instead of three (what ships).

Each is called as its binding would call it (encode, call, convert, free),
at three sizes ("world", 1 MiB of ASCII, 1 MiB of "é"), beside the
pure-Python f-string, in fresh pyperf worker processes.

Run: ``python tools/c_abi_shapes.py [pyperf options] -o shapes.json`` from the
repository root with pyperf and cffi installed; ``--steps`` times instead each
step of a 1 MiB call on its own (encode, decode, the C call), and encode and
decode with both blocks alive, which shows what glibc's malloc adds then
(docs/c-abi.md). ``--table shapes.json``
prints a run's results as the Markdown table in docs/c-abi.md. ``--shipped``
times the installed packages' own ``hi()`` and ``greet()`` (run it with an
interpreter that has them, e.g. ``.tox/cross/bin/python``). It builds the ctypes_binding
cdylib with the ``hi_c_abi/shapes`` feature (which exports the three shapes
that are not shipped) into ``target/``, a release build as shipped.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import statistics
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import cffi  # type: ignore[import-untyped]  # cffi ships no type hints
import pyperf  # type: ignore[import-untyped]  # pyperf ships no type hints

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
FILE_NAMES = {"win32": "ctypes_binding.dll", "darwin": "libctypes_binding.dylib"}
LIBRARY = TARGET / "release" / FILE_NAMES.get(sys.platform, "libctypes_binding.so")
MIB = 1 << 20
# The packages --shipped times (installed, e.g. in the tox cross env).
C_ABI_PACKAGES = ("cffi_binding", "ctypes_binding")
# Names up to this size (with the greeting) use a buffer kept per thread.
SCRATCH = 4096
NAMES = {"world": "world", "1MiB-ascii": "x" * MIB, "1MiB-e-acute": "é" * (MIB // 2)}

CDEF = """
typedef enum { HI_STATUS_OK = 0, HI_STATUS_EMPTY_NAME = 1 } HiStatus;
typedef struct { HiStatus status; char *ptr; size_t len; } HiResult;
size_t hi_greet_extra(void);
HiResult hi_greet_struct(const char *name, size_t len);
HiStatus hi_greet_out(const char *name, size_t len, char **text, size_t *text_len);
HiStatus hi_greet_into_args(const char *name, size_t len, char *buf, size_t cap, size_t *text_len);
typedef struct { char *ptr; size_t cap; size_t len; } HiBuffer;
HiStatus hi_greet_into(const char *name, size_t len, HiBuffer *out);
void hi_string_free(char *ptr, size_t len);
"""

Greet = Callable[[str], str]


def cffi_shapes(path: Path) -> dict[str, Greet]:
    """The shapes as a cffi (ABI mode) binding would call them."""
    ffi = cffi.FFI()
    ffi.cdef(CDEF)
    lib = ffi.dlopen(str(path))
    unpack, buffer, free, new, NULL = ffi.unpack, ffi.buffer, lib.hi_string_free, ffi.new, ffi.NULL
    # No zero-filling: Rust overwrites every byte that is read.
    alloc = ffi.new_allocator(should_clear_after_alloc=False)
    extra = lib.hi_greet_extra()
    greet_struct, greet_out, greet_into = (
        lib.hi_greet_struct,
        lib.hi_greet_out,
        lib.hi_greet_into_args,
    )
    greet_buffer = lib.hi_greet_into

    def struct(name: str) -> str:
        data = name.encode()
        result = greet_struct(data, len(data))
        try:
            text: str = unpack(result.ptr, result.len).decode()
        finally:
            free(result.ptr, result.len)
        if result.status:
            raise ValueError(text)
        return text

    def out(name: str) -> str:
        data = name.encode()
        ptr, length = new("char **"), new("size_t *")
        status = greet_out(data, len(data), ptr, length)
        try:
            text: str = unpack(ptr[0], length[0]).decode()
        finally:
            free(ptr[0], length[0])
        if status:
            raise ValueError(text)
        return text

    def into(name: str) -> str:
        data = name.encode()
        cap = len(data) + extra
        buf = alloc("char[]", cap)
        # The greeting's length is known; only an error needs *text_len (the
        # error path would call again with it, which is not timed here).
        if greet_into(data, len(data), buf, cap, NULL):
            raise ValueError("error path not timed")
        text: str = unpack(buf, cap).decode()
        return text

    def into_buffer(name: str) -> str:
        # As `into`, decoding straight from the buffer: one copy fewer.
        data = name.encode()
        cap = len(data) + extra
        buf = alloc("char[]", cap)
        if greet_into(data, len(data), buf, cap, NULL):
            raise ValueError("error path not timed")
        text: str = str(buffer(buf, cap), "utf-8")
        return text

    scratch = threading.local()

    def into_scratch(name: str) -> str:
        # As `into`, small names written into a buffer each thread keeps.
        data = name.encode()
        cap = len(data) + extra
        if cap <= SCRATCH:
            try:
                buf = scratch.buf
            except AttributeError:
                buf = scratch.buf = alloc("char[]", SCRATCH)
        else:
            buf = alloc("char[]", cap)
        if greet_into(data, len(data), buf, cap, NULL):
            raise ValueError("error path not timed")
        text: str = unpack(buf, cap).decode()
        return text

    def into_len(name: str) -> str:
        # As `into`, with the length out-parameter filled on every call.
        data = name.encode()
        cap = len(data) + extra
        buf, length = alloc("char[]", cap), new("size_t *")
        if greet_into(data, len(data), buf, cap, length):
            raise ValueError(unpack(buf, length[0]).decode())
        text: str = unpack(buf, cap).decode()
        return text

    kept = threading.local()

    def buffer_scratch(name: str) -> str:
        # As `into+scratch`, the buffer described by a HiBuffer made with it.
        data = name.encode()
        cap = len(data) + extra
        if cap <= SCRATCH:
            try:
                desc, buf = kept.buf
            except AttributeError:
                buf = alloc("char[]", SCRATCH)
                desc = new("HiBuffer *", {"ptr": buf, "cap": SCRATCH})
                kept.buf = desc, buf
        else:
            buf = alloc("char[]", cap)
            desc = new("HiBuffer *", {"ptr": buf, "cap": cap})
        if greet_buffer(data, len(data), desc):
            raise ValueError("error path not timed")
        text: str = unpack(buf, cap).decode()
        return text

    return {
        "struct": struct,
        "out": out,
        "into": into,
        "into+buffer": into_buffer,
        "into+len": into_len,
        "into+scratch": into_scratch,
        "buffer+scratch": buffer_scratch,
    }


class HiResult(ctypes.Structure):
    _fields_ = [("status", ctypes.c_int), ("ptr", ctypes.c_void_p), ("len", ctypes.c_size_t)]


class HiBuffer(ctypes.Structure):
    _fields_ = [
        ("ptr", ctypes.POINTER(ctypes.c_char)),
        ("cap", ctypes.c_size_t),
        ("len", ctypes.c_size_t),
    ]


def ctypes_shapes(path: Path) -> dict[str, Greet]:
    """The shapes as a ctypes binding would call them."""
    lib = ctypes.CDLL(str(path))
    size_t, void_p, char_p = ctypes.c_size_t, ctypes.c_void_p, ctypes.c_char_p
    lib.hi_greet_struct.argtypes = [char_p, size_t]
    lib.hi_greet_struct.restype = HiResult
    lib.hi_greet_out.argtypes = [char_p, size_t, ctypes.POINTER(void_p), ctypes.POINTER(size_t)]
    lib.hi_greet_out.restype = ctypes.c_int
    lib.hi_greet_into_args.argtypes = [
        char_p,
        size_t,
        ctypes.POINTER(ctypes.c_char),
        size_t,
        ctypes.POINTER(size_t),
    ]
    lib.hi_greet_into_args.restype = ctypes.c_int
    lib.hi_greet_into.argtypes = [char_p, size_t, ctypes.POINTER(HiBuffer)]
    lib.hi_greet_into.restype = ctypes.c_int
    lib.hi_string_free.argtypes = [void_p, size_t]
    lib.hi_string_free.restype = None
    lib.hi_greet_extra.argtypes = []
    lib.hi_greet_extra.restype = size_t
    extra = lib.hi_greet_extra()
    string_at, byref, char = ctypes.string_at, ctypes.byref, ctypes.c_char
    free, greet_struct, greet_out = lib.hi_string_free, lib.hi_greet_struct, lib.hi_greet_out
    greet_into, greet_buffer = lib.hi_greet_into_args, lib.hi_greet_into

    def struct(name: str) -> str:
        data = name.encode()
        result = greet_struct(data, len(data))
        try:
            text: str = string_at(result.ptr, result.len).decode()
        finally:
            free(result.ptr, result.len)
        if result.status:
            raise ValueError(text)
        return text

    def out(name: str) -> str:
        data = name.encode()
        ptr, length = void_p(), size_t()
        status = greet_out(data, len(data), byref(ptr), byref(length))
        try:
            text: str = string_at(ptr.value or 0, length.value).decode()
        finally:
            free(ptr, length)
        if status:
            raise ValueError(text)
        return text

    def into(name: str) -> str:
        data = name.encode()
        cap = len(data) + extra
        # A bytearray, reached through a c_char at its start: no ctypes array
        # type per size (ctypes caches those forever).
        buf = bytearray(cap)
        if greet_into(data, len(data), byref(char.from_buffer(buf)), cap, None):
            raise ValueError("error path not timed")
        return buf.decode()

    scratch = threading.local()

    def into_scratch(name: str) -> str:
        # As `into`, small names written into a buffer each thread keeps.
        data = name.encode()
        cap = len(data) + extra
        if cap <= SCRATCH:
            try:
                buf, ref = scratch.buf
            except AttributeError:
                buf = bytearray(SCRATCH)
                ref = byref(char.from_buffer(buf))
                scratch.buf = buf, ref
            if greet_into(data, len(data), ref, cap, None):
                raise ValueError("error path not timed")
            text: str = buf[:cap].decode()
            return text
        buf = bytearray(cap)
        if greet_into(data, len(data), byref(char.from_buffer(buf)), cap, None):
            raise ValueError("error path not timed")
        return buf.decode()

    kept = threading.local()

    def buffer_scratch(name: str) -> str:
        # As `into+scratch`, the buffer described by a HiBuffer made with it.
        data = name.encode()
        cap = len(data) + extra
        if cap <= SCRATCH:
            try:
                desc, buf = kept.buf
            except AttributeError:
                buf = bytearray(SCRATCH)
                desc = HiBuffer(ctypes.pointer(char.from_buffer(buf)), SCRATCH, 0)
                kept.buf = desc, buf
            if greet_buffer(data, len(data), desc):
                raise ValueError("error path not timed")
            text: str = buf[:cap].decode()
            return text
        buf = bytearray(cap)
        if greet_buffer(data, len(data), HiBuffer(ctypes.pointer(char.from_buffer(buf)), cap, 0)):
            raise ValueError("error path not timed")
        return buf.decode()

    return {
        "struct": struct,
        "out": out,
        "into": into,
        "into+scratch": into_scratch,
        "buffer+scratch": buffer_scratch,
    }


def build() -> None:
    """The cdylib with every shape, built as shipped (release profile)."""
    command = ["cargo", "build", "--release", "--locked", "-p", "ctypes_binding"]
    command += ["--features", "hi_c_abi/shapes", "--manifest-path", str(ROOT / "Cargo.toml")]
    subprocess.run(command, check=True)


def steps(path: Path, name: str) -> dict[str, tuple[Callable[..., object], tuple[object, ...]]]:
    """Each step of a large call, timed on its own, and encode and decode with
    both blocks alive (what a wrapper must avoid, docs/c-abi.md)."""
    ffi = cffi.FFI()
    ffi.cdef(CDEF)
    lib = ffi.dlopen(str(path))
    data = name.encode()
    cap = len(data) + lib.hi_greet_extra()
    buf = ffi.new("char[]", cap)
    # The HiBuffer points to buf without keeping it alive: the closure does.
    out = ffi.new("HiBuffer *", {"ptr": buf, "cap": cap})
    greeting = f"Hello, {name}!".encode()

    def call(data: bytes, length: int, out: object, _keep: object = buf) -> object:
        return lib.hi_greet_into(data, length, out)

    def encode_decode(name: str) -> str:
        # The two copies no route over a C ABI can avoid from Python, with
        # the name's bytes still alive while the str is made.
        text: str = name.encode().decode()
        return text

    return {
        "str.encode": (str.encode, (name,)),
        "bytes.decode": (bytes.decode, (greeting,)),
        "encode+decode (both alive)": (encode_decode, (name,)),
        "C call alone (cffi, buffer kept)": (call, (data, len(data), out)),
    }


def table(path: str) -> str:
    """The Markdown table of a run's results: median, spread, ratio to the f-string."""

    def shown(seconds: float) -> str:
        for unit, scale in (("ns", 1e9), ("us", 1e6), ("ms", 1e3)):
            if seconds * scale < 1000 or unit == "ms":
                return f"{seconds * scale:.3g} {unit}"
        raise AssertionError("unreachable")

    rows = ["| name | what | median ± half IQR | vs Python | values |", "|---|---|---|---|---|"]
    baseline: dict[str, float] = {}
    for bench in pyperf.BenchmarkSuite.load(path).get_benchmarks():
        size, shape = bench.get_name().split(": ", 1)
        values = bench.get_values()
        median = statistics.median(values)
        low, _, high = statistics.quantiles(values, n=4)
        if shape in ("f-string", "pure Python"):
            baseline[size] = median
        ratio = median / baseline[size]
        rows.append(
            f"| {size} | {shape} | {shown(median)} ± {shown((high - low) / 2)} "
            f"| {ratio:.1f}x | {len(values)} |"
        )
    return "\n".join(rows)


def shipped(runner: pyperf.Runner) -> None:
    """The installed C ABI packages' own hi() and greet(), beside pure Python."""
    import importlib

    packages = [importlib.import_module(name) for name in C_ABI_PACKAGES]
    runner.bench_func("hi: pure Python", lambda: "Hello from Rust!")
    for package in packages:
        assert package.hi() == "Hello from Rust!"
        runner.bench_func(f"hi: {package.__name__}", package.hi)
    for label in ("world", "1MiB-ascii"):
        name = NAMES[label]
        runner.bench_func(f"{label}: f-string", lambda name: f"Hello, {name}!", name)
        for package in packages:
            assert package.greet(name) == f"Hello, {name}!"
            runner.bench_func(f"{label}: {package.__name__}", package.greet, name)


def main() -> None:
    def pass_steps(command: list[str], args: argparse.Namespace) -> None:
        # pyperf's workers get only pyperf's own options unless told.
        if args.steps:
            command.append("--steps")
        if args.shipped:
            command.append("--shipped")

    runner = pyperf.Runner(add_cmdline_args=pass_steps)
    runner.argparser.add_argument(
        "--table", metavar="JSON", help="print the Markdown table of a run's results and exit"
    )
    runner.argparser.add_argument(
        "--steps", action="store_true", help="time the steps of a 1 MiB call instead"
    )
    runner.argparser.add_argument(
        "--shipped",
        action="store_true",
        help="time the installed C ABI packages' own hi() and greet() instead",
    )
    runner.metadata["description"] = "C ABI shapes of greet(name), cffi and ctypes"
    args = runner.parse_args()
    if args.table:
        print(table(args.table))
        return
    if args.shipped:
        shipped(runner)
        return
    if not args.worker:
        build()
    if args.steps:
        for label in ("1MiB-ascii", "1MiB-e-acute"):
            name = NAMES[label]
            runner.bench_func(f"{label}: f-string", lambda name: f"Hello, {name}!", name)
            for step, (func, func_args) in steps(LIBRARY, name).items():
                runner.bench_func(f"{label}: {step}", func, *func_args)
        return
    shapes = {
        **{f"cffi {k}": f for k, f in cffi_shapes(LIBRARY).items()},
        **{f"ctypes {k}": f for k, f in ctypes_shapes(LIBRARY).items()},
    }
    for label, name in NAMES.items():
        expected = f"Hello, {name}!"
        for shape, greet in shapes.items():
            # A shape that is wrong is not timed.
            assert greet(name) == expected, (shape, label)
        runner.bench_func(f"{label}: f-string", lambda name: f"Hello, {name}!", name)
        for shape, greet in shapes.items():
            runner.bench_func(f"{label}: {shape}", greet, name)


if __name__ == "__main__":
    main()
