"""What an interpreter is: run by it inside the root, prints one JSON line."""

import json
import platform
import sys
import sysconfig

print(
    json.dumps(
        {
            "version": platform.python_version(),
            "full_version": sys.version.replace("\n", " "),
            "implementation": platform.python_implementation(),
            "free_threaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
            "gil_enabled": sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else None,
        }
    )
)
