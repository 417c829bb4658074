"""A Rust panic becomes a Python exception, never an abort.

No input makes a release build panic, and release wheels carry no test-only
function to make one. So ``tox -e panic`` sets ``HI_INJECT_BUG=panic``, with
which shared_rust's build script makes ``greet`` panic on one name, and
builds every binding; there the panic must come back
as ``PanicException``. Every other environment tests a release build, where
that name must be an ordinary name: proof that no test hook was shipped.
"""

from __future__ import annotations

import os
from types import ModuleType

import pytest

from cases import PANIC_PROBE_MESSAGE, PANIC_PROBE_NAME

PANIC_BUILT_IN = os.environ.get("HI_INJECT_BUG") == "panic"


def test_a_rust_panic_becomes_a_python_exception(binding: ModuleType) -> None:
    if not PANIC_BUILT_IN:
        assert binding.greet(PANIC_PROBE_NAME) == f"Hello, {PANIC_PROBE_NAME}!"
        return
    # BaseException: the point is what it is *not* (an Exception), checked below.
    with pytest.raises(BaseException) as info:  # noqa: PT011
        binding.greet(PANIC_PROBE_NAME)
    # PyO3's pyo3_runtime.PanicException, or the package's own (the C ABI and
    # UniFFI routes): all derive from BaseException only, so `except
    # Exception` does not swallow a bug.
    assert type(info.value).__name__ == "PanicException"
    assert not isinstance(info.value, Exception)
    assert str(info.value) == PANIC_PROBE_MESSAGE
    # The interpreter and the library carry on.
    assert binding.greet("world") == "Hello, world!"
