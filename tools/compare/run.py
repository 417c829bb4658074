"""``python -m compare [--quick] [--sections ...]``: build every route its own
way, measure them side by side, and write ``results/report.md``, its short
table ``results/summary.md``, ``results/results.json`` and the charts.

Run it through tox (``tox -e compare``), which installs the pinned tools.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from . import (
    calls,
    checksum,
    counter,
    errors,
    facts,
    imports,
    interpreters,
    limits,
    objects,
    sizes,
    split,
    steps,
    threads,
)
from .bindings import ROUTES, Route, describe
from .builds import ROOT, Builder, build_cost, copy_workspace, inspect, time_builds
from .progress import Steps, running
from .report import Results, draw, markdown, show, summary
from .runtime import Bench, Pyperf, measuring_venv, time_together, what_they_say
from .sections import Context, Section
from .shell import CommandFailed, Shell
from .stats import Finding, Measure, NotMeasured

# Every section measured after the builds, in the report's order. A new
# section is a module with a SECTION, and one entry here.
SECTIONS: list[Section[Any]] = [
    imports.SECTION,
    calls.SECTION,
    errors.SECTION,
    steps.SECTION,
    sizes.SECTION,
    threads.SECTION,
    checksum.SECTION,
    split.SECTION,
    counter.SECTION,
    objects.SECTION,
    interpreters.SECTION,
    limits.SECTION,
]
# The timed builds and the two checks of each route (dev install, the sdist
# built on its own) are sections too: left out, the wheels are still built
# once, untimed, for the others.
ALL = ("builds", "checks", *(s.name for s in SECTIONS))

# Repetitions of each build phase, and how the shared per-call benchmarks
# (calls, errors, steps, and the shapes: checksum, split, counter, objects) are timed:
# fresh processes, each timing every one of them, a warm-up and the values
# given each, interleaved (runtime.time_together). Sized for a full run of
# five routes within 12 minutes on 2 quiet cores (docs/methodology.md has the
# budget), builds taking the largest part. Six
# processes: a process runs at one of two speeds, and a median needs most of
# its values from the usual one. Two samples are the
# fewest with a spread, and the warm rebuilds (what the verdict reads) get
# two. A cold build gets one: UniFFI's is the longest by far (its bindgen),
# and full runs' pairs of cold builds differed far less than the routes
# differ. --quick times one warm rebuild, after
# the untimed build that brings the route's kept target dir up to date.
BUILDS = {"full": {"cold": 1, "warm": 2, "noop": 2}, "quick": {"cold": 0, "warm": 1, "noop": 0}}
ROUNDS = {"full": Pyperf(6, 2, 0.05), "quick": Pyperf(2, 1, 0.02)}
NOT_TIMED = {"full": "not selected", "quick": "quick"}


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def estimate(mode: str, chosen: Sequence[str], routes: int) -> float:
    """Estimated seconds of a run (for the progress bar's time left)."""
    reps = BUILDS[mode] if "builds" in chosen else {"cold": 0, "warm": 0, "noop": 0}
    total = 20.0 + build_cost(routes, reps)
    if "checks" in chosen and mode == "full":
        total += routes * 12
    how = ROUNDS[mode]
    shared = {
        "calls": 2 * (routes + 1),
        "errors": routes + 1,
        "steps": 8 * routes,
        "checksum": len(checksum.SIZES) * (routes + 1),
        "split": len(split.WORDS) * (routes + 1),
        "counter": len(counter.CASES) * (routes + 1),
        # json and orjson beside the routes.
        "objects": len(objects.DOCS) * len(objects.OPS) * (routes + 2),
    }
    benches = sum(v for k, v in shared.items() if k in chosen)
    if benches:
        total += how.process_cost(benches, calibrate=True)
        total += (how.processes - 1) * how.process_cost(benches)
    # The shapes' largest calls outlast a value: their setups (the data made
    # afresh for each value) and calls, about 1.5 s a process for all of them.
    total += how.processes * 1.5 * sum(k in chosen for k in ("checksum", "split", "counter")) / 3
    # The documents of nested objects are made in each value's setup too.
    total += how.processes * 4.0 * ("objects" in chosen)
    return total + sum(s.cost(mode, routes) for s in SECTIONS if s.name in chosen)


def check(
    builder: Builder,
    routes: Sequence[Route],
    sdist: Mapping[str, Path],
    target: Path,
    bar: Steps,
) -> tuple[dict[str, Finding], dict[str, Finding]]:
    """Each route's dev install, and its sdist built on its own (sharing
    ``target``). Untimed yes/no checks, so they run side by side, two dev
    installs at a time beside the series of sdists: a dev install is mostly
    a fresh venv and pip, on one core, and each route has its own target
    dir; nothing timed runs meanwhile."""

    def dev_install(r: Route) -> Finding:
        with bar.step(f"dev install of {r.name} into a fresh venv", 8):
            return builder.dev_install_works(r)

    def sdists_alone() -> dict[str, Finding]:
        found: dict[str, Finding] = {}
        for r in routes:
            with bar.step(f"sdist of {r.name} built on its own", 17):
                found[r.name] = builder.sdist_builds_alone(r, sdist[r.name], target)
        return found

    with ThreadPoolExecutor(1) as sdists, ThreadPoolExecutor(2) as devs:
        alone = sdists.submit(sdists_alone)
        dev = dict(zip([r.name for r in routes], devs.map(dev_install, routes)))
        return dev, alone.result()


class Clock:
    """Wall time of each part of the run, for the report."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def part(self, name: str) -> Iterator[None]:
        """Time the block as part ``name`` (added up if named twice)."""
        start = time.perf_counter()
        yield
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start


def measure(
    mode: str,
    chosen: Sequence[str],
    routes: Sequence[Route],
    out: Path,
    targets: Path,
    command: str,
    console: Console,
    build_dir: Path | None = None,
) -> Results:
    """Run every chosen measurement; the files it keeps go to ``out``;
    ``build_dir``: cargo's build dir for every build (see ``--build-dir``)."""
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    start = time.perf_counter()
    clock = Clock()
    shell = Shell(_fresh(out / "logs"))
    wheels, sdists = _fresh(out / "wheels"), _fresh(out / "sdists")
    _fresh(out / "pyperf")
    names = [r.name for r in routes]
    reps = BUILDS[mode] if "builds" in chosen else {"cold": 0, "warm": 0, "noop": 0}
    why_not = NOT_TIMED[mode] if "builds" in chosen else "not selected"
    data: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="hi-compare-") as scratch_dir:
        scratch = Path(scratch_dir)
        with running(console, estimate(mode, chosen, len(routes))) as bar:
            with clock.part("builds"):
                workspace = scratch / "workspace"
                builder = Builder(shell, workspace, targets, scratch, build_dir)
                with bar.step("copy the source tree; cargo fetch (untimed)", 2):
                    copy_workspace(ROOT, workspace)
                    builder.fetch()
                glue = {r.name: facts.glue(workspace / r.name, r.c_abi) for r in routes}
                glue_shapes = {r.name: facts.shapes(workspace / r.name, r.c_abi) for r in routes}
                machine = facts.machine()
                sdist = {}
                for r in routes:
                    with bar.step(f"sdist of {r.name} (untimed)", 3):
                        sdist[r.name] = builder.sdist(r, sdists)
                builds, compiled = time_builds(builder, routes, reps, why_not, wheels, bar)
                wheel = {n: next(wheels.glob(f"{n}-*.whl")) for n in names}

            dev: dict[str, Finding] = {n: NotMeasured(NOT_TIMED[mode]) for n in names}
            alone: dict[str, Finding] = {n: NotMeasured(NOT_TIMED[mode]) for n in names}
            if "checks" in chosen and mode == "full":
                with clock.part("checks"):
                    target = _fresh(scratch / "sdists-target")
                    dev, alone = check(builder, routes, sdist, target, bar)

            with clock.part("venv"), bar.step("fresh venv with every wheel", 15):
                python = measuring_venv(shell, scratch / "measure", list(wheel.values()))
                says = what_they_say(shell, python, names)
            ctx = Context(mode, shell, python, tuple(routes), wheel, scratch, out)
            chosen_sections = [s for s in SECTIONS if s.name in chosen]
            shared: dict[str, Bench] = {}
            for section in chosen_sections:
                shared.update(section.benchmarks(ctx))
            timed: dict[str, Measure] = {}
            if shared:
                strict = {k for s in chosen_sections if not s.tolerant for k in s.benchmarks(ctx)}
                with clock.part("per-call rounds (calls, errors, steps, the shapes)"):
                    timed = time_together(
                        shell,
                        python,
                        shared,
                        ROUNDS[mode],
                        out / "pyperf",
                        bar,
                        "per call",
                        tolerate=shared.keys() - strict,
                    )
            for section in chosen_sections:
                with clock.part(section.name):
                    data[section.name] = section.measure(ctx, timed, bar)
    if hasattr(os, "getloadavg"):
        machine["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return Results(
        mode=mode,
        started=started,
        wall_seconds=time.perf_counter() - start,
        seconds=clock.seconds,
        command=command,
        settings={
            "builds": reps,
            "per-call rounds": dataclasses.asdict(ROUNDS[mode]),
            "imports": imports.RUNS[mode],
            "sizes": dataclasses.asdict(sizes.PLANS[mode]),
            "threads": dataclasses.asdict(threads.PLANS[mode]),
            "checksum bytes": list(checksum.SIZES),
            "split words": list(split.WORDS),
            "counter text bytes": counter.TEXT_BYTES,
            "objects documents": dict(objects.DOCS),
            "interpreters per call": dataclasses.asdict(interpreters.PLANS[mode]),
        },
        machine=machine,
        routes={r.name: describe(r) for r in routes},
        commands={
            r.name: {
                "dev install": r.develop.shown(),
                "wheel": r.wheel.shown(),
                "sdist": r.sdist.shown(),
            }
            for r in routes
        },
        builds=builds,
        compiled=compiled,
        artifacts={n: inspect(wheel[n], sdist[n]) for n in names},
        glue=glue,
        glue_shapes=glue_shapes,
        dev_install=dev,
        sdist_alone=alone,
        says=says,
        sections=data,
    )


