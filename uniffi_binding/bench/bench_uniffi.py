"""Where a call through the UniFFI route spends its time (pyperf, fresh processes).

Times the package's ``hi()`` and ``greet()`` against the pure-Python functions
in the same run, the generated functions beneath them (the package without its
own layer), and the steps of a generated ``greet`` on their own: UniFFI's type
check, lowering the str into a RustBuffer, one bare Rust call through ctypes,
lifting the result. The step benchmarks reach into the generated module's
private helpers: to measure them, never to ship them.

Run with the package installed (docs/uniffi.md has the figures); the table
of medians and ratios is printed from the file that ``-o`` names:
    python uniffi_binding/bench/bench_uniffi.py -o results.json
pyperf's options apply (``--fast``, ``--rigorous``, ``-p``, ...).
"""

from __future__ import annotations

import pyperf

# Prepared in every worker before timing; the names the statements use.
SETUP = """
import uniffi_binding
from uniffi_binding._native import uniffi_binding as g

def py_hi():
    return "Hello from Rust!"

def py_greet(name):
    return f"Hello, {name}!"

# Every callable bound to a local name, as py_hi is: no attribute lookup timed.
u_hi, u_greet = uniffi_binding.hi, uniffi_binding.greet
g_hi, g_greet = g.hi, g.greet
name = b"world".decode()
big = "x" * (1 << 20)
S = g._UniffiFfiConverterString
check_lower, lower, lift = S.check_lower, S.lower, S.lift
alloc, call = g._UniffiRustBuffer.alloc, g._uniffi_rust_call
rust_hi = g._UniffiLib.uniffi_uniffi_binding_fn_func_hi

import ctypes
import types

# The package's own greet() code with the UniFFI call swapped for py_greet: the
# cost of the Python layer alone, too small to see beside a UniFFI call's spread.
layer_over_py = types.FunctionType(
    uniffi_binding.greet.__code__, {**vars(uniffi_binding), "_greet": py_greet}
)

def lower_by_memmove(value):
    # What-if from UniFFI 0.31, which copied byte by byte: the str lowered by
    # one memmove into a buffer allocated at its size. UniFFI 0.32, which the
    # route now uses, also copies with one memmove (after a 16-byte alloc and
    # a reserve).
    data = value.encode("utf-8")
    buf = alloc(len(data))
    ctypes.memmove(buf.data, data, len(data))
    buf.len = len(data)
    return buf
"""

# (name, statement, baseline name or None): the baseline is in the same run.
BENCHMARKS = [
    ("python hi()", "py_hi()", None),
    ("uniffi_binding.hi()", "u_hi()", "python hi()"),
    ("generated hi()", "g_hi()", "python hi()"),
    ("python greet('world')", "py_greet(name)", None),
    ("uniffi_binding.greet('world')", "u_greet(name)", "python greet('world')"),
    ("generated greet('world')", "g_greet(name)", "python greet('world')"),
    ("layer alone: greet() code over py_greet", "layer_over_py(name)", "python greet('world')"),
    # The steps of the generated greet('world'), each on its own.
    ("step: check_lower", "check_lower(name)", "python greet('world')"),
    ("step: lower + free", "lower(name).free()", "python greet('world')"),
    ("step: alloc + free (2 bare calls)", "alloc(16).free()", None),
    ("step: Rust hi call + lift", "lift(call(rust_hi))", None),
    ("python greet(1 MiB)", "py_greet(big)", None),
    ("uniffi_binding.greet(1 MiB)", "u_greet(big)", "python greet(1 MiB)"),
    ("step: lower + free (1 MiB)", "lower(big).free()", "python greet(1 MiB)"),
    (
        "what-if: memmove lower + free (1 MiB)",
        "lower_by_memmove(big).free()",
        "python greet(1 MiB)",
    ),
]


def main() -> None:
    """Run every benchmark, then print medians, spreads and ratios from ``-o``."""
    runner = pyperf.Runner()
    for name, stmt, _ in BENCHMARKS:
        runner.timeit(name, stmt=stmt, setup=SETUP)
    if runner.args.worker or not runner.args.output:
        return
    # pyperf's Runner hands back no results in the parent process: read the
    # file it wrote.
    suite = pyperf.BenchmarkSuite.load(runner.args.output)
    results = {bench.get_name(): bench for bench in suite.get_benchmarks()}
    print(f"\n{'benchmark':44} {'median':>12} {'stdev':>11}  ratio")
    for name, _, baseline in BENCHMARKS:
        bench = results[name]
        ratio = f"{bench.median() / results[baseline].median():8.1f}x" if baseline else ""
        median, stdev = bench.median() * 1e9, bench.stdev() * 1e9
        print(f"{name:44} {median:10,.0f}ns {stdev:9,.0f}ns  {ratio}")


if __name__ == "__main__":
    main()
