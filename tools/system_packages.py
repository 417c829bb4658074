"""Make sure the system programs the proofs need are installed.

The proofs run the C ABI under valgrind (``memcheck``) and the test suite on
PyPy (``pypy3-*``); psutil, which the tests use, compiles against PyPy's
headers. None of these comes from PyPI. On Debian, as root (CI, a fresh
container), this installs what is missing with apt-get; anywhere else it says
what to install and fails, because a proof that cannot run proves nothing.

``tox -m proofs`` runs it first (the ``system-packages`` env).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

# Debian package -> how to tell it is installed.
NEEDED: dict[str, Callable[[], bool]] = {
    "valgrind": lambda: shutil.which("valgrind") is not None,
    "pypy3": lambda: shutil.which("pypy3") is not None,
    "pypy3-dev": lambda: any(Path("/usr/include").glob("pypy3*/Python.h")),
}


def main() -> int:
    missing = [package for package, found in NEEDED.items() if not found()]
    if not missing:
        print("installed:", ", ".join(NEEDED))
        return 0
    debian = Path("/etc/debian_version").is_file() and shutil.which("apt-get")
    if not (debian and hasattr(os, "geteuid") and os.geteuid() == 0):
        print(
            f"the proofs need {', '.join(missing)}, which are missing; install them "
            "with your system's package manager (Debian: apt-get install "
            f"{' '.join(missing)})",
            file=sys.stderr,
        )
        return 1
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)
    still = [package for package, found in NEEDED.items() if not found()]
    print("installed with apt-get:", ", ".join(missing))
    return 1 if still else 0


if __name__ == "__main__":
    sys.exit(main())
