"""Every route on one interpreter: installed from the wheel pip would take
from the route's published set, then the contract suite as tox's [testenv]
runs it, with the GIL check plugin; then the imports, the subinterpreters and
the interpreter's wrapper command."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

from routes import ROUTES, Route

from .config import (
    CHROOT,
    ENTER,
    IN_ROOT_PATH,
    LAST,
    LOGS,
    PLUGIN_DIR,
    PROBES,
    REPO,
    TEST_REQUIREMENTS,
    log,
)
from .mounts import write_if_changed
from .shell import Ran, host_env, in_root
from .wheels import Interpreter, build_in_root, ensure_venv, install, pick_wheel, uninstall


def claimed(route: Route, interp: Interpreter) -> bool:
    """Whether routes.toml (and the package's requires-python) says the route
    runs on ``interp``."""
    return interp.version >= route.oldest(interp.kind)


def prepare(
    interp: Interpreter,
    host_wheels: dict[str, Path | Ran],
    abi3t: dict[str, str],
    src: str,
) -> dict[str, dict[str, Any]]:
    """The interpreter's venv with the test requirements and every route that
    installs; the outcome so far of every route that did not. An abi3t wheel
    built here goes into ``abi3t`` (route name: its path in the root), for
    the GIL builds it also serves."""
    log(f"{interp.name}: venv and test requirements")
    interp.info["test_requirements_fallback"] = ensure_venv(
        interp.venv, interp.exe, ["-r", str(TEST_REQUIREMENTS)]
    )
    outcomes: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        claim = claimed(route, interp)
        source = pick_wheel(interp, route, abi3t)
        entry: dict[str, Any] = {"claimed": claim, "wheel_from": source}
        outcomes[route.name] = entry
        bad = "failed" if claim else "unsupported"
        wheel: str | None
        if source == "host":
            built = host_wheels[route.name]
            if isinstance(built, Ran):
                entry.update(outcome="failed", command=built.command, error=built.error_line())
                continue
            # The same file, as the root sees it.
            wheel = "/" + built.relative_to(CHROOT).as_posix()
        elif source == "abi3t":
            wheel = abi3t[route.name]
        else:
            log(f"{interp.name}: building {route.name} in the root")
            wheel, ran = build_in_root(interp, route, src)
            entry["build_command"] = ran.command
            entry["build_seconds"] = round(ran.seconds, 1)
            if wheel is None:
                uninstall(interp, route)
                entry.update(outcome=bad, command=ran.command, error=ran.error_line())
                log(f"  {bad}: {entry['error']}")
                continue
            if ".abi3t-" in Path(wheel).name or ".abi3t." in Path(wheel).name:
                abi3t[route.name] = wheel
        entry["wheel"] = Path(wheel).name
        ran = install(interp, route, wheel)
        if not ran.ok:
            uninstall(interp, route)
            entry.update(outcome=bad, command=ran.command, error=ran.error_line())
            log(f"{interp.name}: {route.name} {bad}: {entry['error']}")
    return outcomes


def run_suite(interp: Interpreter, route: Route, workdir: Path) -> dict[str, Any]:
    """The contract suite for ``route`` on ``interp``, as tox's [testenv] runs
    it (from a folder outside the source tree), plus the GIL check plugin."""
    here = workdir / f"{interp.name}-{route.name}"
    here.mkdir(parents=True)
    report = here / "gil.json"
    env = host_env(
        HI_BINDINGS=route.name,
        PYTHONPATH=str(PLUGIN_DIR),
        HI_GIL_REPORT=str(report),
        HI_GIL_MUST_STAY_OFF="1" if interp.kind == "free_threaded" else "0",
        PIP_CACHE_DIR="/hi/pip-cache",
    )
    argv = [
        interp.python,
        "-m",
        "pytest",
        "-c",
        f"{REPO}/pyproject.toml",
        "--rootdir",
        str(REPO),
        "-p",
        "no:cacheprovider",
        "-p",
        "hi_gil_check",
        "-m",
        "not cross",
        f"{REPO}/tests",
    ]
    path = f"{interp.venv}/bin:{IN_ROOT_PATH}"
    ran = in_root(argv, path=path, cwd=here, env=env, timeout=1800)
    summary = [line for line in ran.output.splitlines() if re.match(r"^=+ .* in [\d.]+s", line)]
    result: dict[str, Any] = {
        "command": f"cd {here} && HI_BINDINGS={route.name} {ran.command}",
        "seconds": round(ran.seconds, 1),
        "summary": summary[-1].strip("= ") if summary else None,
    }
    if report.exists():
        result["gil"] = json.loads(report.read_text())
    if ran.ok:
        result["outcome"] = "passed"
    else:
        result["outcome"] = "failed"
        failed = [line for line in ran.output.splitlines() if line.startswith(("FAILED", "ERROR"))]
        result["error"] = failed[0][:500] if failed else ran.error_line()
        result["failures"] = [line[:300] for line in failed[:20]]
        if interp.kind == "free_threaded" and result.get("gil", {}).get("after_suite") is not False:
            result["error"] = (
                f"the GIL was on after the suite: {result.get('gil')}; " + result["error"]
            )
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / f"{interp.name}-{route.name}.txt").write_text(f"$ {result['command']}\n{ran.output}")
    result["log"] = str((LOGS / f"{interp.name}-{route.name}.txt").relative_to(REPO))
    return result


def expected_seconds(interp: Interpreter, route: Route) -> float:
    """How long the suite took there last time (the cache keeps the last
    summary, ``LAST``), else a guess: PyPy's are the slow ones. Two run at a
    time, the longest first, so the last to finish is not a long one started
    late (one PyPy suite can take several times as long as the rest)."""
    try:
        last = json.loads(LAST.read_text())
        for entry in last.get("interpreters", []):
            if entry["name"] == interp.name:
                return float(entry["routes"][route.name]["seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return 100.0 if interp.kind == "pypy" else 10.0


def after_imports(interp: Interpreter, names: list[str]) -> dict[str, Any]:
    env = host_env()
    ran = in_root([interp.python, str(PROBES / "imports.py"), *names], env=env)
    if not ran.ok:
        return {"error": ran.error_line(), "command": ran.command}
    data: dict[str, Any] = json.loads(ran.output.splitlines()[-1])
    data["command"] = ran.command
    return data


def subinterpreters(interp: Interpreter, names: list[str]) -> dict[str, Any]:
    if interp.kind != "cpython" or interp.version < (3, 14):
        return {"applicable": False, "why": "concurrent.interpreters is CPython 3.14+"}
    out: dict[str, Any] = {"applicable": True}
    for name in names:
        out[name] = {}
        for config in ("isolated", "legacy"):
            ran = in_root([interp.python, str(PROBES / "subinterpreter.py"), name, config])
            if ran.ok:
                out[name][config] = json.loads(ran.output.splitlines()[-1])
            else:
                what = (
                    f"signal {-ran.returncode}" if ran.returncode < 0 else f"exit {ran.returncode}"
                )
                out[name][config] = {"outcome": "crashed", "detail": f"{what}: {ran.error_line()}"}
    return out


def write_wrapper(interp: Interpreter) -> None:
    path = f"{interp.venv}/bin:{IN_ROOT_PATH}"
    text = (
        "#!/bin/sh\n"
        "# Written by tools/matrix (suites.py): "
        f"{interp.info['implementation']} {interp.info['version']}"
        f"{' (free-threaded)' if interp.info['free_threaded'] else ''} in the sid root {CHROOT},\n"
        f"# as the python of the venv {interp.venv}, which holds every route that passed here.\n"
        "# Arguments, stdin and the exit code pass through; /tmp, the repository and the\n"
        "# current directory are visible inside at the same paths (see ./enter).\n"
        f"exec {shlex.quote(str(ENTER))} /usr/bin/env PATH={shlex.quote(path)} "
        f"VIRTUAL_ENV={interp.venv} "
        f'{interp.python} "$@"\n'
    )
    write_if_changed(interp.wrapper, text, 0o755)
