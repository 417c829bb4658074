"""Run the C ABI under valgrind's memcheck; fail on any error in the project's libraries.

``tox -e memcheck`` builds and installs every C ABI route (``cffi_binding``
and ``ctypes_binding``: release builds, as shipped), then runs this script. It
starts valgrind on this same script with ``--drive``, which calls every C
function on every path, success and error, many times, as both routes call
it: through each package's Python wrapper (greet, split, checksum over every
kind of buffer, WordCounter made, added to, with a keep that raises,
queried and freed, loads and dumps on every value kind and every refusal),
and raw, through cffi's ``lib`` and through ctypes (the
HiKeep callback that keeps, drops and stops, most_common's result freed,
NULL arguments, and every hi_json_* status). CPython runs with
``PYTHONMALLOC=malloc`` so that valgrind sees every allocation.

valgrind writes its findings as XML. An error counts when any frame of any of
its stacks lies in an installed C ABI package (its native library): a
definitely lost block allocated there, or an invalid read, write or free
there. CPython's own reports are counted, but do not fail the run.

To see it catch a real bug, build the library broken on purpose:
``HI_INJECT_BUG=leak python -m tox -e memcheck`` (or ``double_free``) must
fail.
"""

from __future__ import annotations

import array
import ctypes
import gc
import importlib
import importlib.util
import json
import marshal
import mmap
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from routes import ROUTES

CALLS = 2_000
# The new shapes do more per call; fewer rounds keep valgrind's run short.
SHAPE_ROUNDS = 200
MIB = 1 << 20
DONE = "memcheck driver: done"
# The routes that expose the C ABI (c_abi = true in routes.toml).
C_ABI_PACKAGES = [route.name for route in ROUTES if route.c_abi]

VALGRIND_ARGS = [
    "--tool=memcheck",
    "--leak-check=full",
    # Only definitely lost blocks are leaks: CPython keeps much memory
    # reachable (or possibly lost) at exit on purpose.
    "--show-leak-kinds=definite",
    "--errors-for-leak-kinds=definite",
    "--num-callers=50",
    # CPython unloads the library at exit, before the leak check: keep its
    # symbols, or the frames of a leak allocated there have no name or file.
    "--keep-debuginfo=yes",
    "--xml=yes",
]

# What a raw call of hi_greet_into returns: status and text.
RawGreet = Callable[[Any, int], tuple[int, bytes]]


def raw_cffi() -> RawGreet:
    """hi_greet_into through cffi_binding's own cffi ``lib``: the length, then the text."""
    from cffi_binding._native import ffi, lib

    def call(name: Any, length: int) -> tuple[int, bytes]:
        # name: bytes, or ffi.NULL for the NULL-pointer statuses.
        out = ffi.new("HiBuffer *", {"ptr": ffi.NULL, "cap": 0})
        lib.hi_greet_into(name, length, out)
        buf = ffi.new("char[]", out.len)
        out = ffi.new("HiBuffer *", {"ptr": buf, "cap": out.len})
        status = lib.hi_greet_into(name, length, out)
        return status, ffi.unpack(buf, out.len)

    return call


def raw_ctypes() -> RawGreet:
    """hi_greet_into through ctypes_binding's ctypes library: the length, then the text."""
    from ctypes_binding._native import HiBuffer, lib

    def call(name: Any, length: int) -> tuple[int, bytes]:
        # name: bytes, or None for the NULL-pointer statuses.
        out = HiBuffer(None, 0, 0)
        lib.hi_greet_into(name, length, out)
        buf = bytearray(out.len)
        pointer = ctypes.pointer(ctypes.c_char.from_buffer(buf)) if buf else None
        out = HiBuffer(pointer, len(buf), 0)
        status = lib.hi_greet_into(name, length, out)
        return status, bytes(buf)

    return call


class Stop(Exception):
    """Raised by the memcheck's keep callbacks, to take the error paths."""


def keep_raising(word: str) -> bool:
    """A keep callback that raises on "stop"."""
    if word == "stop":
        raise Stop(word)
    return len(word) > 1


