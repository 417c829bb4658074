"""The results of one run, and the tables made of them: in the terminal
(rich) and in ``report.md``. Every figure shown is formatted from the samples
kept in ``results.json``."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from .builds import PHASES, Artifacts
from .facts import Glue
from .runtime import CFFI_STEPS, PYTHON
from .stats import Figure, Finding, Measure, NotMeasured

PHASE_TITLES = {"cold": "cold build", "warm": "warm rebuild", "noop": "no-op rebuild"}
CALL_TITLES = {"hi": "hi()", "greet": 'greet("world")'}
SCALES = {"s": 1.0, "ms": 1e3, "ns": 1e9}


@dataclass(frozen=True)
class Results:
    """Everything one run measured, read and counted; saved as results.json."""

    mode: str
    started: str
    wall_seconds: float
    command: str
    settings: dict[str, int | bool]
    machine: dict[str, str]
    routes: dict[str, str]
    commands: dict[str, dict[str, str]]
    builds: dict[str, dict[str, Measure]]
    compiled: dict[str, dict[str, list[int]]]
    artifacts: dict[str, Artifacts]
    glue: dict[str, dict[str, Glue]]
    dev_install: dict[str, Finding]
    sdist_alone: dict[str, Finding]
    says: dict[str, list[str]]
    imports: dict[str, Figure]
    calls: dict[str, dict[str, Figure]]
    cffi_steps: dict[str, Measure]


def _decimals(value: float) -> int:
    """Decimals that show ``value`` to three significant digits (none past 100)."""
    if value >= 100 or value <= 0:
        return 0
    return 2 - math.floor(math.log10(value))


def fmt(measure: Measure, unit: str) -> str:
    """``median ± MAD unit`` (both to the median's precision), or why there
    is no figure."""
    if isinstance(measure, NotMeasured):
        return f"not measured ({measure.not_measured})"
    scale = SCALES[unit]
    median, mad = measure.median * scale, measure.mad * scale
    places = _decimals(median)
    return f"{median:.{places}f} ± {mad:.{places}f} {unit}"


def fmt_finding(finding: Finding) -> str:
    """``yes``, or ``no: <error line>``, or why it was not checked."""
    if isinstance(finding, NotMeasured):
        return f"not measured ({finding.not_measured})"
    return "yes" if finding.ok else f"no: {finding.detail}"


def kib(size: int) -> str:
    """A size in KiB."""
    return f"{size / 1024:.0f} KiB"


def ratio(figure: Figure, baseline: Figure) -> str:
    """How many times the baseline's median this figure's median is."""
    return f"{figure.median / baseline.median:.1f}x"


def ratio_of(measure: Measure, baseline: Figure) -> str:
    """``ratio``, or nothing where there is no figure."""
    return "" if isinstance(measure, NotMeasured) else ratio(measure, baseline)


def added_ms(figure: Figure, baseline: Figure) -> str:
    """What a module adds to interpreter start-up: the difference of medians."""
    return f"{(figure.median - baseline.median) * 1e3:+.1f} ms"


@dataclass(frozen=True)
class Table:
    """One table of the report; ``code`` columns hold commands or file names."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    note: str = ""
    code: set[int] = field(default_factory=set)
    chart: str | None = None


def tables(r: Results) -> list[Table]:
    """The report's tables, in order."""
    names = list(r.routes)
    calls_n = min(f.n for by in r.calls.values() for f in by.values())
    return [
        Table(
            "Build workflow: wall time of the route's own wheel command",
            ["binding", "command", *PHASE_TITLES.values(), "crates compiled"],
            [
                [
                    n,
                    r.commands[n]["wheel"],
                    *(fmt(r.builds[n][p], "s") for p in PHASES),
                    " / ".join(_counts(r.compiled[n][p]) for p in PHASES),
                ]
                for n in names
            ],
            "cold: empty cargo target dir (crates downloaded beforehand, untimed); "
            "warm: after a one-line change to shared_rust/src/lib.rs; "
            "no-op: again, with nothing changed. Crates compiled: the `Compiling` "
            "lines cargo printed, cold / warm / no-op (median of the repetitions). "
            "`python -m build` makes a fresh isolated build env each time, and its "
            "time counts: that is the command.",
            code={1},
            chart="build_time.png",
        ),
        Table(
            "Artifacts",
            ["binding", "wheel tags", "wheel", "native library (unpacked)", "sdist"],
            [
                [
                    n,
                    ", ".join(r.artifacts[n].tags),
                    kib(r.artifacts[n].wheel_bytes),
                    f"{r.artifacts[n].native}: {kib(r.artifacts[n].native_bytes)}",
                    kib(r.artifacts[n].sdist_bytes),
                ]
                for n in names
            ],
            code={1},
            chart="wheel_size.png",
        ),
        Table(
            'Start-up: a fresh `python -I -c "import X"`',
            ["module", "wall time", "adds to start-up", "runs"],
            [
                [
                    "(nothing: `python -I -c pass`)",
                    fmt(r.imports[PYTHON], "ms"),
                    "",
                    str(r.imports[PYTHON].n),
                ]
            ]
            + [
                [
                    n,
                    fmt(r.imports[n], "ms"),
                    added_ms(r.imports[n], r.imports[PYTHON]),
                    str(r.imports[n].n),
                ]
                for n in names
            ],
            "adds to start-up: the module's median minus the bare interpreter's.",
            chart="import_time.png",
        ),
        Table(
            "Per call: time of one call (pyperf timeit)",
            [
                "function from",
                *(x for f in CALL_TITLES.values() for x in (f, "vs Python")),
            ],
            [
                [
                    "pure Python (baseline)" if t == PYTHON else t,
                    *(
                        x
                        for f in CALL_TITLES
                        for x in (
                            fmt(r.calls[f][t], "ns"),
                            ratio(r.calls[f][t], r.calls[f][PYTHON]),
                        )
                    ),
                ]
                for t in [PYTHON, *names]
            ],
            f"{calls_n} or more values per cell, from fresh pyperf worker processes. "
            "vs Python: median over the median of the same function written in Python.",
            chart="call_latency.png",
        ),
        Table(
            "Inside the C ABI route: where `hi()` spends its time",
            ["timed", "what it is", "time", "vs Python hi()"],
            [
                [
                    "hi()",
                    "pure Python (baseline)",
                    fmt(r.calls["hi"][PYTHON], "ns"),
                    ratio(r.calls["hi"][PYTHON], r.calls["hi"][PYTHON]),
                ],
                [
                    "hi()",
                    "cffi_binding.hi() as shipped: ABI mode",
                    fmt(r.calls["hi"]["cffi_binding"], "ns"),
                    ratio(r.calls["hi"]["cffi_binding"], r.calls["hi"][PYTHON]),
                ],
            ]
            + [
                [
                    CFFI_STEPS[name].shown,
                    CFFI_STEPS[name].what,
                    fmt(measure, "ns"),
                    ratio_of(measure, r.calls["hi"][PYTHON]),
                ]
                for name, measure in r.cffi_steps.items()
            ],
            "Each step timed on its own, in the same pyperf rounds as the table above. "
            "cffi_binding.hi() is a Python function call (the baseline is little more), "
            "the C call and the two conversions: compare it with the sum of those rows. "
            "API mode calls the same Rust library (the wheel's own) through a C wrapper "
            "that cffi generates and a C compiler builds; maturin's cffi bindings do not "
            "build that, so it is timed here, not shipped.",
            code={0},
        ),
        Table(
            "What each route asks of you: commands",
            ["binding", "dev install", "wheel", "sdist"],
            [
                [
                    n,
                    r.commands[n]["dev install"],
                    r.commands[n]["wheel"],
                    r.commands[n]["sdist"],
                ]
                for n in names
            ],
            code={1, 2, 3},
        ),
        Table(
            "What each route asks of you: glue and checks",
            [
                "binding",
                *(f"{kind} glue" for kind in next(iter(r.glue.values()))),
                "dev install works",
                "sdist builds on its own",
            ],
            [
                [
                    n,
                    *(_glue(g) for g in r.glue[n].values()),
                    fmt_finding(r.dev_install[n]),
                    fmt_finding(r.sdist_alone[n]),
                ]
                for n in names
            ],
            "glue: files in the binding's folder and their lines of code (no blank "
            "lines, comments, docstrings or Rust unit tests); shared_rust is not counted. "
            "dev install: the route's dev-install command into a fresh venv, then import and call. "
            "sdist: unpacked in an empty folder outside the repository, then `pip wheel`.",
        ),
        Table("Machine", ["", ""], [[k, v] for k, v in r.machine.items()]),
    ]


def _counts(counts: list[int]) -> str:
    return "-" if not counts else f"{statistics.median(counts):g}"


def _glue(glue: Glue) -> str:
    files = "1 file" if len(glue.files) == 1 else f"{len(glue.files)} files"
    return f"{files}, {glue.lines} lines"


def _cell(table: Table, column: int, text: str) -> str:
    if column in table.code and text:
        return f"`{text}`"
    return text.replace("|", "\\|").replace("<", "\\<")


def markdown(r: Results) -> str:
    """The whole report as Markdown, charts included by file name."""
    s = r.settings
    reps = (
        f"{s['build_repetitions']} repetitions of each build"
        + ("" if s["cold_builds"] else " (no cold builds)")
        + f", {s['import_runs']} imports per module, {s['call_rounds']} rounds of "
        f"{s['call_processes']} pyperf worker processes x {s['call_values']} values "
        "per call benchmark"
    )
    hi, greeting = next(iter(r.says.values()))
    run = (
        f"A {r.mode} run (`{r.command}`) started {r.started}, took "
        f"{r.wall_seconds / 60:.1f} min, on {r.machine['CPU']} "
        f"({r.machine['cores']} cores), {r.machine['OS']}."
    )
    method = (
        "Each figure is the median ± the median absolute deviation of its samples; "
        "every sample is in `results.json`. The bindings were interleaved "
        "(each repetition in another order), all built with the workspace's one "
        f"`[profile.release]`: {reps}. Before timing, every wheel was installed in "
        f"a fresh venv and answered the same: `hi()` → {hi!r}, "
        f'`greet("world")` → {greeting!r}.'
    )
    lines = ["# The comparison report", "", run, "", method]
    for table in tables(r):
        lines += ["", f"## {table.title}", ""]
        lines.append("| " + " | ".join(table.headers) + " |")
        lines.append("|" + "---|" * len(table.headers))
        for row in table.rows:
            lines.append("| " + " | ".join(_cell(table, i, c) for i, c in enumerate(row)) + " |")
        if table.note:
            lines += ["", table.note]
        if table.chart:
            lines += ["", f"![{table.title}]({table.chart})"]
    return "\n".join(lines) + "\n"


def show(r: Results, console: Console) -> None:
    """Print the report's tables in the terminal."""
    for table in tables(r):
        rich_table = RichTable(
            title=Text(table.title),
            title_justify="left",
            caption=Text(table.note) if table.note else None,
            caption_justify="left",
        )
        for header in table.headers:
            rich_table.add_column(Text(header))
        for row in table.rows:
            rich_table.add_row(*map(Text, row))
        console.print(rich_table)
