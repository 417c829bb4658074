"""The free-threaded CPython builds: each one's upstream tarball from
Debian's pool, checked against its pin and its .dsc, then ``./configure
--disable-gil``, ``make`` and ``make altinstall`` inside the root, once."""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import re
import shutil
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from .config import CHROOT, FREE_THREADED, SOURCES, Source, log
from .mounts import safe_rmtree
from .shell import in_root, mark, must, stage_done


class Missing(Exception):
    """A pinned source that cannot be had: the build is skipped, saying why."""


def fetch(url: str, dest: Path) -> None:
    part = dest.with_name(dest.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=120) as response, part.open("wb") as out:
            shutil.copyfileobj(response, out)
    except urllib.error.HTTPError as error:
        part.unlink(missing_ok=True)
        raise Missing(f"{url}: HTTP {error.code} {error.reason}") from error
    except (urllib.error.URLError, OSError) as error:
        part.unlink(missing_ok=True)
        raise Missing(f"{url}: {error}") from error
    part.rename(dest)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_source(source: Source) -> Path:
    """The tarball in the cache (fetched once), its SHA-256 the pinned one and
    the one its .dsc states; else Missing, with why."""
    folder = SOURCES / source.name
    folder.mkdir(parents=True, exist_ok=True)
    dsc, orig = folder / source.dsc, folder / source.orig
    if not dsc.exists():
        fetch(f"{source.pool}/{source.dsc}", dsc)
    stated = re.search(
        rf"^ ([0-9a-f]{{64}}) \d+ {re.escape(source.orig)}$", dsc.read_text(), re.MULTILINE
    )
    if not stated or stated.group(1) != source.sha256:
        raise Missing(
            f"{source.dsc} states SHA-256 {stated.group(1) if stated else 'none'} "
            f"for {source.orig}, not the pinned {source.sha256}"
        )
    if not orig.exists() or sha256(orig) != source.sha256:
        fetch(f"{source.pool}/{source.orig}", orig)
    got = sha256(orig)
    if got != source.sha256:
        orig.unlink()
        raise Missing(f"{source.orig} has SHA-256 {got}, not the pinned one its .dsc states")
    return orig


def build(source: Source) -> dict[str, Any]:
    """The build's facts (``exe`` inside the root, its version...), or
    ``{"skipped": why}`` when its source cannot be had. A failed build ends
    the run: that is a fault to see, not a skip."""
    done = stage_done(f"free-threaded-{source.minor}")
    if done:
        info: dict[str, Any] = json.loads(done)
        if (CHROOT / info["exe"].lstrip("/")).exists():
            return info
    command = (
        f"fetch {source.pool}/{source.orig}, check its SHA-256 against the pin and {source.dsc}"
    )
    try:
        orig = fetch_source(source)
    except Missing as missing:
        return {"skipped": str(missing), "command": command}
    log(f"building CPython {source.upstream} with --disable-gil in the root ({source.orig})")
    prefix = f"/opt/{source.name}"
    work = f"/hi/build/{source.name}"
    for folder in (prefix, work):
        safe_rmtree(CHROOT / folder.lstrip("/"))
    (CHROOT / work.lstrip("/")).mkdir(parents=True)
    shutil.copy2(orig, CHROOT / work.lstrip("/") / orig.name)
    # No test modules (Lib/test is most of what altinstall compiles) and no
    # pip in the prefix: every venv gets its own from ensurepip's wheel.
    configure = (
        f"./configure -q --disable-gil --prefix={prefix} --without-ensurepip --disable-test-modules"
    )
    script = (
        f"set -e; cd {work}; tar xf {orig.name}; cd Python-*/; {configure}; "
        "make -s -j2 >/dev/null; make -s altinstall >/dev/null"
    )
    ran = must(in_root(["sh", "-c", script]), f"the {source.name} build")
    info = {
        "name": source.name,
        "source": f"{source.pool}/{source.orig} (SHA-256 {source.sha256}, as {source.dsc} states)",
        "minor": source.minor,
        "upstream": source.upstream,
        "build_command": f"{configure} && make -j2 && make altinstall",
        "build_seconds": round(ran.seconds, 1),
        "exe": f"{prefix}/bin/python{source.minor}t",
    }
    safe_rmtree(CHROOT / work.lstrip("/"))
    mark(f"free-threaded-{source.minor}", json.dumps(info))
    return info


def ensure_free_threaded() -> list[dict[str, Any]]:
    """Every free-threaded build, the two at once (each configure runs on one
    core while the other's make has both)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(FREE_THREADED)) as pool:
        built = list(pool.map(build, FREE_THREADED))
    for source, info in zip(FREE_THREADED, built):
        info.setdefault("name", source.name)
        if "skipped" in info:
            log(f"SKIPPED: {source.name}: {info['skipped']}")
    return built
