"""``python -m compare [--quick]``: build every binding its own way, measure
them side by side, and write ``results/report.md`` and ``results/results.json``.

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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.text import Text

from . import charts, facts
from .bindings import BINDINGS
from .builds import ROOT, Builder, copy_workspace, inspect, time_builds
from .progress import running
from .report import Results, markdown, show
from .runtime import (
    api_mode_module,
    benchmarks,
    import_times,
    measuring_venv,
    regroup,
    time_calls,
    what_they_say,
)
from .shell import CommandFailed, Shell
from .stats import Finding, NotMeasured


@dataclass(frozen=True)
class Settings:
    """How many repetitions a run makes of each measurement."""

    mode: str
    build_repetitions: int
    cold_builds: bool
    import_runs: int
    call_rounds: int
    call_processes: int
    call_values: int
    checks: bool

    def steps(self, bindings: int) -> int:
        """How many progress steps a run with these settings has."""
        phases = 3 if self.cold_builds else 2
        builds = bindings * (self.build_repetitions * phases + (0 if self.cold_builds else 1))
        checks = 2 * bindings if self.checks else 0
        return 1 + bindings + builds + checks + 3 + self.call_rounds


# Sized to finish well within 15 minutes on 2 cores (about 9 minutes measured).
FULL = Settings(
    mode="full",
    build_repetitions=5,
    cold_builds=True,
    import_runs=50,
    call_rounds=4,
    call_processes=5,
    call_values=3,
    checks=True,
)
# Few repetitions (still at least two samples per figure, so there is a spread);
# cold builds and the slow checks are left out and reported as not measured.
QUICK = dataclasses.replace(
    FULL,
    mode="quick",
    build_repetitions=2,
    cold_builds=False,
    import_runs=10,
    call_rounds=2,
    call_processes=1,
    checks=False,
)


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def measure(
    settings: Settings, out: Path, targets: Path, command: str, console: Console
) -> Results:
    """Run every measurement; the files it keeps go to ``out``."""
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    start = time.perf_counter()
    shell = Shell(_fresh(out / "logs"))
    wheels, sdists, raw = (_fresh(out / d) for d in ("wheels", "sdists", "pyperf"))
    names = [b.name for b in BINDINGS]
    with tempfile.TemporaryDirectory(prefix="hi-compare-") as scratch_dir:
        scratch = Path(scratch_dir)
        with running(console, settings.steps(len(BINDINGS))) as steps:
            workspace = scratch / "workspace"
            builder = Builder(shell, workspace, targets, scratch)
            with steps.step("copy the source tree; cargo fetch (untimed)"):
                copy_workspace(ROOT, workspace)
                builder.fetch()
            glue = {b.name: facts.glue(workspace / b.name) for b in BINDINGS}
            machine = facts.machine()

            sdist = {}
            for b in BINDINGS:
                with steps.step(f"sdist of {b.name} (untimed)"):
                    sdist[b.name] = builder.sdist(b, sdists)

            builds, compiled = time_builds(
                builder,
                BINDINGS,
                settings.build_repetitions,
                settings.cold_builds,
                wheels,
                steps,
            )
            wheel = {n: next(wheels.glob(f"{n}-*.whl")) for n in names}

            dev: dict[str, Finding] = {n: NotMeasured(settings.mode) for n in names}
            alone: dict[str, Finding] = {n: NotMeasured(settings.mode) for n in names}
            if settings.checks:
                for b in BINDINGS:
                    with steps.step(f"dev install of {b.name} into a fresh venv"):
                        dev[b.name] = builder.dev_install_works(b)
                for b in BINDINGS:
                    with steps.step(f"sdist of {b.name} built on its own"):
                        alone[b.name] = builder.sdist_builds_alone(b, sdist[b.name])

            with steps.step("fresh venv with the three wheels"):
                python = measuring_venv(shell, scratch / "measure", list(wheel.values()))
                says = what_they_say(shell, python, names)
            imports = import_times(python, names, settings.import_runs, steps)
            with steps.step("cffi API-mode module over cffi_binding's library"):
                probe = api_mode_module(shell, python, scratch / "api-mode")
            timed = time_calls(
                shell,
                python,
                benchmarks(names, probe),
                settings.call_rounds,
                settings.call_processes,
                settings.call_values,
                raw,
                steps,
            )
            calls, cffi_steps = regroup(timed, names, probe)
    if hasattr(os, "getloadavg"):
        machine["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return Results(
        mode=settings.mode,
        started=started,
        wall_seconds=time.perf_counter() - start,
        command=command,
        settings={k: v for k, v in dataclasses.asdict(settings).items() if k != "mode"},
        machine=machine,
        routes={b.name: b.route for b in BINDINGS},
        commands={
            b.name: {
                "dev install": b.develop.shown(),
                "wheel": b.wheel.shown(),
                "sdist": b.sdist.shown(),
            }
            for b in BINDINGS
        },
        builds=builds,
        compiled=compiled,
        artifacts={n: inspect(wheel[n], sdist[n]) for n in names},
        glue=glue,
        dev_install=dev,
        sdist_alone=alone,
        says=says,
        imports=imports,
        calls=calls,
        cffi_steps=cffi_steps,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m compare", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="few repetitions, no cold builds, no dev-install or sdist checks",
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
        help="one cargo target dir per binding, kept so --quick reruns are warm "
        "(default: results/targets/)",
    )
    args_given = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(args_given)
    command = shlex.join(["python", "-m", "compare", *args_given])
    settings = QUICK if args.quick else FULL
    out: Path = args.out.resolve()
    console = Console()
    if not console.is_terminal:  # a log (tox, CI): no screen width to respect
        console = Console(width=max(console.width, 140))
    console.print(Text(f"{settings.mode} comparison run: {command}", style="bold"))
    try:
        results = measure(settings, out, args.targets.resolve(), command, console)
    except CommandFailed as failure:
        console.print(Text(str(failure), style="red"))
        return 1
    (out / "results.json").write_text(
        json.dumps(dataclasses.asdict(results), indent=1) + "\n", encoding="utf-8"
    )
    charts.draw(results, out)
    (out / "report.md").write_text(markdown(results), encoding="utf-8")
    show(results, console)
    console.print(f"Report: {out / 'report.md'}; every sample: {out / 'results.json'}")
    return 0
