"""Every interpreter the wheels claim, run here (``python -m tox -e interpreters``).

CPython 3.13, 3.14 and 3.15, PyPy 3.11 and a free-threaded CPython come from
a Debian sid root made with debootstrap in a cache outside the clone
(``$HI_INTERPRETERS_CACHE``, default ``${XDG_CACHE_HOME:-~/.cache}/hi-interpreters``),
made once and reused: only what is missing is made again. Then, for every
interpreter and every route, the route is installed from the wheel that
serves that interpreter and the contract suite runs on it, exactly as tox's
[testenv] runs it; or the refusal is recorded, with the command that failed
and its error line. On the free-threaded build it records whether the GIL
stayed off; on 3.14 and 3.15 whether each route works in a subinterpreter.
The summary goes to ``results/interpreters.json`` and a plain table.

Each interpreter is then one command on the host, ``$CACHE/bin/<name>``
(``python3.14``, ``pypy3.11``, ``python3.13t`` ...), that behaves as that
interpreter's ``python`` in a venv holding every route that passed.

Mounts: everything that runs in the root, the wrappers included, goes through
``$CACHE/bin/enter``, which first moves itself into a private mount namespace
of its own (``unshare --mount --propagation private``) and only then binds
/dev, /proc, /tmp, the repository, the caller's directory and (read-only)
~/.cargo and ~/.rustup into the root: those mounts exist only in that
namespace and vanish with its last process, however it ends (errors, Ctrl-C,
SIGKILL), and the host never sees them. debootstrap runs in such a namespace
too. Nothing under the cache is ever deleted while a mount is below it: see
``safe_rmtree``.

Where this cannot run (not Linux, not Debian, not root, no apt-get or
unshare), it prints one ``SKIPPED: ...`` line, writes a JSON that says
skipped, and exits 0. Usage: ``python tools/interpreters.py [--only NAME,...]``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from routes import ROOT as REPO
from routes import ROUTES, Route

MIRROR = "http://deb.debian.org/debian"
SUITE = "sid"
RESULTS = REPO / "results" / "interpreters.json"
HOME = Path.home()
# Which packages the root needs: the interpreters, what pip builds need
# (psutil compiles on the versions it has no wheel for), and the free-threaded
# build's own build dependencies.
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
# The free-threaded build: the newest of these whose Debian source downloads.
FREE_THREADED_CANDIDATES = ["3.15", "3.14", "3.13"]
# Where the Sources index's version of every candidate is gone from the
# archive (404), one older source package known to be there, checked against
# the SHA-256 its .dsc states. Tried only after the index's versions failed.
FALLBACK_SOURCES = {"3.13": "3.13.15-1"}
TEST_REQUIREMENTS = REPO / "tests" / "requirements.txt"
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
# The last summary that ran, kept with the interpreters (a fresh clone has no
# results/): the next run orders its suites by their times in it.
LAST = CACHE / "last-run.json"


@dataclass
class Interpreter:
    """One interpreter in the root."""

    name: str  # the wrapper's name: python3.14, pypy3.11, python3.13t
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


def log(*parts: object) -> None:
    print("[interpreters]", *parts, flush=True)


# --- mounts and deletion -------------------------------------------------


def mounts_below(path: Path) -> list[str]:
    """Mount points at or below ``path``: in this process's namespace, in any
    other process's namespace, and the roots of processes chrooted there."""
    target = str(path.resolve())
    found: list[str] = []

    def under(point: str) -> bool:
        return point == target or point.startswith(target + "/")

    def points(mountinfo: Path) -> list[str]:
        try:
            lines = mountinfo.read_text().splitlines()
        except OSError:
            return []
        # Field 5 is the mount point, with spaces etc. octal-escaped.
        return [
            re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), line.split()[4])
            for line in lines
            if len(line.split()) > 4
        ]

    found += [p for p in points(Path("/proc/self/mountinfo")) if under(p)]
    own_ns = os.readlink("/proc/self/ns/mnt")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            root = os.readlink(proc / "root")
            ns = os.readlink(proc / "ns" / "mnt")
        except OSError:
            continue
        if under(root):
            found.append(f"{root} (root of process {proc.name})")
        elif ns != own_ns:
            found += [
                f"{p} (namespace of process {proc.name})"
                for p in points(proc / "mountinfo")
                if under(p)
            ]
    return found


def safe_rmtree(path: Path) -> None:
    """Delete ``path`` (inside the cache or a temporary run folder), but refuse
    while anything is mounted below it or a process has its root there, and
    never cross into another file system on the way."""
    path = path.resolve()
    allowed = (CACHE, Path(tempfile.gettempdir()).resolve())
    if not any(path != base and path.is_relative_to(base) for base in allowed):
        raise RuntimeError(f"refusing to delete {path}: not inside {CACHE} or the temporary folder")
    if not path.exists():
        return
    busy = mounts_below(path)
    if busy:
        raise RuntimeError(f"refusing to delete {path}: mounted below it: {', '.join(busy)}")
    device = path.stat().st_dev
    for dirpath, dirnames, _ in os.walk(path):
        for name in dirnames:
            sub = Path(dirpath) / name
            if not sub.is_symlink() and sub.stat().st_dev != device:
                raise RuntimeError(f"refusing to delete {path}: {sub} is another file system")
    shutil.rmtree(path)


