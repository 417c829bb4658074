"""The summary: ``results/interpreters.json``, a plain table, and where the
runs disagree with routes.toml."""

from __future__ import annotations

import json
from typing import Any

from routes import ROUTES

from . import wheelset
from .config import CACHE, LAST, REPO, RESULTS
from .shell import run


def table(report: dict[str, Any]) -> str:
    names = [route.name for route in ROUTES]
    short = {name: name.removesuffix("_binding") for name in names}
    rows = [["interpreter", "version", *[short[n] for n in names], "GIL after imports"]]
    for interp in report["interpreters"]:
        cells = [interp["name"], f"{interp['implementation']} {interp['version']}"]
        for name in names:
            outcome = interp["routes"][name]
            cell = outcome["outcome"]
            if not outcome["claimed"]:
                cell += " (unclaimed)"
            cells.append(cell)
        cells.append(str(interp["gil_enabled_after_imports"]))
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    reasons = []
    for interp in report["interpreters"]:
        for name in names:
            outcome = interp["routes"][name]
            if outcome["outcome"] != "passed":
                reasons.append(
                    f"  {interp['name']} / {name}: {outcome['outcome']}: {outcome.get('error')}"
                )
                reasons.append(f"      command: {outcome.get('command')}")
    sub = []
    for interp in report["interpreters"]:
        info = interp["subinterpreters"]
        if not info.get("applicable"):
            continue
        for name in names:
            if name in info:
                parts = [
                    f"{config} {r['outcome']} ({r['detail']})" for config, r in info[name].items()
                ]
                sub.append(f"  {interp['name']} / {name}: " + "; ".join(parts))
    wheels = [
        f"  {name}: {tag} on {', '.join(where)}"
        for name, tags in wheelset.published(report).items()
        for tag, where in tags.items()
    ]
    skipped = [f"  {s['name']}: {s['skipped']}" for s in report.get("skipped_interpreters", [])]
    return "\n".join(
        [
            *lines,
            "",
            "wheels that passed (tags):",
            *(wheels or ["  none"]),
            "",
            "interpreters skipped:",
            *(skipped or ["  none"]),
            "",
            "not passed:",
            *(reasons or ["  none"]),
            "",
            "subinterpreters:",
            *(sub or ["  none"]),
        ]
    )


def source_commit() -> str | None:
    """The commit the routes were built from, marked when the tree had
    changes (the comparison's interpreters section shows it); None outside git."""
    head = run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    if head.returncode != 0:
        return None
    dirty = run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"])
    return head.output.strip() + (" with changes" if dirty.output.strip() else "")


def write_report(report: dict[str, Any]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    if report.get("status") == "ran":  # for the next run's order (expected_seconds)
        LAST.write_text(json.dumps(report, indent=2) + "\n")


def skip(reason: str) -> int:
    report = {"status": "skipped", "reason": reason, "cache": str(CACHE)}
    try:
        write_report(report)
        wrote = f"wrote {RESULTS.relative_to(REPO)}, status skipped"
    except OSError as error:  # a read-only checkout: the line below still says it
        wrote = f"could not write {RESULTS.relative_to(REPO)}: {error.strerror}"
    print(f"SKIPPED: interpreters matrix not run: {reason} ({wrote})")
    return 0


def disagreements(report: dict[str, Any]) -> list[str]:
    """Where routes.toml's claims and these runs disagree: a claimed route
    that did not pass, an unclaimed one that passed (the claim is too
    modest: routes.toml must say it runs), a free-threaded build whose GIL
    came back on once the routes that passed there were imported, or a wheel
    set that is not routes.toml's (``wheelset``)."""
    wrong = []
    for interp in report["interpreters"]:
        for name, outcome in interp["routes"].items():
            where = f"{name} on {interp['name']}"
            if outcome["claimed"] and outcome["outcome"] != "passed":
                wrong.append(f"{where}: routes.toml claims it, and it {outcome['outcome']}")
            if not outcome["claimed"] and outcome["outcome"] == "passed":
                wrong.append(f"{where}: passed, but routes.toml does not claim it")
        if interp["free_threaded"] and interp["gil_enabled_after_imports"] is not False:
            wrong.append(f"{interp['name']}: the GIL is on after importing {interp['installed']}")
    declared = {r.name: wheelset.declared(r.wheel_tag, r.runs_on) for r in ROUTES}
    complete = not report.get("only") and not report.get("skipped_interpreters")
    wrong += wheelset.disagreements(report, declared, complete)
    return wrong
