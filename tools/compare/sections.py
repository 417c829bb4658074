"""What every report section shares: the run's context, the ``Section`` each
module declares, the ``Table`` it renders, and the formatting of figures.

A section measures, keeps its raw samples and renders its own tables and
charts, in its own module; ``run.SECTIONS`` lists them. A new section is one
module and one line there.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from .bindings import PYTHON, Route
from .progress import Steps
from .runtime import Bench
from .shell import Shell
from .stats import Figure, Finding, Measure, NotMeasured

SCALES = {"s": 1.0, "ms": 1e3, "us": 1e6, "ns": 1e9}

T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    """What a section may use: the routes, their wheels and a venv holding
    them, a shell whose commands are logged, and where files go."""

    mode: str
    shell: Shell
    python: Path
    routes: tuple[Route, ...]
    wheels: dict[str, Path]
    scratch: Path
    out: Path

    @property
    def names(self) -> list[str]:
        """The routes' package names, in routes.toml's order."""
        return [r.name for r in self.routes]

    @property
    def targets(self) -> list[str]:
        """The pure-Python baseline, then every route."""
        return [PYTHON, *self.names]


@dataclass(frozen=True)
class Table:
    """One table of the report; ``code`` columns hold commands or file names."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    note: str = ""
    code: set[int] = field(default_factory=set)
    chart: str | None = None


def _no_benchmarks(ctx: Context) -> dict[str, Bench]:
    return {}


@dataclass(frozen=True)
class Section(Generic[T]):
    """One section of the report.

    ``benchmarks`` are per-call pyperf benchmarks the section wants timed in
    the run's shared rounds (same key, same benchmark: timed once for all
    sections); ``measure`` gets their figures (or why not measured) and does the rest of the
    section's work; ``tables`` and ``draw`` render what it returned (``draw``
    writes its charts into the folder it is given). ``cost`` estimates the
    seconds ``measure`` takes in a mode, for ``n`` routes.
    """

    name: str
    cost: Callable[[str, int], float]
    measure: Callable[[Context, Mapping[str, Measure], Steps], T]
    tables: Callable[[T], list[Table]]
    draw: Callable[[T, Path], None]
    benchmarks: Callable[[Context], dict[str, Bench]] = _no_benchmarks
    # Whether a failing benchmark of its own may stand as not measured (a
    # hand-written step table can lag behind its route's glue) instead of
    # stopping the run.
    tolerant: bool = False


def shown(target: str) -> str:
    """How the report names a target."""
    return "pure Python (baseline)" if target == PYTHON else target


def _decimals(value: float) -> int:
    """Decimals that show ``value`` to three significant digits (none past 100)."""
    if value >= 100 or value <= 0:
        return 0
    return 2 - math.floor(math.log10(value))


def number(value: float) -> str:
    """``value`` to three significant digits."""
    return f"{value:.{_decimals(value)}f}"


def fmt(measure: Measure, unit: str) -> str:
    """``median ± MAD unit`` (both to the median's precision), or why there
    is no figure."""
    if isinstance(measure, NotMeasured):
        return f"not measured ({measure.not_measured})"
    scale = SCALES.get(unit, 1.0)
    median, mad = measure.median * scale, measure.mad * scale
    places = _decimals(median)
    if measure.n == 1:  # no spread to show, and no "± 0" that claims one
        return f"{median:.{places}f} {unit} (1 run)"
    return f"{median:.{places}f} ± {mad:.{places}f} {unit}"


def fmt_time(measure: Measure) -> str:
    """``fmt`` in the unit that suits the median (ns, us, ms or s)."""
    if isinstance(measure, NotMeasured):
        return fmt(measure, "s")
    unit = next((u for u in ("ns", "us", "ms") if measure.median * SCALES[u] < 1000), "s")
    return fmt(measure, unit)


def fmt_finding(finding: Finding) -> str:
    """``yes``, or ``no: <error line>``, or why it was not checked."""
    if isinstance(finding, NotMeasured):
        return f"not measured ({finding.not_measured})"
    return "yes" if finding.ok else f"no: {finding.detail}"


def times(value: float) -> str:
    """A ratio, as the report writes it."""
    return f"{value:.2f}x" if value < 10 else f"{value:.0f}x" if value >= 100 else f"{value:.1f}x"


def ratio(measure: Measure, baseline: Measure) -> str:
    """How many times the baseline's median this figure's median is (nothing
    where either was not measured)."""
    if isinstance(measure, NotMeasured) or isinstance(baseline, NotMeasured):
        return ""
    return times(measure.median / baseline.median)


def figure_or(data: Mapping[str, Any], key: str, why: str) -> Measure:
    """``data[key]`` if it is there, else a ``NotMeasured`` saying ``why``."""
    found = data.get(key)
    return found if isinstance(found, (Figure, NotMeasured)) else NotMeasured(why)