ENTER_SCRIPT = r"""#!/bin/sh
# Written by tools/interpreters.py. Runs COMMAND inside the Debian sid root
# {root}, from the caller's directory. It first moves into a private mount
# namespace of its own, so every mount below is made only there and vanishes
# with the last process in it, however that ends: the host never sees them.
# Visible inside at their own paths: /tmp, {repo}, the current directory;
# read-only: ~/.cargo and ~/.rustup (the host's Rust toolchain).
# Usage: enter COMMAND [ARGS...]
if [ "${{HI_ENTER_NS:-}}" != "$$" ]; then
    HI_ENTER_NS=$$ exec unshare --mount --propagation private -- "$0" "$@"
fi
unset HI_ENTER_NS
set -eu
ROOT={root_q}
bind() {{  # SRC DST [ro]: SRC at DST inside the root (this namespace only)
    [ -d "$1" ] || return 0
    mkdir -p "$2"
    mount --bind "$1" "$2"
    if [ "${{3:-}}" = ro ]; then mount -o remount,bind,ro "$2"; fi
}}
mount --rbind /dev "$ROOT/dev"
mount -t proc proc "$ROOT/proc"
mount --bind /tmp "$ROOT/tmp"
bind {repo_q} "$ROOT"{repo_q}
here=$(pwd -P)
case "$here" in
    "$ROOT") here=/ ;;
    "$ROOT"/*) here=${{here#"$ROOT"}} ;;
    /) ;;
    /tmp|/tmp/*|{repo_q}|{repo_q}/*) ;;
    *) bind "$here" "$ROOT$here" ;;
esac
bind {home_q}/.cargo "$ROOT"{home_q}/.cargo ro
bind {home_q}/.rustup "$ROOT"{home_q}/.rustup ro
exec chroot "$ROOT" /usr/bin/env -u VIRTUAL_ENV -u PYTHONHOME -C "$here" "$@"
"""


def write_enter() -> None:
    BIN.mkdir(parents=True, exist_ok=True)
    text = ENTER_SCRIPT.format(
        root=CHROOT,
        repo=REPO,
        root_q=shlex.quote(str(CHROOT)),
        repo_q=shlex.quote(str(REPO)),
        home_q=shlex.quote(str(HOME)),
    )
    write_if_changed(ENTER, text, 0o755)


def write_if_changed(path: Path, text: str, mode: int = 0o644) -> None:
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    path.chmod(mode)


# --- running things ------------------------------------------------------


@dataclass
class Ran:
    command: str
    returncode: int
    output: str
    seconds: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def error_line(self) -> str:
        return error_line(self.output)


