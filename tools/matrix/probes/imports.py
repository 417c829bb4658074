"""Import every module named on the command line, then print one JSON line:
each import's outcome, the test tools' versions (and cffi's), and whether the GIL is on
once they are all imported."""

import contextlib
import importlib
import json
import sys
from importlib.metadata import PackageNotFoundError, version

result = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
        result[name] = "imported"
    except Exception as error:  # noqa: BLE001 - recorded
        result[name] = f"{type(error).__name__}: {error}"
tools = {name: version(name) for name in ("pytest", "hypothesis", "psutil")}
with contextlib.suppress(PackageNotFoundError):  # what cffi_binding runs on
    tools["cffi"] = version("cffi")
gil = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else None
print(json.dumps({"imports": result, "test_tools": tools, "gil_enabled": gil}))
