"""Prove that every sdist stands alone, and that the wheel built from it works.

``tox -e build`` (tools/build_dist.py) builds each binding's sdist with its
own backend, then its wheel from that sdist alone: ``python -m build``
unpacks the sdist into an empty folder outside the repository and builds
it there, in a fresh isolated environment, so nothing from the repository's
source reaches the build, only what the sdist carries (crates come from
crates.io; the crates the repository's builds compiled are reused through
cargo's build dir, and each sdist's own crates, at a path of their own,
compile afresh from what it carries).

Here, for each binding: that wheel from dist/ (refused when older than its
sources, tools/wheelhouse.py) goes into a fresh venv in an empty folder
outside the repository, with the suite's requirements, and ``tests/`` runs on
it, from outside the repository. So the release files are built once a run
and tested as a user installs them.

Run through tox: ``tox -e sdist`` (all of them) or ``tox -e sdist -- cffi_binding``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

from routes import NAMES as BINDINGS
from wheelhouse import Stale, release_file

ROOT = Path(__file__).resolve().parent.parent
# Set by tox for the repository's own builds and envs; a user has none of them.
REPO_ONLY_VARIABLES = ("CARGO_TARGET_DIR", "PYO3_NO_PYTHON", "VIRTUAL_ENV")


def run(command: list[str | Path], cwd: Path, **extra_env: str) -> None:
    """Run a command outside the repository, in the environment a user has."""
    env = {key: value for key, value in os.environ.items() if key not in REPO_ONLY_VARIABLES}
    env.update(extra_env)
    print("$", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], cwd=cwd, env=env, check=True)


def check(binding: str, work: Path) -> str:
    """Install ``binding``'s wheel built from its sdist into a fresh venv; test it."""
    sdist, wheel = release_file(binding, ".tar.gz"), release_file(binding, ".whl")
    venv.create(work / "venv", with_pip=True)
    python = work / "venv" / ("Scripts" if os.name == "nt" else "bin") / "python"
    pip: list[str | Path] = [python, "-m", "pip", "--disable-pip-version-check"]
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
    for binding in bindings:
        start = time.perf_counter()
        # The system temporary folder, not .tox: outside the repository.
        with tempfile.TemporaryDirectory(prefix=f"sdist-{binding}-") as work:
            try:
                outcome = check(binding, Path(work))
            except (Stale, subprocess.CalledProcessError) as error:
                failed.append(binding)
                outcome = f"FAILED: {error}"
        summary.append(f"{binding:24} {outcome} ({time.perf_counter() - start:.0f} s)")
    print("", *summary, sep="\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