def error_line(output: str) -> str:
    """The one line of ``output`` that says why it failed."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for pattern in (
        r"does not support|not a supported wheel|is not supported|refuses|unsupported",
        r"^(E   )?\w*(Error|Exception)\b.*:",
        r"^(ERROR|error)\b",
        r"^E: Failed to fetch .* 404",
        r"^FAILED ",
        r"^=+ .*(failed|error).* =+$",
    ):
        hits = [line for line in lines if re.search(pattern, line)]
        if hits:
            return hits[0][:500]
    return lines[-1][:500] if lines else "(no output)"


def host_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    env.update(extra)
    return env


def run(
    argv: list[str],
    *,
    shown: str | None = None,
    cwd: Path | str = "/",
    env: dict[str, str] | None = None,
    timeout: float | None = None,
    stream: bool = False,
) -> Ran:
    """Run ``argv`` on the host, capturing its output (and echoing it when
    ``stream``)."""
    start = time.monotonic()
    command = shown or shlex.join(argv)
    with subprocess.Popen(
        argv,
        cwd=cwd,
        env=env or host_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        errors="replace",
    ) as proc:
        assert proc.stdout is not None
        chunks = []
        try:
            if stream:
                for line in proc.stdout:
                    chunks.append(line)
                    sys.stdout.write("    " + line)
                proc.wait(timeout)
            else:
                out, _ = proc.communicate(timeout=timeout)
                chunks.append(out)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
            chunks.append(out + f"\nerror: timed out after {timeout} s\n")
    return Ran(command, proc.returncode, "".join(chunks), time.monotonic() - start)


def in_root(
    argv: list[str],
    *,
    path: str = IN_ROOT_PATH,
    cwd: Path | str = "/",
    env: dict[str, str] | None = None,
    timeout: float | None = None,
    stream: bool = False,
) -> Ran:
    """Run ``argv`` inside the root through ``enter`` (its own mount namespace).
    The command recorded is the one inside the root."""
    full = [str(ENTER), "/usr/bin/env", f"PATH={path}", *argv]
    return run(full, shown=shlex.join(argv), cwd=cwd, env=env, timeout=timeout, stream=stream)


def must(ran: Ran, what: str) -> Ran:
    if not ran.ok:
        sys.stdout.write(ran.output[-4000:])
        raise SystemExit(f"error: {what} failed ({ran.command}): {ran.error_line()}")
    return ran


def stage_done(name: str) -> str | None:
    marker = STATE / f"{name}.done"
    return marker.read_text() if marker.exists() else None


def mark(name: str, text: str) -> None:
    STATE.mkdir(parents=True, exist_ok=True)
    (STATE / f"{name}.done").write_text(text)


# --- the root ------------------------------------------------------------


def prerequisites() -> str | None:
    """Why this machine cannot make the root, or None."""
    if sys.platform != "linux":
        return f"needs Linux for debootstrap, chroot and mount namespaces (this is {sys.platform})"
    if not Path("/etc/debian_version").is_file():
        return "needs a Debian host for debootstrap and apt-get (no /etc/debian_version)"
    if os.geteuid() != 0:
        return "needs root for debootstrap, chroot and mounts (not running as root)"
    for program in ("apt-get", "unshare", "chroot", "mount"):
        if shutil.which(program) is None:
            return f"needs {program}, which is not on PATH"
    return None


def ensure_debootstrap() -> None:
    if shutil.which("debootstrap"):
        return
    log("installing debootstrap on the host (apt-get, bookworm's own package)")
    env = host_env(DEBIAN_FRONTEND="noninteractive")
    must(run(["apt-get", "update", "-qq"], env=env), "apt-get update")
    must(
        run(["apt-get", "install", "-y", "-qq", "debootstrap"], env=env),
        "apt-get install debootstrap",
    )


def ensure_root() -> None:
    if stage_done("root") and (CHROOT / "usr/bin/apt-get").exists():
        return
    ensure_debootstrap()
    partial = CACHE / "root.partial"
    safe_rmtree(partial)
    if CHROOT.exists():
        safe_rmtree(CHROOT)
    CACHE.mkdir(parents=True, exist_ok=True)
    log(f"debootstrap --variant=minbase {SUITE} into {partial} (in a mount namespace of its own)")
    # unshare: the /proc and /sys debootstrap mounts in the root vanish with it,
    # even when it fails half way.
    base = [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "--",
        "debootstrap",
        "--variant=minbase",
    ]
    ran = run([*base, SUITE, str(partial), MIRROR])
    if not ran.ok:
        log(
            f"debootstrap with the signature check failed ({ran.error_line()}); "
            "again with --no-check-gpg"
        )
        safe_rmtree(partial)
        must(run([*base, "--no-check-gpg", SUITE, str(partial), MIRROR]), "debootstrap")
    conf = partial / "etc/apt/apt.conf.d"
    # sid's Release here is older than its Valid-Until date.
    (conf / "99hi-no-check-valid-until").write_text('Acquire::Check-Valid-Until "false";\n')
    (conf / "99hi-no-recommends").write_text('APT::Install-Recommends "false";\n')
    (partial / "etc/apt/sources.list.d/hi-src.list").write_text(f"deb-src {MIRROR} {SUITE} main\n")
    partial.rename(CHROOT)
    mark("root", f"debootstrap --variant=minbase {SUITE} {MIRROR}\n")


def sync_host_files() -> None:
    """What the root takes from the host at every run: DNS and the extra CA
    certificates (pip needs them to reach PyPI here)."""
    shutil.copy2("/etc/resolv.conf", CHROOT / "etc/resolv.conf")
    src = Path("/usr/local/share/ca-certificates")
    dst = CHROOT / "usr/local/share/ca-certificates"
    dst.mkdir(parents=True, exist_ok=True)
    changed = False
    if src.is_dir():
        for cert in src.rglob("*.crt"):
            target = dst / cert.relative_to(src)
            if not target.exists() or target.read_bytes() != cert.read_bytes():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(cert, target)
                changed = True
    if changed and (CHROOT / "usr/sbin/update-ca-certificates").exists():
        must(in_root(["update-ca-certificates"]), "update-ca-certificates")


def ensure_packages() -> None:
    wanted = " ".join(PACKAGES) + "\n"
    if stage_done("packages") == wanted:
        return
    log("apt-get install in the root:", " ".join(PACKAGES))
    env = host_env(DEBIAN_FRONTEND="noninteractive")
    must(in_root(["apt-get", "update", "-qq"], env=env), "apt-get update in the root")
    must(
        in_root(["apt-get", "install", "-y", "-qq", *PACKAGES], env=env),
        "apt-get install in the root",
    )
    must(in_root(["update-ca-certificates"]), "update-ca-certificates")
    mark("packages", wanted)


# --- the free-threaded build --------------------------------------------


def fetch(url: str, dest: Path) -> None:
    with urllib.request.urlopen(url, timeout=120) as response, dest.open("wb") as out:
        shutil.copyfileobj(response, out)


def fetch_source() -> tuple[str, str, list[dict[str, str]]]:
    """The newest free-threaded candidate whose Debian source downloads:
    (minor version, source version, every attempt with its outcome)."""
    attempts: list[dict[str, str]] = []
    work = CHROOT / "hi/build"
    for minor in FREE_THREADED_CANDIDATES:
        folder = work / f"src-{minor}"
        safe_rmtree(folder)
        folder.mkdir(parents=True)
        ran = in_root(
            [
                "sh",
                "-c",
                f"cd /hi/build/src-{minor} && apt-get source --download-only python{minor}",
            ]
        )
        attempts.append(
            {
                "command": ran.command,
                "outcome": "ok" if ran.ok else "failed",
                "line": ran.error_line(),
            }
        )
        found = list(folder.glob("*.orig.tar.*"))
        if ran.ok and found:
            version = found[0].name.split("_")[1].rsplit(".orig", 1)[0]
            return minor, version, attempts
    for minor in FREE_THREADED_CANDIDATES:
        if minor not in FALLBACK_SOURCES:
            continue
        full = FALLBACK_SOURCES[minor]
        upstream = full.rsplit("-", 1)[0]
        pool = f"{MIRROR}/pool/main/p/python{minor}"
        folder = work / f"src-{minor}"
        dsc = folder / f"python{minor}_{full}.dsc"
        orig = folder / f"python{minor}_{upstream}.orig.tar.xz"
        command = f"fetch {pool}/{dsc.name} and {orig.name}, check its SHA-256 against the .dsc"
        try:
            fetch(f"{pool}/{dsc.name}", dsc)
            fetch(f"{pool}/{orig.name}", orig)
            wanted = re.search(
                rf"^ ([0-9a-f]{{64}}) \d+ {re.escape(orig.name)}$", dsc.read_text(), re.M
            )
            got = hashlib.sha256(orig.read_bytes()).hexdigest()
            if not wanted or wanted.group(1) != got:
                raise ValueError(f"SHA-256 {got} is not the .dsc's")
        except Exception as error:  # noqa: BLE001 - recorded, then the next one
            attempts.append(
                {
                    "command": command,
                    "outcome": "failed",
                    "line": f"{type(error).__name__}: {error}",
                }
            )
            continue
        attempts.append(
            {"command": command, "outcome": "ok", "line": f"{orig.name}: SHA-256 matches the .dsc"}
        )
        return minor, upstream, attempts
    raise SystemExit(
        "error: no free-threaded candidate's source downloads: " + json.dumps(attempts)
    )


def ensure_free_threaded() -> dict[str, Any]:
    done = stage_done("free-threaded")
    if done:
        info: dict[str, Any] = json.loads(done)
        if (CHROOT / info["exe"].lstrip("/")).exists():
            return info
    minor, version, attempts = fetch_source()
    log(f"building CPython {version} with --disable-gil in the root (python{minor} source)")
    prefix = f"/opt/python{minor}t"
    if (CHROOT / prefix.lstrip("/")).exists():
        safe_rmtree(CHROOT / prefix.lstrip("/"))
    script = (
        f"set -e; cd /hi/build/src-{minor}; rm -rf Python-{version}; "
        f"tar xf python{minor}_{version}.orig.tar.*; cd Python-{version}; "
        f"./configure -q --disable-gil --prefix={prefix} --with-ensurepip=install; "
        "make -s -j2 >/dev/null; make -s altinstall >/dev/null"
    )
    ran = must(in_root(["sh", "-c", script]), "the free-threaded build")
    info = {
        "source": f"python{minor} {version} (Debian source package)",
        "minor": minor,
        "attempts": attempts,
        "build_command": (
            f"./configure --disable-gil --prefix={prefix} && make -j2 && make altinstall"
        ),
        "build_seconds": round(ran.seconds, 1),
        "exe": f"{prefix}/bin/python{minor}t",
    }
    mark("free-threaded", json.dumps(info))
    return info


# --- interpreters, venvs, wheels ----------------------------------------

PROBE = r"""
import json, platform, sys, sysconfig
print(json.dumps({
    "version": platform.python_version(),
    "full_version": sys.version.replace("\n", " "),
    "implementation": platform.python_implementation(),
    "free_threaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
    "gil_enabled": sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else None,
}))
"""


def interpreters(ft: dict[str, Any]) -> list[Interpreter]:
    minor = ft["minor"]
    found = [
        Interpreter("python3.13", "/usr/bin/python3.13", "cpython", (3, 13)),
        Interpreter("python3.14", "/usr/bin/python3.14", "cpython", (3, 14)),
        Interpreter("python3.15", "/usr/bin/python3.15", "cpython", (3, 15)),
        Interpreter("pypy3.11", "/usr/bin/pypy3.11", "pypy", (3, 11)),
        Interpreter(f"python{minor}t", ft["exe"], "free_threaded", (3, int(minor.split(".")[1]))),
    ]
    for interp in found:
        interp.info = json.loads(
            must(in_root([interp.exe, "-c", PROBE]), f"{interp.name} -V").output.splitlines()[-1]
        )
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
    if words[0] == "maturin":
        words = [f"{bin_dir}/maturin", *words[1:], "-i", interp.exe]
    path = f"{bin_dir}:{IN_ROOT_PATH}"
    ran = in_root(words, path=path, cwd=CHROOT / src.lstrip("/") / route.wheel.cwd, env=env)
    wheels = list(host_out.glob("*.whl"))
    if ran.ok and len(wheels) == 1:
        return f"{out}/{wheels[0].name}", ran
    return None, ran


# --- the matrix ---------------------------------------------------------

GIL_PLUGIN = '''"""Written by tools/interpreters.py: is the GIL on after the suite?"""
import json
import os
import sys

_STATE = {}


def _gil():
    return sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else None


def pytest_configure(config):
    _STATE["at_start"] = _gil()


def pytest_sessionfinish(session, exitstatus):
    _STATE["after_suite"] = _gil()
    names = os.environ.get("HI_BINDINGS", "").split(",")
    modules = sorted(m for m in sys.modules if m.split(".")[0] in names)
    _STATE["binding_modules"] = modules
    path = os.environ.get("HI_GIL_REPORT")
    if path:
        with open(path, "w") as out:
            json.dump(_STATE, out)
    if os.environ.get("HI_GIL_MUST_STAY_OFF") == "1" and _STATE["after_suite"] is not False:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(
        f"hi_gil_check: sys._is_gil_enabled() at start {_STATE.get('at_start')}, "
        f"after the suite {_STATE.get('after_suite')}"
    )
'''

SUBINTERPRETER_PROBE = r"""
import json, sys
name, config = sys.argv[1], sys.argv[2]
code = (
    f"import {name} as m\n"
    "assert m.hi() == 'Hello from Rust!', m.hi()\n"
    "assert m.greet('x') == 'Hello, x!', m.greet('x')\n"
)
try:
    from concurrent import interpreters
    import _interpreters
