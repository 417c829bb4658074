"""A pytest plugin of tools/matrix: is the GIL on after the suite?

Loaded with ``-p hi_gil_check`` (its folder on PYTHONPATH). It writes the
GIL's state at the start and after the suite to ``$HI_GIL_REPORT``, and fails
the session where ``HI_GIL_MUST_STAY_OFF=1`` and the GIL is on at the end.
"""

import json
import os
import sys

_STATE = {}


def _gil():
    return sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else None


def pytest_configure(config):
    _STATE["at_start"] = _gil()


def pytest_sessionfinish(session, exitstatus):
    _STATE["after_suite"] = _gil()
    names = os.environ.get("HI_BINDINGS", "").split(",")
    modules = sorted(m for m in sys.modules if m.split(".")[0] in names)
    _STATE["binding_modules"] = modules
    path = os.environ.get("HI_GIL_REPORT")
    if path:
        with open(path, "w") as out:
            json.dump(_STATE, out)
    if os.environ.get("HI_GIL_MUST_STAY_OFF") == "1" and _STATE["after_suite"] is not False:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(
        f"hi_gil_check: sys._is_gil_enabled() at start {_STATE.get('at_start')}, "
        f"after the suite {_STATE.get('after_suite')}"
    )
