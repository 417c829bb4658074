"""The contract's cases and expected outcomes, written once (docs/contract.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# The greeting, written down once for the whole suite.
HELLO = "Hello from Rust!"

EMPTY_NAME_MESSAGE = "name must not be empty"

MIB = 1 << 20

# Names greet() accepts; the expected result is always f"Hello, {name}!".
GOOD_NAMES: dict[str, str] = {
    "ascii": "world",
    "accents": "Zoë Åsa",
    "cjk": "世界",
    "emoji": "🦀",
    "non_bmp": "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \U0010fffd",
    "nul_only": "\x00",
    "nul_inside": "a\x00b",
    "nul_edges": "\x00mid\x00",
    "whitespace": " \t\n",
    "control": "\x01\x1b[0m\x7f",
    "bom_and_joiners": "\ufeff👩\u200d💻",
    # Either side of the PyO3 routes' switch from a Rust String to joining
    # the str itself (docs/pyo3.md), and the C ABI wrappers' 4 KiB buffer.
    "ascii_191": "x" * 191,
    "ascii_192": "x" * 192,
    "ascii_193": "x" * 193,
    "latin1_short": "é" * 3,
    "fits_4k_buffer": "x" * (4096 - len("Hello, !")),
    "just_over_4k_buffer": "x" * (4097 - len("Hello, !")),
    # Exactly 1 MiB of UTF-8: every width from 1 to 4 bytes, and NUL.
    "long_1mib_mixed": "Zoë\x00世界🦀 " * (MIB // 16),
    "long_16mib": "x" * (16 * MIB),
    "long_16mib_non_bmp": "🦀" * (4 * MIB),
}

# Not a str: TypeError in every binding.
NOT_STR: dict[str, Any] = {
    "none": None,
    "bytes": b"world",
    "bytearray": bytearray(b"world"),
    "int": 1,
    "float": 1.5,
    "list": ["world"],
    "object": object(),
}

# Lone surrogates cannot be encoded as UTF-8: UnicodeEncodeError.
LONE_SURROGATES: dict[str, str] = {
    "high": "\ud800",
    "low": "\udfff",
    "inside": "a\udc80b",
    "after_non_bmp": "🦀\ud83e",
    "after_1mib": "x" * MIB + "\udfff",
}

# Calls that must raise TypeError in every binding, as (function, args, kwargs):
# wrong argument counts, unknown keywords, and a name that is not a str.
Call = tuple[str, tuple[Any, ...], dict[str, Any]]
TYPE_ERROR_CALLS: dict[str, Call] = {
    "hi(1)": ("hi", (1,), {}),
    "hi('x')": ("hi", ("x",), {}),
    "hi(None)": ("hi", (None,), {}),
    "hi(name='x')": ("hi", (), {"name": "x"}),
    "greet()": ("greet", (), {}),
    "greet('a', 'b')": ("greet", ("a", "b"), {}),
    "greet('a', name='b')": ("greet", ("a",), {"name": "b"}),
    "greet(nom='a')": ("greet", (), {"nom": "a"}),
    **{f"greet({key})": ("greet", (value,), {}) for key, value in NOT_STR.items()},
}

# What a call did: ("ok", result) or (exception type name, message).
Outcome = tuple[str, Any]


def outcome(func: Callable[..., Any], *args: Any) -> Outcome:
    """Call ``func`` and return what it did, a result or an exception, as data."""
    try:
        return ("ok", func(*args))
    except Exception as exc:  # noqa: BLE001 - the exception is the outcome
        return (type(exc).__name__, str(exc))


def expected_greet(name: str) -> Outcome:
    """What the contract says ``greet(name)`` does, for any str ``name``."""
    if not name:
        return ("ValueError", EMPTY_NAME_MESSAGE)
    try:
        # The contract: a name that is not encodable as UTF-8 (a lone
        # surrogate) raises Python's own UnicodeEncodeError, message included.
        name.encode("utf-8")
    except UnicodeEncodeError as exc:
        return ("UnicodeEncodeError", str(exc))
    return ("ok", f"Hello, {name}!")


# A build made with HI_INJECT_BUG=panic in the environment (tox -e panic)
# panics in shared_rust's greet on this name, with this message. In every
# other build it is an ordinary name.
PANIC_PROBE_NAME = "hi_inject_bug=panic"
PANIC_PROBE_MESSAGE = "injected panic"
