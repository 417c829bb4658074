"""Where everything lives, and what the root holds: the one place for paths
and pinned sources."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from routes import ROOT

REPO = ROOT
MIRROR = "http://deb.debian.org/debian"
SUITE = "sid"
RESULTS = REPO / "results" / "interpreters.json"
LOGS = REPO / "results" / "interpreters-logs"
HOME = Path.home()
HERE = Path(__file__).resolve().parent
# The probes run inside the root, where the repository is bound at its own
# path; the pytest plugin's folder goes on the suite's PYTHONPATH.
PROBES = HERE / "probes"
PLUGIN_DIR = HERE / "plugin"
# Which packages the root needs: the interpreters, what pip builds need
# (psutil compiles on the versions it has no wheel for), and the free-threaded
# builds' own build dependencies.
PACKAGES = [
    "ca-certificates",
    "python3.13",
    "python3.13-venv",
    "python3.13-dev",
    "python3.14",
    "python3.14-venv",
    "python3.14-dev",
    "python3.15",
    "python3.15-venv",
    "python3.15-dev",
    "pypy3",
    "pypy3-dev",
    "pypy3-venv",
    "gcc",
    "make",
    "pkg-config",
    "dpkg-dev",
    "xz-utils",
    "libssl-dev",
    "zlib1g-dev",
    "libffi-dev",
    "libbz2-dev",
    "liblzma-dev",
    "libsqlite3-dev",
    "libreadline-dev",
    "uuid-dev",
    "libexpat1-dev",
    "libgdbm-dev",
    "libzstd-dev",
]


@dataclass(frozen=True)
class Source:
    """One free-threaded build: a CPython upstream tarball in Debian's pool,
    pinned by version and SHA-256 (which its .dsc must state too)."""

    minor: str  # "3.14"
    debian: str  # the source package's version, "3.14.7-1"
    sha256: str

    @property
    def upstream(self) -> str:
        return self.debian.rsplit("-", 1)[0]

    @property
    def pool(self) -> str:
        return f"{MIRROR}/pool/main/p/python{self.minor}"

    @property
    def dsc(self) -> str:
        return f"python{self.minor}_{self.debian}.dsc"

    @property
    def orig(self) -> str:
        return f"python{self.minor}_{self.upstream}.orig.tar.xz"

    @property
    def name(self) -> str:
        return f"python{self.minor}t"


# The free-threaded builds. Debian ships no free-threaded binary, and the
# Sources index's newer versions of python3.14 and python3.15 are gone from
# the archive (404); these two tarballs are still in the pool, unlisted, so
# they may go too: then that build is skipped, saying why. 3.15 is its
# release candidate until the pool has a final source. (3.13t is no longer
# built: neither PyO3 0.30 nor cffi 2 supports it, and a third source build
# would not fit the cold run's time.)
FREE_THREADED = (
    Source("3.14", "3.14.7-1", "3b48dac8fb59f62eaa67ac83c1eb12bda1b7a08406dd286e252c11a66be27f81"),
    Source(
        "3.15", "3.15.0~rc1-1", "f84dad680ab2147417d2739355c2678f0f9acffe4ae8ef77895de1454b384b07"
    ),
)
TEST_REQUIREMENTS = REPO / "tests" / "requirements.txt"
# What builds a route's wheel in the root: maturin 1.14 is the first to
# build PyO3's abi3t (the pyo3 routes' pyproject.toml has the same floor).
BUILDER_REQUIREMENTS = ["build>=1.2,<2", "maturin>=1.14,<2"]
IN_ROOT_PATH = "/root/.cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# What the environment passed into the root drops: host paths that mean
# nothing there, and the GIL switch (the free-threaded run must show the GIL
# stays off by itself).
DROPPED_ENV = (
    "VIRTUAL_ENV",
    "PYTHONHOME",
    "PIP_FIND_LINKS",
    "PYTHON_GIL",
    "CARGO_TARGET_DIR",
    "PYO3_NO_PYTHON",
)


def cache_dir() -> Path:
    """``$HI_INTERPRETERS_CACHE``, else ``${XDG_CACHE_HOME:-~/.cache}/hi-interpreters``."""
    explicit = os.environ.get("HI_INTERPRETERS_CACHE")
    if explicit:
        return Path(explicit).resolve()
    base = os.environ.get("XDG_CACHE_HOME") or str(HOME / ".cache")
    return (Path(base) / "hi-interpreters").resolve()


CACHE = cache_dir()
CHROOT = CACHE / "root"
STATE = CACHE / "state"
BIN = CACHE / "bin"
ENTER = BIN / "enter"
# The pool's tarballs, kept outside the root: a new root need not fetch them.
SOURCES = CACHE / "sources"
# The last summary that ran, kept with the interpreters (a fresh clone has no
# results/): the next run orders its suites by their times in it.
LAST = CACHE / "last-run.json"


STARTED = time.monotonic()


def log(*parts: object) -> None:
    """A progress line, with the seconds since the run started."""
    print(f"[interpreters {time.monotonic() - STARTED:.0f} s]", *parts, flush=True)
