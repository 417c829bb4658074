"""The run: the root, the builds, the wheels, every suite two at a time,
then the summary."""

from __future__ import annotations

import argparse
import concurrent.futures
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from routes import ROUTES

from . import __doc__ as about
from .config import BIN, CACHE, CHROOT, MIRROR, REPO, RESULTS, SUITE, log
from .freethreaded import ensure_free_threaded
from .mounts import mounts_below, safe_rmtree, write_enter
from .report import disagreements, skip, source_commit, table, write_report
from .root import ensure_packages, ensure_root, prerequisites, sync_host_files
from .shell import run
from .suites import (
    after_imports,
    expected_seconds,
    prepare,
    run_suite,
    subinterpreters,
    write_wrapper,
)
from .wheels import build_host_wheels, interpreters, sync_source, uninstall


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(about or "").split("\n\n")[0])
    parser.add_argument(
        "--only", help="comma-separated interpreter names (python3.14,pypy3.11,...)"
    )
    args = parser.parse_args(argv)
    reason = prerequisites()
    if reason:
        return skip(reason)
    for program in ("maturin", "git"):
        if shutil.which(program) is None:
            raise SystemExit(
                f"error: needs {program} on PATH "
                "(python -m tox -e interpreters installs maturin and build)"
            )
    if run([sys.executable, "-c", "import build"]).returncode != 0:
        raise SystemExit(
            f"error: {sys.executable} lacks the build package "
            "(python -m tox -e interpreters has it)"
        )
    started = time.time()
    log(f"cache: {CACHE}")
    CACHE.mkdir(parents=True, exist_ok=True)
    write_enter()
    ensure_root()
    sync_host_files()
    ensure_packages()
    built = ensure_free_threaded()
    skipped = [
        {"name": b["name"], "skipped": b["skipped"], "command": b["command"]}
        for b in built
        if "skipped" in b
    ]
    found = interpreters(built)
    if args.only:
        wanted = set(args.only.split(","))
        found = [interp for interp in found if interp.name in wanted]
    src = sync_source()
    host_wheels = build_host_wheels(CHROOT / "hi/wheels/host")
    workdir = Path(tempfile.mkdtemp(prefix="hi-interpreters-run-"))
    prepared: dict[str, dict[str, dict[str, Any]]] = {}
    abi3t: dict[str, str] = {}
    for interp in found:
        prepared[interp.name] = prepare(interp, host_wheels, abi3t, src)
    jobs = sorted(
        (
            (interp, route)
            for interp in found
            for route in ROUTES
            if "outcome" not in prepared[interp.name][route.name]
        ),
        key=lambda job: -expected_seconds(*job),
    )
    log(f"running the suite: {len(jobs)} runs, two at a time")
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            pool.submit(run_suite, interp, route, workdir): (interp, route)
            for interp, route in jobs
        }
        for future in concurrent.futures.as_completed(futures):
            interp, route = futures[future]
            result = future.result()
            prepared[interp.name][route.name].update(result)
            log(
                f"{interp.name} / {route.name}: {result['outcome']} "
                f"in {result['seconds']} s: {result['summary']}"
            )
    report: dict[str, Any] = {
        "status": "ran",
        "cache": str(CACHE),
        "root": f"debootstrap --variant=minbase {SUITE} ({MIRROR})",
        "only": args.only,
        "free_threaded_builds": [b for b in built if "skipped" not in b],
        "skipped_interpreters": skipped,
        "host_wheels": {
            name: (
                w.name if isinstance(w, Path) else {"command": w.command, "error": w.error_line()}
            )
            for name, w in host_wheels.items()
        },
        "interpreters": [],
    }
    for interp in found:
        outcomes = prepared[interp.name]
        # Every route that installed, passed or not, in a subinterpreter; then
        # the venv keeps only the routes that passed.
        installed = [
            name for name, o in outcomes.items() if o["outcome"] == "passed" or "summary" in o
        ]
        sub = subinterpreters(interp, installed)
        for route in ROUTES:
            if outcomes[route.name]["outcome"] != "passed":
                uninstall(interp, route)
        passed = [name for name, o in outcomes.items() if o["outcome"] == "passed"]
        imports = after_imports(interp, passed)
        write_wrapper(interp)
        report["interpreters"].append(
            {
                "name": interp.name,
                "version": interp.info["version"],
                "full_version": interp.info["full_version"],
                "implementation": interp.info["implementation"],
                "free_threaded": interp.info["free_threaded"],
                "command": str(interp.wrapper),
                "installed": passed,
                "test_requirements_fallback": interp.info.get("test_requirements_fallback"),
                "gil_enabled_after_imports": imports.get("gil_enabled"),
                "imports": imports,
                "routes": outcomes,
                "subinterpreters": sub,
            }
        )
    report["seconds"] = round(time.time() - started, 1)
    report["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    report["commit"] = source_commit()
    write_report(report)
    safe_rmtree(workdir)
    leaked = list(mounts_below(CACHE))
    if leaked:
        print("error: mounts left below the cache:", leaked)
        return 1
    print()
    print(table(report))
    print()
    for gone in skipped:
        print(f"SKIPPED: {gone['name']}: {gone['skipped']}")
    print(
        f"wrote {RESULTS.relative_to(REPO)} in {report['seconds']} s; "
        f"run one: {BIN}/python3.14 -c 'import pyo3_binding'"
    )
    wrong = disagreements(report)
    for line in wrong:
        print(f"error: {line}")
    return 1 if wrong else 0
