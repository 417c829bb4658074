"""Usage: subinterpreter.py MODULE isolated|legacy. Imports MODULE in a
subinterpreter of that config, calls it, and prints one JSON line: works,
refused (with the error) or unavailable."""

import json
import sys

name, config = sys.argv[1], sys.argv[2]
code = (
    f"import {name} as m\n"
    "assert m.hi() == 'Hello from Rust!', m.hi()\n"
    "assert m.greet('x') == 'Hello, x!', m.greet('x')\n"
)
try:
    from concurrent import interpreters

    import _interpreters
except ImportError as error:
    print(json.dumps({"outcome": "unavailable", "detail": f"{type(error).__name__}: {error}"}))
    raise SystemExit(0) from None
if config == "isolated":
    interp = interpreters.create()
    try:
        interp.exec(code)
        result = {"outcome": "works", "detail": "hi() and greet('x') right"}
    except interpreters.ExecutionFailed as failed:
        info = failed.excinfo
        result = {"outcome": "refused", "detail": f"{info.type.__name__}: {info.msg}"}
    finally:
        interp.close()
else:
    iid = _interpreters.create(config)
    try:
        info = _interpreters.exec(iid, code)
    finally:
        _interpreters.destroy(iid)
    if info is None:
        result = {"outcome": "works", "detail": "hi() and greet('x') right"}
    else:
        result = {"outcome": "refused", "detail": f"{info.type.__name__}: {info.msg}"}
print(json.dumps(result))
