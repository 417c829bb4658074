"""The interpreters in the root, and what each one's venvs and wheels are:
the host's one abi3 / py3-none wheel per route, or a wheel built in the root
by the interpreter itself."""

from __future__ import annotations

import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from routes import ROUTES, Route

from .config import BIN, BUILDER_REQUIREMENTS, CHROOT, HOME, IN_ROOT_PATH, PROBES, REPO, log
from .mounts import safe_rmtree
from .shell import Ran, host_env, in_root, mark, must, run, stage_done


@dataclass
class Interpreter:
    """One interpreter in the root."""

    name: str  # the wrapper's name: python3.14, pypy3.11, python3.14t
    exe: str  # its path inside the root
    kind: str  # "cpython", "pypy" or "free_threaded" (routes.toml's words)
    version: tuple[int, int]
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def venv(self) -> str:
        return f"/hi/venvs/{self.name}"

    @property
    def python(self) -> str:
        return f"{self.venv}/bin/python"

    @property
    def builder(self) -> str:
        return f"/hi/venvs/{self.name}-build/bin/python"

    @property
    def wrapper(self) -> Path:
        return BIN / self.name


def interpreters(free_threaded: list[dict[str, Any]]) -> list[Interpreter]:
    """Every interpreter that is there, the free-threaded builds first (the
    GIL build of the same version may take the abi3t wheel one of them
    builds), each probed for what it is."""
    found = [
        Interpreter(ft["name"], ft["exe"], "free_threaded", (3, int(ft["minor"].split(".")[1])))
        for ft in free_threaded
        if "skipped" not in ft
    ]
    found += [
        Interpreter("python3.13", "/usr/bin/python3.13", "cpython", (3, 13)),
        Interpreter("python3.14", "/usr/bin/python3.14", "cpython", (3, 14)),
        Interpreter("python3.15", "/usr/bin/python3.15", "cpython", (3, 15)),
        Interpreter("pypy3.11", "/usr/bin/pypy3.11", "pypy", (3, 11)),
    ]
    for interp in found:
        probe = in_root([interp.exe, str(PROBES / "info.py")])
        interp.info = json.loads(must(probe, f"{interp.name} -V").output.splitlines()[-1])
    return found


def pip_env() -> dict[str, str]:
    """pip in the root: its cache in the cache dir; a writable cargo home
    there too (the host's ~/.cargo is read-only inside), for the sdists that
    build Rust (PyPy takes hypothesis from its sdist)."""
    return host_env(
        PIP_CACHE_DIR="/hi/pip-cache",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        CARGO_HOME="/hi/cargo-home",
        RUSTUP_HOME=f"{HOME}/.rustup",
    )


def ensure_venv(venv: str, exe: str, requirements: list[str]) -> dict[str, str] | None:
    """A venv at ``venv`` (inside the root) for ``exe``, with ``requirements``;
    made once, its requirements checked (a no-op when met) at every run.

    Where the newest versions cannot be installed (hypothesis 6.170's sdist
    builds a PyO3 extension, which PyO3 refuses on 3.13t), once more with
    ``--prefer-binary`` (the newest version that has a wheel here), and what
    failed is returned, to be recorded."""
    if not (CHROOT / venv.lstrip("/") / "bin/python").exists():
        must(in_root([exe, "-m", "venv", venv]), f"{exe} -m venv")
    pip = [f"{venv}/bin/python", "-m", "pip", "install", "-q"]
    first = in_root([*pip, *requirements], env=pip_env())
    if first.ok:
        return None
    log(f"  {first.command} failed ({first.error_line()}); again with --prefer-binary")
    must(
        in_root([*pip, "--prefer-binary", *requirements], env=pip_env()),
        f"pip install {' '.join(requirements)}",
    )
    return {
        "command": first.command,
        "error": first.error_line(),
        "then": "installed with --prefer-binary",
    }


