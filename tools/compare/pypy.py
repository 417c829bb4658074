"""Interpreters: the per-call and size figures on PyPy, where a ``pypy3`` is
found. Every route's wheel is installed in a fresh PyPy venv (uv), then
imported and called: a route that cannot run there is listed with the error
line of the step that failed, beside what routes.toml says of it. The routes
that ran are timed by pyperf on PyPy (which calibrates the JIT's warm-up
itself), with the pure-Python functions as the baseline.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from matplotlib.figure import Figure as Chart

from . import charts
from .bindings import PYTHON, ROUTES, Route
from .builds import CONSTRAINTS
from .calls import CALLS, TITLES
from .progress import Steps
from .runtime import QUICK, Bench, Pyperf, figure, import_line, time_benchmarks
from .sections import Context, Section, Table, fmt_finding, fmt_time, ratio, shown
from .shell import error_line, uv_install, uv_venv, venv_python
from .sizes import ALPHABETS, MiB, name_of, size_text
from .stats import Check, Figure, Finding, Measure, NotMeasured

CANDIDATES = ("pypy3", "pypy")
CHART = "pypy_call_latency.png"


@dataclass(frozen=True)
class Plan:
    """The ASCII sizes timed on PyPy, and how pyperf times each benchmark."""

    sizes: tuple[int, ...]
    how: Pyperf


# Up to 1 MiB, the size the speed targets name: the sizes section has 1 B to
# 16 MiB on CPython, and on PyPy a 16 MiB call took over a second through
# ctypes (8 s through UniFFI 0.31), two thirds of this section's time.
PLANS = {
    # 1 B and 1 MiB (64 KiB too until the shapes came, issue 21: 4 of its
    # 20 benchmarks, about 9 s, made room for theirs; the two ends remain).
    "full": Plan((1, MiB), Pyperf(2, 3, 0.05)),
    "quick": Plan((MiB,), QUICK),
}


@dataclass(frozen=True)
class PyPy:
    """What PyPy ran: its version (or why there is none), whether each route
    installed and ran from its wheel, and the figures of those that did."""

    interpreter: str
    ran: dict[str, Finding]
    calls: dict[str, dict[str, Figure]] = field(default_factory=dict)
    sizes: dict[str, dict[str, Figure]] = field(default_factory=dict)
    nbytes: dict[str, int] = field(default_factory=dict)


def _venv(ctx: Context, pypy: str) -> Path | str:
    """A fresh PyPy venv with pyperf, or the error line that stopped it."""
    home = ctx.scratch / "pypy-venv"
    python = venv_python(home)
    outcome = uv_venv(ctx.shell, home, pypy, check=False)
    if outcome.returncode == 0:
        # pyperf's one dependency, psutil, has no PyPy wheel and needs PyPy's
        # headers to build; pyperf runs without it.
        args = ["--no-deps", "-c", str(CONSTRAINTS), "pyperf"]
        outcome = uv_install(ctx.shell, python, args, "pypy pyperf", check=False)
    return error_line(outcome.output()) if outcome.returncode else python


def _try_route(ctx: Context, python: Path, name: str) -> Check:
    """Install ``name``'s wheel (its run-time dependency, cffi, is PyPy's
    own), then import it and call it."""
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
    return Check(True, "installed from its wheel, imported, called")


def measure(ctx: Context, _: Mapping[str, Measure], steps: Steps) -> PyPy:
    """Find PyPy, try every route there, time those that ran."""
    found = next((p for p in map(shutil.which, CANDIDATES) if p), None)
    if found is None:
        why = f"no {' or '.join(CANDIDATES)} on PATH"
        return PyPy(f"not found ({why})", {n: NotMeasured(why) for n in ctx.names})
    with steps.step("PyPy: fresh venv, every route's wheel tried", 10 + 2 * len(ctx.names)):
        version = (
            ctx.shell.run(
                [found, "-c", "import sys; print(sys.version.replace(chr(10), ' '))"],
                cwd=ctx.scratch,
                label="pypy version",
            )
            .output()
            .splitlines()[-1]
        )
        python = _venv(ctx, found)
        if isinstance(python, str):
            return PyPy(version, {n: NotMeasured(f"PyPy venv failed: {python}") for n in ctx.names})
        ran: dict[str, Finding] = {n: _try_route(ctx, python, n) for n in ctx.names}
    targets = [PYTHON, *(n for n, c in ran.items() if isinstance(c, Check) and c.ok)]
    plan = PLANS[ctx.mode]
    benches = {
        f"{t}.{f}": Bench(import_line(t), stmt) for f, stmt in CALLS.items() for t in targets
    }
    nbytes = {}
    for size in plan.sizes:
        expr, nbytes[str(size)] = name_of(ALPHABETS["ascii"], size)
        for t in targets:
            benches[f"ascii-{size}-{t}"] = Bench(f"{import_line(t)}name = {expr}", "greet(name)")
    timed = time_benchmarks(
        ctx.shell, python, benches, plan.how, 1, ctx.out / "pyperf" / "pypy", steps, "PyPy"
    )
    return PyPy(
        interpreter=version,
        ran=ran,
        calls={f: {t: figure(timed, f"{t}.{f}") for t in targets} for f in CALLS},
        sizes={str(s): {t: figure(timed, f"ascii-{s}-{t}") for t in targets} for s in plan.sizes},
        nbytes=nbytes,
    )


def cost(mode: str, routes: int) -> float:
    """The venv and the tries, then every benchmark of every route (if all
    run); PyPy's processes start slower than CPython's."""
    plan = PLANS[mode]
    count = (len(CALLS) + len(plan.sizes)) * (routes + 1)
    return 10 + 2 * routes + count * 1.5 * plan.how.cost()


def _claim(route: Route) -> str:
    """What routes.toml says of the route on PyPy."""
    claim = route.runs_on.get("pypy")
    if not claim:
        return "nothing"
    if "no" in claim:
        return f"no: {claim['no']}"
    return f"PyPy {claim['oldest']} and later: {claim['how']}"


def tables(data: PyPy) -> list[Table]:
    """Which routes ran on PyPy and why not; their calls and sizes there."""
    claims = {r.name: _claim(r) for r in ROUTES}
    found = [
        Table(
            f"Interpreters: PyPy ({data.interpreter})",
            ["route", "ran on PyPy here", "routes.toml says"],
            [[n, fmt_finding(c), claims.get(n, "")] for n, c in data.ran.items()],
            "Each route's wheel installed with `uv pip install --no-deps` in a fresh PyPy venv "
            "(cffi is PyPy's own), imported and called; a failure shows the error line.",
        )
    ]
    if not data.calls:
        return found
    targets = list(data.calls["hi"])
    found.append(
        Table(
            "Per call on PyPy (pyperf timeit)",
            ["function from", *(x for f in TITLES.values() for x in (f, "vs Python"))],
            [
                [
                    shown(t),
                    *(
                        x
                        for f in CALLS
                        for x in (
                            fmt_time(data.calls[f][t]),
                            ratio(data.calls[f][t], data.calls[f][PYTHON]),
                        )
                    ),
                ]
                for t in targets
            ],
            "PyPy's JIT compiles the pure-Python baseline; pyperf calibrates the warm-up.",
            chart=CHART,
        )
    )
    found.append(
        Table(
            "Cost as the data grows on PyPy, ASCII names: time of `greet(name)` (vs Python)",
            ["name", *map(shown, targets)],
            [
                [
                    size_text(data.nbytes[s]),
                    *(f"{fmt_time(f[t])} ({ratio(f[t], f[PYTHON])})" for t in targets),
                ]
                for s, f in data.sizes.items()
            ],
        )
    )
    return found


def draw(data: PyPy, out: Path) -> None:
    """Per-call bars on PyPy, log scale (nothing when PyPy ran nothing)."""
    if not data.calls:
        return
    fig = Chart(figsize=(11, 3.8))
    axes = fig.subplots(1, len(CALLS))
    for ax, func in zip(axes, CALLS):
        charts.bars(ax, data.calls[func], "ns", log=True)
        ax.set_title(f"{TITLES[func]} on PyPy")
    fig.suptitle(f"Time per call on PyPy {data.interpreter.split()[0]} (median ± MAD, log scale)")
    fig.tight_layout()
    fig.savefig(out / CHART, dpi=100)


SECTION = Section("pypy", cost, measure, tables, draw)
