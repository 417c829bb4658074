"""Start-up and per-call cost of the built wheels, in a fresh venv.

Import time: fresh ``python -I -c "import X"`` processes, bytecode compiled
first, against ``python -I -c pass``. Per call: pyperf's ``timeit`` (fresh
worker processes, warm-up, calibrated loops), with a pure-Python ``hi`` and
``greet`` in the same harness. Targets are interleaved: each round runs every
target once, each round in another order.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyperf  # type: ignore[import-untyped]  # pyperf ships no type hints

from .builds import CONSTRAINTS, rotated
from .progress import Steps
from .shell import Shell, environment, error_line, make_venv
from .stats import Figure, Measure, NotMeasured

# The baseline's name among the targets: plain Python, no binding.
PYTHON = "python"

# The pure-Python baseline, written as a Python developer would.
BASELINE_SETUP = (
    "def hi():\n    return 'Hello from Rust!'\ndef greet(name):\n    return f'Hello, {name}!'"
)

# What each call benchmark runs, by function: the statement timed.
CALLS = {"hi": "hi()", "greet": "greet('world')"}


@dataclass(frozen=True)
class Step:
    """One step of the C ABI route's ``hi()``, timed on its own: what the
    report shows for it, then the benchmark (setup, statement timed)."""

    shown: str
    what: str
    setup: str
    stmt: str
    api_mode: bool = False


# The C ABI route's hi(), taken apart: each step cffi_binding.hi() takes, timed
# on its own, and the same Rust library called through cffi's API mode (a C
# wrapper that cffi writes and a C compiler builds; maturin's cffi bindings
# build ABI mode, where every call goes through libffi). {probe} is the folder
# of the API-mode module, filled in by str.format: no other braces here.
_ABI = "from cffi_binding._native import ffi, lib\n"
_API = "import sys\nsys.path.insert(0, {probe!r})\nfrom _hi_api_mode import ffi, lib\n"
# cffi_binding.hi()'s own code, with the C call and ffi.string it looks up
# rebound to the API-mode module's; the assert fails the benchmark, rather than
# time the ABI call, if the wrapper ever renames them.
_REBOUND = (
    "import types, cffi_binding as m\n"
    "assert set(m.hi.__code__.co_names) >= set(('_hi', '_string'))\n"
    "hi = types.FunctionType(m.hi.__code__, dict(vars(m), _hi=lib.hi_hi, _string=ffi.string))"
)
CFFI_STEPS = {
    "abi_call": Step(
        "lib.hi_hi()",
        "the C call alone, ABI mode (libffi): what maturin builds",
        _ABI + "f = lib.hi_hi",
        "f()",
    ),
    "string": Step(
        "ffi.string(ptr)", "C string to bytes", _ABI + "s = ffi.string\np = lib.hi_hi()", "s(p)"
    ),
    "decode": Step(
        "bytes.decode()", "bytes to str", "b = 'Hello from Rust!'.encode()", "b.decode()"
    ),
    "api_call": Step(
        "lib.hi_hi()",
        "the C call alone, API mode (a wrapper compiled by cffi)",
        _API + "f = lib.hi_hi",
        "f()",
        api_mode=True,
    ),
    "api_hi": Step(
        "hi()",
        "cffi_binding.hi()'s own code, its C call rebound to API mode",
        _API + _REBOUND,
        "hi()",
        api_mode=True,
    ),
}

# Builds the API-mode module: the wheel's own library and shipped header, with
# only the function timed declared to cffi. Run by the measuring venv's Python.
_API_BUILD = """
import pathlib, sys, cffi, cffi_binding
package = pathlib.Path(cffi_binding.__file__).parent
(library,) = [p for p in (package / "_native").iterdir() if p.name.startswith("lib_native.")]
ffi = cffi.FFI()
ffi.cdef("const char *hi_hi(void);")
# The real header, so the C compiler checks the declaration above against it.
ffi.set_source("_hi_api_mode", '#include "hi_cffi.h"', include_dirs=[str(package)],
               extra_objects=[str(library)])
