"""Prove that every sdist stands alone.

For each binding: build its sdist with its own backend, unpack it into an
empty folder outside the repository, build a wheel from the unpacked tree with
pip in a fresh venv, install that wheel and run ``tests/`` on it. Nothing from
the repository's source reaches the build, no ``PYO3_NO_PYTHON``: only what
the sdist carries (crates come from crates.io).

One thing is shared, for speed: cargo's build dir (``build.build-dir``, where
the intermediate artifacts live) is the repository's target directory, so a
crate from crates.io that the repository's builds already compiled (pyo3,
UniFFI and its bindgen) is reused, as it is from one sdist to the next; it
is the same crate from crates.io either way, at the version the sdist's
Cargo.lock names. Each sdist's own crates sit at a path of their own, so
cargo compiles them afresh from what the sdist carries, and each build's
library lands in a target directory of its own, outside the repository.

Run through tox: ``tox -e sdist`` (all of them) or ``tox -e sdist -- cffi_binding``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tempfile
import time
import venv
from pathlib import Path

from routes import NAMES as BINDINGS

ROOT = Path(__file__).resolve().parent.parent
# Set by tox for the repository's own builds; a user's build has none of them.
REPO_ONLY_VARIABLES = ("CARGO_TARGET_DIR", "PYO3_NO_PYTHON", "VIRTUAL_ENV")
# The repository's target dir (tox's CARGO_TARGET_DIR), as the build dir.
BUILD_DIR = ROOT / "target"


def run(command: list[str | Path], cwd: Path, **extra_env: str) -> None:
    """Run a command outside the repository, in the environment a user has."""
    env = {key: value for key, value in os.environ.items() if key not in REPO_ONLY_VARIABLES}
    env.update(extra_env)
    print("$", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], cwd=cwd, env=env, check=True)


def unpack(sdist: Path, into: Path) -> Path:
    """Unpack an sdist and return its top folder (the one holding pyproject.toml)."""
    with tarfile.open(sdist) as archive:
        # The "data" filter refuses links and paths that leave the folder.
        archive.extractall(into, filter="data")
    (top,) = into.iterdir()
    return top


def check(binding: str, work: Path, target: Path) -> str:
    """Build ``binding``'s sdist, then a wheel from it alone; test that wheel."""
    sdists, unpacked, wheels = work / "sdist", work / "unpacked", work / "wheels"
    unpacked.mkdir()
    run([sys.executable, "-m", "build", "--sdist", "--outdir", sdists, ROOT / binding], cwd=work)
    (sdist,) = sdists.glob("*.tar.gz")
    source = unpack(sdist, unpacked)

    venv.create(work / "venv", with_pip=True)
    python = work / "venv" / ("Scripts" if os.name == "nt" else "bin") / "python"
    # pip's cache as a user has it: it holds downloads (maturin, pytest), not
    # builds of these packages (pip never caches a wheel built from a path).
    pip: list[str | Path] = [python, "-m", "pip", "--disable-pip-version-check"]
    wheel_command = [*pip, "wheel", "--no-deps", "--wheel-dir", wheels, source]
    run(wheel_command, cwd=work, CARGO_TARGET_DIR=str(target), CARGO_BUILD_BUILD_DIR=str(BUILD_DIR))
    (wheel,) = wheels.glob("*.whl")
    run([*pip, "install", wheel, "-r", ROOT / "tests" / "requirements.txt"], cwd=work)

    # The repository's suite and settings, run from outside the repository.
    pytest: list[str | Path] = [python, "-m", "pytest", "-c", ROOT / "pyproject.toml"]
    pytest += ["--rootdir", ROOT, "-p", "no:cacheprovider", "-m", "not cross", "-q"]
    run([*pytest, ROOT / "tests"], cwd=work, HI_BINDINGS=binding)
    return f"{sdist.name} -> {wheel.name}"


def main(argv: list[str]) -> int:
    bindings = argv or list(BINDINGS)
    unknown = set(bindings) - set(BINDINGS)
    if unknown:
        print(f"unknown bindings {sorted(unknown)}; choose from {BINDINGS}", file=sys.stderr)
        return 2
    failed = []
    summary = []
    # The system temporary folder, not .tox: outside the repository.
    with tempfile.TemporaryDirectory(prefix="sdist-target-") as target:
        for binding in bindings:
            start = time.perf_counter()
            with tempfile.TemporaryDirectory(prefix=f"sdist-{binding}-") as work:
                try:
                    outcome = check(binding, Path(work), Path(target))
                except subprocess.CalledProcessError as error:
                    failed.append(binding)
                    outcome = f"FAILED: {error}"
            summary.append(f"{binding:24} {outcome} ({time.perf_counter() - start:.0f} s)")
    print("", *summary, sep="\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