def _sections(text: str) -> list[str]:
    chosen = [s.strip() for s in text.split(",") if s.strip()]
    unknown = sorted(set(chosen) - set(ALL))
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown section(s) {unknown}; known: {','.join(ALL)}")
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m compare", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="few repetitions and sizes, no cold builds, no dev-install or sdist checks",
    )
    parser.add_argument(
        "--sections",
        type=_sections,
        default=list(ALL),
        help=f"comma-separated sections to run (default: all: {','.join(ALL)})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "results",
        help="where report.md, results.json and the charts go (default: results/)",
    )
    parser.add_argument(
        "--targets",
        type=Path,
        default=ROOT / "results" / "targets",
        help="one cargo target dir per route, kept so --quick reruns are warm "
        "(default: results/targets/)",
    )
    parser.add_argument(
        "--build-dir",
        type=Path,
        help="cargo's build dir (intermediate artifacts) for every build, so the crates "
        "another build compiled there are reused, as `tox -e compare-smoke` reuses the "
        "everyday envs' (the repository's target/); with --quick only, which times "
        "no cold build",
    )
    args_given = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(args_given)
    command = shlex.join(["python", "-m", "compare", *args_given])
    mode = "quick" if args.quick else "full"
    if args.build_dir and mode != "quick":
        parser.error("--build-dir needs --quick: a cold build starts from an empty build dir")
    out: Path = args.out.resolve()
    console = Console()
    if not console.is_terminal:  # a log (tox, CI): no screen width to respect
        console = Console(width=max(console.width, 160))
    console.print(Text(f"{mode} comparison run: {command}", style="bold"))
    try:
        results = measure(
            mode,
            args.sections,
            ROUTES,
            out,
            args.targets.resolve(),
            command,
            console,
            args.build_dir.resolve() if args.build_dir else None,
        )
    except CommandFailed as failure:
        console.print(Text(str(failure), style="red"))
        return 1
    (out / "results.json").write_text(
        json.dumps(dataclasses.asdict(results), indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    chosen = [s for s in SECTIONS if s.name in args.sections]
    draw(results, chosen, out)
    (out / "report.md").write_text(markdown(results, chosen), encoding="utf-8")
    (out / "summary.md").write_text(summary(results), encoding="utf-8")
    show(results, chosen, console)
    console.print(
        f"Report: {out / 'report.md'}; its short table: {out / 'summary.md'}; "
        f"every sample: {out / 'results.json'}"
    )
    return 0