def drive_shapes(module: Any) -> None:
    """split, checksum and WordCounter through a package's own wrapper, every path."""
    text = "a bb é🦀 \x00x\u3000y stop " * 50
    buffers: list[Any] = [
        b"hello",
        b"",
        bytearray(b"hello" * 1000),
        memoryview(b"read-only"),
        array.array("d", [1.5, 2.5]),
        b"x" * (1 << 17),  # over CHECKSUM_DETACH_FROM: the GIL is released
    ]
    oracle = Counter(text.split())
    oracle.update(word for word in text.split() if len(word) > 1)
    for _ in range(SHAPE_ROUNDS):
        assert module.split(text) == text.split()
        assert module.split("") == []
        for data in buffers:
            assert module.checksum(data, 7) == zlib.crc32(data, 7)
        for bad in ("str", None, memoryview(b"abcd")[::2]):
            try:
                module.checksum(bad)
            except (TypeError, BufferError):
                pass
            else:
                raise AssertionError(f"checksum({bad!r}) returned")
        counter = module.WordCounter()
        counter.add(text)
        counter.add(text, keep=lambda word: len(word) > 1)
        try:
            counter.add(text, keep=keep_raising)
        except Stop:
            pass
        else:
            raise AssertionError("a raising keep did not raise")
        assert counter.count("bb") == oracle["bb"]
        assert counter.count("nope") == 0
        assert len(counter) == len(oracle)
        assert counter.total() == oracle.total()
        assert counter.most_common(2) == oracle.most_common(2)
        assert counter.most_common() == oracle.most_common()
        assert counter.most_common(-1) == []
        try:
            counter.count("\ud800")
        except UnicodeEncodeError:
            pass
        else:
            raise AssertionError("count of a lone surrogate returned")
        del counter
    ba = bytearray(b"abc")
    module.checksum(ba)
    ba.extend(b"resizable")  # no export held
    with mmap.mmap(-1, 4096) as mapped:
        assert module.checksum(mapped) == zlib.crc32(mapped)
    gc.collect()


# A document with every kind of value and escape the C ABI carries across.
JSON_DOCUMENT = {
    "ints": [0, -1, 2**63 - 1, -(2**63), 2**64, -(10**30)],
    "floats": [0.5, -0.0, 1e16, 5e-324, float("inf"), float("-inf")],
    "strs": ["", "é世🦀", "\ud800", "a\x00b", '\n"\\'],
    "others": [None, True, False, {}, []],
    "nested": {"a": [{"b": [[{"c": None}]]}], "é": {"🦀": "x" * 5000}},
    1: "int key",
    2.5: "float key",
    None: "None key",
}


def expect_raises(call: Callable[[], Any], error: type[BaseException]) -> None:
    """``call()`` raises ``error``: the C ABI's error path, taken on purpose."""
    try:
        call()
    except error:
        return
    raise AssertionError(f"{call} did not raise {error.__name__}")


def drive_json(module: Any) -> None:
    """loads and dumps through a package's own wrapper: every value kind, every
    encoding of bytes, and every refusal (syntax, decoding, type, cycle, digit
    limit, nesting too deep)."""
    text = json.dumps(JSON_DOCUMENT)
    expected = json.loads(text)
    documents = [text, text.encode(), bytearray(text.encode("utf-16")), text.encode("utf-32")]
    cycle: list[Any] = []
    cycle.append(cycle)
    for _ in range(SHAPE_ROUNDS):
        for document in documents:
            assert json.dumps(module.loads(document)) == json.dumps(expected)
        assert module.dumps(JSON_DOCUMENT) == text
        assert module.loads("[NaN, 1e400]")[1] == float("inf")
        for malformed in ('{"a": [1, 2}', "", '"\\ud800\\x"', "[1,]"):
            expect_raises(partial(module.loads, malformed), json.JSONDecodeError)
        expect_raises(lambda: module.loads(b'["\xff"]'), UnicodeDecodeError)
        expect_raises(lambda: module.loads(None), TypeError)
        expect_raises(lambda: module.loads("1" * 5000), ValueError)
        expect_raises(lambda: module.dumps({"a": {1, 2}}), TypeError)
        expect_raises(lambda: module.dumps({(1,): 1}), TypeError)
        expect_raises(lambda: module.dumps(cycle), ValueError)
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    for _ in range(3):
        expect_raises(lambda: module.loads("[" * 100_000), RecursionError)
        expect_raises(lambda: module.dumps(deep), RecursionError)
    gc.collect()


