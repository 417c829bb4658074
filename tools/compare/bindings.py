"""The three routes, and the commands a developer types for each of them.

These are the commands the comparison runs and times, and the commands the
report shows, so what is measured is what a reader would type.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

# Stands for the output folder in a command; shown as "dist" in the report,
# as in the README.
OUT = "{out}"


@dataclass(frozen=True)
class Command:
    """A command as typed in a shell, from ``cwd`` (relative to the repository root)."""

    words: tuple[str, ...]
    cwd: str = "."

    def shown(self) -> str:
        """The command as the README writes it."""
        text = " ".join("dist" if word == OUT else word for word in self.words)
        return text if self.cwd == "." else f"(cd {self.cwd} && {text})"

    def argv(self, python: Path, out: Path | None = None) -> list[str]:
        """The command to run: ``python`` and ``pip`` are those of ``python``'s
        environment; ``maturin`` is the one installed beside this interpreter."""
        first, *rest = self.words
        heads = {
            "python": [str(python)],
            "pip": [str(python), "-m", "pip"],
            "maturin": [maturin()],
        }
        if OUT in rest and out is None:
            raise ValueError(f"{self.shown()!r} needs an output folder")
        return heads[first] + [str(out) if word == OUT else word for word in rest]


@dataclass(frozen=True)
class Binding:
    """One route: its package (also its folder and module name) and its commands."""

    name: str
    route: str
    develop: Command
    wheel: Command
    sdist: Command


def maturin() -> str:
    """The maturin executable of the environment running this tool."""
    here = shutil.which("maturin", path=str(Path(sys.executable).parent))
    found = here or shutil.which("maturin")
    if found is None:
        raise RuntimeError("maturin is not installed (tox -e compare installs it)")
    return found


def _maturin_route(name: str, route: str) -> Binding:
    manifest = f"{name}/Cargo.toml"
    return Binding(
        name=name,
        route=route,
        develop=Command(("maturin", "develop", "--release"), cwd=name),
        wheel=Command(("maturin", "build", "--release", "-m", manifest, "-o", OUT)),
        sdist=Command(("maturin", "sdist", "-m", manifest, "-o", OUT)),
    )


BINDINGS: tuple[Binding, ...] = (
    _maturin_route("pyo3_binding", "PyO3, built by maturin"),
    _maturin_route("cffi_binding", "C ABI + cffi, built by maturin"),
    Binding(
        name="setuptools_rust_binding",
        route="PyO3, built by setuptools-rust",
        develop=Command(("pip", "install", "-e", "setuptools_rust_binding")),
        wheel=Command(("python", "-m", "build", "--wheel", "-o", OUT, "setuptools_rust_binding")),
        sdist=Command(("python", "-m", "build", "--sdist", "-o", OUT, "setuptools_rust_binding")),
    ),
)
