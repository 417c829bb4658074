"""Mounts: the root's private mount namespace (``enter``) and deletion that
refuses while anything is mounted below."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import tempfile
from pathlib import Path

from .config import BIN, CACHE, CHROOT, ENTER, HERE, HOME, REPO


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


def write_enter() -> None:
    """``$CACHE/bin/enter``: ``enter.sh`` beside this file, with the root's,
    the repository's and the home's paths filled in."""
    BIN.mkdir(parents=True, exist_ok=True)
    text = (
        (HERE / "enter.sh")
        .read_text()
        .format(
            root=CHROOT,
            repo=REPO,
            root_q=shlex.quote(str(CHROOT)),
            repo_q=shlex.quote(str(REPO)),
            home_q=shlex.quote(str(HOME)),
        )
    )
    write_if_changed(ENTER, text, 0o755)


def write_if_changed(path: Path, text: str, mode: int = 0o644) -> None:
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
    path.chmod(mode)
