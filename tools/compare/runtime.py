"""The measuring side: fresh venvs holding the built wheels, and the timers.

A timing of a call goes through one of two functions. ``time_together``
(the shared per-call rounds: calls, errors, steps) runs fresh processes that
each time every benchmark, interleaved (``worker.py``), so a call, its steps
and the baseline always meet the same processes. ``time_benchmarks`` (sizes,
PyPy) runs pyperf's ``timeit`` per benchmark (fresh worker processes,
warm-up, calibrated loops), where a large call must not share a process's
allocator with the others; the benchmarks of a round are interleaved, each
round in another order, so slow drift of the machine falls on every target
alike. Both keep their raw values in pyperf's JSON format.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
import tempfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyperf  # type: ignore[import-untyped]  # pyperf ships no type hints

from .bindings import PYTHON
from .builds import CONSTRAINTS, rotated
from .progress import Steps
from .shell import Shell, error_line, uv_install, uv_venv, venv_python
from .stats import Figure, Measure, NotMeasured

# The pure-Python baseline, written as a Python developer would, keeping the
# same contract (an empty name raises ValueError).
BASELINE_SETUP = (
    "def hi():\n"
    "    return 'Hello from Rust!'\n"
    "def greet(name):\n"
    "    if not name:\n"
    "        raise ValueError('name must not be empty')\n"
    "    return f'Hello, {name}!'\n"
)


def import_line(target: str) -> str:
    """Setup code that binds ``hi`` and ``greet`` of ``target`` (a route's
    package, or the pure-Python baseline)."""
    return BASELINE_SETUP if target == PYTHON else f"from {target} import hi, greet\n"


@dataclass(frozen=True)
class Bench:
    """One pyperf benchmark: the setup, the statement timed, and what to run
    after the timing (to free what the setup allocated)."""

    setup: str
    stmt: str
    teardown: str = ""


@dataclass(frozen=True)
class Pyperf:
    """How pyperf times each benchmark: ``processes`` fresh workers of
    ``values`` values each, each value at least ``min_time`` seconds of loops.
    ``inherit`` names environment variables the workers keep (pyperf gives
    them only a few, so a user's MALLOC_* settings never reach them)."""

    processes: int
    values: int
    min_time: float = 0.1
    inherit: tuple[str, ...] = ()

    def cost(self, calibrate: bool = True) -> float:
        """Rough seconds per benchmark (pyperf's own process, the calibration
        unless the loops are given, the workers), for the estimate of the
        time left. A calibrated value lasts 1 to 2 ``min_time``."""
        worker = 0.15 + (self.values + 1) * 1.5 * self.min_time
        calibration = worker + 2 * self.min_time if calibrate else 0.0
        return 0.15 + calibration + self.processes * worker

    def process_cost(self, benches: int, calibrate: bool = False) -> float:
        """Rough seconds of one process of ``time_together`` timing
        ``benches`` benchmarks: a warm-up and the values each, and the
        calibration (loops doubled up to ``min_time``: about 2 ``min_time``)
        in the first."""
        each = (self.values + 1) * 1.5 * self.min_time + (2 * self.min_time if calibrate else 0)
        return 0.3 + benches * each


# What --quick gives every benchmark: one worker of two values of at least
# 20 ms each, about 0.65 s a benchmark with pyperf's calibration (0.05 s
# values: 1.0 s). A preview, to see that every section works; the figures a
# reader may quote come from a full run.
QUICK = Pyperf(1, 2, 0.02)


def measuring_venv(shell: Shell, path: Path, wheels: Sequence[Path]) -> Path:
    """A fresh venv holding the wheels, cffi (the run-time dependency of a
    route over cffi), pyperf and orjson (the objects section's peer), with
    all bytecode compiled; its interpreter."""
    uv_venv(shell, path, sys.executable)
    python = venv_python(path)
    uv_install(
        shell, python, ["-c", str(CONSTRAINTS), "pyperf", "cffi", "orjson"], "install pyperf"
    )
    uv_install(shell, python, ["--no-deps", *map(str, wheels)], "install wheels")
    shell.run([str(python), "-m", "compileall", "-q", str(path)], cwd=path, label="compile")
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


def time_benchmarks(
    shell: Shell,
    python: Path,
    benches: Mapping[str, Bench],
    how: Pyperf,
    rounds: int,
    raw: Path,
    steps: Steps,
    title: str,
    env: Mapping[str, str] | None = None,
    tolerate: Collection[str] = (),
) -> dict[str, Measure]:
    """Seconds per call of each benchmark, by pyperf ``timeit``.

    Every round runs each benchmark once, in another order each round;
    pyperf's JSON files stay in ``raw``. The rounds after the first reuse
    the loops pyperf calibrated in it, as pyperf does for all its workers of
    one benchmark: a calibration costs a process of its own, and another
    would only move the loops by a power of two. ``env`` is the environment of
    pyperf's own process (its workers keep only ``how.inherit`` of it). A
    benchmark named in ``tolerate`` that fails is not run again and stands
    as not measured, with its error line; any other failure stops the run.
    """
    raw.mkdir(parents=True, exist_ok=True)
    samples: dict[str, list[float]] = {name: [] for name in benches}
    failed: dict[str, NotMeasured] = {}
    loops: dict[str, int] = {}
    inherit = ["--inherit-environ", ",".join(how.inherit)] if how.inherit else []
    for round_ in range(rounds):
        with steps.step(f"{title}: round {round_ + 1}/{rounds}, {len(benches)} benchmarks", 0):
            for name in rotated(list(benches), round_):
                if name in failed:
                    continue
                with steps.step(f"{title}: {name}", how.cost(name not in loops), log=False):
                    output = raw / f"{name}-round{round_ + 1}.json"
                    outcome = shell.run(
                        [
                            str(python),
                            "-m",
                            "pyperf",
                            "timeit",
                            "--quiet",
                            "--name",
                            name,
                            "--processes",
                            str(how.processes),
                            "--values",
                            str(how.values),
                            "--min-time",
                            str(how.min_time),
                            *(["--loops", str(loops[name])] if name in loops else []),
                            *inherit,
                            "-o",
                            str(output),
                            "-s",
                            benches[name].setup,
                            *(
                                ["--teardown", benches[name].teardown]
                                if benches[name].teardown
                                else []
                            ),
                            benches[name].stmt,
                        ],
                        cwd=python.parent,
                        label=f"pyperf {name}",
                        env=env,
                        check=name not in tolerate,
                    )
                    if outcome.returncode:
                        failed[name] = NotMeasured(f"failed: {error_line(outcome.output())}")
                        continue
                    bench = pyperf.Benchmark.load(str(output))
                    loops.setdefault(name, int(bench.get_loops()))
                    samples[name].extend(bench.get_values())
    return {name: failed.get(name) or Figure.of(values) for name, values in samples.items()}


WORKER = Path(__file__).with_name("worker.py")
# A benchmark whose one call outlasts SLOW_VALUE seconds in the first process
# (its loops calibrated to 1) is timed in the first SLOW_PROCESSES processes
# only: a route's add(text, keep) of 1 MiB took 1.4 s a call, 25 s of the
# full run's six processes. It keeps four values or more, from processes
# that timed every other benchmark too.
SLOW_VALUE, SLOW_PROCESSES = 0.5, 2


def time_together(
    shell: Shell,
    python: Path,
    benches: Mapping[str, Bench],
    how: Pyperf,
    raw: Path,
    steps: Steps,
    title: str,
    tolerate: Collection[str] = (),
    worker: Path = WORKER,
) -> dict[str, Measure]:
    """Seconds per call of each benchmark, every one timed in each of
    ``how.processes`` fresh processes (``worker.py``): one warm-up value and
    ``how.values`` values each, interleaved.

    The first process calibrates the loops (a power of two, each value at
    least ``how.min_time``); the others reuse them. The values go to
    ``raw/<title>.json`` as a pyperf suite, one run per process. A benchmark
    whose one call outlasts ``SLOW_VALUE`` runs in the first
    ``SLOW_PROCESSES`` processes only. A benchmark named in ``tolerate``
    that fails stands as not measured, with its error line; any other
    failure stops the run. ``worker``: where ``python`` finds worker.py (a
    copy of it, for an interpreter that cannot see this folder).
    """
    raw.mkdir(parents=True, exist_ok=True)
    samples: dict[str, list[float]] = {name: [] for name in benches}
    runs: dict[str, list[pyperf.Run]] = {name: [] for name in benches}
    failed: dict[str, NotMeasured] = {}
    loops: dict[str, int] = {}
    slow: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="hi-worker-") as scratch:
        for i in range(how.processes):
            live = {
                n: dataclasses.asdict(b)
                for n, b in benches.items()
                if n not in failed and not (n in slow and i >= SLOW_PROCESSES)
            }
            spec = {
                "benches": live,
                "loops": loops,
                "min_time": how.min_time,
                "warmups": 1,
                "values": how.values,
            }
            spec_path, out_path = Path(scratch, f"spec{i}.json"), Path(scratch, f"out{i}.json")
            spec_path.write_text(json.dumps(spec), encoding="utf-8")
            with steps.step(
                f"{title}: process {i + 1}/{how.processes}, {len(live)} benchmarks",
                how.process_cost(len(live), calibrate=i == 0),
            ):
                shell.run(
                    [str(python), "-I", str(worker), str(spec_path), str(out_path), str(i)],
                    cwd=python.parent,
                    label=f"{title} process {i + 1}",
                )
            for name, found in json.loads(out_path.read_text(encoding="utf-8")).items():
                if "error" in found:
                    if name not in tolerate:
                        raise RuntimeError(f"{name}: {found['error']}")
                    failed[name] = NotMeasured(f"failed: {found['error']}")
                    continue
                loops.setdefault(name, found["loops"])
                if i == 0 and found["loops"] == 1 and min(found["values"]) > SLOW_VALUE:
                    slow.add(name)
                samples[name].extend(found["values"])
                runs[name].append(
                    pyperf.Run(
                        found["values"],
                        warmups=[(found["loops"], v) for v in found["warmups"]],
                        metadata={"name": name, "loops": found["loops"], "unit": "second"},
                        collect_metadata=False,
                    )
                )
    pyperf.BenchmarkSuite(
        [pyperf.Benchmark(r) for name, r in runs.items() if r and name not in failed]
    ).dump(str(raw / f"{title.replace(' ', '-')}.json"), replace=True)
    return {name: failed.get(name) or Figure.of(values) for name, values in samples.items()}


