"""A pytest plugin of tools/matrix: is the GIL on after the suite?

Loaded with ``-p hi_gil_check`` (its folder on PYTHONPATH). It writes the
GIL's state at the start and after the suite to ``$HI_GIL_REPORT``, and fails
the session where ``HI_GIL_MUST_STAY_OFF=1`` and the GIL is on at the end.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import pytest

_STATE: dict[str, Any] = {}


def _gil() -> bool | None:
    is_enabled = getattr(sys, "_is_gil_enabled", None)
    return bool(is_enabled()) if is_enabled else None


def pytest_configure(config: pytest.Config) -> None:
    _STATE["at_start"] = _gil()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _STATE["after_suite"] = _gil()
    names = os.environ.get("HI_BINDINGS", "").split(",")
    _STATE["binding_modules"] = sorted(m for m in sys.modules if m.split(".")[0] in names)
    path = os.environ.get("HI_GIL_REPORT")
    if path:
        with open(path, "w") as out:
            json.dump(_STATE, out)
    if os.environ.get("HI_GIL_MUST_STAY_OFF") == "1" and _STATE["after_suite"] is not False:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    terminalreporter.write_line(
        f"hi_gil_check: sys._is_gil_enabled() at start {_STATE.get('at_start')}, "
        f"after the suite {_STATE.get('after_suite')}"
    )