except ImportError as error:
    print(json.dumps({"outcome": "unavailable", "detail": f"{type(error).__name__}: {error}"}))
    raise SystemExit(0)
if config == "isolated":
    interp = interpreters.create()
    try:
        interp.exec(code)
        result = {"outcome": "works", "detail": "hi() and greet('x') right"}
    except interpreters.ExecutionFailed as failed:
        info = failed.excinfo
        result = {"outcome": "refused", "detail": f"{info.type.__name__}: {info.msg}"}
    finally:
        interp.close()
else:
    iid = _interpreters.create(config)
    try:
        info = _interpreters.exec(iid, code)
    finally:
        _interpreters.destroy(iid)
    if info is None:
        result = {"outcome": "works", "detail": "hi() and greet('x') right"}
    else:
        result = {"outcome": "refused", "detail": f"{info.type.__name__}: {info.msg}"}
print(json.dumps(result))
"""


def claimed(route: Route, interp: Interpreter) -> bool:
    """Whether routes.toml (and the package's requires-python) says the route
    runs on ``interp``."""
    return interp.version >= route.oldest(interp.kind)


def pick_wheel(interp: Interpreter, route: Route) -> str:
    """ "host" (the one abi3 / py3-none wheel) or "root" (a version-specific
    wheel built there): abi3 serves neither PyPy nor a free-threaded build."""
    if "abi3" in route.wheel_tag and interp.kind != "cpython":
        return "root"
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


def run_suite(interp: Interpreter, route: Route, workdir: Path) -> dict[str, Any]:
    """The contract suite for ``route`` on ``interp``, as tox's [testenv] runs
    it (from a folder outside the source tree), plus the GIL check plugin."""
    here = workdir / f"{interp.name}-{route.name}"
    here.mkdir(parents=True)
    report = here / "gil.json"
    env = host_env(
        HI_BINDINGS=route.name,
        PYTHONPATH="/hi/plugins",
        HI_GIL_REPORT=str(report),
        HI_GIL_MUST_STAY_OFF="1" if interp.kind == "free_threaded" else "0",
        PIP_CACHE_DIR="/hi/pip-cache",
    )
    argv = [
        interp.python,
        "-m",
        "pytest",
        "-c",
        f"{REPO}/pyproject.toml",
        "--rootdir",
        str(REPO),
        "-p",
        "no:cacheprovider",
        "-p",
        "hi_gil_check",
        "-m",
        "not cross",
        f"{REPO}/tests",
    ]
    path = f"{interp.venv}/bin:{IN_ROOT_PATH}"
    ran = in_root(argv, path=path, cwd=here, env=env, timeout=1800)
    summary = [line for line in ran.output.splitlines() if re.match(r"^=+ .* in [\d.]+s", line)]
    result: dict[str, Any] = {
        "command": f"cd {here} && HI_BINDINGS={route.name} {ran.command}",
        "seconds": round(ran.seconds, 1),
        "summary": summary[-1].strip("= ") if summary else None,
    }
    if report.exists():
        result["gil"] = json.loads(report.read_text())
    if ran.ok:
        result["outcome"] = "passed"
    else:
        result["outcome"] = "failed"
        failed = [line for line in ran.output.splitlines() if line.startswith(("FAILED", "ERROR"))]
        result["error"] = failed[0][:500] if failed else ran.error_line()
        result["failures"] = [line[:300] for line in failed[:20]]
        if interp.kind == "free_threaded" and result.get("gil", {}).get("after_suite") is not False:
            result["error"] = (
                f"the GIL was on after the suite: {result.get('gil')}; " + result["error"]
            )
    logs = RESULTS.parent / "interpreters-logs"
    logs.mkdir(parents=True, exist_ok=True)
    (logs / f"{interp.name}-{route.name}.txt").write_text(f"$ {result['command']}\n{ran.output}")
    result["log"] = str((logs / f"{interp.name}-{route.name}.txt").relative_to(REPO))
    return result


def expected_seconds(interp: Interpreter, route: Route) -> float:
    """How long the suite took there last time (the cache keeps the last
    summary, ``LAST``), else a guess: PyPy's are the slow ones. Two run at a
    time, the longest first, so the last to finish is not a long one started
    late (the cold run of 2026-12-02: one route on PyPy took 338 s, the
    others 8 to 60 s, and it started twentieth of 22)."""
    try:
        last = json.loads(LAST.read_text())
        for entry in last.get("interpreters", []):
            if entry["name"] == interp.name:
                return float(entry["routes"][route.name]["seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return 100.0 if interp.kind == "pypy" else 10.0


def prepare(
    interp: Interpreter, host_wheels: dict[str, Path | Ran], src: str
) -> dict[str, dict[str, Any]]:
    """The interpreter's venv with the test requirements and every route that
    installs; the outcome so far of every route that did not."""
    log(f"{interp.name}: venv and test requirements")
    interp.info["test_requirements_fallback"] = ensure_venv(
        interp.venv, interp.exe, ["-r", str(TEST_REQUIREMENTS)]
    )
    outcomes: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        claim = claimed(route, interp)
        entry: dict[str, Any] = {"claimed": claim, "wheel_from": pick_wheel(interp, route)}
        outcomes[route.name] = entry
        bad = "failed" if claim else "unsupported"
        wheel: str | None
        if entry["wheel_from"] == "host":
            built = host_wheels[route.name]
            if isinstance(built, Ran):
                entry.update(outcome="failed", command=built.command, error=built.error_line())
                continue
            # The same file, as the root sees it.
            wheel = "/" + built.relative_to(CHROOT).as_posix()
        else:
            if not (CHROOT / interp.builder.lstrip("/")).exists() or not stage_done(
                f"builder-{interp.name}"
            ):
                ensure_venv(
                    str(Path(interp.builder).parent.parent),
                    interp.exe,
                    ["build>=1.2,<2", "maturin>=1.9.4,<2"],
                )
                mark(f"builder-{interp.name}", "build, maturin\n")
            log(f"{interp.name}: building {route.name} in the root")
            wheel, ran = build_in_root(interp, route, src)
            entry["build_command"] = ran.command
            entry["build_seconds"] = round(ran.seconds, 1)
            if wheel is None:
                uninstall(interp, route)
                entry.update(outcome=bad, command=ran.command, error=ran.error_line())
                log(f"  {bad}: {entry['error']}")
                continue
        entry["wheel"] = Path(wheel).name
        ran = install(interp, route, wheel)
        if not ran.ok:
            uninstall(interp, route)
            entry.update(outcome=bad, command=ran.command, error=ran.error_line())
            log(f"{interp.name}: {route.name} {bad}: {entry['error']}")
    return outcomes


IMPORT_PROBE = r"""
import importlib, json, sys
result = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
        result[name] = "imported"
    except Exception as error:
        result[name] = f"{type(error).__name__}: {error}"
from importlib.metadata import version
tools = {name: version(name) for name in ("pytest", "hypothesis", "psutil")}
gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else None
print(json.dumps({"imports": result, "test_tools": tools, "gil_enabled": gil}))
"""


def after_imports(interp: Interpreter, names: list[str]) -> dict[str, Any]:
    env = host_env()
    ran = in_root([interp.python, "-c", IMPORT_PROBE, *names], env=env)
    if not ran.ok:
        return {"error": ran.error_line(), "command": ran.command}
    data: dict[str, Any] = json.loads(ran.output.splitlines()[-1])
    data["command"] = ran.command
    return data


def subinterpreters(interp: Interpreter, names: list[str]) -> dict[str, Any]:
    if interp.kind != "cpython" or interp.version < (3, 14):
        return {"applicable": False, "why": "concurrent.interpreters is CPython 3.14+"}
    out: dict[str, Any] = {"applicable": True}
    for name in names:
        out[name] = {}
        for config in ("isolated", "legacy"):
            ran = in_root([interp.python, "-c", SUBINTERPRETER_PROBE, name, config])
            if ran.ok:
                out[name][config] = json.loads(ran.output.splitlines()[-1])
            else:
                what = (
                    f"signal {-ran.returncode}" if ran.returncode < 0 else f"exit {ran.returncode}"
                )
                out[name][config] = {"outcome": "crashed", "detail": f"{what}: {ran.error_line()}"}
    return out


def write_wrapper(interp: Interpreter) -> None:
    path = f"{interp.venv}/bin:{IN_ROOT_PATH}"
    text = (
        "#!/bin/sh\n"
        "# Written by tools/interpreters.py: "
        f"{interp.info['implementation']} {interp.info['version']}"
        f"{' (free-threaded)' if interp.info['free_threaded'] else ''} in the sid root {CHROOT},\n"
        f"# as the python of the venv {interp.venv}, which holds every route that passed here.\n"
        "# Arguments, stdin and the exit code pass through; /tmp, the repository and the\n"
        "# current directory are visible inside at the same paths (see ./enter).\n"
        f"exec {shlex.quote(str(ENTER))} /usr/bin/env PATH={shlex.quote(path)} "
        f"VIRTUAL_ENV={interp.venv} "
        f'{interp.python} "$@"\n'
    )
    write_if_changed(interp.wrapper, text, 0o755)


# --- the report ---------------------------------------------------------


def table(report: dict[str, Any]) -> str:
    names = [route.name for route in ROUTES]
    short = {name: name.removesuffix("_binding") for name in names}
    rows = [["interpreter", "version", *[short[n] for n in names], "GIL after imports"]]
    for interp in report["interpreters"]:
        cells = [interp["name"], f"{interp['implementation']} {interp['version']}"]
        for name in names:
            outcome = interp["routes"][name]
            cell = outcome["outcome"]
            if not outcome["claimed"]:
                cell += " (unclaimed)"
            cells.append(cell)
        cells.append(str(interp["gil_enabled_after_imports"]))
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    reasons = []
    for interp in report["interpreters"]:
        for name in names:
            outcome = interp["routes"][name]
            if outcome["outcome"] != "passed":
                reasons.append(
                    f"  {interp['name']} / {name}: {outcome['outcome']}: {outcome.get('error')}"
                )
                reasons.append(f"      command: {outcome.get('command')}")
    sub = []
    for interp in report["interpreters"]:
        info = interp["subinterpreters"]
        if not info.get("applicable"):
            continue
        for name in names:
            if name in info:
                parts = [
                    f"{config} {r['outcome']} ({r['detail']})" for config, r in info[name].items()
                ]
                sub.append(f"  {interp['name']} / {name}: " + "; ".join(parts))
    return "\n".join(
        [
            *lines,
            "",
            "not passed:",
            *(reasons or ["  none"]),
            "",
            "subinterpreters:",
            *(sub or ["  none"]),
        ]
    )


def source_commit() -> str | None:
    """The commit the routes were built from, marked when the tree had
    changes (the comparison's interpreters section shows it); None outside git."""
    head = run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    if head.returncode != 0:
        return None
    dirty = run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"])
    return head.output.strip() + (" with changes" if dirty.output.strip() else "")


def write_report(report: dict[str, Any]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    if report.get("status") == "ran":  # for the next run's order (expected_seconds)
        LAST.write_text(json.dumps(report, indent=2) + "\n")


def skip(reason: str) -> int:
    report = {"status": "skipped", "reason": reason, "cache": str(CACHE)}
    try:
        write_report(report)
        wrote = f"wrote {RESULTS.relative_to(REPO)}, status skipped"
    except OSError as error:  # a read-only checkout: the line below still says it
        wrote = f"could not write {RESULTS.relative_to(REPO)}: {error.strerror}"
    print(f"SKIPPED: interpreters matrix not run: {reason} ({wrote})")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only", help="comma-separated interpreter names (python3.14,pypy3.11,...)"
    )
    args = parser.parse_args(argv)
    reason = prerequisites()
    if reason:
        return skip(reason)
    for program in ("maturin", "git"):
        if shutil.which(program) is None:
            raise SystemExit(
                f"error: needs {program} on PATH "
                "(python -m tox -e interpreters installs maturin and build)"
            )
    if run([sys.executable, "-c", "import build"]).returncode != 0:
        raise SystemExit(
            f"error: {sys.executable} lacks the build package "
            "(python -m tox -e interpreters has it)"
        )
    started = time.time()
    log(f"cache: {CACHE}")
    CACHE.mkdir(parents=True, exist_ok=True)
    write_enter()
    ensure_root()
    sync_host_files()
    ensure_packages()
    ft = ensure_free_threaded()
    (CHROOT / "hi/plugins").mkdir(parents=True, exist_ok=True)
    write_if_changed(CHROOT / "hi/plugins/hi_gil_check.py", GIL_PLUGIN)
    found = interpreters(ft)
    if args.only:
        wanted = set(args.only.split(","))
        found = [interp for interp in found if interp.name in wanted]
    src = sync_source()
    host_wheels = build_host_wheels(CHROOT / "hi/wheels/host")
    workdir = Path(tempfile.mkdtemp(prefix="hi-interpreters-run-"))
    prepared: dict[str, dict[str, dict[str, Any]]] = {}
    for interp in found:
        prepared[interp.name] = prepare(interp, host_wheels, src)
    jobs = sorted(
        (
            (interp, route)
            for interp in found
            for route in ROUTES
            if "outcome" not in prepared[interp.name][route.name]
        ),
        key=lambda job: -expected_seconds(*job),
    )
    log(f"running the suite: {len(jobs)} runs, two at a time")
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            pool.submit(run_suite, interp, route, workdir): (interp, route)
            for interp, route in jobs
        }
        for future in concurrent.futures.as_completed(futures):
            interp, route = futures[future]
            result = future.result()
            prepared[interp.name][route.name].update(result)
            log(
                f"{interp.name} / {route.name}: {result['outcome']} "
                f"in {result['seconds']} s: {result['summary']}"
            )
    report: dict[str, Any] = {
        "status": "ran",
        "cache": str(CACHE),
        "root": f"debootstrap --variant=minbase {SUITE} ({MIRROR})",
        "free_threaded_build": ft,
        "host_wheels": {
            name: (
                w.name if isinstance(w, Path) else {"command": w.command, "error": w.error_line()}
            )
            for name, w in host_wheels.items()
        },
        "interpreters": [],
    }
    for interp in found:
        outcomes = prepared[interp.name]
        # Every route that installed, passed or not, in a subinterpreter; then
        # the venv keeps only the routes that passed.
        installed = [
            name for name, o in outcomes.items() if o["outcome"] == "passed" or "summary" in o
        ]
        sub = subinterpreters(interp, installed)
        for route in ROUTES:
            if outcomes[route.name]["outcome"] != "passed":
                uninstall(interp, route)
        passed = [name for name, o in outcomes.items() if o["outcome"] == "passed"]
        imports = after_imports(interp, passed)
        write_wrapper(interp)
        report["interpreters"].append(
            {
                "name": interp.name,
                "version": interp.info["version"],
                "full_version": interp.info["full_version"],
                "implementation": interp.info["implementation"],
                "free_threaded": interp.info["free_threaded"],
                "command": str(interp.wrapper),
                "installed": passed,
                "test_requirements_fallback": interp.info.get("test_requirements_fallback"),
                "gil_enabled_after_imports": imports.get("gil_enabled"),
                "imports": imports,
                "routes": outcomes,
                "subinterpreters": sub,
            }
        )
    report["seconds"] = round(time.time() - started, 1)
    report["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    report["commit"] = source_commit()
    write_report(report)
    safe_rmtree(workdir)
    leaked = list(mounts_below(CACHE))
    if leaked:
        print("error: mounts left below the cache:", leaked)
        return 1
    print()
    print(table(report))
    print()
    print(
        f"wrote {RESULTS.relative_to(REPO)} in {report['seconds']} s; "
        f"run one: {BIN}/python3.14 -c 'import pyo3_binding'"
    )
    wrong = disagreements(report)
    for line in wrong:
        print(f"error: {line}")
    return 1 if wrong else 0


def disagreements(report: dict[str, Any]) -> list[str]:
    """Where routes.toml's claims and these runs disagree: a claimed route
    that did not pass, an unclaimed one that passed (the claim is too
    modest: routes.toml must say it runs), or a free-threaded build whose
    GIL came back on once the routes that passed there were imported."""
    wrong = []
    for interp in report["interpreters"]:
        for name, outcome in interp["routes"].items():
            where = f"{name} on {interp['name']}"
            if outcome["claimed"] and outcome["outcome"] != "passed":
                wrong.append(f"{where}: routes.toml claims it, and it {outcome['outcome']}")
            if not outcome["claimed"] and outcome["outcome"] == "passed":
                wrong.append(f"{where}: passed, but routes.toml does not claim it")
        if interp["free_threaded"] and interp["gil_enabled_after_imports"] is not False:
            wrong.append(f"{interp['name']}: the GIL is on after importing {interp['installed']}")
    return wrong


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print("interrupted: every mount was in the children's own mount namespaces, gone with them")
        sys.exit(130)
