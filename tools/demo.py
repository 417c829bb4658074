"""Import each binding, call it, and show how it was built.

Run through tox, which builds and installs all three first: ``tox -e demo``.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import sys
from pathlib import Path

from routes import NAMES as BINDINGS


def build_facts(name: str) -> dict[str, str]:
    """What the installed wheel says about its own build."""
    dist = importlib.metadata.distribution(name)
    wheel = dict(
        line.split(": ", 1) for line in (dist.read_text("WHEEL") or "").splitlines() if ": " in line
    )
    native = [f for f in dist.files or [] if f.name.endswith((".so", ".pyd", ".dylib"))]
    return {
        "backend": wheel.get("Generator", "?"),
        "wheel tag": wheel.get("Tag", "?"),
        "native library": ", ".join(
            f"{f} ({Path(str(f.locate())).stat().st_size / 1024:.0f} KiB)" for f in native
        ),
    }


def main() -> int:
    print(f"Python {sys.version.split()[0]} on {sys.platform}\n")
    for name in BINDINGS:
        module = importlib.import_module(name)
        print(f"{name} {module.__version__}")
        print(f"  hi()            -> {module.hi()!r}")
        print(f"  greet('world')  -> {module.greet('world')!r}")
        try:
            module.greet("")
        except ValueError as exc:
            print(f"  greet('')       -> ValueError({str(exc)!r})")
        for key, value in build_facts(name).items():
            print(f"  {key:15} {value}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
