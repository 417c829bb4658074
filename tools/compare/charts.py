"""Chart helpers (PNG, matplotlib, without pyplot: no GUI backend, no global
state), and the charts of the build section. Every chart colors a target by
``bindings.colors()``: one mapping, from routes.toml's order."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure as Chart

from .bindings import colors
from .builds import PHASES, Artifacts
from .sections import SCALES, shown
from .stats import Figure, Measure

PHASE_TITLES = {"cold": "cold build", "warm": "warm rebuild", "noop": "no-op rebuild"}


def bars(ax: Axes, data: Mapping[str, Measure], unit: str, log: bool = False) -> None:
    """One bar per target: the median, MAD whiskers, the target's color; a
    measure not taken gets a note instead."""
    scale = SCALES[unit]
    palette = colors()
    for i, (target, measure) in enumerate(data.items()):
        if isinstance(measure, Figure):
            found = ax.bar(
                i,
                measure.median * scale,
                yerr=measure.mad * scale,
                capsize=4,
                color=palette[target],
            )
            ax.bar_label(found, fmt="%.3g", padding=2, fontsize=8)
        else:
            ax.annotate(
                f"not measured\n({measure.not_measured})",
                (i, 0.5),
                xycoords=("data", "axes fraction"),
                ha="center",
                fontsize=7,
            )
    if log:
        ax.set_yscale("log")
    labels = [shown(t).replace(" (baseline)", "") for t in data]
    ax.set_xticks(range(len(labels)), labels, rotation=20, ha="right", fontsize=8)
    ax.set_ylabel(unit)


def draw_builds(builds: Mapping[str, Mapping[str, Measure]], out: Path) -> str:
    """Build times per phase; returns the file name."""
    fig = Chart(figsize=(11, 3.8))
    axes = fig.subplots(1, len(PHASES))
    for ax, phase in zip(axes, PHASES):
        bars(ax, {n: phases[phase] for n, phases in builds.items()}, "s")
        ax.set_title(PHASE_TITLES[phase])
    fig.suptitle("Build time of each route's wheel command (median ± MAD)")
    fig.tight_layout()
    fig.savefig(out / "build_time.png", dpi=100)
    return "build_time.png"


def draw_artifacts(artifacts: Mapping[str, Artifacts], out: Path) -> str:
    """Wheel, native library and sdist sizes; returns the file name."""
    names = list(artifacts)
    fig = Chart(figsize=(9, 3.8))
    ax = fig.subplots()
    parts = {
        "wheel": [artifacts[n].wheel_bytes for n in names],
        "native library (unpacked)": [artifacts[n].native_bytes for n in names],
        "sdist": [artifacts[n].sdist_bytes for n in names],
    }
    width = 0.8 / len(parts)
    palette = colors()
    for k, (label, sizes) in enumerate(parts.items()):
        ax.bar(
            [i + k * width for i in range(len(names))],
            [s / 1024 for s in sizes],
            width,
            color=[palette[n] for n in names],
            alpha=(1.0, 0.6, 0.3)[k],
            edgecolor="black",
            hatch=("", "//", "..")[k],
            label=label,
        )
    ax.set_xticks([i + width for i in range(len(names))], names, fontsize=8)
    ax.set_ylabel("KiB")
    ax.set_title("Artifact sizes (each route in its color)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "wheel_size.png", dpi=100)
    return "wheel_size.png"
