"""The routes from Python to Rust, as listed in ``routes.toml``: the one list.

Everything that names a binding reads it from here: the test suite (through
``tests/conftest.py``; pytest puts ``tools/`` on the path), the tools beside
this file, the comparison report and the CI matrix
(``python tools/routes.py matrix``).
"""

from __future__ import annotations

import json
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.9 and 3.10 (and PyPy 3.9): the same parser, from PyPI
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "routes.toml"


@dataclass(frozen=True)
class Command:
    """A command as a developer types it, from ``cwd`` (relative to the root)."""

    run: str
    cwd: str = "."

    @property
    def words(self) -> list[str]:
        """The command split as a POSIX shell would."""
        return shlex.split(self.run)

    def shown(self) -> str:
        """The command as the docs write it."""
        return self.run if self.cwd == "." else f"(cd {self.cwd} && {self.run})"


@dataclass(frozen=True)
class Route:
    """One route: a binding package and what it takes."""

    name: str
    env: str
    glue: str
    backend: str
    wheel_tag: str
    c_abi: bool
    runs_on: dict[str, str]
    develop: Command
    wheel: Command
    sdist: Command

    def supports(self, interpreter: str) -> bool:
        """Whether the route runs on ``interpreter`` (a key of ``runs_on``)."""
        return self.runs_on[interpreter].startswith("yes")


def load(path: Path = FILE) -> tuple[Route, ...]:
    """Every route in ``path``, in its order."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    routes = []
    for entry in data["route"]:
        commands = entry.pop("commands")
        routes.append(
            Route(
                **entry,
                develop=Command(**commands["develop"]),
                wheel=Command(**commands["wheel"]),
                sdist=Command(**commands["sdist"]),
            )
        )
    names = [route.name for route in routes]
    if len(set(names)) != len(names) or len({r.env for r in routes}) != len(routes):
        raise ValueError(f"{path}: every route needs its own name and env")
    return tuple(routes)


ROUTES = load()
NAMES = tuple(route.name for route in ROUTES)
BY_NAME = {route.name: route for route in ROUTES}


def main(argv: list[str]) -> int:
    """``names``: one name a line; ``matrix``: the CI matrix as JSON."""
    if argv == ["names"]:
        print(*NAMES, sep="\n")
        return 0
    if argv == ["matrix"]:
        print(json.dumps({r.env: {k: r.supports(k) for k in r.runs_on} for r in ROUTES}))
        return 0
    print("usage: python tools/routes.py names|matrix", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
