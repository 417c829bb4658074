"""Running things: on the host, or inside the root through ``enter``; and
the stages already done, kept in the cache."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .config import DROPPED_ENV, ENTER, IN_ROOT_PATH, STATE


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
