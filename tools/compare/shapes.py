"""What the three shape sections (``checksum``, ``split``, ``counter``) share:
how a benchmark's setup binds a route's function or the standard library's,
the text their words come from, the cells of their tables and their charts.

Each shape is timed in the run's shared rounds (``runtime.time_together``),
its standard-library equivalent beside it in the same processes. A route
without the function fails its benchmark's setup with an ``AttributeError``,
which the sections (``tolerant``) report as not measured, with that line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes

from .bindings import PYTHON, colors
from .sections import number, shown
from .stats import Figure, Measure, NotMeasured

# The words every text is made of: 1,000 ASCII words of 1 to 9 letters
# (about 5.5 bytes a word with its space), in a fixed order, so a text's
# bytes, words and distinct words are the same in every run and process.
# Made in each benchmark's setup from this source, and here, from the same
# source, to count its bytes and words.
TEXT = (
    "_vocab = [''.join(chr(97 + (i * 7 + k * 5) % 26) for k in range(1 + i % 9))"
    " for i in range(1000)]\n"
    "def _text(words):\n"
    "    return ' '.join(_vocab[(i * 389) % 1000] for i in range(words))\n"
    "def _sized(nbytes):\n"
    "    chunk = ' '.join(_vocab) + ' '\n"
    "    text = (chunk * (nbytes // len(chunk) + 1))[:nbytes]\n"
    "    return text[: text.rindex(' ')]\n"
)


def bind(target: str, names: Sequence[str]) -> str:
    """Setup lines binding each of ``names`` from ``target``'s package, by
    attribute: a route that lacks one fails with ``AttributeError: module
    ... has no attribute ...``. The baseline binds nothing here: its section
    gives the standard library's names."""
    if target == PYTHON:
        return ""
    return f"import {target} as _route\n" + "".join(f"{n} = _route.{n}\n" for n in names)


def text_of(expr: str) -> str:
    """The text ``expr`` (``_text(n)`` or ``_sized(n)``) makes, made here as
    each setup makes it."""
    namespace: dict[str, object] = {}
    exec(TEXT, namespace)
    text = eval(expr, namespace)
    if not isinstance(text, str):
        raise TypeError(f"{expr} made {type(text).__name__}, not str")
    return text


def named(target: str, baseline: str) -> str:
    """How a shape's table names a target: the baseline by the standard
    library function it is."""
    return f"{baseline} (baseline)" if target == PYTHON else shown(target)


def per_unit(measure: Measure, units: int, scale: float) -> str:
    """The median over ``units`` (bytes, words), times ``scale`` (1e9 for ns
    per word); or not measured."""
    if isinstance(measure, NotMeasured):
        return "not measured"
    return number(measure.median / units * scale)


def rate(measure: Measure, units: int, scale: float) -> str:
    """``units`` over the median, times ``scale`` (1e-6 for MB/s); or not
    measured."""
    if isinstance(measure, NotMeasured):
        return "not measured"
    return number(units / measure.median * scale)


def lines(
    ax: Axes,
    by_x: Mapping[int, Mapping[str, Measure]],
    baseline: str,
    per: Mapping[int, int] | None = None,
    invert: bool = False,
) -> None:
    """One line per target through its medians against x (log-log); each
    median divided by ``per[x]`` (seconds per word) or, ``invert``, ``per[x]``
    over it (bytes per second). A point not measured is left out."""
    palette = colors()
    targets = list(next(iter(by_x.values())))
    for t in targets:
        points = [(x, f) for x, by in by_x.items() if isinstance(f := by[t], Figure)]
        ys = [
            (per[x] / f.median if invert else f.median / per[x]) if per else f.median
            for x, f in points
        ]
        ax.plot(
            [x for x, _ in points],
            ys,
            marker="o",
            markersize=3,
            color=palette[t],
            label=named(t, baseline),
            linestyle="--" if t == PYTHON else "-",
        )
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=7)
