"""Each binding built by its own developer command: cold, warm and no-op.

All builds run in a copy of the repository, so the one-line change of a warm
rebuild never touches the real source. Each binding has its own cargo target
directory; a cold build starts from an empty one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .bindings import Route, argv
from .progress import Steps
from .shell import Shell, environment, error_line, make_venv
from .stats import Check, Figure, Measure, NotMeasured

ROOT = Path(__file__).resolve().parents[2]
# Pins for the compare env, handed to pip as constraints, so isolated build
# envs get the same build-tool versions (see the file's header).
CONSTRAINTS = ROOT / "tools" / "requirements-compare.txt"
# The file a warm rebuild changes by one line.
CORE = Path("shared_rust") / "src" / "lib.rs"
PHASES = ("cold", "warm", "noop")
NATIVE_SUFFIXES = (".so", ".pyd", ".dylib", ".dll")

T = TypeVar("T")


def rotated(items: Sequence[T], by: int) -> list[T]:
    """``items`` rotated left by ``by``: each repetition starts with another
    binding, so slow drift of the machine falls on every binding alike."""
    k = by % len(items)
    return [*items[k:], *items[:k]]


def copy_workspace(root: Path, dest: Path) -> None:
    """Copy the source tree (what git tracks, and new files it does not
    ignore) to ``dest``.

    The copies get fresh modification times, so cargo never takes a target
    dir's older build of the real tree for a build of this copy. (In a build
    dir shared with the real tree, ``--build-dir``, cargo names a workspace
    crate of the copy as it names the real one, by its path in the workspace;
    the newer build of the two is the one kept, and each is rebuilt when it
    is older than its sources. The copy's sources are the tree's, but for the
    warm rebuild's added comment line.)
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = root / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, dest / name)


@dataclass(frozen=True)
class Artifacts:
    """What a route ships: the wheel, the native library in it, and the sdist."""

    wheel: str
    wheel_bytes: int
    tags: list[str]
    native: str
    native_bytes: int
    sdist: str
    sdist_bytes: int


def inspect(wheel: Path, sdist: Path) -> Artifacts:
    """Sizes and tags, read from the files themselves."""
    with zipfile.ZipFile(wheel) as archive:
        natives = [i for i in archive.infolist() if i.filename.endswith(NATIVE_SUFFIXES)]
        if len(natives) != 1:
            raise RuntimeError(f"{wheel.name}: expected one native library, found {natives}")
        meta = next(n for n in archive.namelist() if n.endswith(".dist-info/WHEEL"))
        tags = [
            line.split(":", 1)[1].strip()
            for line in archive.read(meta).decode().splitlines()
            if line.startswith("Tag:")
        ]
    return Artifacts(
        wheel=wheel.name,
        wheel_bytes=wheel.stat().st_size,
        tags=tags,
        native=natives[0].filename,
        native_bytes=natives[0].file_size,
        sdist=sdist.name,
        sdist_bytes=sdist.stat().st_size,
    )


