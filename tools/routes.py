"""The routes from Python to Rust, as listed in ``routes.toml``: the one list.

Everything that names a binding reads it from here: the test suite (through
``tests/conftest.py``; pytest puts ``tools/`` on the path), the tools beside
this file, the comparison report, and CI (``python tools/routes.py envs 3.12``
prints the tox envs that test every route on CPython 3.12).
"""

from __future__ import annotations

import json
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.9 and 3.10 (and PyPy 3.9): the same parser, from PyPI
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "routes.toml"


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file, parsed."""
    return tomllib.loads(path.read_text(encoding="utf-8"))


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


# The functions whose limits routes.toml states ([route.limits]): `add` and
# `most_common` are WordCounter's methods.
FUNCTIONS = ("greet", "split", "checksum", "add", "most_common")
# What a route may raise past a limit: CPython's errors for a size it cannot take.
REFUSALS = ("OverflowError", "MemoryError")


@dataclass(frozen=True)
class Limit:
    """The largest input one function takes in a route ([route.limits]).

    ``word_bytes`` and ``words`` bound the result (bytes of UTF-8 in one word,
    words in it); None: nothing narrower than Python's own sizes. Past a
    bound the function raises ``past``. ``by``: the type that carries it.
    """

    by: str
    word_bytes: int | None = None
    words: int | None = None
    past: str | None = None

    def __post_init__(self) -> None:
        bounded = self.word_bytes is not None or self.words is not None
        if bounded != (self.past is not None) or (bounded and self.past not in REFUSALS):
            raise ValueError(
                f"a limit needs `past` (one of {REFUSALS}) exactly when it has a bound"
            )

    @property
    def bounded(self) -> bool:
        """Whether the route refuses some input Python can hold."""
        return self.past is not None


@dataclass(frozen=True)
class Route:
    """One route: a binding package and what it takes."""

    name: str
    env: str
    glue: str
    backend: str
    wheel_tag: str
    c_abi: bool
    runs_on: dict[str, dict[str, str]]
    develop: Command
    wheel: Command
    sdist: Command
    limits: dict[str, Limit]

    @property
    def oldest_python(self) -> tuple[int, int]:
        """The oldest CPython the package supports: its ``requires-python``
        (``>=3.X``), read from its own pyproject.toml, the one place it is set."""
        project = read_toml(ROOT / self.name / "pyproject.toml")
        spec: str = project["project"]["requires-python"]
        if not spec.startswith(">=3."):
            raise ValueError(f"{self.name}: requires-python {spec!r} is not '>=3.X'")
        return (3, int(spec[len(">=3.") :]))

    def oldest(self, interpreter: str) -> tuple[int, int]:
        """The oldest version of ``interpreter`` ("cpython", "free_threaded" or
        "pypy") the route runs on."""
        if interpreter == "cpython":
            return self.oldest_python
        if "no" in self.runs_on[interpreter]:
            return NEVER
        return _version(self.runs_on[interpreter]["oldest"])

    def known_leak(self, interpreter: str, version: str) -> str | None:
        """The leak measured for this route on ``interpreter`` ("pypy", ...)
        at ``version`` (``sys.implementation.version``, as text), not in the
        project's code, or None. ``leaks_on`` names the versions it was
        measured on (prefixes: "7.3"); others are held to no leak."""
        claim = self.runs_on.get(interpreter, {})
        measured_on = claim.get("leaks_on", ())
        if "leaks" not in claim or not any(version.startswith(f"{on}.") for on in measured_on):
            return None
        return str(claim["leaks"])

    def tox_env(self, python: str) -> str | None:
        """The tox env that tests this route on ``python`` ("3.12", "3.14t" or
        "pypy3.11", as actions/setup-python names them), or None where the
        route does not run there."""
        if python.startswith("pypy"):
            interpreter, prefix, version = "pypy", "pypy", python[len("pypy") :]
        elif python.endswith("t"):
            interpreter, prefix, version = "free_threaded", "py", python
        else:
            interpreter, prefix, version = "cpython", "py", python
        major, minor = _version(version.rstrip("t"))
        if (major, minor) < self.oldest(interpreter):
            return None
        return f"{prefix}{major}{minor}{'t' if python.endswith('t') else ''}-{self.env}"


# The "oldest version" of an interpreter a route does not run on.
NEVER = (99, 0)


def _version(text: str) -> tuple[int, int]:
    """ "3.11" -> (3, 11)."""
    major, minor = text.split(".")
    return (int(major), int(minor))


def load(path: Path = FILE) -> tuple[Route, ...]:
    """Every route in ``path``, in its order."""
    data = read_toml(path)
    routes = []
    for entry in data["route"]:
        commands = entry.pop("commands")
        limits = {function: Limit(**limit) for function, limit in entry.pop("limits").items()}
        if tuple(limits) != FUNCTIONS:
            raise ValueError(f"{path}: {entry['name']}'s limits must list {FUNCTIONS} in order")
        for interpreter, claim in entry["runs_on"].items():
            # A string would match nothing in known_leak, and the leak tests
            # would then fail where the leak is known, or pass unexplained.
            if "leaks" in claim and not isinstance(claim.get("leaks_on"), list):
                raise ValueError(f"{path}: {entry['name']}'s {interpreter} leaks_on must be a list")
        routes.append(
            Route(
                **entry,
                develop=Command(**commands["develop"]),
                wheel=Command(**commands["wheel"]),
                sdist=Command(**commands["sdist"]),
                limits=limits,
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
    """``names``: one package name a line; ``envs PYTHON``: the tox envs that
    test every route that runs on PYTHON, comma-separated; ``by-backend``: the
    packages by backend family, as JSON (CI uses the last two)."""
    if argv == ["names"]:
        print(*NAMES, sep="\n")
        return 0
    if argv == ["by-backend"]:
        # For CI's release-wheel jobs: maturin builds some, setuptools others.
        maturin = [r.name for r in ROUTES if "maturin" in r.backend]
        print(json.dumps({"maturin": maturin, "setuptools": sorted(set(NAMES) - set(maturin))}))
        return 0
    if len(argv) == 2 and argv[0] == "envs":
        envs = [env for env in (route.tox_env(argv[1]) for route in ROUTES) if env]
        print(",".join(envs))
        return 0 if envs else 1
    print("usage: python tools/routes.py names | envs PYTHON | by-backend", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
