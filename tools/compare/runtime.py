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
from pathlib import Path

import pyperf  # type: ignore[import-untyped]  # pyperf ships no type hints

from .builds import CONSTRAINTS, rotated
from .progress import Steps
from .shell import Shell, environment, make_venv
from .stats import Figure

# The baseline's name among the targets: plain Python, no binding.
PYTHON = "python"

# The pure-Python baseline, written as a Python developer would.
BASELINE_SETUP = (
    "def hi():\n    return 'Hello from Rust!'\ndef greet(name):\n    return f'Hello, {name}!'"
)

# What each call benchmark runs, by function: the statement timed.
CALLS = {"hi": "hi()", "greet": "greet('world')"}


def measuring_venv(shell: Shell, path: Path, wheels: Sequence[Path]) -> Path:
    """A fresh venv holding the wheels, cffi (cffi_binding's run-time
    dependency) and pyperf, with all bytecode compiled; its interpreter."""
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
        [*pip, "-c", str(CONSTRAINTS), "pyperf", "cffi"],
        cwd=path,
        label="install pyperf cffi",
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


def call_times(
    shell: Shell,
    python: Path,
    modules: Sequence[str],
    rounds: int,
    processes: int,
    values: int,
    raw: Path,
    steps: Steps,
) -> dict[str, dict[str, Figure]]:
    """Seconds per call of each function in each target, by pyperf ``timeit``.

    Every round runs each (target, function) once, with ``processes`` fresh
    worker processes of ``values`` values each; pyperf's JSON files stay in
    ``raw``.
    """
    setups = {
        PYTHON: BASELINE_SETUP,
        **{m: f"from {m} import hi, greet" for m in modules},
    }
    pairs = [(target, func) for func in CALLS for target in setups]
    samples: dict[str, dict[str, list[float]]] = {func: {t: [] for t in setups} for func in CALLS}
    for round_ in range(rounds):
        with steps.step(f"per-call round {round_ + 1}/{rounds}: {len(pairs)} pyperf benchmarks"):
            for target, func in rotated(pairs, round_):
                name = f"{target}.{func}"
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
                        setups[target],
                        CALLS[func],
                    ],
                    cwd=python.parent,
                    label=f"pyperf {name}",
                )
                samples[func][target].extend(pyperf.Benchmark.load(str(output)).get_values())
    return {func: {t: Figure.of(v) for t, v in by.items()} for func, by in samples.items()}
