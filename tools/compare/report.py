"""The results of one run, and the report made of them: in the terminal
(rich) and in ``report.md``. Every figure shown is formatted from the samples
kept in ``results.json``. The build tables live here; every other section
renders its own (``sections.Section``)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from . import charts, verdict
from .builds import PHASES, Artifacts
from .facts import SHARED, Glue, ShapeGlue
from .sections import Section, Table, fmt, fmt_finding
from .stats import Finding, Measure


@dataclass(frozen=True)
class Results:
    """Everything one run measured, read and counted; saved as results.json.
    ``sections`` holds each measured section's data, by name."""

    mode: str
    started: str
    wall_seconds: float
    seconds: dict[str, float]
    command: str
    settings: dict[str, Any]
    machine: dict[str, str]
    routes: dict[str, str]
    commands: dict[str, dict[str, str]]
    builds: dict[str, dict[str, Measure]]
    compiled: dict[str, dict[str, list[int]]]
    artifacts: dict[str, Artifacts]
    glue: dict[str, dict[str, Glue]]
    glue_shapes: dict[str, ShapeGlue]
    dev_install: dict[str, Finding]
    sdist_alone: dict[str, Finding]
    says: dict[str, list[str]]
    sections: dict[str, Any]


def kib(size: int) -> str:
    """A size in KiB."""
    return f"{size / 1024:.0f} KiB"


def _counts(counts: list[int]) -> str:
    return "-" if not counts else f"{statistics.median(counts):g}"


def _glue(glue: Glue) -> str:
    files = "1 file" if len(glue.files) == 1 else f"{len(glue.files)} files"
    return f"{files}, {glue.lines} lines"


def _by_shape(name: str, shapes: ShapeGlue, glue: dict[str, Glue]) -> list[str]:
    """A route's glue lines by shape (its own, and all it reaches), the
    shared ones, the rest (build config), and all."""
    total = sum(g.lines for g in glue.values())
    return [
        name,
        *(f"{shapes.own[s]} ({shapes.reached[s]})" for s in shapes.reached),
        str(shapes.own[SHARED]),
        str(total - sum(shapes.own.values())),
        str(total),
    ]


