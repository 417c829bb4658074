"""The routes the comparison builds and measures: ``routes.toml``, read by
``tools/routes.py``, is the one list. Nothing in this package names a route,
except the step tables of ``steps.py``, which must follow each route's glue.

The commands run are the commands a developer types (``routes.toml``), so what
is measured is what a reader would type.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from routes import ROUTES, Command, Route

__all__ = ["ROUTES", "Command", "Route", "argv", "colors", "maturin"]

# The word that stands for the output folder after "-o" in routes.toml.
OUT_FLAG = "-o"
# The pure-Python baseline's name among the measured targets.
PYTHON = "python"


def maturin() -> str:
    """The maturin executable of the environment running this tool."""
    here = shutil.which("maturin", path=str(Path(sys.executable).parent))
    found = here or shutil.which("maturin")
    if found is None:
        raise RuntimeError("maturin is not installed (tox -e compare installs it)")
    return found


def argv(command: Command, python: Path, out: Path | None = None) -> list[str]:
    """``command`` as a process to run: ``python`` and ``pip`` are those of
    ``python``'s environment, ``maturin`` the one beside this interpreter, and
    the folder after ``-o`` is ``out``."""
    first, *rest = command.words
    heads = {"python": [str(python)], "pip": [str(python), "-m", "pip"], "maturin": [maturin()]}
    if first not in heads:
        raise ValueError(f"{command.run!r}: the comparison runs python, pip or maturin commands")
    words = list(rest)
    if OUT_FLAG in words:
        if out is None:
            raise ValueError(f"{command.run!r} needs an output folder")
        words[words.index(OUT_FLAG) + 1] = str(out)
    return heads[first] + words


def colors() -> dict[str, str]:
    """One color per target in every chart: the baseline black, each route a
    matplotlib cycle color from its place in routes.toml (so a route keeps its
    color when others are left out)."""
    return {PYTHON: "black", **{r.name: f"C{i}" for i, r in enumerate(ROUTES)}}


def describe(route: Route) -> str:
    """The route in one phrase: its glue and its build backend."""
    return f"{route.glue}; built by {route.backend}"