def drive_raw_cffi() -> None:
    """The counter and its HiKeep callback through cffi's ``lib``, raw: keep, drop, stop, NULLs."""
    from cffi_binding._native import ffi, lib

    def on_word(ctx: Any, word: Any, size: int) -> int:
        text = ffi.unpack(word, size)
        return -1 if text == b"stop" else int(size > 1)

    keep = ffi.callback("HiKeep", on_word)

    for _ in range(SHAPE_ROUNDS):
        counter = lib.hi_counter_new()
        assert lib.hi_counter_add_keep(counter, b"a bb ccc", 8, keep, ffi.NULL) == 0
        assert lib.hi_counter_add_keep(counter, b"dd stop e", 9, keep, ffi.NULL) == 5
        assert lib.hi_counter_add(ffi.NULL, b"a", 1) == 3
        top = ffi.new("HiMostCommon *")
        assert lib.hi_counter_most_common(counter, 10, top) == 0
        assert top.len == 2
        lib.hi_most_common_free(top)
        lib.hi_most_common_free(top)
        out = ffi.new("HiBuffer *", {"ptr": ffi.NULL, "cap": 0})
        assert lib.hi_last_error(out) == 0
        assert out.len > 0
        lib.hi_counter_free(counter)
        lib.hi_counter_free(ffi.NULL)


def drive_raw_ctypes() -> None:
    """The same through ctypes_binding's ctypes library, with a CFUNCTYPE keep."""
    from ctypes_binding._native import HiKeep, HiMostCommon, HiSpans, lib

    def keep(ctx: Any, word: Any, size: int) -> int:
        text = ctypes.string_at(word, size)
        return -1 if text == b"stop" else int(size > 1)

    callback = HiKeep(keep)
    for _ in range(SHAPE_ROUNDS):
        counter = lib.hi_counter_new()
        assert counter is not None
        assert lib.hi_counter_add_keep(counter, b"a bb ccc", 8, callback, None) == 0
        assert lib.hi_counter_add_keep(counter, b"dd stop e", 9, callback, None) == 5
        assert lib.hi_counter_add_mask(counter, b"a b", 3, b"\x01", 1) == 6
        top = HiMostCommon()
        assert lib.hi_counter_most_common(counter, 1, top) == 0
        assert top.len == 1
        lib.hi_most_common_free(top)
        spans = HiSpans(None, 0, 0)
        assert lib.hi_split(b"a b c", 5, spans) == 0
        assert spans.len == 3
        assert lib.hi_split(b"\xff", 1, spans) == 2
        lib.hi_counter_free(counter)
        lib.hi_counter_free(None)


# hi_json_*'s statuses (enum HiStatus in the header).
JSON_OK, NULL_POINTER, JSON_SYNTAX, JSON_DECODE, JSON_TOO_DEEP = 0, 3, 7, 8, 9
JSON_TYPE, JSON_CIRCULAR, JSON_INT_DIGITS, FLAT_UNSUPPORTED, FLAT_MALFORMED = 10, 11, 12, 13, 14


@dataclass
class RawJson:
    """The hi_json_* functions through one FFI: a fresh HiJson, its bytes, NULL."""

    lib: Any
    new_out: Callable[[], Any]
    read: Callable[[Any], bytes]
    bytes_in: Callable[[bytes], Any]
    null: Any


