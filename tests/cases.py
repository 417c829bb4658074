"""The contract's cases, written once (../shared/CONTRACT.md)."""

from __future__ import annotations

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
}
