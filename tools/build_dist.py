"""Build every binding's sdist and wheel into dist/, each with its own backend.

``python -m build`` runs each package's PEP 517 backend (maturin, or setuptools
with setuptools-rust): it writes the sdist, then builds the wheel from that
sdist, so every release wheel comes from a release sdist.

Linux wheels must carry a manylinux tag to be installable from PyPI. maturin
checks the library's glibc symbols and picks the tag itself when asked
(``--compatibility pypi``). setuptools-rust only knows ``linux_x86_64``, so
``auditwheel repair`` checks each such wheel and retags it (there is nothing to
graft: the library links to nothing beyond glibc). Either way the tag is the
widest one the library's glibc symbols allow, and the build machine's glibc
sets those; CI builds the release wheels in manylinux containers, whose old
glibc gives the widest tags.

Each wheel's library lands in a target directory of this run's own, outside
the repository, while the repository's target directory serves as cargo's
build dir (``build.build-dir``, the intermediate artifacts): the crates the
everyday envs compiled there are reused, under cargo's lock, and nothing
this build stages beside its library (maturin copies it into the target
dir) can meet another env's build of the same package. So the proofs that
build in the repository's target dir run beside this one.

Run through tox, which then audits the result: ``tox -e build``. The proofs
that test these files take them from dist/ (tools/wheelhouse.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from routes import ROUTES

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"


def run(*command: str | Path, **extra_env: str) -> None:
    """Run a command, echoed, and fail if it fails."""
    print("$", " ".join(str(part) for part in command), flush=True)
    env = {**os.environ, **extra_env}
    subprocess.run([str(part) for part in command], cwd=ROOT, env=env, check=True)


def build(binding: str, outdir: str | Path, target: str) -> None:
    """Build ``binding``'s sdist, then its wheel from that sdist, into ``outdir``."""
    # maturin reads extra options for its PEP 517 builds from this variable
    # (setuptools ignores it): a PyPI-compatible tag, or fail.
    pypi = "--compatibility pypi"
    run(
        sys.executable,
        "-m",
        "build",
        "-o",
        outdir,
        ROOT / binding,
        MATURIN_PEP517_ARGS=pypi,
        CARGO_TARGET_DIR=target,
        CARGO_BUILD_BUILD_DIR=str(ROOT / "target"),
    )


def main() -> int:
    DIST.mkdir(exist_ok=True)
    # Only this run's files: a stale wheel of an older version must not be
    # audited or uploaded with the new ones.
    for old in [*DIST.glob("*.whl"), *DIST.glob("*.tar.gz")]:
        old.unlink()

    with tempfile.TemporaryDirectory(prefix="dist-target-") as target:
        for route in ROUTES:
            binding = route.name
            # maturin tags manylinux wheels itself; setuptools-rust writes linux_*.
            if "maturin" not in route.backend and sys.platform == "linux":
                with tempfile.TemporaryDirectory() as raw:
                    build(binding, raw, target)
                    (sdist,) = Path(raw).glob("*.tar.gz")
                    (wheel,) = Path(raw).glob("*.whl")
                    shutil.move(sdist, DIST / sdist.name)
                    run("auditwheel", "repair", "--wheel-dir", DIST, wheel)
            else:
                build(binding, DIST, target)

    print("", *sorted(path.name for path in DIST.iterdir()), sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
