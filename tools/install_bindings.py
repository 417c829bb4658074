"""Build and install every route's package from source, into this environment.

The tox envs that need all bindings side by side (cross, thorough, fuzz,
panic, demo) call this. Each package is built by its own PEP 517
backend, as a user's ``pip install ./<package>`` would, but without build
isolation: the build requirements (read from each package's own
``[build-system] requires``, the one place they are written) are installed
once into this environment instead of into a fresh temporary one per package
and per run, which cost seconds a package. cargo still rebuilds whatever
changed, in the shared target directory, so nothing stale is installed.

Usage: ``python tools/install_bindings.py`` (every route in routes.toml).
"""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version

from routes import ROOT, ROUTES, read_toml


def build_requirements() -> list[str]:
    """Every route's build requirements, as its pyproject.toml states them."""
    requirements: list[str] = []
    for route in ROUTES:
        requirements += read_toml(ROOT / route.name / "pyproject.toml")["build-system"]["requires"]
    return sorted(set(requirements))


def missing(requirements: list[str]) -> list[str]:
    """The requirements this environment does not meet yet: after an env's
    first run, none, and pip's own, slower check is skipped."""
    try:
        from packaging.requirements import Requirement
    except ImportError:  # no packaging here (pytest brings it): let pip decide
        return requirements
    unmet = []
    for text in requirements:
        requirement = Requirement(text)
        if requirement.marker and not requirement.marker.evaluate():
            continue
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            unmet.append(text)
            continue
        if not requirement.specifier.contains(installed, prereleases=True):
            unmet.append(text)
    return unmet


def pip(*args: str) -> None:
    """Run this interpreter's pip, quietly, and fail if it fails."""
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args]
    subprocess.run(command, check=True)


def main() -> int:
    if unmet := missing(build_requirements()):
        pip("install", *unmet)
    folders = [str(ROOT / route.name) for route in ROUTES]
    # --force-reinstall: the version never changes, the code does.
    pip("install", "--no-build-isolation", "--no-deps", "--force-reinstall", *folders)
    print("installed from source:", ", ".join(route.name for route in ROUTES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
