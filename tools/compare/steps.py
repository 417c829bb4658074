"""Each route's call taken apart: every step of ``greet("world")`` and
``hi()``, timed on its own in the run's shared rounds, beside the call
itself, so a reader sees where the time goes and whether the glue hides work
(issue 12's target: each call within 1.15x of the sum of its own steps).

``STEPS`` is the one place that knows each route's glue: one entry per route,
for each function a table of (label, setup, statement). The steps follow the
glue as it is written, so a change of glue changes its entry here. A route
without an entry is reported as such, not guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure as Chart

from .bindings import colors
from .calls import CALLS, TITLES, key
from .progress import Steps
from .runtime import Bench, count_instructions, figure, import_line
from .sections import Context, Section, Table, fmt, number, times
from .stats import Figure, Measure, NotMeasured


@dataclass(frozen=True)
class Step:
    """One step of a call, timed on its own: what it is, the benchmark's
    setup and statement, and its teardown (to free what the setup made)."""

    label: str
    setup: str
    stmt: str
    teardown: str = ""


def _pyo3(module: str) -> dict[str, tuple[Step, ...]]:
    """The steps of a PyO3 route's calls, seen from Python. PyO3's glue is
    compiled, so each step is timed through the CPython operation that does
    the same work; the Rust body (``format!`` of a 13-byte text) has no
    Python handle and is the rest."""
    return {
        "hi": (
            Step(
                "the call of a compiled function of no argument that does no work "
                "(`globals()`); PyO3 then returns its interned str (a reference count)",
                "g = globals",
                "g()",
            ),
        ),
        "greet": (
            Step(
                "the call of a compiled function of one argument that does no work "
                "(`id(name)`); PyO3 also borrows the str's UTF-8 (no copy)",
                "f = id\nname = 'world'",
                "f(name)",
            ),
            Step(
                "the result: UTF-8 to a new str (`bytes.decode()`, which is "
                "PyUnicode_FromStringAndSize, as PyO3 calls it)",
                "b = 'Hello, world!'.encode()",
                "b.decode()",
            ),
        ),
    }


_WRAPPER_CALL = Step(
    "the wrapper's own call: a Python function of one argument that does no work",
    "def f(name):\n    return name\nname = 'world'",
    "f(name)",
)
# hi() in every route but the PyO3 ones: the package made the str once, at
# import, from one Rust call, and returns it.
_CACHED_HI = (
    Step(
        "the wrapper's own call: a Python function of no argument that returns a "
        "module global (the str made once, at import, from Rust's text)",
        "x = 'Hello from Rust!'\ndef f():\n    return x",
        "f()",
    ),
)
_ENCODE = Step("`str.encode(name)`: str to new UTF-8 bytes", "e = str.encode\nn = 'world'", "e(n)")
# The C ABI wrappers size the buffer before the call and take one from their
# list of kept buffers (docs/c-abi.md).
_SIZING = Step(
    "the wrapper's sizing: `len(data) + extra`, checked against the buffer's room, "
    "4096 (small: decode from a copy) and the largest size kept",
    "d = b'world'\nE = 8\nR = 4096\nS = 4096\nK = 32 << 20",
    "c = len(d) + E\nc > R\nc <= S\nR <= K",
)


def _spare(*fields: str) -> Step:
    """A kept buffer taken off the list, unpacked into ``fields``, and put back."""
    return Step(
        "a kept buffer taken off the list, unpacked, and put back (`list.pop`, `list.append`)",
        f"s = [({', '.join(['1'] * len(fields))})]\nt = s.pop\ng = s.append",
        f"e = t()\n{', '.join(fields)} = e\ng(e)",
    )


_CFFI = "from cffi_binding._native import ffi, lib\n"
_CTYPES = "import ctypes\nfrom ctypes_binding._native import lib\n"
_UNIFFI = (
    "from uniffi_binding._native import uniffi_binding as g\nS = g._UniffiFfiConverterString\n"
)

# Each route's steps, by function, as its glue is written: the PyO3 routes'
# #[pyfunction]s; the C ABI wrappers (python/*/__init__.py) over c_abi's
# hi_greet_into, which writes into a buffer taken from a list of kept ones; the UniFFI
# wrapper over the generated module (python/uniffi_binding/_native).
STEPS: dict[str, dict[str, tuple[Step, ...]]] = {
    "pyo3_binding": _pyo3("pyo3_binding"),
    "setuptools_rust_binding": _pyo3("setuptools_rust_binding"),
    "cffi_binding": {
        "hi": _CACHED_HI,
        "greet": (
            _WRAPPER_CALL,
            _ENCODE,
            _SIZING,
            _spare("out", "buf", "view", "room"),
            Step(
                "`lib.hi_greet_into(data, 5, out)`: the C call (cffi ABI mode, libffi), "
                "Rust writing the greeting into the buffer that the HiBuffer `out` describes",
                _CFFI + "g = lib.hi_greet_into\nbuf = ffi.new('char[]', 4096)\n"
                "out = ffi.new('HiBuffer *', {'ptr': buf, 'cap': 4096})\nd = b'world'",
                "g(d, 5, out)",
            ),
            Step(
                "`view[:13].decode()`: the buffer's first bytes, through its view "
                "(`ffi.buffer`, made once), to a str",
                _CFFI + "buf = ffi.new('char[]', b'Hello, world!' + bytes(4082))\n"
                "v = ffi.buffer(buf)",
                "v[:13].decode()",
            ),
        ),
    },
    "ctypes_binding": {
        "hi": _CACHED_HI,
        "greet": (
            _WRAPPER_CALL,
            _ENCODE,
            _SIZING,
            _spare("out", "buf", "room"),
            Step(
                "`lib_holding_gil.hi_greet_into(data, 5, out)`: the C call (ctypes, libffi, "
                "argtypes converted; a `PyDLL`, so the GIL is kept), Rust writing the greeting "
                "into the buffer that the HiBuffer `out` describes",
                _CTYPES + "from ctypes_binding._native import HiBuffer, lib_holding_gil\n"
                "g = lib_holding_gil.hi_greet_into\nbuf = bytearray(4096)\n"
                "out = HiBuffer(ctypes.pointer(ctypes.c_char.from_buffer(buf)), 4096, 0)\n"
                "d = b'world'",
                "g(d, 5, out)",
            ),
            Step(
                "`buf[:13].decode()`: the buffer's bytes to a str",
                "buf = bytearray(b'Hello, world!' + bytes(4083))",
                "buf[:13].decode()",
            ),
        ),
    },
    "uniffi_binding": {
        "hi": _CACHED_HI,
        "greet": (
            Step(
                "the wrapper's own call: a Python function of one argument, with the "
                "try block that maps UniFFI's errors, that does no work",
                "def f(name):\n    try:\n        return name\n    except ValueError:\n"
                "        raise\nname = 'world'",
                "f(name)",
            ),
            Step(
                "the generated greet's type check (`check_lower(name)`)",
                _UNIFFI + "c = S.check_lower\nn = 'world'",
                "c(n)",
            ),
            Step(
                "lowering the name into a RustBuffer (`lower(name)`: a Rust call to "
                "allocate it, the copy), and freeing it (a Rust call greet makes itself)",
                _UNIFFI + "lower = S.lower\nn = 'world'",
                "lower(n).free()",
            ),
            Step(
                "a Rust call and its result lifted: `hi`'s, the same machinery as greet's "
                "(a call status, the ctypes call, the status check, a RustBuffer to str)",
                _UNIFFI + "call = g._uniffi_rust_call_with_error\nlift = S.lift\n"
                "f = g._UniffiLib.uniffi_uniffi_binding_fn_func_hi",
                "lift(call(None, f))",
            ),
        ),
    },
}
MISSING = "no steps written for this route's glue (tools/compare/steps.py)"
CHART = "call_steps.png"


def _step_key(route: str, func: str, i: int) -> str:
    return f"{route}.{func}.step{i + 1}"


def benchmarks(ctx: Context) -> dict[str, Bench]:
    """Every step of every route that has steps, and its whole call."""
    found: dict[str, Bench] = {}
    for route in ctx.names:
        for func, steps in STEPS.get(route, {}).items():
            found[key(route, func)] = Bench(import_line(route), CALLS[func])
            for i, step in enumerate(steps):
                found[_step_key(route, func, i)] = Bench(step.setup, step.stmt, step.teardown)
    return found


@dataclass(frozen=True)
class Parts:
    """One call and its steps, each a figure of its own, and the
    instructions each executes (the call's first, then the steps', in
    order), or why they were not counted."""

    call: Figure
    steps: dict[str, Figure]
    instructions: list[float] | NotMeasured

    @property
    def total(self) -> float:
        """The sum of the steps' medians, in seconds."""
        return sum(f.median for f in self.steps.values())


