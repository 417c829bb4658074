"""The report's charts (PNG, matplotlib): medians as bars, MAD as error bars."""

from __future__ import annotations

from pathlib import Path

from matplotlib.axes import Axes

# The object-oriented API without pyplot: no GUI backend, no global state.
from matplotlib.figure import Figure as Chart

from .builds import PHASES
from .report import CALL_TITLES, PHASE_TITLES, SCALES, Results
from .runtime import PYTHON
from .stats import Figure, Measure


def _bars(ax: Axes, labels: list[str], measures: list[Measure], unit: str) -> None:
    """Median bars with MAD whiskers; a measure not taken gets a note instead."""
    scale = SCALES[unit]
    for i, measure in enumerate(measures):
        if isinstance(measure, Figure):
            bars = ax.bar(
                i,
                measure.median * scale,
                yerr=measure.mad * scale,
                capsize=4,
                color=f"C{i}",
            )
            ax.bar_label(bars, fmt="%.3g", padding=2, fontsize=8)
        else:
            ax.text(
                i,
                0.5,
                f"not measured\n({measure.not_measured})",
                ha="center",
                fontsize=8,
            )
            ax.set_ylim(0, 1)
            ax.set_yticks([])
    ax.set_xticks(range(len(labels)), labels, rotation=20, ha="right", fontsize=8)
    ax.set_ylabel(unit)


def draw(r: Results, out: Path) -> None:
    """Write build_time.png, wheel_size.png, import_time.png, call_latency.png."""
    names = list(r.routes)

    fig = Chart(figsize=(11, 3.8))
    axes = fig.subplots(1, len(PHASES))
    for ax, phase in zip(axes, PHASES):
        _bars(ax, names, [r.builds[n][phase] for n in names], "s")
        ax.set_title(PHASE_TITLES[phase])
    fig.suptitle("Build time of each route's wheel command (median ± MAD)")
    fig.tight_layout()
    fig.savefig(out / "build_time.png", dpi=100)

    fig = Chart(figsize=(8, 3.8))
    ax = fig.subplots()
    parts = {
        "wheel": [r.artifacts[n].wheel_bytes for n in names],
        "native library (unpacked)": [r.artifacts[n].native_bytes for n in names],
        "sdist": [r.artifacts[n].sdist_bytes for n in names],
    }
    width = 0.8 / len(parts)
    for k, (label, sizes) in enumerate(parts.items()):
        ax.bar(
            [i + k * width for i in range(len(names))],
            [s / 1024 for s in sizes],
            width,
            label=label,
        )
    ax.set_xticks([i + width for i in range(len(names))], names, fontsize=8)
    ax.set_ylabel("KiB")
    ax.set_title("Artifact sizes")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "wheel_size.png", dpi=100)

    fig = Chart(figsize=(8, 3.8))
    ax = fig.subplots()
    targets = [PYTHON, *names]
    ax.boxplot([[v * 1e3 for v in r.imports[t].samples] for t in targets])
    ax.set_xticks(range(1, len(targets) + 1), ["python -c pass", *names], fontsize=8)
    ax.set_ylabel("ms")
    ax.set_title("Fresh interpreter start-up, importing each module (all samples)")
    fig.tight_layout()
    fig.savefig(out / "import_time.png", dpi=100)

    fig = Chart(figsize=(11, 3.8))
    axes = fig.subplots(1, len(CALL_TITLES))
    for ax, (func, title) in zip(axes, CALL_TITLES.items()):
        _bars(ax, ["pure Python", *names], [r.calls[func][t] for t in targets], "ns")
        ax.set_title(title)
    fig.suptitle("Time per call (median ± MAD)")
    fig.tight_layout()
    fig.savefig(out / "call_latency.png", dpi=100)