def sync_source() -> str:
    """A copy of the source tree (git's tracked and untracked-not-ignored
    files, with their times, so cargo's fingerprints hold) at /hi/src in the
    root: builds in the root write there, never into the clone."""
    listed = run(["git", "-C", str(REPO), "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO)
    must(listed, "git ls-files")
    names = {name for name in listed.output.split("\0") if name}
    dst = CHROOT / "hi/src"
    dst.mkdir(parents=True, exist_ok=True)
    for name in names:
        source = REPO / name
        if not source.is_file():
            continue
        target = dst / name
        if (
            target.exists()
            and target.stat().st_mtime_ns == source.stat().st_mtime_ns
            and (target.stat().st_size == source.stat().st_size)
        ):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    # Files gone from the clone go from the copy too (its build/ and egg-info stay).
    for path in sorted(dst.rglob("*"), reverse=True):
        rel = path.relative_to(dst).as_posix()
        if (
            path.is_file()
            and rel not in names
            and not re.match(r"[^/]+/(build|[^/]+\.egg-info)/", rel)
        ):
            path.unlink()
    return "/hi/src"


def build_host_wheels(out: Path) -> dict[str, Path | Ran]:
    """Every route's abi3 or py3-none wheel, built once on the host with the
    route's own wheel command, in the shared target dir."""
    safe_rmtree(out)
    out.mkdir(parents=True)
    built: dict[str, Path | Ran] = {}
    env = host_env(CARGO_TARGET_DIR=str(REPO / "target"), PYO3_NO_PYTHON="1")
    for route in ROUTES:
        folder = out / route.name
        folder.mkdir()
        words = [
            str(folder) if w == "dist" else (sys.executable if w == "python" else w)
            for w in route.wheel.words
        ]
        shown = route.wheel.shown().replace(" dist", f" {folder}")
        log(f"host wheel: {shown}")
        ran = run(words, shown=shown, cwd=REPO / route.wheel.cwd, env=env)
        wheels = list(folder.glob("*.whl"))
        built[route.name] = wheels[0] if ran.ok and len(wheels) == 1 else ran
        if not ran.ok:
            log(f"  failed: {ran.error_line()}")
    return built


def build_in_root(interp: Interpreter, route: Route, src: str) -> tuple[str | None, Ran]:
    """``route``'s version-specific wheel for ``interp``, built inside the
    root by the interpreter itself with the route's own backend."""
    out = f"/hi/wheels/{interp.name}/{route.name}"
    host_out = CHROOT / out.lstrip("/")
    safe_rmtree(host_out)
    host_out.mkdir(parents=True)
    env = host_env(
        CARGO_HOME="/hi/cargo-home",
        RUSTUP_HOME=f"{HOME}/.rustup",
        CARGO_TARGET_DIR=f"/hi/target/{interp.name}",
        PIP_CACHE_DIR="/hi/pip-cache",
    )
    bin_dir = str(Path(interp.builder).parent)
    words = [
        out if w == "dist" else (interp.builder if w == "python" else w) for w in route.wheel.words
    ]
    if not (CHROOT / interp.builder.lstrip("/")).exists() or stage_done(
        f"builder-{interp.name}"
    ) != " ".join(BUILDER_REQUIREMENTS):
        ensure_venv(str(Path(interp.builder).parent.parent), interp.exe, BUILDER_REQUIREMENTS)
        mark(f"builder-{interp.name}", " ".join(BUILDER_REQUIREMENTS))
    if words[0] == "maturin":
        words = [f"{bin_dir}/maturin", *words[1:], "-i", interp.exe]
    path = f"{bin_dir}:{IN_ROOT_PATH}"
    ran = in_root(words, path=path, cwd=CHROOT / src.lstrip("/") / route.wheel.cwd, env=env)
    wheels = list(host_out.glob("*.whl"))
    if ran.ok and len(wheels) == 1:
        return f"{out}/{wheels[0].name}", ran
    return None, ran


def abi3t_floor(wheel: str) -> tuple[int, int] | None:
    """The oldest CPython an ``abi3.abi3t`` wheel serves (``cp315``: 3.15),
    or None for any other wheel."""
    tags = wheel.removesuffix(".whl").split("-")
    if len(tags) < 5 or "abi3t" not in tags[-2].split("."):
        return None
    python = tags[-3].split(".")[0]
    return (int(python[2]), int(python[3:]))


def pick_wheel(interp: Interpreter, route: Route, abi3t: dict[str, str]) -> str:
    """Which wheel pip would take for ``interp`` from the set the route
    publishes: "root" (a version-specific wheel, built there by the
    interpreter: abi3 serves neither PyPy nor a free-threaded build before
    3.15), "abi3t" (the ``cp315-abi3.abi3t`` wheel a free-threaded build
    made: on a GIL build of 3.15 and later pip prefers it to ``cp311-abi3``,
    as its tag is the more specific) or "host" (the one abi3 / py3-none
    wheel)."""
    if "abi3" in route.wheel_tag and interp.kind != "cpython":
        return "root"
    floor = abi3t_floor(abi3t.get(route.name, ""))
    if interp.kind == "cpython" and floor is not None and interp.version >= floor:
        return "abi3t"
    return "host"


def install(interp: Interpreter, route: Route, wheel: str) -> Ran:
    """Install ``wheel`` into the interpreter's venv: itself afresh, then its
    dependencies (no-ops when met)."""
    pip = [interp.python, "-m", "pip", "install", "-q"]
    ran = in_root([*pip, "--force-reinstall", "--no-deps", wheel], env=pip_env())
    if not ran.ok:
        return ran
    deps = in_root([*pip, wheel], env=pip_env())
    deps.seconds += ran.seconds
    deps.command = f"{ran.command} && {deps.command}"
    return deps


def uninstall(interp: Interpreter, route: Route) -> None:
    in_root([interp.python, "-m", "pip", "uninstall", "-y", "-q", route.name], env=pip_env())