def _single(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    if len(found) != 1:
        raise RuntimeError(f"expected one {pattern} in {folder}, found {found}")
    return found[0]


class Builder:
    """Builds the bindings in a workspace copy, one cargo target dir each."""

    def __init__(
        self,
        shell: Shell,
        workspace: Path,
        targets: Path,
        scratch: Path,
        build_dir: Path | None = None,
    ) -> None:
        self.shell = shell
        self.workspace = workspace
        self.targets = targets
        self.scratch = scratch
        self.build_dir = build_dir

    def env(self, binding: Route, **extra: str) -> dict[str, str]:
        """The environment of every build command of ``binding``. With a
        ``build_dir``, cargo keeps its intermediate artifacts there (cargo's
        ``build.build-dir``) rather than in the route's target dir, so what
        another build compiled there is reused (``--build-dir``)."""
        shared = {"CARGO_BUILD_BUILD_DIR": str(self.build_dir)} if self.build_dir else {}
        return environment(
            CARGO_TARGET_DIR=str(self.targets / binding.name),
            PIP_CONSTRAINT=str(CONSTRAINTS),
            **shared,
            **extra,
        )

    def fetch(self) -> None:
        """Download every crate first, so no timed build waits on the network."""
        self.shell.run(["cargo", "fetch", "--locked"], cwd=self.workspace, label="cargo fetch")

    def make_cold(self, binding: Route) -> None:
        """Empty the binding's target dir, and setuptools' build leftovers."""
        shutil.rmtree(self.targets / binding.name, ignore_errors=True)
        package = self.workspace / binding.name
        shutil.rmtree(package / "build", ignore_errors=True)
        for egg_info in package.rglob("*.egg-info"):
            shutil.rmtree(egg_info)

    def wheel(self, binding: Route, label: str) -> tuple[float, Path, int]:
        """Build the wheel with the route's own command: its wall time, its
        path, and how many crates cargo compiled for it."""
        out = Path(tempfile.mkdtemp(prefix=f"{binding.name}-wheel-", dir=self.scratch))
        outcome = self.shell.run(
            argv(binding.wheel, Path(sys.executable), out),
            cwd=self.workspace / binding.wheel.cwd,
            env=self.env(binding),
            label=f"{label} {binding.name}",
        )
        compiled = len(re.findall(r"^\s*Compiling ", outcome.output(), re.MULTILINE))
        return outcome.seconds, _single(out, "*.whl"), compiled

    def sdist(self, binding: Route, dest: Path) -> Path:
        """Build the sdist with the route's own command, into ``dest``."""
        out = Path(tempfile.mkdtemp(prefix=f"{binding.name}-sdist-", dir=self.scratch))
        self.shell.run(
            argv(binding.sdist, Path(sys.executable), out),
            cwd=self.workspace / binding.sdist.cwd,
            env=self.env(binding),
            label=f"sdist {binding.name}",
        )
        return Path(shutil.move(str(_single(out, "*.tar.gz")), str(dest)))

    def sdist_builds_alone(self, binding: Route, sdist: Path, target: Path) -> Check:
        """Unpack the sdist far from the repository and build a wheel from it
        with pip, into cargo target dir ``target`` (the run's sdists share
        one, empty at the start), with the route's own target dir as cargo's
        build dir: the crates from crates.io that the route's timed builds
        compiled are reused (UniFFI's bindgen and its 70 crates: 142 s
        alone), as ``tox -e sdist`` does with the repository's. Nothing of
        the sdist itself stands in for it: cargo keys a path crate by its
        path, and the sdist is unpacked at a path of its own, so its crates
        compile from what it carries."""
        here = Path(tempfile.mkdtemp(prefix=f"{binding.name}-alone-", dir=self.scratch))
        with tarfile.open(sdist) as archive:
            if hasattr(tarfile, "data_filter"):
                archive.extractall(here / "src", filter="data")
            else:  # a Python without extraction filters; the sdist is our own
                archive.extractall(here / "src")
        pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps"]
        outcome = self.shell.run(
            [
                *pip_wheel,
                "-w",
                str(here / "wheelhouse"),
                str(_single(here / "src", "*")),
            ],
            cwd=here,
            env=environment(
                CARGO_TARGET_DIR=str(target),
                CARGO_BUILD_BUILD_DIR=str(self.targets / binding.name),
                PIP_CONSTRAINT=str(CONSTRAINTS),
            ),
            label=f"sdist alone {binding.name}",
            check=False,
        )
        if outcome.returncode != 0:
            output = outcome.output().replace(str(here / "src"), "…")
            return Check(False, error_line(output))
        return Check(True, f"pip wheel built {_single(here / 'wheelhouse', '*.whl').name}")

    def dev_install_works(self, binding: Route) -> Check:
        """Run the route's dev-install command into a fresh venv, then import
        the package from that venv and call it."""
        home = Path(tempfile.mkdtemp(prefix=f"{binding.name}-dev-", dir=self.scratch))
        python = make_venv(self.shell, home / "venv")
        env = self.env(
            binding,
            VIRTUAL_ENV=str(home / "venv"),
            PATH=f"{python.parent}{os.pathsep}{environment()['PATH']}",
        )
        steps = [
            (
                argv(binding.develop, python),
                self.workspace / binding.develop.cwd,
                "dev install",
            ),
            (
                [str(python), "-I", "-c", f"import {binding.name} as m; m.hi()"],
                home,
                "dev import",
            ),
        ]
        for words, cwd, label in steps:
            outcome = self.shell.run(
                words, cwd=cwd, env=env, label=f"{label} {binding.name}", check=False
            )
            if outcome.returncode != 0:
                return Check(False, error_line(outcome.output()))
        return Check(True, "installs, imports and calls hi()")


# Rough seconds of one build by phase, on a quiet 2-core machine: only for the
# estimate of the time left (the progress bar corrects it by the real pace).
BUILD_COST = {"prepare": 10.0, "cold": 20.0, "warm": 8.0, "noop": 5.0}


def build_cost(routes: int, repetitions: Mapping[str, int]) -> float:
    """Estimated seconds of ``time_builds`` (see ``BUILD_COST``)."""
    prepare = 0 if repetitions["cold"] else BUILD_COST["prepare"] / 2  # two at a time
    return routes * (prepare + sum(BUILD_COST[p] * repetitions[p] for p in PHASES))


def time_builds(
    builder: Builder,
    routes: Sequence[Route],
    repetitions: Mapping[str, int],
    why_not: str,
    wheels: Path,
    steps: Steps,
) -> tuple[dict[str, dict[str, Measure]], dict[str, dict[str, list[int]]]]:
    """Time every phase of every route, ``repetitions[phase]`` times,
    interleaved; also count the crates cargo compiled in each build.

    Each repetition: (cold) every route from an empty target dir; then one
    line added to ``shared_rust/src/lib.rs`` and every route rebuilt (warm);
    then every route built again with nothing changed (no-op); a phase stops
    once it has its repetitions. With a build dir shared by the routes
    (``--build-dir``), each route's warm rebuild adds its own line. Without
    cold builds, one untimed build per route comes first instead (two at a
    time), to bring its target dir up to date. The wheels kept in
    ``wheels`` are those built from the unchanged source. A phase never
    timed says ``why_not``.
    """
    core = builder.workspace / CORE
    original = core.read_text(encoding="utf-8")
    samples: dict[str, dict[str, list[float]]] = {
        r.name: {phase: [] for phase in PHASES} for r in routes
    }
    compiled: dict[str, dict[str, list[int]]] = {
        r.name: {phase: [] for phase in PHASES} for r in routes
    }

    def build(route: Route, phase: str, label: str) -> None:
        with steps.step(f"{label} build of {route.name}", BUILD_COST[phase]):
            if phase == "cold":
                builder.make_cold(route)
            seconds, wheel, crates = builder.wheel(route, label)
        if phase in ("cold", "prepare"):
            shutil.move(str(wheel), str(wheels / wheel.name))
        if phase != "prepare":
            samples[route.name][phase].append(seconds)
            compiled[route.name][phase].append(crates)
        shutil.rmtree(wheel.parent, ignore_errors=True)

    try:
        if not repetitions["cold"]:
            # Untimed, so two at a time: each route has its own target dir and
            # build folder, and a build that is already up to date is mostly
            # its backend's start-up (pip's isolated env, maturin) on one core.
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(lambda route: build(route, "prepare", "untimed"), routes))
        for rep in range(max(repetitions.values())):
            order = rotated(routes, rep)
            core.write_text(original, encoding="utf-8")
            if rep < repetitions["cold"]:
                for route in order:
                    build(route, "cold", f"cold {rep + 1}/{repetitions['cold']}")
            change = f"{original}// compare: warm rebuild {rep + 1}\n"
            core.write_text(change, encoding="utf-8")
            for phase, name in (("warm", "warm"), ("noop", "no-op")):
                if rep < repetitions[phase]:
                    for route in order:
                        if phase == "warm" and builder.build_dir:
                            # One build dir for all: the first route's build
                            # would leave shared_rust built for the others.
                            # Each gets a change of its own (--build-dir
                            # needs --quick: no no-op build follows).
                            core.write_text(f"{change}// {route.name}\n", encoding="utf-8")
                        build(route, phase, f"{name} {rep + 1}/{repetitions[phase]}")
    finally:
        core.write_text(original, encoding="utf-8")
    figures: dict[str, dict[str, Measure]] = {
        name: {
            phase: Figure.of(values) if values else NotMeasured(why_not)
            for phase, values in phases.items()
        }
        for name, phases in samples.items()
    }
    return figures, compiled
