"""Interpreters: every interpreter here beside the one running the comparison.

Two sources, each optional:

- the host's PyPy (``pypy3`` on PATH): every route's wheel from this run is
  installed in a fresh venv there (uv), imported and called;
- the matrix of ``tox -e interpreters`` (``results/interpreters.json``):
  CPython 3.13 to 3.15, free-threaded 3.14t and 3.15t and PyPy 3.11 in a
  Debian sid root, each one command on the host whose venv holds every route
  that passed its suite there (from the wheels that run built: the table
  says when), and the wheels that passed, which give each route's wheel set.

On each interpreter: which routes run there and why not; the per-call table
(``hi()`` and ``greet("world")``, timed by the shared rounds' worker in fresh
processes of that interpreter, every route and the pure-Python functions in
the same processes, so the ratio is to pure Python on the same interpreter);
and calls per second of ``checksum`` on 16 MiB with one thread and with one
per core (``threads.rates``; under --quick, on a free-threaded build only).
On a free-threaded build, also one thread against one per core on the
shapes that serialize under a GIL (``FREE_THREADED_SHAPES``: ``split`` of
160,000 words, ``WordCounter.add`` of 1 MiB with a counter per thread and
with one counter shared by all, and the threads section's ``greet`` of a
large name), each beside pure Python's same threads: where a build without
one shows whether a route runs in parallel. And side by side, the per-call
ratio to pure Python on each free-threaded build and on the GIL build of the
same version.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure as Chart
from matrix import wheelset

from . import charts, counter, split, threads
from .bindings import PYTHON, ROUTES, Route
from .builds import ROOT
from .calls import CALLS, TITLES
from .checksum import BASELINE, STMT, THREADS_AT, ZLIB, data_of
from .progress import Steps
from .runtime import WORKER, Bench, Pyperf, import_line, time_together
from .sections import Context, Section, Table, fmt, fmt_finding, fmt_time, ratio, shown, times
from .shapes import TEXT, bind, named
from .shell import error_line, uv_install, uv_venv, venv_python
from .sizes import size_text
from .stats import Check, Figure, Finding, Measure, NotMeasured

CANDIDATES = ("pypy3", "pypy")
MATRIX = ROOT / "results" / "interpreters.json"
CHART = "interpreters.png"

# The shared rounds' worker, lighter: each interpreter times only two calls
# of six targets at most (12 benchmarks), in four fresh processes of two
# values of at least 30 ms each, a warm-up value before (which, on PyPy,
# follows the calibration's doubling loops: the JIT has compiled the call by
# then). About 8 s an interpreter.
PLANS = {"full": Pyperf(4, 2, 0.03), "quick": Pyperf(2, 1, 0.02)}
# A checksum of 16 MiB slower than this (with one thread, in its first
# sample) is not counted again: through ctypes on PyPy 3.11 one took 1.9 s
# (PyPy copies the bytes), and each further sample would cost seconds more.
CAP = 0.25
# The modes that time the checksum threads on interpreters with a GIL too.
# --quick times them only on a free-threaded build, the one place where a
# route's threads show what no other interpreter here can; on a GIL build
# they are 7 s of its 10, and the threads section has them on CPython.
THREADS_ON_GIL_BUILDS = ("full",)
# The shapes that serialize under a GIL, timed with one thread and one per
# core on each free-threaded build (``threads.rates``), every route beside
# pure Python with the same threads: (title, setup for a route, setup for
# pure Python, check, statement). The statement runs in ``work(i)``, thread
# ``i``'s loop, so ``counters[i]`` is that thread's own counter. Pure
# Python's shared Counter takes a lock around its update, as Counter is not
# safe to update from many threads at once without one; the words are split
# outside it.
_SPLIT_TEXT = f"{TEXT}text = _text({max(split.WORDS)})\n"
_ADD_TEXT = f"{TEXT}text = _sized({counter.TEXT_BYTES})\n"
_COUNTS = (
    "from collections import Counter\n"
    "def _ok():\n"
    "    c = WordCounter()\n"
    "    c.add(text)\n"
    "    return dict(c.most_common()) == Counter(text.split())\n"
)
_PY_COUNTER = (
    "import threading\n"
    "from collections import Counter\n"
    "class WordCounter:\n"
    "    def __init__(self):\n"
    "        self.counts, self.lock = Counter(), threading.Lock()\n"
    "    def add(self, text):\n"
    "        self.counts.update(text.split())\n"
    "    def add_shared(self, text):\n"
    "        words = text.split()\n"
    "        with self.lock:\n"
    "            self.counts.update(words)\n"
    "    def most_common(self):\n"
    "        return self.counts.most_common()\n"
)
_MANY = "counters = [WordCounter() for _ in range(256)]\nshared = WordCounter()\n"
FREE_THREADED_SHAPES = {
    "split": (
        f"split of {max(split.WORDS):,} words",
        _SPLIT_TEXT + bind("{t}", ["split"]),
        _SPLIT_TEXT + "split = str.split\n",
        "split(text) == text.split()",
        "split(text)",
    ),
    "add": (
        f"WordCounter.add of {size_text(counter.TEXT_BYTES)}, one counter per thread",
        _ADD_TEXT + bind("{t}", ["WordCounter"]) + _COUNTS + _MANY,
        _ADD_TEXT + _PY_COUNTER + _COUNTS + _MANY,
        "_ok()",
        "counters[i].add(text)",
    ),
    "shared": (
        f"WordCounter.add of {size_text(counter.TEXT_BYTES)}, one counter shared by the threads",
        _ADD_TEXT + bind("{t}", ["WordCounter"]) + _COUNTS + _MANY + "add = shared.add\n",
        _ADD_TEXT + _PY_COUNTER + _COUNTS + _MANY + "add = shared.add_shared\n",
        "_ok()",
        "add(text)",
    ),
}


@dataclass(frozen=True)
class Where:
    """One interpreter: what it is, how its routes got there, which ran,
    and their figures (empty where none ran)."""

    name: str
    version: str
    free_threaded: bool
    source: str
    ran: dict[str, Finding]
    # sys._is_gil_enabled() once every route that ran there is imported
    # (None: no such function, a build with a GIL; or not known).
    gil_after_imports: bool | None = None
    calls: dict[str, dict[str, Measure]] = field(default_factory=dict)
    checksum_threads: dict[str, dict[str, Measure]] = field(default_factory=dict)
    greet_threads: dict[str, dict[str, Measure]] = field(default_factory=dict)
    # FREE_THREADED_SHAPES' key: calls/s by target then thread count.
    shape_threads: dict[str, dict[str, dict[str, Measure]]] = field(default_factory=dict)

    @property
    def is_pypy(self) -> bool:
        """Whether it is a PyPy (``version`` starts with the implementation)."""
        return self.version.startswith("PyPy")

    @property
    def passed(self) -> list[str]:
        """The routes that ran there."""
        return [n for n, c in self.ran.items() if isinstance(c, Check) and c.ok]


@dataclass(frozen=True)
class Interpreters:
    """Every interpreter found, and where the matrix came from (or why none)."""

    matrix: str
    found: list[Where]
    # Per route, each wheel tag that passed the matrix, with where it ran.
    wheels: dict[str, dict[str, list[str]]] = field(default_factory=dict)


def _host_pypy(ctx: Context, steps: Steps) -> tuple[Where, Path] | None:
    """The host's PyPy with this run's wheels and its venv's interpreter, or
    None when there is none."""
    found = next((p for p in map(shutil.which, CANDIDATES) if p), None)
    if found is None:
        return None
    with steps.step("host PyPy: fresh venv, every route's wheel tried", 8 + 2 * len(ctx.names)):
        code = "import platform; print(platform.python_implementation(), platform.python_version())"
        said = ctx.shell.run([found, "-c", code], cwd=ctx.scratch, label="pypy version")
        version = said.output().splitlines()[-1]
        home = ctx.scratch / "pypy-venv"
        made = uv_venv(ctx.shell, home, found, check=False)
        if made.returncode:
            why = NotMeasured(f"PyPy venv failed: {error_line(made.output())}")
            return Where(found, version, False, "", dict.fromkeys(ctx.names, why)), Path(found)
        python = venv_python(home)
        ran: dict[str, Finding] = {n: _try_route(ctx, python, n) for n in ctx.names}
    where = Where(
        name=f"{Path(found).name} (host: {found})",
        version=version,
        free_threaded=False,
        source="this run's wheels, in a fresh venv (uv pip install --no-deps; cffi is PyPy's own)",
        ran=ran,
    )
    return where, python


def _try_route(ctx: Context, python: Path, name: str) -> Check:
    """Install ``name``'s wheel, then import it and call it."""
    call = f"import {name} as m; assert m.greet('world') == 'Hello, world!', m.greet('world')"
    wheel = ["--no-deps", str(ctx.wheels[name])]
    outcome = uv_install(ctx.shell, python, wheel, f"pypy install {name}", check=False)
    if outcome.returncode == 0:
        words = [str(python), "-I", "-c", call]
        outcome = ctx.shell.run(words, cwd=ctx.scratch, label=f"pypy call {name}", check=False)
    if outcome.returncode:
        return Check(
            False, error_line(outcome.output()).replace(str(ctx.wheels[name].parent) + "/", "")
        )
    return Check(True, "installed from this run's wheel, imported, called")


