"""Per-call cost of ``hi()`` and ``greet(name)`` as the name grows, and with threads.

The measurements behind docs/pyo3.md: each target given on the command line
against the pure-Python functions (``python``) in the same run, so every ratio
compares figures taken together. Run it with a Python where the bindings and
pyperf are installed (it is a measurement, not a test)::

    python tools/pyo3_sizes.py --targets pyo3_binding,setuptools_rust_binding \\
        --rounds 3 -o sizes.json
    python tools/pyo3_sizes.py --table sizes.json

Each round is one pyperf run of every benchmark, in an order rotated from the
last round's, appended to the same file: pyperf starts fresh worker processes
for every benchmark (calibrated loops, warm-up values dropped), and rounds
spread a noisy machine's bad moments over every target instead of one. The
table gives each median, the first and third quartiles, MB/s and the ratio of
medians to the pure-Python function at the same size and kind.

What is measured: the calling thread's CPU time (user and system, so page
faults and the allocator's system calls count; time spent waiting for a core
does not), the function called again and again on one name object
in each worker, as a program that greets the same text repeatedly does, in a
plain ``for`` loop whose own cost every target shares. CPython caches a str's
UTF-8 form on the object the first time something asks for it, so only the
first call on a non-ASCII name pays for the encoding; the warm-up absorbs it.
Sizes are the name's length in UTF-8 bytes (what a C ABI carries): a 1 MiB
"é" name is 512 Ki characters, a 1 MiB "🦀" name 256 Ki.

``--threads N``: wall time (threads run in parallel or not: only the wall
clock shows it) of the same number of ``greet`` calls on the 1 MiB
names made by one thread and shared among N threads; the table's ratio is
N threads' calls per second over one thread's: up to N if the calls run in
parallel, 1 if they serialize, under 1 if threads make them slower.

A target is a module (its ``hi`` and ``greet``) or ``module:function``,
another function of a module measured as its ``greet``.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import pyperf  # type: ignore[import-untyped]  # pyperf ships no type hints

# The pure-Python baseline's name among the targets.
PYTHON = "python"


def _python_hi() -> str:
    return "Hello from Rust!"


def _python_greet(name: str) -> str:
    return f"Hello, {name}!"


KIB = 1 << 10
MIB = 1 << 20
# Log-spaced name sizes in UTF-8 bytes, 1 B to 16 MiB.
SIZES = [1, 32, KIB, 32 * KIB, MIB, 16 * MIB]
# Kinds of text: one character of each, repeated. CPython stores "é" as
# Latin-1 (1 byte a character) and "🦀" as UCS-4 (4 bytes a character).
KINDS = {"ascii": "x", "latin1": "é", "astral": "🦀"}
# What the thread benchmark calls greet on.
THREAD_SIZE = MIB
THREAD_KINDS = ["ascii", "latin1"]


def name_of(kind: str, size: int) -> str:
    """A name of ``size`` UTF-8 bytes (at least one character) of ``kind``."""
    char = KINDS[kind]
    return char * max(1, size // len(char.encode()))


def size_label(size: int) -> str:
    """1 B, 32 B, 1 KiB, ..., 16 MiB."""
    if size >= MIB:
        return f"{size // MIB} MiB"
    if size >= KIB:
        return f"{size // KIB} KiB"
    return f"{size} B"


def function_of(target: str, function: str) -> Callable[..., str]:
    """``target``'s ``hi`` or ``greet``, imported."""
    if target == PYTHON:
        return _python_hi if function == "hi" else _python_greet
    module, _, other = target.partition(":")
    found: Callable[..., str] = getattr(__import__(module), other or function)
    return found


# What a worker process calls, built once per process so that every value
# in it calls the same name object.
_PREPARED: dict[tuple[str, str, str, int], tuple[Callable[..., str], tuple[str, ...]]] = {}


def prepared(target: str, function: str, kind: str, size: int) -> tuple[Any, tuple[str, ...]]:
    """The function and its arguments, checked once against the contract."""
    key = (target, function, kind, size)
    if key not in _PREPARED:
        func = function_of(target, function)
        args = (name_of(kind, size),) if function == "greet" else ()
        expected = f"Hello, {args[0]}!" if args else "Hello from Rust!"
        if func(*args) != expected:
            raise RuntimeError(f"{target}.{function} returns the wrong text")
        _PREPARED[key] = (func, args)
    return _PREPARED[key]


def timed_calls(loops: int, target: str, function: str, kind: str, size: int) -> float:
    """CPU time of ``loops`` calls (pyperf's time function).

    The thread's CPU time, user and system (page faults, mmap and munmap
    included), not wall time: on a machine shared with other work, time spent
    waiting for a core is not the call's cost, and it is most of the noise.
    """
    func, args = prepared(target, function, kind, size)
    repeat = itertools.repeat(None, loops)
    began = time.thread_time()
    if args:
        (name,) = args
        for _ in repeat:
            func(name)
    else:
        for _ in repeat:
            func()
    return time.thread_time() - began