def drive_raw_json(raw: RawJson) -> None:
    """Every hi_json_* path, raw: values loaded and written back, each error
    status, NULL pointers, and hi_json_free twice."""
    lib, bytes_in = raw.lib, raw.bytes_in
    text = '{"a": [1, 2.5, "é", "\\ud800", 12345678901234567890], "b": null}'.encode()
    # Ints within int64: marshal writes larger ones as `l`, which the format refuses.
    value = [1, "é🦀", {"k": None, "f": 0.5}, (True, -(2**62)), [], {}]
    cycle: list[Any] = [1]
    cycle.append(cycle)
    refused = {
        "set": marshal.dumps({1, 2}, 4),
        "marked": b"?" + struct.pack("<I", 3) + b"set",
        "cycle": marshal.dumps(cycle, 4),
        "malformed": b"[\xff\xff\xff\xff",
    }
    statuses = {"set": FLAT_UNSUPPORTED, "marked": JSON_TYPE, "cycle": JSON_CIRCULAR}
    for _ in range(SHAPE_ROUNDS):
        out = raw.new_out()
        assert lib.hi_json_loads_str(bytes_in(text), len(text), 1000, 11, 4300, out) == JSON_OK
        flat = raw.read(out)
        lib.hi_json_free(out)
        lib.hi_json_free(out)
        assert lib.hi_json_dumps(bytes_in(flat), len(flat), 1000, out) == JSON_OK
        assert json.loads(raw.read(out)) == json.loads(text)
        lib.hi_json_free(out)
        written = marshal.dumps(value, 4)
        assert lib.hi_json_dumps(bytes_in(written), len(written), 1000, out) == JSON_OK
        assert raw.read(out) == json.dumps(value).encode()
        lib.hi_json_free(out)
        data = text.decode().encode("utf-16")
        assert lib.hi_json_loads_bytes(bytes_in(data), len(data), 1000, 11, 4300, out) == JSON_OK
        lib.hi_json_free(out)
        for document, depth, digits, status in (
            (b"[1,", 1000, 4300, JSON_SYNTAX),
            (b"[[[[1]]]]", 3, 4300, JSON_TOO_DEEP),
            (b"1" * 20, 1000, 10, JSON_INT_DIGITS),
        ):
            assert (
                lib.hi_json_loads_str(bytes_in(document), len(document), depth, 11, digits, out)
                == status
            )
            assert raw.read(out) == b""
        bad = b'["\xff"]'
        assert lib.hi_json_loads_bytes(bytes_in(bad), len(bad), 1000, 11, 4300, out) == JSON_DECODE
        for name, flat_value in refused.items():
            status = lib.hi_json_dumps(bytes_in(flat_value), len(flat_value), 1000, out)
            assert status == statuses.get(name, FLAT_MALFORMED), (name, status)
        assert lib.hi_json_loads_str(raw.null, 3, 1000, 11, 4300, out) == NULL_POINTER
        assert (
            lib.hi_json_loads_str(bytes_in(text), len(text), 1000, 11, 4300, raw.null)
            == NULL_POINTER
        )
        assert lib.hi_json_dumps(bytes_in(flat), len(flat), 1000, raw.null) == NULL_POINTER
        lib.hi_json_free(raw.null)


def raw_json_cffi() -> RawJson:
    """hi_json_* through cffi_binding's own cffi ``lib``."""
    from cffi_binding._native import ffi, lib

    return RawJson(
        lib,
        lambda: ffi.new("HiJson *"),
        lambda out: bytes(ffi.buffer(out.ptr, out.len)) if out.ptr else b"",
        lambda data: ffi.from_buffer("uint8_t[]", data),
        ffi.NULL,
    )


def raw_json_ctypes() -> RawJson:
    """hi_json_* through ctypes_binding's ctypes library."""
    from ctypes_binding._native import HiJson, lib

    return RawJson(
        lib,
        HiJson,
        lambda out: ctypes.string_at(out.ptr, out.len) if out.ptr else b"",
        lambda data: data,
        None,
    )


