"""Running commands: each one's output goes to its own log file, and is timed."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Set by tox or a shell for this tool's own process; the commands it runs
# must not inherit them (each build gets its own target dir, for example).
_NOT_INHERITED = (
    "PYTHONPATH",
    "CARGO_TARGET_DIR",
    "PIP_CONSTRAINT",
    "PIP_REQUIRE_VIRTUALENV",
)


class CommandFailed(RuntimeError):
    """A command that had to succeed did not; the message ends with its log."""


@dataclass(frozen=True)
class Outcome:
    """How a command ended, how long it took, and where its output is."""

    returncode: int
    seconds: float
    log: Path

    def output(self) -> str:
        """Everything the command printed (stdout and stderr, interleaved)."""
        return self.log.read_text(encoding="utf-8", errors="replace")


def environment(**extra: str) -> dict[str, str]:
    """This process's environment, less what commands must not inherit, plus
    ``extra``. glibc's malloc tunables never pass: what is measured runs with
    the allocator a user gets, unless ``extra`` sets them on purpose."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in _NOT_INHERITED and not k.startswith(("MALLOC_", "GLIBC_TUNABLES"))
    }
    env.update(extra)
    return env


# Lines that start like errors but only say that some other step failed.
_WRAPPERS = re.compile(
    r"error: (subprocess-exited-with-error|metadata-generation-failed)"
    r"|ERROR: (Failed|Could not build)"
    r"|Error running maturin"
)
_ERROR = re.compile(r"(error\b|\w+Error\b|ERROR\b|💥)")


def error_line(output: str) -> str:
    """The most telling line of a failed command's output: the first error
    that cargo, maturin or Python printed (not pip's wrappers), else the
    last line. uv says why on a line of its own after its error, which wins."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    causes = [line for line in lines if line.startswith("cause: ")]
    if causes:
        return causes[0][len("cause: ") :]
    errors = [line for line in lines if _ERROR.match(line)]
    specific = [line for line in errors if not _WRAPPERS.match(line)]
    if specific or errors:
        return (specific or errors)[0]
    return lines[-1] if lines else "(no output)"


class Shell:
    """Runs commands, with each command's output in a numbered log file."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self._count = 0
        self._numbering = threading.Lock()  # the checks run two series at once

    def run(
        self,
        argv: Sequence[str],
        *,
        cwd: Path,
        label: str,
        env: Mapping[str, str] | None = None,
        check: bool = True,
    ) -> Outcome:
        """Run ``argv`` in ``cwd``; its wall time covers the process alone."""
        with self._numbering:
            self._count += 1
            number = self._count
        slug = re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-")
        log = self.log_dir / f"{number:03d}-{slug}.log"
        with log.open("w", encoding="utf-8") as stream:
            stream.write(f"$ {shlex.join(argv)}\n# in {cwd}\n")
            stream.flush()
            start = time.perf_counter()
            proc = subprocess.run(
                list(argv),
                cwd=cwd,
                env=dict(env) if env is not None else environment(),
                stdin=subprocess.DEVNULL,
                stdout=stream,
                stderr=subprocess.STDOUT,
                check=False,
            )
            seconds = time.perf_counter() - start
        outcome = Outcome(proc.returncode, seconds, log)
        if check and proc.returncode != 0:
            tail = "\n".join(outcome.output().splitlines()[-25:])
            raise CommandFailed(f"{label} failed (exit {proc.returncode}); end of {log}:\n{tail}")
        return outcome


def venv_python(venv: Path) -> Path:
    """The interpreter of the venv at ``venv``."""
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


def make_venv(shell: Shell, path: Path) -> Path:
    """Create a fresh virtual environment at ``path`` as a developer does,
    with pip in it; return its interpreter."""
    shell.run(
        [sys.executable, "-m", "venv", str(path)],
        cwd=path.parent,
        label=f"venv {path.name}",
    )
    return venv_python(path)


# uv (tools/requirements-compare.txt) makes the venvs that only hold what is
# measured: uv makes one with every wheel several times faster than venv and
# pip. Installing a wheel is unpacking it, whichever tool does it.
UV = (sys.executable, "-m", "uv")


def uv_venv(shell: Shell, path: Path, python: str, check: bool = True) -> Outcome:
    """A fresh venv at ``path`` for the interpreter ``python``, made by uv
    (no pip in it)."""
    return shell.run(
        [*UV, "venv", "--quiet", "--python", python, str(path)],
        cwd=path.parent,
        label=f"venv {path.name}",
        check=check,
    )


def uv_install(
    shell: Shell, python: Path, install: Sequence[str], label: str, check: bool = True
) -> Outcome:
    """``uv pip install *install`` into the venv of ``python``."""
    return shell.run(
        [*UV, "pip", "install", "--quiet", "--python", str(python), *install],
        cwd=python.parent,
        label=label,
        check=check,
    )
