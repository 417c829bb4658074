"""Usage: subinterpreter.py MODULE isolated|legacy. Imports MODULE in a
subinterpreter of that config, calls it, and prints one JSON line: works,
refused (with the error) or unavailable."""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

name, config = sys.argv[1], sys.argv[2]
code = (
    f"import {name} as m\n"
    "assert m.hi() == 'Hello from Rust!', m.hi()\n"
    "assert m.greet('x') == 'Hello, x!', m.greet('x')\n"
)
try:  # CPython 3.14+ (by name: the interpreters that type-check this lack them)
    interpreters: Any = importlib.import_module("concurrent.interpreters")
    low: Any = importlib.import_module("_interpreters")
except ImportError as error:
    print(json.dumps({"outcome": "unavailable", "detail": f"{type(error).__name__}: {error}"}))
    raise SystemExit(0) from None
result: dict[str, str]
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
    iid = low.create(config)
    try:
        info = low.exec(iid, code)
    finally:
        low.destroy(iid)
    if info is None:
        result = {"outcome": "works", "detail": "hi() and greet('x') right"}
    else:
        result = {"outcome": "refused", "detail": f"{info.type.__name__}: {info.msg}"}
print(json.dumps(result))
