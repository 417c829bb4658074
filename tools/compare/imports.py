"""Start-up: wall time of a fresh ``python -I -c "import X"`` per module,
bytecode compiled first, against ``python -I -c pass``; interleaved."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

from matplotlib.figure import Figure as Chart

from .bindings import PYTHON, colors
from .builds import rotated
from .progress import Steps
from .sections import Context, Section, Table, fmt, shown
from .shell import environment
from .stats import Figure, Measure

RUNS = {"full": 50, "quick": 10}
CHART = "import_time.png"


def measure(ctx: Context, _: Mapping[str, Measure], steps: Steps) -> dict[str, Figure]:
    """Each module's import, ``RUNS`` fresh processes each, and the bare
    interpreter's start-up (the baseline)."""
    commands = {PYTHON: "pass", **{m: f"import {m}" for m in ctx.names}}
    samples: dict[str, list[float]] = {name: [] for name in commands}
    env = environment()

    def once(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([str(ctx.python), "-I", "-c", code], cwd=ctx.scratch, env=env, check=True)
        return time.perf_counter() - start

    runs = RUNS[ctx.mode]
    with steps.step(f"import time: {runs} fresh processes per module", cost(ctx.mode, 0)):
        for code in commands.values():
            once(code)  # warm-up: the OS file cache, not the measurement
        for run in range(runs):
            for name in rotated(list(commands), run):
                samples[name].append(once(commands[name]))
    return {name: Figure.of(values) for name, values in samples.items()}


def cost(mode: str, routes: int) -> float:
    """About 20 ms per process."""
    return RUNS[mode] * (routes + 1) * 0.02


def tables(data: dict[str, Figure]) -> list[Table]:
    """One table: each module's start-up, and what it adds to the bare one."""
    base = data[PYTHON]
    return [
        Table(
            'Start-up: a fresh `python -I -c "import X"`',
            ["module", "wall time", "adds to start-up", "runs"],
            [["(nothing: `python -I -c pass`)", fmt(base, "ms"), "", str(base.n)]]
            + [
                [n, fmt(f, "ms"), f"{(f.median - base.median) * 1e3:+.1f} ms", str(f.n)]
                for n, f in data.items()
                if n != PYTHON
            ],
            "adds to start-up: the module's median minus the bare interpreter's.",
            chart=CHART,
        )
    ]


def draw(data: dict[str, Figure], out: Path) -> None:
    """Every sample, as a box per module."""
    fig = Chart(figsize=(8, 3.8))
    ax = fig.subplots()
    targets = list(data)
    boxes = ax.boxplot([[v * 1e3 for v in data[t].samples] for t in targets], patch_artist=True)
    palette = colors()
    for box, target in zip(boxes["boxes"], targets):
        box.set_facecolor(palette[target])
        box.set_alpha(0.5)
    ax.set_xticks(range(1, len(targets) + 1), [shown(t) for t in targets], fontsize=8)
    ax.set_ylabel("ms")
    ax.set_title("Fresh interpreter start-up, importing each module (all samples)")
    fig.tight_layout()
    fig.savefig(out / CHART, dpi=100)


SECTION = Section("imports", cost, measure, tables, draw)