ffi.compile(tmpdir=sys.argv[1])
"""


def measuring_venv(shell: Shell, path: Path, wheels: Sequence[Path]) -> Path:
    """A fresh venv holding the wheels, cffi (cffi_binding's run-time
    dependency), pyperf and setuptools, with all bytecode compiled; its
    interpreter."""
    python = make_venv(shell, path)
    pip = [
        str(python),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]
    shell.run(
        # setuptools: cffi compiles the API-mode module with it.
        [*pip, "-c", str(CONSTRAINTS), "pyperf", "cffi", "setuptools"],
        cwd=path,
        label="install pyperf cffi setuptools",
    )
    shell.run([*pip, "--no-deps", *map(str, wheels)], cwd=path, label="install wheels")
    shell.run(
        [str(python), "-m", "compileall", "-q", str(path)],
        cwd=path,
        label="compile bytecode",
    )
    return python


def what_they_say(shell: Shell, python: Path, modules: Sequence[str]) -> dict[str, list[str]]:
    """``[hi(), greet("world")]`` from each installed wheel. They must agree:
    timing a broken or stale build would be pointless."""
    said: dict[str, list[str]] = {}
    for module in modules:
        code = f"import json, {module} as m; print(json.dumps([m.hi(), m.greet('world')]))"
        outcome = shell.run(
            [str(python), "-I", "-c", code], cwd=python.parent, label=f"call {module}"
        )
        said[module] = json.loads(outcome.output().splitlines()[-1])
    if len({json.dumps(s) for s in said.values()}) != 1:
        raise RuntimeError(f"the bindings do not say the same: {said}")
    return said


def import_times(
    python: Path, modules: Sequence[str], runs: int, steps: Steps
) -> dict[str, Figure]:
    """Wall time of a fresh interpreter importing each module (and of one
    importing nothing: the baseline), ``runs`` times each, interleaved."""
    commands = {PYTHON: "pass", **{m: f"import {m}" for m in modules}}
    samples: dict[str, list[float]] = {name: [] for name in commands}
    env = environment()

    def once(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([str(python), "-I", "-c", code], cwd=python.parent, env=env, check=True)
        return time.perf_counter() - start

    with steps.step(f"import time: {runs} fresh processes per module"):
        for code in commands.values():
            once(code)  # warm-up: the OS file cache, not the measurement
        for run in range(runs):
            for name in rotated(list(commands), run):
                samples[name].append(once(commands[name]))
    return {name: Figure.of(values) for name, values in samples.items()}


def api_mode_module(shell: Shell, python: Path, folder: Path) -> Path | NotMeasured:
    """Build the API-mode module over the installed cffi_binding into
    ``folder``; or say why it could not be built (no C compiler, say)."""
    folder.mkdir(parents=True, exist_ok=True)
    outcome = shell.run(
        [str(python), "-I", "-c", _API_BUILD, str(folder)],
        cwd=folder,
        label="build the cffi API-mode module",
        check=False,
    )
    if outcome.returncode != 0:
        return NotMeasured(f"API-mode module not built: {error_line(outcome.output())}")
    return folder


def benchmarks(modules: Sequence[str], probe: Path | NotMeasured) -> dict[str, tuple[str, str]]:
    """Every per-call benchmark of a run, by name: ``target.function`` for the
    calls, ``cffi.step`` for the C ABI route's steps (the API-mode ones only
    with a probe module)."""
    setups = {
        PYTHON: BASELINE_SETUP,
        **{m: f"from {m} import hi, greet" for m in modules},
    }
    found = {f"{t}.{func}": (setups[t], stmt) for func, stmt in CALLS.items() for t in setups}
    for name, step in CFFI_STEPS.items():
        setup = step.setup
        if step.api_mode:
            if isinstance(probe, NotMeasured):
                continue
            setup = setup.format(probe=str(probe))
        found[f"cffi.{name}"] = (setup, step.stmt)
    return found


def time_calls(
    shell: Shell,
    python: Path,
    timed: dict[str, tuple[str, str]],
    rounds: int,
    processes: int,
    values: int,
    raw: Path,
    steps: Steps,
) -> dict[str, Figure]:
    """Seconds per call of each benchmark in ``timed``, by pyperf ``timeit``.

    Every round runs each benchmark once, in another order each round, with
    ``processes`` fresh worker processes of ``values`` values each; pyperf's
    JSON files stay in ``raw``.
    """
    samples: dict[str, list[float]] = {name: [] for name in timed}
    for round_ in range(rounds):
        with steps.step(f"per-call round {round_ + 1}/{rounds}: {len(timed)} pyperf benchmarks"):
            for name in rotated(list(timed), round_):
                setup, stmt = timed[name]
                output = raw / f"round{round_ + 1}-{name}.json"
                shell.run(
                    [
                        str(python),
                        "-m",
                        "pyperf",
                        "timeit",
                        "--quiet",
                        "--name",
                        name,
                        "--processes",
                        str(processes),
                        "--values",
                        str(values),
                        "-o",
                        str(output),
                        "-s",
                        setup,
                        stmt,
                    ],
                    cwd=python.parent,
                    label=f"pyperf {name}",
                )
                samples[name].extend(pyperf.Benchmark.load(str(output)).get_values())
    return {name: Figure.of(values) for name, values in samples.items()}


def regroup(
    timed: dict[str, Figure], modules: Sequence[str], probe: Path | NotMeasured
) -> tuple[dict[str, dict[str, Figure]], dict[str, Measure]]:
    """``time_calls``'s figures as the report holds them: the calls by
    function then target, and the C ABI route's steps by step (the API-mode
    steps saying why they were not measured, when they were not)."""
    calls = {func: {t: timed[f"{t}.{func}"] for t in [PYTHON, *modules]} for func in CALLS}
    steps: dict[str, Measure] = {
        name: probe if isinstance(probe, NotMeasured) and step.api_mode else timed[f"cffi.{name}"]
        for name, step in CFFI_STEPS.items()
    }
    return calls, steps
