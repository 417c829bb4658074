"""The wheels each route publishes, per platform: computed from the wheels
that passed the matrix (``results/interpreters.json``), and as routes.toml
declares them. Pure functions of those two, for the matrix's own check, the
report and tests/test_wheelset.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# What the set must cover on each platform (the header of the report's table).
COVERS = "CPython 3.11 to 3.15, 3.14t, 3.15t and PyPy 3.11"


def tag(wheel: str) -> str:
    """A wheel file's Python and ABI tags, as routes.toml writes them:
    ``pyo3_binding-0.1.0-cp314-cp314t-manylinux_2_34_x86_64.whl`` ->
    ``cp314-cp314t``."""
    parts = wheel.removesuffix(".whl").split("-")
    if len(parts) < 5:
        raise ValueError(f"not a wheel file name: {wheel!r}")
    return f"{parts[-3]}-{parts[-2]}"


def published(report: Mapping[str, Any]) -> dict[str, dict[str, list[str]]]:
    """Per route, each wheel tag that passed the contract suite in the
    matrix, with the interpreters it passed on (in the report's order)."""
    found: dict[str, dict[str, list[str]]] = {}
    for interp in report.get("interpreters", []):
        for name, outcome in interp["routes"].items():
            tags = found.setdefault(name, {})
            if outcome.get("outcome") == "passed" and outcome.get("wheel"):
                tags.setdefault(tag(outcome["wheel"]), []).append(interp["name"])
    return found


def declared(wheel_tag: str, runs_on: Mapping[str, Mapping[str, str]]) -> list[str]:
    """The wheel set routes.toml declares for a route: its ``wheel_tag`` and
    every ``wheels`` of its ``runs_on`` entries (comma-separated), once each."""
    tags = [wheel_tag]
    for claim in runs_on.values():
        tags += [t.strip() for t in claim.get("wheels", "").split(",") if t.strip()]
    return list(dict.fromkeys(tags))


def disagreements(
    report: Mapping[str, Any], routes: Mapping[str, list[str]], complete: bool
) -> list[str]:
    """Where the wheels that passed and routes.toml's sets (route name: its
    declared tags) differ: a tag that passed and is not declared, always;
    a declared tag that passed nowhere, when the run was ``complete`` (every
    interpreter ran)."""
    wrong = []
    ran = published(report)
    for name, tags in routes.items():
        seen = ran.get(name, {})
        for extra in sorted(set(seen) - set(tags)):
            wrong.append(
                f"{name}: the wheel {extra} passed on {', '.join(seen[extra])}, "
                "but routes.toml does not list it"
            )
        if complete:
            for missing in [t for t in tags if t not in seen]:
                wrong.append(f"{name}: routes.toml lists the wheel {missing}, which passed nowhere")
    return wrong
