"""Prove that tox never tests a stale build.

Changes the greeting in shared_rust by one line, runs plain ``tox`` (no
``-r``) in the same checkout, and requires every route's environment (routes.toml) to fail
because the installed binding now says the new greeting. The source file is
restored afterwards, whatever happens.

Run it after a tox run, so the environments are warm (CI runs it right after
the test command): ``python tools/check_no_stale_builds.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from routes import ROUTES

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "shared_rust" / "src" / "lib.rs"
OLD_LINE = 'pub const HELLO: &str = "Hello from Rust!";'
NEW_TEXT = "Hello from a changed Rust!"
NEW_LINE = f'pub const HELLO: &str = "{NEW_TEXT}";'


def main() -> int:
    original = SOURCE.read_text(encoding="utf-8")
    if original.count(OLD_LINE) != 1:
        print(f"expected exactly one line {OLD_LINE!r} in {SOURCE}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        result_json = Path(tmp) / "result.json"
        try:
            SOURCE.write_text(original.replace(OLD_LINE, NEW_LINE), encoding="utf-8")
            run = subprocess.run(
                [sys.executable, "-m", "tox", "--result-json", str(result_json)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            SOURCE.write_text(original, encoding="utf-8")
        envs = json.loads(result_json.read_text(encoding="utf-8"))["testenvs"]

    failures = []
    if run.returncode == 0:
        failures.append("plain tox passed with a changed greeting")
    for env in (route.env for route in ROUTES):
        results = envs.get(env, {}).get("test", [])
        output = "".join(step.get("output", "") for step in results)
        failed = any(step.get("retcode") for step in results)
        # The tests must have run against a fresh build: the installed binding
        # reports the new greeting. A build error would not show it.
        saw_new_build = NEW_TEXT in output
        status = "ok" if failed and saw_new_build else "STALE OR BROKEN"
        print(
            f"{env:16} tests failed: {failed!s:5}  new greeting seen: {saw_new_build!s:5}  {status}"
        )
        if status != "ok":
            failures.append(env)
    if failures:
        print(f"FAILED: {failures}", file=sys.stderr)
        print(run.stdout[-5000:], file=sys.stderr)
        return 1
    print("every binding environment rebuilt from the changed source and failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