Data = dict[str, dict[str, "Parts | NotMeasured"]]


def _parts(
    timed: Mapping[str, Measure], counted: dict[str, float] | NotMeasured, route: str, func: str
) -> Parts | NotMeasured:
    """The call and its steps, or why they are not all measured."""
    written = STEPS.get(route, {}).get(func)
    if written is None:
        return NotMeasured(MISSING)
    steps = {s.label: timed[_step_key(route, func, i)] for i, s in enumerate(written)}
    found = {label: f for label, f in steps.items() if isinstance(f, Figure)}
    if len(found) < len(steps):
        why = next(f for f in steps.values() if isinstance(f, NotMeasured)).not_measured
        return NotMeasured(f"a step of steps.py {why} (does it follow the glue?)")
    if isinstance(counted, NotMeasured):
        return Parts(figure(timed, key(route, func)), found, counted)
    # Each less the timing loop's own instructions, which the call and every
    # step would otherwise each count once.
    names = [key(route, func), *(_step_key(route, func, i) for i in range(len(written)))]
    instructions = [counted[n] - counted[LOOP] for n in names]
    return Parts(figure(timed, key(route, func)), found, instructions)


# The timing loop alone, counted with every route's benchmarks.
LOOP = "loop"
# Runs of each statement counted (then twice as many; worker.count).
COUNTED_RUNS = {"full": 1000, "quick": 200}


