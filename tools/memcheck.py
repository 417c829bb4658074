"""Run the C ABI under valgrind's memcheck; fail on any error in the project's library.

``tox -e memcheck`` builds and installs ``cffi_binding`` (a release build, as
shipped), then runs this script. It starts valgrind on this same script with
``--drive``, which calls every C function on every path, success and error,
many times: directly through cffi's ``lib`` and through the Python wrapper.
CPython runs with ``PYTHONMALLOC=malloc`` so that valgrind sees every
allocation.

valgrind writes its findings as XML. An error counts when any frame of any of
its stacks lies in the installed ``cffi_binding`` package (its native library):
a definitely lost block allocated there, or an invalid read, write or free
there. CPython's own reports are counted, but do not fail the run.

To see it catch a real bug, build the library broken on purpose:
``RUSTFLAGS='--cfg hi_inject_bug="leak"' python -m tox -e memcheck`` (or
``"double_free"``) must fail.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

CALLS = 5_000
MIB = 1 << 20
DONE = "memcheck driver: done"

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


def drive() -> None:
    """Call every C function on every path; runs under valgrind."""
    from cffi_binding._native import ffi, lib

    from cffi_binding import greet, hi

    def call_c(name: Any, length: int) -> tuple[int, bytes]:
        # name: bytes, or ffi.NULL for the NULL-pointer statuses.
        result = lib.hi_greet(name, length)
        try:
            return result.status, ffi.unpack(result.ptr, result.len)
        finally:
            lib.hi_string_free(result.ptr, result.len)

    for _ in range(CALLS):
        assert hi() == "Hello from Rust!"
        assert greet("w\x00rld 🦀") == "Hello, w\x00rld 🦀!"
        try:
            greet("")
        except ValueError:
            pass
        else:
            raise AssertionError("greet('') returned")
        assert call_c(b"\xff", 1)[0] == lib.HI_STATUS_INVALID_UTF8
        assert call_c(ffi.NULL, 3)[0] == lib.HI_STATUS_NULL_POINTER
        assert call_c(ffi.NULL, 0)[0] == lib.HI_STATUS_EMPTY_NAME
        lib.hi_string_free(ffi.NULL, 0)
    for name in ("x" * MIB, "🦀" * (MIB // 4)):
        assert greet(name) == f"Hello, {name}!"
    try:
        greet("\ud800")
    except UnicodeEncodeError:
        pass
    else:
        raise AssertionError("greet('\\ud800') returned")
    assert ffi.string(lib.hi_version()).decode()
    print(DONE, flush=True)


def package_dir() -> Path:
    """Where the installed cffi_binding lives (its native library is inside)."""
    spec = importlib.util.find_spec("cffi_binding")
    if spec is None or spec.origin is None:
        sys.exit("cffi_binding is not installed: run this through `tox -e memcheck`")
    return Path(spec.origin).resolve().parent


def describe(error: ET.Element) -> str:
    """One error as valgrind's text output would show it, in short."""
    lines = [error.findtext("what") or error.findtext("xwhat/text") or "?"]
    for stack in error.iter("stack"):
        for frame in list(stack.iter("frame"))[:12]:
            where = frame.findtext("fn") or frame.findtext("ip") or "?"
            lines.append(f"    {where}  ({frame.findtext('obj') or '?'})")
        lines.append("    --")
    return "\n".join(lines)


def in_project(error: ET.Element, project: Path) -> bool:
    """Whether any frame of any stack of ``error`` is in the project's package."""
    return any(
        Path(obj).resolve().is_relative_to(project)
        for obj in (frame.findtext("obj") for frame in error.iter("frame"))
        if obj
    )


def main() -> int:
    """Run the driver under valgrind; 0 if no error touches the project's library."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print(
            "memcheck needs valgrind, which is not on PATH.\n"
            "Install it with the system package manager (Debian: apt-get install valgrind).",
            file=sys.stderr,
        )
        return 2
    project = package_dir()
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
    ours = [error for error in errors if in_project(error, project)]
    kinds = Counter(error.findtext("kind") for error in errors)
    print(f"{CALLS} rounds of calls to every C function, under {valgrind}")
    print(f"errors reported: {len(errors)} {dict(kinds)}")
    print(f"errors with a frame in {project}: {len(ours)}")
    for error in ours:
        print(f"\n{error.findtext('kind')}: {describe(error)}")
    if ours:
        print(f"\nFAILED: {len(ours)} errors in the project's library", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--drive"]:
        drive()
    else:
        sys.exit(main())