def build_tables(r: Results) -> list[Table]:
    """Builds, artifacts, commands, glue and checks: what each route asks of you."""
    names = list(r.routes)
    return [
        Table(
            "Build workflow: wall time of the route's own wheel command",
            ["route", "command", *charts.PHASE_TITLES.values(), "crates compiled"],
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
            ["route", "wheel tags", "wheel", "native library (unpacked)", "sdist"],
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
            "What each route asks of you: commands",
            ["route", "glue; backend", "dev install", "wheel", "sdist"],
            [
                [n, r.routes[n], *(r.commands[n][k] for k in ("dev install", "wheel", "sdist"))]
                for n in names
            ],
            code={2, 3, 4},
        ),
        Table(
            "What each route asks of you: glue and checks",
            [
                "route",
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
            "glue: files in the route's folder and their lines of code (no blank "
            "lines, comments, docstrings or Rust unit tests); shared_rust is not counted. "
            "dev install: the route's dev-install command into a fresh venv, then import and call. "
            "sdist: unpacked in an empty folder outside the repository, then `pip wheel`.",
        ),
        Table(
            "What each route asks of you: glue lines by shape",
            [
                "route",
                *next(iter(r.glue_shapes.values())).reached,
                "shared",
                "build config",
                "all glue",
            ],
            [_by_shape(n, r.glue_shapes[n], r.glue[n]) for n in names],
            "The Rust and Python glue lines above (the shared C ABI crate's Rust too, for "
            "a C ABI route), by the shape they serve: a top-level item (a function, class, "
            "constant, Rust item, each item of a Rust module on its own) counts for a shape "
            "when that shape's public function or class (for loads/dumps: either of the "
            "two) is the only one that reaches it "
            "through the names items use, across the route's files; in brackets, every "
            "line the shape reaches, shared ones included. shared: what several shapes "
            "reach, or none (imports, set-up, common errors); the first numbers and shared "
            "add up to the Rust and Python glue. Build config is not split. "
            "docs/methodology.md says more.",
        ),
    ]


def tables(r: Results, sections: list[Section[Any]]) -> list[Table]:
    """The report's tables, in order: the verdict, the builds, each measured
    section's, the machine."""
    found = [
        verdict.table(
            list(r.routes), r.sections, r.builds, r.artifacts, r.glue, r.machine["Python"]
        ),
        *build_tables(r),
    ]
    for section in sections:
        if section.name in r.sections:
            found += section.tables(r.sections[section.name])
    # Sections timed in the shared per-call rounds take no time of their own.
    timing = [[name, f"{seconds:.0f} s"] for name, seconds in r.seconds.items() if seconds >= 0.5]
    found.append(Table("Time each part of this run took", ["part", "wall time"], timing))
    found.append(Table("Machine", ["", ""], [[k, v] for k, v in r.machine.items()]))
    return found


def draw(r: Results, sections: list[Section[Any]], out: Path) -> None:
    """Every chart of the run, into ``out``."""
    charts.draw_builds(r.builds, out)
    charts.draw_artifacts(r.artifacts, out)
    for section in sections:
        if section.name in r.sections:
            section.draw(r.sections[section.name], out)


def _cell(table: Table, column: int, text: str) -> str:
    if column in table.code and text:
        return f"`{text}`"
    return text.replace("|", "\\|").replace("<", "\\<")


def markdown(r: Results, sections: list[Section[Any]]) -> str:
    """The whole report as Markdown, charts included by file name."""
    hi, greeting = next(iter(r.says.values()))
    run = (
        f"A {r.mode} run (`{r.command}`) started {r.started}, took "
        f"{r.wall_seconds / 60:.1f} min, on {r.machine['CPU']} "
        f"({r.machine['cores']} cores), {r.machine['OS']}; sections: "
        f"{', '.join(r.seconds)}."
    )
    method = (
        "Each figure is the median ± the median absolute deviation of its samples; "
        "every sample is in `results.json`, and docs/methodology.md says how each is "
        "measured. The routes were interleaved (each repetition in another order), all "
        "built with the workspace's one `[profile.release]`. Before timing, every wheel "
        f"was installed in a fresh venv and answered the same: `hi()` → {hi!r}, "
        f'`greet("world")` → {greeting!r}.'
    )
    lines = ["# The comparison report", "", run, "", method]
    for table in tables(r, sections):
        lines += ["", f"## {table.title}", "", *rows_of(table)]
        if table.note:
            lines += ["", table.note]
        if table.chart:
            lines += ["", f"![{table.title}]({table.chart})"]
    return "\n".join(lines) + "\n"


def rows_of(table: Table) -> list[str]:
    """The table's header, rule and rows, as Markdown lines."""
    return [
        "| " + " | ".join(table.headers) + " |",
        "|" + "---|" * len(table.headers),
        *(
            "| " + " | ".join(_cell(table, i, c) for i, c in enumerate(row)) + " |"
            for row in table.rows
        ),
    ]


def summary(r: Results) -> str:
    """``summary.md``: the short route table and one line on where it comes
    from, for the README to include as it is."""
    names = list(r.routes)
    decisions = verdict.decide(names, r.sections, r.builds, r.artifacts, r.glue)
    calls = r.sections.get("calls")
    table = verdict.summary(names, decisions, calls["greet"] if calls else None)
    source = (
        f"Computed by `{r.command}` ({r.mode} run, {r.started}, {r.machine['CPU']}, "
        f"{r.machine['cores']} cores) from its figures. {table.note} "
        "The full table and its rules: report.md."
    )
    return "\n".join([*rows_of(table), "", source]) + "\n"


def show(r: Results, sections: list[Section[Any]], console: Console) -> None:
    """Print the report's tables in the terminal."""
    for table in tables(r, sections):
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
