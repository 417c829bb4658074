"""Audit what ``tools/build_dist.py`` wrote to dist/ before anyone uploads it.

- one sdist and one wheel per binding, and each wheel has the tag its route
  promises in routes.toml: ``cp311-abi3`` for the PyO3 bindings,
  ``py3-none-<platform>`` for the others (they never touch CPython's ABI);
- ``twine check --strict``: the metadata PyPI will render;
- ``check-wheel-contents``: no stray, duplicate or misplaced files;
- ``abi3audit --strict`` on the abi3 wheels: the library uses only the stable
  ABI of Python 3.10;
- on Linux, ``auditwheel show``: the tag in the name is the manylinux tag the
  library's symbols allow, and the wheel needs no shared library beyond the
  ones every manylinux system has.

Run through tox, after the build: ``tox -e build``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from packaging.utils import parse_wheel_filename

from routes import ROUTES

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
# The tag each binding's wheel must carry, (interpreter, abi), from routes.toml:
# "cp311-abi3" or "py3-none".
EXPECTED_TAGS = {route.name: tuple(route.wheel_tag.split("-")) for route in ROUTES}


def tool(module: str, *args: str | Path) -> tuple[bool, str]:
    """Run an audit tool (a module of this interpreter); did it pass, what did it say."""
    command = [sys.executable, "-m", module, *map(str, args)]
    print("$", *command[2:], flush=True)
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    output = done.stdout + done.stderr
    print(output, flush=True)
    return done.returncode == 0, output


def check_tags(wheels: list[Path], sdists: list[Path]) -> list[str]:
    """One sdist and one wheel per binding, each wheel with its route's tag."""
    problems = []
    for binding, (interpreter, abi) in EXPECTED_TAGS.items():
        mine = [wheel for wheel in wheels if wheel.name.startswith(f"{binding}-")]
        if len([sdist for sdist in sdists if sdist.name.startswith(f"{binding}-")]) != 1:
            problems.append(f"{binding}: expected one sdist in {DIST}")
        if len(mine) != 1:
            problems.append(f"{binding}: expected one wheel in {DIST}, found {mine}")
            continue
        # A name may carry several tags (manylinux2014_x86_64.manylinux_2_17_x86_64).
        for tag in parse_wheel_filename(mine[0].name)[3]:
            if (tag.interpreter, tag.abi) != (interpreter, abi) or tag.platform == "any":
                problems.append(f"{mine[0].name}: expected {interpreter}-{abi}-<platform>")
            if sys.platform == "linux" and not tag.platform.startswith("manylinux"):
                problems.append(f"{mine[0].name}: a Linux wheel for PyPI needs a manylinux tag")
    return problems


def main() -> int:
    wheels = sorted(DIST.glob("*.whl"))
    sdists = sorted(DIST.glob("*.tar.gz"))
    problems = check_tags(wheels, sdists)

    checks = {
        "twine check": tool("twine", "check", "--strict", *wheels, *sdists),
        "check-wheel-contents": tool("check_wheel_contents", *wheels),
        "abi3audit": tool(
            "abi3audit", "--strict", "--verbose", *[w for w in wheels if "-abi3-" in w.name]
        ),
    }
    if sys.platform == "linux":
        for wheel in wheels:
            passed, output = tool("auditwheel", "show", wheel)
            platforms = {tag.platform for tag in parse_wheel_filename(wheel.name)[3]}
            # auditwheel wraps its lines: compare with the line breaks removed.
            flat = " ".join(output.split())
            said = "consistent with the following platform tag:"
            consistent = any(f'{said} "{platform}"' in flat for platform in platforms)
            grafted = "external shared libraries are required" in flat
            checks[f"auditwheel show {wheel.name}"] = (
                passed and consistent and not grafted,
                output,
            )
    problems += [f"{name} failed" for name, (passed, _) in checks.items() if not passed]

    print(*(f"FAILED: {problem}" for problem in problems), sep="\n", file=sys.stderr)
    if not problems:
        print(f"{len(wheels)} wheels and {len(sdists)} sdists passed: {', '.join(checks)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
