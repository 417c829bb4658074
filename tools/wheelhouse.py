"""The release files in dist/ that ``tox -e build`` made, for the proofs that test them.

``tox -e build`` builds each route's sdist, then its wheel from that sdist
alone (tools/build_dist.py): the files a maintainer uploads. The proofs that
test a release wheel rather than build their own (PyPy's envs, the
standalone-sdist check) take it from there, so each wheel is built once a
run. A file in dist/ older than any source it is built from is refused,
naming that source: a proof never tests a stale build in silence.

Usage: ``python tools/wheelhouse.py`` installs the wheels of the routes named
in ``HI_BINDINGS`` (comma-separated, as tox.ini sets it) into this
interpreter. Standard library only, for Python 3.9 and PyPy: no tomllib.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
# What every route's files are built from, beside its own folder: the core,
# the C ABI, the workspace and its lock, and the sdist step of the
# setuptools-rust routes. More than a route needs is safe: at worst a
# rebuild asked for in vain.
SHARED = ("shared_rust", "c_abi", "Cargo.toml", "Cargo.lock", "tools/standalone_sdist.py")
# What the builds write into the tree, which no release file is built from.
WRITTEN = {"target", "build", "__pycache__", ".mypy_cache", ".ruff_cache"}


class Stale(Exception):
    """dist/ lacks a route's file, or holds one older than its sources."""


def _sources(binding: str) -> list[Path]:
    found = []
    for top in (binding, *SHARED):
        path = ROOT / top
        if path.is_file():
            found.append(path)
            continue
        for folder, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if d not in WRITTEN and not d.endswith(".egg-info")]
            found += [Path(folder, f) for f in files if not f.endswith((".so", ".pyd", ".pyc"))]
    return found


def release_file(binding: str, suffix: str) -> Path:
    """``binding``'s one file in dist/ whose name ends in ``suffix``
    (``.whl``, ``.tar.gz``), if it is newer than every source it is built
    from; else Stale, saying what to run."""
    build = "run `python -m tox -e build` first"
    found = sorted(DIST.glob(f"{binding}-*{suffix}"))
    if len(found) != 1:
        raise Stale(f"dist/ holds {len(found)} {binding} *{suffix} files, not one: {build}")
    (made,) = found
    built_at = made.stat().st_mtime
    newer = [p for p in _sources(binding) if p.stat().st_mtime > built_at]
    if newer:
        shown = ", ".join(str(p.relative_to(ROOT)) for p in newer[:3])
        raise Stale(f"dist/{made.name} is older than {shown}: {build}")
    return made


def main() -> int:
    bindings = [b for b in os.environ.get("HI_BINDINGS", "").split(",") if b]
    if not bindings:
        print("HI_BINDINGS names no binding", file=sys.stderr)
        return 2
    try:
        wheels = [str(release_file(b, ".whl")) for b in bindings]
    except Stale as error:
        print(error, file=sys.stderr)
        return 1
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", "install"]
    # --force-reinstall: the version never changes, the code does.
    subprocess.run([*pip, "--force-reinstall", *wheels], check=True)
    print("installed from dist/:", ", ".join(Path(w).name for w in wheels))
    return 0


if __name__ == "__main__":
    sys.exit(main())