def measure(ctx: Context, timed: Mapping[str, Measure], steps: Steps) -> Data:
    """The figures of the shared rounds, by route then function, and the
    instructions of each call and step, counted by valgrind: one process
    per route, two at a time (a count does not depend on what else runs)."""
    every = benchmarks(ctx)

    def count(route: str) -> dict[str, float] | NotMeasured:
        mine = {k: b for k, b in every.items() if k.startswith(f"{route}.")}
        if not mine:
            return NotMeasured(MISSING)
        with steps.step(f"instructions of {route}'s calls and steps (valgrind)", 10):
            return count_instructions(
                ctx.shell,
                ctx.python,
                {LOOP: Bench("", "pass"), **mine},
                COUNTED_RUNS[ctx.mode],
                ctx.scratch / "callgrind" / route,
                route,
            )

    with ThreadPoolExecutor(2) as pool:
        counted = dict(zip(ctx.names, pool.map(count, ctx.names)))
    return {
        route: {func: _parts(timed, counted[route], route, func) for func in CALLS}
        for route in ctx.names
    }


def tables(data: Data) -> list[Table]:
    """One table per route: its calls, each step, their sum and the ratio."""
    found = []
    for route, by_func in data.items():
        rows: list[list[str]] = []
        for func, parts in by_func.items():
            if isinstance(parts, NotMeasured):
                rows.append([TITLES[func], f"not measured ({parts.not_measured})", "", ""])
                continue
            counts = _counts(parts.instructions, len(parts.steps))
            rows.append([TITLES[func], "the call, as shipped", fmt(parts.call, "ns"), counts[0]])
            rows += [
                ["", label, fmt(f, "ns"), c]
                for (label, f), c in zip(parts.steps.items(), counts[1:-2])
            ]
            rows.append(["", "sum of the steps", f"{number(parts.total * 1e9)} ns", counts[-2]])
            rows.append(
                ["", "the call / the sum", times(parts.call.median / parts.total), counts[-1]]
            )
        found.append(
            Table(
                f"Inside {route}: where each call's time goes",
                ["call", "step", "time", "instructions"],
                rows,
                "Each step timed on its own, in the same processes as the call (time: the "
                "sum of the medians). Instructions: executed per run, counted by valgrind "
                "(callgrind), less the timing loop's own; a count is what the code does, "
                "whatever the CPU's speed. A ratio near 1 means the steps account for the "
                "call; above 1, the call does work no step shows (instructions), or runs "
                "its steps slower together than apart (time only).",
                chart=CHART if route == next(iter(data)) else None,
            )
        )
    return found


def _counts(instructions: list[float] | NotMeasured, steps: int) -> list[str]:
    """The instructions column: the call, each step, their sum, the ratio."""
    if isinstance(instructions, NotMeasured):
        return [f"not measured ({instructions.not_measured})"] + [""] * (steps + 2)
    call, *parts = instructions
    return [
        *(number(c) for c in instructions),
        number(sum(parts)),
        times(call / sum(parts)),
    ]


def draw(data: Data, out: Path) -> None:
    """One panel per route with steps, on its own linear scale (stacked bars
    cannot share a log scale): per function, the call's bar beside its steps
    stacked."""
    palette = colors()
    shown = {r: f for r, f in data.items() if any(isinstance(p, Parts) for p in f.values())}
    fig = Chart(figsize=(3.2 * max(len(shown), 1), 3.8))
    axes = fig.subplots(1, max(len(shown), 1), squeeze=False)[0]
    for ax, (route, by_func) in zip(axes, shown.items()):
        for i, parts in enumerate(by_func.values()):
            if isinstance(parts, NotMeasured):
                continue
            ax.bar(i - 0.2, parts.call.median * 1e9, 0.4, color=palette[route])
            bottom = 0.0
            for j, f in enumerate(parts.steps.values()):
                height = f.median * 1e9
                ax.bar(
                    i + 0.2,
                    height,
                    0.4,
                    bottom=bottom,
                    color=palette[route],
                    alpha=0.3 + 0.7 * (j % 2),
                    edgecolor="black",
                )
                bottom += height
        ax.set_xticks(range(len(by_func)), [TITLES[f] for f in by_func], fontsize=8)
        ax.set_ylabel("ns")
        ax.set_title(route, fontsize=9)
    fig.suptitle("Each call (left bar) beside its steps, stacked (right bar)")
    fig.tight_layout()
    fig.savefig(out / CHART, dpi=100)


SECTION = Section(
    "steps", lambda mode, routes: 0.0, measure, tables, draw, benchmarks, tolerant=True
)
