"""The Debian sid root: debootstrap once, its packages, and what it takes
from the host at every run."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from .config import CACHE, CHROOT, MIRROR, PACKAGES, SUITE, log
from .mounts import safe_rmtree
from .shell import host_env, in_root, mark, must, run, stage_done


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
