"""Build and install every route's package from source, into this environment.

The tox envs that need all bindings side by side (cross, types, thorough,
fuzz, panic, demo) call this. Each package is built by its own PEP 517
backend, as a user's ``pip install ./<package>`` would, but without build
isolation: the build requirements (read from each package's own
``[build-system] requires``, the one place they are written) are installed
once into this environment instead of into a fresh temporary one per package
and per run, which cost about 4 s a package. cargo still rebuilds whatever
changed, in the shared target directory, so nothing stale is installed.

setuptools builds here out of the package folders, in this environment's own
folder (``DIST_EXTRA_CONFIG``): by default it writes ``build/`` and
``*.egg-info`` into the package folder, so two envs that install the bindings
at once (``tox p``) would write the same files.

Usage: ``python tools/install_bindings.py`` (every route in routes.toml).
"""

from __future__ import annotations

import os
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
    first run, none, and pip's own check (about 0.7 s) is skipped."""
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


def setuptools_out_of_tree() -> dict[str, str]:
    """The environment for pip, with setuptools' build folders in this env.

    ``DIST_EXTRA_CONFIG`` names one more distutils config file, read after the
    package's own: there ``build_base`` (the build folder) and ``egg_base``
    (where egg-info goes) are this env's. A config the user set is kept.
    """
    env = dict(os.environ)
    if "DIST_EXTRA_CONFIG" in env:
        return env
    base = os.path.join(sys.prefix, "setuptools-build")
    os.makedirs(os.path.join(base, "egg-info"), exist_ok=True)
    config = os.path.join(base, "setup.cfg")
    with open(config, "w", encoding="utf-8") as file:
        file.write(f"[build]\nbuild_base = {os.path.join(base, 'build')}\n")
        file.write(f"[egg_info]\negg_base = {os.path.join(base, 'egg-info')}\n")
    env["DIST_EXTRA_CONFIG"] = config
    return env


def pip(*args: str, env: dict[str, str] | None = None) -> None:
    """Run this interpreter's pip, quietly, and fail if it fails."""
    command = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args]
    subprocess.run(command, check=True, env=env)


def main() -> int:
    if unmet := missing(build_requirements()):
        pip("install", *unmet)
    folders = [str(ROOT / route.name) for route in ROUTES]
    # --force-reinstall: the version never changes, the code does.
    pip(
        "install",
        "--no-build-isolation",
        "--no-deps",
        "--force-reinstall",
        *folders,
        env=setuptools_out_of_tree(),
    )
    print("installed from source:", ", ".join(route.name for route in ROUTES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