# The function whose calls separate the counted blocks (worker.count): the C
# library's getppid, which os.getppid calls. An exported symbol of libc, so it
# is there even in an interpreter built without symbols of its own.
MARK = "getppid"


def count_instructions(
    shell: Shell, python: Path, benches: Mapping[str, Bench], loops: int, folder: Path, label: str
) -> dict[str, float] | NotMeasured:
    """Instructions one run of each statement executes (the timing loop's
    own included), counted by valgrind's callgrind in one process
    (``worker.py count``). Deterministic, unlike time: what a call does, not
    how fast the CPU ran it. Not measured without valgrind, when valgrind
    fails, when the marks left no dumps, or when a benchmark fails."""
    if shutil.which("valgrind") is None:
        return NotMeasured("valgrind not found")
    folder.mkdir(parents=True, exist_ok=True)
    spec, out = folder / "spec.json", folder / "out.json"
    spec.write_text(
        json.dumps(
            {"benches": {n: dataclasses.asdict(b) for n, b in benches.items()}, "loops": loops}
        ),
        encoding="utf-8",
    )
    outcome = shell.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--dump-before={MARK}",
            f"--callgrind-out-file={folder / 'callgrind.out'}",
            str(python),
            "-I",
            str(WORKER),
            "count",
            str(spec),
            str(out),
        ],
        cwd=python.parent,
        label=f"instructions {label}",
        check=False,
    )
    # The steps section is tolerant: a count that fails stands as not measured.
    if outcome.returncode:
        return NotMeasured(f"valgrind failed: {error_line(outcome.output())}")
    found = json.loads(out.read_text(encoding="utf-8"))
    if found["errors"]:
        name, error = next(iter(found["errors"].items()))
        return NotMeasured(f"{name} failed: {error}")
    # Dump k (from 1) holds what ran since dump k - 1: per benchmark, the
    # block before its first mark, then its n runs, then its 2 n runs.
    dumps = sorted(folder.glob("callgrind.out.*"), key=lambda f: int(f.suffix[1:]))
    if len(dumps) != 3 * len(found["marked"]):
        return NotMeasured(
            f"{len(dumps)} callgrind dumps for {len(found['marked'])} benchmarks "
            f"(does os.getppid call the C library's {MARK}?)"
        )
    totals = [_callgrind_total(d) for d in dumps]
    return {
        name: (totals[3 * i + 2] - totals[3 * i + 1]) / loops
        for i, name in enumerate(found["marked"])
    }


def _callgrind_total(dump: Path) -> int:
    for line in dump.read_text(encoding="utf-8").splitlines():
        if line.startswith("totals:"):
            return int(line.split()[1])
    raise ValueError(f"no totals in {dump}")


def figure(timed: Mapping[str, Measure], name: str) -> Figure:
    """The figure of benchmark ``name``, which must have been measured."""
    found = timed[name]
    if not isinstance(found, Figure):
        raise RuntimeError(f"{name}: {found.not_measured}")
    return found