def threaded_calls(loops: int, target: str, kind: str, threads: int) -> float:
    """Wall time of ``loops`` calls of ``greet`` shared among ``threads``
    threads that start together (pyperf's time function)."""
    greet, (name,) = prepared(target, "greet", kind, THREAD_SIZE)
    shares = [loops // threads + (i < loops % threads) for i in range(threads)]
    start = threading.Barrier(threads + 1)

    def work(calls: int) -> None:
        start.wait()
        for _ in itertools.repeat(None, calls):
            greet(name)

    workers = [threading.Thread(target=work, args=(calls,)) for calls in shares]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.perf_counter()
    for worker in workers:
        worker.join()
    return time.perf_counter() - began


def call_cases(kinds: list[str], sizes: list[int]) -> list[tuple[str, str, str, int]]:
    """Every call benchmark as (label, function, kind, size)."""
    cases = [("hi()", "hi", "ascii", 0), ("greet 'world'", "greet", "ascii", 0)]
    for kind in kinds:
        cases += [(f"greet {size_label(size)} {kind}", "greet", kind, size) for size in sizes]
    return cases


def run_round(argv: list[str]) -> None:
    """One pyperf run of every benchmark (this script re-run by ``main``,
    and by pyperf for its workers)."""

    def worker_args(cmd: list[str], args: Any) -> None:
        cmd.extend(["--round-of", args.round_of, "--round", str(args.round)])

    runner = pyperf.Runner(add_cmdline_args=worker_args)
    runner.argparser.add_argument("--round-of", required=True)
    runner.argparser.add_argument("--round", type=int, default=0)
    args = runner.parse_args(argv)
    options = argparse.Namespace(**dict(item.split("=", 1) for item in args.round_of.split(";")))
    targets = [PYTHON, *options.targets.split(",")]
    kinds = options.kinds.split(",")
    threads = int(options.threads)

    benchmarks: list[tuple[str, Callable[..., float], tuple[Any, ...]]] = []
    sizes = [int(size) for size in options.sizes.split(",") if size]
    for label, function, kind, size in call_cases(kinds, sizes):
        for target in targets:
            if function == "hi" and ":" in target:
                continue  # a module:function target has no hi()
            benchmarks.append((f"{label} | {target}", timed_calls, (target, function, kind, size)))
    if threads:
        for kind in THREAD_KINDS:
            for target in targets:
                for count in (1, threads):
                    label = f"threads {size_label(THREAD_SIZE)} {kind} | {target} | {count}"
                    benchmarks.append((label, threaded_calls, (target, kind, count)))
    # Rotated by round: no target is always measured first, or last.
    shift = args.round * 7 % len(benchmarks)
    for name, func, func_args in benchmarks[shift:] + benchmarks[:shift]:
        runner.bench_time_func(name, func, *func_args)


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """First quartile, median and third quartile."""
    if len(values) < 2:
        return values[0], values[0], values[0]
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


def duration(value: float) -> str:
    """A duration with a unit that keeps it readable."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value / 1e-9:.3g} ns"


def table(path: str) -> str:
    """The markdown tables of a results file."""
    suite = pyperf.BenchmarkSuite.load(path)
    values = {bench.get_name(): bench.get_values() for bench in suite.get_benchmarks()}
    calls: dict[str, dict[str, list[float]]] = {}
    threads: dict[str, dict[str, dict[int, list[float]]]] = {}
    for name, samples in values.items():
        parts = name.split(" | ")
        if name.startswith("threads "):
            case, target, count = parts
            threads.setdefault(case, {}).setdefault(target, {})[int(count)] = samples
        else:
            case, target = parts
            calls.setdefault(case, {})[target] = samples
    rows = [
        "| call | target | median | q1 .. q3 | MB/s | / python | values |",
        "|---|---|---|---|---|---|---|",
    ]
    sizes = {size_label(size): size for size in SIZES}
    for case, by_target in calls.items():
        base = statistics.median(by_target[PYTHON]) if PYTHON in by_target else None
        words = case.split(" ")
        size = sizes.get(" ".join(words[1:3])) if len(words) == 4 else None
        for target, samples in by_target.items():
            q1, median, q3 = quartiles(samples)
            rate = f"{size / median / 1e6:,.0f}" if size else ""
            ratio = f"{median / base:.2f}x" if base else ""
            rows.append(
                f"| {case} | {target} | {duration(median)} | {duration(q1)} .. {duration(q3)} "
                f"| {rate} | {ratio} | {len(samples)} |"
            )
    if threads:
        rows += [
            "",
            "| greet on | target | 1 thread, calls/s | N threads, calls/s | N | ratio |",
            "|---|---|---|---|---|---|",
        ]
        for case, counts_by_target in threads.items():
            for target, by_count in counts_by_target.items():
                one = 1 / statistics.median(by_count[1])
                count = max(by_count)
                many = 1 / statistics.median(by_count[count])
                rows.append(
                    f"| {case.removeprefix('threads ')} | {target} | {one:,.0f} | {many:,.0f} "
                    f"| {count} | {many / one:.2f}x |"
                )
    return "\n".join(rows)


def main() -> None:
    """Run the rounds into one file and print its tables, or print a file's."""
    if "--round-of" in sys.argv:
        run_round(sys.argv[1:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--table", metavar="FILE", help="only print the tables of FILE")
    parser.add_argument("-o", "--output", help="the results file (pyperf JSON), appended to")
    parser.add_argument("--targets", default="pyo3_binding,setuptools_rust_binding")
    parser.add_argument("--kinds", default=",".join(KINDS), help="kinds of text for the sizes")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="name sizes in UTF-8 bytes, comma-separated ('': only hi() and greet('world'))",
    )
    parser.add_argument("--threads", type=int, default=0, help="also time N threads (0: no)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", type=int, default=3, help="pyperf worker processes")
    parser.add_argument("--values", type=int, default=3, help="values per worker process")
    args = parser.parse_args()
    if args.table:
        print(table(args.table))
        return
    if not args.output:
        parser.error("-o FILE is needed to measure")
    options = f"targets={args.targets};kinds={args.kinds};threads={args.threads};sizes={args.sizes}"
    for number in range(args.rounds):
        print(f"round {number + 1} of {args.rounds}", flush=True)
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--round-of",
                options,
                "--round",
                str(number),
                "--processes",
                str(args.processes),
                "--values",
                str(args.values),
                "--append",
                args.output,
                "--quiet",
            ],
            check=True,
        )
    print(table(args.output))


if __name__ == "__main__":
    main()