def _matrix(path: Path) -> tuple[str, list[tuple[Where, Path]], dict[str, dict[str, list[str]]]]:
    """The interpreters of ``tox -e interpreters``' last run in this clone,
    each with its host command, and the wheels that passed there; or why
    there are none."""
    if not path.exists():
        why = f"not run in this clone ({path.name} is missing: python -m tox -e interpreters)"
        return why, [], {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if data.get("status") != "ran":
        return f"skipped: {data.get('reason', 'no reason given')}", [], {}
    when = data.get("finished", "an earlier run")
    commit = data.get("commit")
    source = f"tox -e interpreters ({when}" + (f", commit {commit})" if commit else ")")
    found = []
    for interp in data["interpreters"]:
        command = Path(interp["command"])
        ran: dict[str, Finding] = {}
        for name, outcome in interp["routes"].items():
            if outcome["outcome"] == "passed":
                ran[name] = Check(
                    True, f"passed its suite ({outcome.get('summary')}) from {outcome.get('wheel')}"
                )
            elif not command.exists():
                ran[name] = NotMeasured(f"{command} is gone")
            else:
                ran[name] = Check(False, f"{outcome['outcome']}: {outcome.get('error')}")
        where = Where(
            name=interp["name"],
            version=f"{interp['implementation']} {interp['version']}",
            free_threaded=bool(interp["free_threaded"]),
            source=f"the wheels of {source}",
            ran=ran,
            gil_after_imports=interp.get("gil_enabled_after_imports"),
        )
        found.append((where, command))
    skipped = "".join(
        f"; {gone['name']} skipped: {gone['skipped']}"
        for gone in data.get("skipped_interpreters", [])
    )
    return f"{source}, {path.relative_to(ROOT)}{skipped}", found, wheelset.published(data)


def _figures(ctx: Context, where: Where, python: Path, steps: Steps) -> Where:
    """The per-call table and the threads on one interpreter, through
    ``python`` (a venv's interpreter, or a matrix wrapper)."""
    targets = [PYTHON, *where.passed]
    # The worker from a folder every interpreter sees: a matrix wrapper runs
    # it inside the sid root, where /tmp (the scratch) is the host's.
    worker = ctx.scratch / "worker.py"
    if not worker.exists():
        shutil.copy(WORKER, worker)
    benches = {
        f"{t}.{func}": Bench(import_line(t), stmt) for func, stmt in CALLS.items() for t in targets
    }
    timed = time_together(
        ctx.shell,
        python,
        benches,
        PLANS[ctx.mode],
        ctx.out / "pyperf" / "interpreters",
        steps,
        f"{where.name.split()[0]} per call",
        tolerate=benches.keys(),
        worker=worker,
    )
    here = dataclasses.replace(ctx, python=python)
    made = f"data = {data_of(THREADS_AT)}\nfrom zlib import crc32\n"
    if ctx.mode in THREADS_ON_GIL_BUILDS or where.free_threaded:
        crc = threads.rates(
            here,
            steps,
            f"{where.name.split()[0]} checksum threads",
            {t: (bind(t, ["checksum"]) or BASELINE) + made for t in targets},
            "checksum(data) == crc32(data)",
            STMT,
            strict=False,
            cap=CAP,
        )
    else:
        skipped = NotMeasured(ctx.mode)
        crc = {t: {str(n): skipped for n in threads.thread_counts()} for t in targets}
    greet = {}
    if where.free_threaded:
        greet = threads.rates(
            here,
            steps,
            f"{where.name.split()[0]} greet threads",
            {t: import_line(t) + f"name = {threads.CHAR!r} * {threads.COUNT}" for t in targets},
            "greet(name) == 'Hello, ' + name + '!'",
            "greet(name)",
            strict=False,
        )
    shapes = {}
    if where.free_threaded:
        shapes = {
            key: threads.rates(
                here,
                steps,
                f"{where.name.split()[0]} {key} threads",
                {t: python_setup if t == PYTHON else setup.replace("{t}", t) for t in targets},
                check,
                stmt,
                strict=False,
            )
            for key, (_, setup, python_setup, check, stmt) in FREE_THREADED_SHAPES.items()
        }
    return dataclasses.replace(
        where,
        calls={func: {t: timed[f"{t}.{func}"] for t in targets} for func in CALLS},
        checksum_threads=crc,
        greet_threads=greet,
        shape_threads=shapes,
    )


def measure(ctx: Context, _: Mapping[str, Measure], steps: Steps) -> Interpreters:
    """Find the interpreters, then time every one where a route ran."""
    found: list[tuple[Where, Path]] = []
    host = _host_pypy(ctx, steps)
    if host is not None:
        found.append(host)
    matrix, more, wheels = _matrix(MATRIX)
    found.extend(more)
    timed = [
        _figures(ctx, where, python, steps) if where.passed else where for where, python in found
    ]
    return Interpreters(matrix, timed, wheels)


def cost(mode: str, routes: int) -> float:
    """The host PyPy's venv and tries, then per interpreter (the matrix has
    six) its processes and threads, as if every route ran everywhere; on the
    free-threaded builds, their shapes' threads too."""
    how = PLANS[mode]
    count = 1 + (6 if MATRIX.exists() else 0)
    free = 2 if MATRIX.exists() else 0
    # Without GIL builds' threads: the matrix's two free-threaded builds.
    with_threads = count if mode in THREADS_ON_GIL_BUILDS else free
    benches = len(CALLS) * (routes + 1)
    per_call = how.process_cost(benches, calibrate=True) + (how.processes - 1) * how.process_cost(
        benches
    )
    shapes = free * len(FREE_THREADED_SHAPES) * threads.cost(mode, routes)
    return 8 + 2 * routes + count * per_call + with_threads * threads.cost(mode, routes) + shapes


def _claim(route: Route, kind: str) -> str:
    """What routes.toml says of the route on PyPy or a free-threaded build."""
    claim = route.runs_on.get(kind)
    if not claim:
        return "nothing"
    if "no" in claim:
        return f"no: {claim['no']}"
    return f"{claim['oldest']} and later: {claim['how']}"


def _scaling(by_count: Mapping[str, Measure]) -> str:
    """The scaling and its word, as the threads section gives them."""
    measured = {n: f for n, f in by_count.items() if isinstance(f, Figure)}
    if len(measured) != len(by_count) or len(measured) < 2:
        return next(fmt(f, "") for f in by_count.values() if not isinstance(f, Figure))
    return f"{times(threads.scaling(measured))}, {threads.verdict(measured)}"


def tables(data: Interpreters) -> list[Table]:
    """Where each route ran; per interpreter, its calls and threads."""
    if not data.found:
        return [
            Table(
                "Interpreters: none beside the one running this comparison",
                ["source", "found"],
                [["pypy3 on PATH", "no"], ["the matrix", data.matrix]],
            )
        ]
    names = [r.name for r in ROUTES]
    claims = {r.name: r for r in ROUTES}
    found = [
        Table(
            "Interpreters: where each route ran",
            ["interpreter", *names, "GIL after imports"],
            [
                [
                    f"{w.name}: {w.version}",
                    *(fmt_finding(w.ran[n]) if n in w.ran else "not tried" for n in names),
                    "" if w.gil_after_imports is None else str(w.gil_after_imports),
                ]
                for w in data.found
            ],
            f"The matrix: {data.matrix}. There, yes means the route passed the contract "
            "suite from the wheel that serves that interpreter; no gives the outcome and "
            "the error line of the command that failed. On the host's PyPy, yes means this "
            "run's wheel installed, imported and answered greet. What routes.toml claims: "
            + "; ".join(
                f"{n}: PyPy {_claim(claims[n], 'pypy')}; free-threaded "
                f"{_claim(claims[n], 'free_threaded')}"
                for n in names
            ),
        )
    ]
    timed = [w for w in data.found if w.calls]
    found.append(
        Table(
            "Interpreters: time per call (vs pure Python on the same interpreter)",
            [
                "interpreter",
                "function from",
                *(TITLES[f] for f in CALLS),
                f"checksum {size_text(THREADS_AT)}, threads: scaling",
            ],
            [
                [
                    w.name,
                    shown(t) if t == PYTHON else named(t, ZLIB).replace(f" ({ZLIB})", ""),
                    *(
                        f"{fmt_time(w.calls[f][t])} ({ratio(w.calls[f][t], w.calls[f][PYTHON])})"
                        if t != PYTHON
                        else fmt_time(w.calls[f][t])
                        for f in CALLS
                    ),
                    _scaling(w.checksum_threads[t]),
                ]
                for w in timed
                for t in w.calls["hi"]
            ],
            "Per interpreter: fresh processes of that interpreter, each timing every "
            "call of every route there and of the pure-Python functions, interleaved "
            "(the shared rounds' worker); vs: over the pure-Python median from the same "
            "processes. The threads: calls/s of checksum with every core over one thread "
            f"(the baseline: {ZLIB}), a fresh process per sample; the word by the threads "
            f"section's rule (parallel if >= {threads.PARALLEL}, slower if < {threads.SLOWER}); "
            "--quick times them on a free-threaded build only.",
            chart=CHART,
        )
    )
    found += _side_by_side(timed)
    found += _free_threaded_shapes(timed)
    if data.wheels:
        found.append(_wheel_set(data.wheels))
    free = [w for w in timed if w.greet_threads]
    if free:
        counts = list(next(iter(free[0].greet_threads.values())))
        found.append(
            Table(
                "Free-threaded: calls per second of `greet(name)`, name = "
                f"{threads.CHAR!r} * {threads.COUNT} (serializes under a GIL)",
                [
                    "interpreter",
                    "function from",
                    *(f"{n} thread{'s' * (n != '1')}" for n in counts),
                    "scaling, threads",
                ],
                [
                    [w.name, shown(t), *(fmt(f[n], "calls/s") for n in counts), _scaling(f)]
                    for w in free
                    for t, f in w.greet_threads.items()
                ],
                "The threads section's workload, on a build without a GIL: there, a route "
                "(and pure Python) that holds no lock of its own runs in parallel. "
                "The threads section has the same figures on the GIL build running this "
                "comparison.",
            )
        )
    return found


def shape_verdicts(where: Where, target: str) -> dict[str, str]:
    """On a free-threaded build, the threads section's word for each shape
    of ``target`` (parallel, serializes, slower), or why it is not measured."""
    out = {}
    for key, figures in where.shape_threads.items():
        by = figures.get(target, {})
        measured = {n: f for n, f in by.items() if isinstance(f, Figure)}
        out[key] = threads.verdict(measured) if by and len(measured) == len(by) else "not measured"
    return out


def shape_scaling(where: Where, target: str) -> str:
    """The scaling of each shape of ``target`` there, as one short cell."""
    cells = []
    for key, figures in where.shape_threads.items():
        by = figures.get(target, {})
        measured = {n: f for n, f in by.items() if isinstance(f, Figure)}
        if by and len(measured) == len(by) and len(measured) > 1:
            cells.append(f"{key} {times(threads.scaling(measured))}")
        else:
            cells.append(f"{key} not measured")
    return f"{where.name.split()[0]}: " + ", ".join(cells)


def gil_build_of(where: Where, found: list[Where]) -> Where | None:
    """The GIL build of a free-threaded build's version (python3.14 for
    python3.14t), where it was timed too."""
    name = where.name.split()[0].removesuffix("t")
    return next((w for w in found if w.name.split()[0] == name and w.calls), None)


def _per_call(where: Where, t: str, func: str) -> str:
    """A route's time per call there, with its ratio to pure Python's."""
    calls = where.calls[func]
    if t not in calls:
        return "did not run"
    return f"{fmt_time(calls[t])} ({ratio(calls[t], calls[PYTHON])})"


def _side_by_side(timed: list[Where]) -> list[Table]:
    """Per free-threaded build with its GIL build timed too: each route's time
    per call and its ratio to pure Python on each, and how the ratio moved."""
    pairs = [(gil, w) for w in timed if w.free_threaded and (gil := gil_build_of(w, timed))]
    if not pairs:
        return []
    rows = []
    for gil, free in pairs:
        for func in CALLS:
            for t in [n for n in free.calls[func] if n != PYTHON]:
                moved = "not measured"
                ours, theirs = free.calls[func].get(t), gil.calls[func].get(t)
                base_f, base_g = free.calls[func][PYTHON], gil.calls[func][PYTHON]
                if all(isinstance(f, Figure) for f in (ours, theirs, base_f, base_g)):
                    moved = times(
                        (ours.median / base_f.median) / (theirs.median / base_g.median)  # type: ignore[union-attr]
                    )
                rows.append(
                    [
                        f"{gil.name.split()[0]} / {free.name.split()[0]}",
                        TITLES[func],
                        shown(t),
                        _per_call(gil, t, func),
                        _per_call(free, t, func),
                        moved,
                    ]
                )
    return [
        Table(
            "Free-threaded against the GIL build: time per call (vs pure Python there)",
            ["builds", "call", "function from", "GIL build", "free-threaded", "ratio moved by"],
            rows,
            "Each build's figures come from its own processes, timed as in the table "
            "above; vs: over pure Python's median on the same interpreter. ratio moved "
            "by: the route's ratio to pure Python on the free-threaded build over its "
            "ratio on the GIL build (above 1: the route lost more than Python did). "
            "The free-threaded builds are the matrix's own (./configure --disable-gil, "
            "without PGO or LTO), the GIL builds Debian's, made with other options: "
            "compare the ratios, not the times.",
        )
    ]


def _free_threaded_shapes(timed: list[Where]) -> list[Table]:
    """One thread against one per core on each free-threaded build, for each
    shape that serializes under a GIL, pure Python beside every route."""
    free = [w for w in timed if w.shape_threads]
    if not free:
        return []
    counts = [str(n) for n in threads.thread_counts()]
    rows = [
        [
            f"{w.name.split()[0]}: {w.version}",
            FREE_THREADED_SHAPES[key][0],
            shown(t),
            *(fmt(by[n], "calls/s") for n in counts),
            _scaling(by),
        ]
        for w in free
        for key, figures in w.shape_threads.items()
        for t, by in figures.items()
    ]
    return [
        Table(
            "Free-threaded: calls per second with one thread and one per core",
            [
                "interpreter",
                "shape",
                "function from",
                *(f"{n} thread{'s' * (n != '1')}" for n in counts),
                "scaling, threads",
            ],
            rows,
            "Each sample a fresh process, the threads started together (the threads "
            "section's method). Pure Python runs the same shape with the same threads: "
            "str.split; Counter.update of text.split(), one Counter per thread, or one "
            "shared under a lock (Counter is not safe to update from many threads "
            "without one). One counter per thread: counters[i].add(text) in thread i.",
        )
    ]


def _wheel_set(wheels: dict[str, dict[str, list[str]]]) -> Table:
    """Per route, the wheels that passed the matrix: the set a maintainer
    publishes per platform."""
    return Table(
        f"Wheels to publish per platform, to cover {wheelset.COVERS}",
        ["route", "wheels (where each passed its suite in the matrix)", "count"],
        [
            [
                name,
                "; ".join(f"{tag} ({', '.join(where)})" for tag, where in tags.items()),
                str(len(tags)),
            ]
            for name, tags in wheels.items()
        ],
        "From the wheels each interpreter of tox -e interpreters installed and passed "
        "the contract suite with: the wheel pip takes there from the route's set. "
        "CPython 3.11 and 3.12 take the same abi3 or py3-none wheel as 3.13 (the "
        "everyday tox envs test it there). routes.toml lists the same set "
        "(wheel_tag and runs_on's wheels), and the matrix fails where they differ.",
    )


def draw(data: Interpreters, out: Path) -> None:
    """Per interpreter, greet's time per call as a multiple of pure
    Python's, one bar per route (nothing when no interpreter was timed)."""
    timed = [w for w in data.found if w.calls]
    if not timed:
        return
    fig = Chart(figsize=(3.2 * len(timed) + 1, 3.8))
    axes = fig.subplots(1, len(timed), squeeze=False)[0]
    for ax, w in zip(axes, timed):
        greet = w.calls["greet"]
        base = greet[PYTHON]
        relative = {
            t: Figure.of([v / base.median for v in f.samples], "x")
            for t, f in greet.items()
            if isinstance(f, Figure) and isinstance(base, Figure)
        }
        charts.bars(ax, relative, "s", log=True)  # "s": scale 1, the ratio as it is
        ax.set_ylabel("")
        ax.set_title(f"{w.name.split()[0]}\n{w.version}", fontsize=9)
    axes[0].set_ylabel("greet time / pure Python's")
    fig.suptitle('greet("world") per interpreter, as a multiple of pure Python there (log)')
    fig.tight_layout()
    fig.savefig(out / CHART, dpi=100)


SECTION = Section("interpreters", cost, measure, tables, draw)