def drive() -> None:
    """Call every C function on every path, through every C ABI route; runs under valgrind."""
    # The NULL pointer each route's raw calls pass.
    null: dict[str, Any] = {"cffi_binding": None, "ctypes_binding": None}
    raw: dict[str, RawGreet] = {}
    if "cffi_binding" in C_ABI_PACKAGES:
        from cffi_binding._native import ffi

        null["cffi_binding"] = ffi.NULL
        raw["cffi_binding"] = raw_cffi()
    if "ctypes_binding" in C_ABI_PACKAGES:
        raw["ctypes_binding"] = raw_ctypes()
    for package in C_ABI_PACKAGES:
        module = importlib.import_module(package)
        greet, hi, call_c = module.greet, module.hi, raw[package]
        for _ in range(CALLS):
            assert hi() == "Hello from Rust!"
            assert greet("w\x00rld 🦀") == "Hello, w\x00rld 🦀!"
            assert greet("x" * 5000) == "Hello, " + "x" * 5000 + "!"
            try:
                greet("")
            except ValueError:
                pass
            else:
                raise AssertionError("greet('') returned")
            assert call_c(b"w\x00rld", 5) == (0, b"Hello, w\x00rld!")
            assert call_c(b"\xff", 1)[0] == 2
            assert call_c(null[package], 3)[0] == 3
            assert call_c(null[package], 0)[0] == 1
        for name in ("x" * MIB, "🦀" * (MIB // 4)):
            assert greet(name) == f"Hello, {name}!"
        try:
            greet("\ud800")
        except UnicodeEncodeError:
            pass
        else:
            raise AssertionError("greet('\\ud800') returned")
        assert module.__version__
        drive_shapes(module)
        drive_json(module)
    if "cffi_binding" in C_ABI_PACKAGES:
        drive_raw_cffi()
        drive_raw_json(raw_json_cffi())
    if "ctypes_binding" in C_ABI_PACKAGES:
        drive_raw_ctypes()
        drive_raw_json(raw_json_ctypes())
    print(DONE, flush=True)


def package_dirs() -> list[Path]:
    """Where the installed C ABI packages live (their native libraries are inside)."""
    found = []
    for package in C_ABI_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            sys.exit(f"{package} is not installed: run this through `tox -e memcheck`")
        found.append(Path(spec.origin).resolve().parent)
    return found


def describe(error: ET.Element) -> str:
    """One error as valgrind's text output would show it, in short."""
    lines = [error.findtext("what") or error.findtext("xwhat/text") or "?"]
    for stack in error.iter("stack"):
        for frame in list(stack.iter("frame"))[:12]:
            where = frame.findtext("fn") or frame.findtext("ip") or "?"
            lines.append(f"    {where}  ({frame.findtext('obj') or '?'})")
        lines.append("    --")
    return "\n".join(lines)


def in_project(error: ET.Element, projects: list[Path]) -> bool:
    """Whether any frame of any stack of ``error`` is in one of the project's packages."""
    return any(
        Path(obj).resolve().is_relative_to(project)
        for obj in (frame.findtext("obj") for frame in error.iter("frame"))
        if obj
        for project in projects
    )


def main() -> int:
    """Run the driver under valgrind; 0 if no error touches the project's libraries."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print(
            "memcheck needs valgrind, which is not on PATH.\n"
            "Install it with the system package manager (Debian: apt-get install valgrind).",
            file=sys.stderr,
        )
        return 2
    projects = package_dirs()
    with tempfile.TemporaryDirectory() as tmp:
        xml_file = Path(tmp) / "memcheck.xml"
        run = subprocess.run(
            [
                valgrind,
                *VALGRIND_ARGS,
                f"--xml-file={xml_file}",
                sys.executable,
                __file__,
                "--drive",
            ],
            env={**os.environ, "PYTHONMALLOC": "malloc"},
            capture_output=True,
            text=True,
            check=False,
        )
        report = ET.parse(xml_file).getroot() if xml_file.exists() else None

    # A check that did not run proves nothing: the driver must have finished.
    if report is None or run.returncode != 0 or DONE not in run.stdout:
        print(run.stdout, run.stderr, sep="\n", file=sys.stderr)
        print(
            f"the driver did not run to the end (exit {run.returncode})",
            file=sys.stderr,
        )
        return 1

    errors = report.findall("error")
    ours = [error for error in errors if in_project(error, projects)]
    kinds = Counter(error.findtext("kind") for error in errors)
    print(
        f"{CALLS} rounds of greet calls and {SHAPE_ROUNDS} of split, checksum, WordCounter"
        f" (wrapped and raw), loads and dumps, per route, under {valgrind}"
    )
    print(f"errors reported: {len(errors)} {dict(kinds)}")
    print(f"errors with a frame in {', '.join(map(str, projects))}: {len(ours)}")
    for error in ours:
        print(f"\n{error.findtext('kind')}: {describe(error)}")
    if ours:
        print(f"\nFAILED: {len(ours)} errors in the project's libraries", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--drive"]:
        drive()
    else:
        sys.exit(main())
