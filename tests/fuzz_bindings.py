"""Fuzz all bindings side by side: arbitrary bytes, decoded to str, must get
the same outcome from every binding, and the one the contract says: greet
and split of the text, checksum of the bytes (with a starting value made of
them) against zlib.crc32, a few adds to a WordCounter against
collections.Counter, and loads of the bytes and of the text against
json.loads (then dumps of what it made against json.dumps).

Run through tox, which installs every binding first and names them in
``HI_BINDINGS``:
``tox -e fuzz`` (60 seconds), or longer with libFuzzer's own flags, e.g.
``tox -e fuzz -- -max_total_time=3600 -jobs=2`` or with a corpus directory
that keeps what it found between runs: ``tox -e fuzz -- -max_total_time=3600
/path/to/corpus``. A disagreement or a crash stops the run and writes the
input to a ``crash-*`` file, which ``tox -e fuzz -- crash-<hash>`` replays.

Coverage feedback comes from the Python side (the wrappers are instrumented);
the Rust code is not instrumented, so the fuzzer steers by what the inputs do
in Python, and the bytes-to-str decodings below make sure inputs reach every
kind of text: ASCII, any code point, NUL, and lone surrogates.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import zlib
from typing import Any

import atheris  # type: ignore[import-untyped]

# Instrumented: the wrappers' branches and the contract's own (ok, empty,
# not UTF-8) are the coverage the fuzzer steers by.
with atheris.instrument_imports():
    from cases import CounterOracle, counter_state, expected_greet, expected_split, kind, outcome
    from json_cases import dumps_outcome, error_details, exact_str, json_outcome, kind_of

    BINDINGS = [
        importlib.import_module(name.strip())
        # tox sets it to every route (routes.toml); set it to fuzz fewer.
        for name in os.environ.get("HI_BINDINGS", "").split(",")
        if name.strip()
    ]


def utf8_or_surrogates(data: bytes) -> str:
    """Valid UTF-8 as written; each invalid byte becomes a lone surrogate."""
    return data.decode("utf-8", "surrogateescape")


def any_code_point(data: bytes) -> str:
    """Any code point, surrogates included (atheris's own text builder)."""
    return str(atheris.FuzzedDataProvider(data).ConsumeUnicode(len(data)))


def utf16_code_units(data: bytes) -> str:
    """Pairs of bytes as UTF-16 code units: lone surrogates pass through."""
    return data[: len(data) // 2 * 2].decode("utf-16-le", "surrogatepass")


# Each input's first byte picks how the rest becomes a str.
DECODINGS = (utf8_or_surrogates, any_code_point, utf16_code_units)


def name_from(data: bytes) -> str:
    """The str that ``data`` stands for."""
    if not data:
        return ""
    return DECODINGS[data[0] % len(DECODINGS)](data[1:])


def agree(what: str, outcomes: dict[str, Any], expected: Any) -> None:
    """Fail unless every binding's outcome is ``expected``."""
    if len({repr(value) for value in outcomes.values()}) != 1:
        raise AssertionError(f"bindings disagree on {what}: {outcomes}")
    if next(iter(outcomes.values())) != expected:
        raise AssertionError(f"not the contract's outcome for {what}: {outcomes}, not {expected}")


def count_words(counter: Any, text: str) -> Any:
    """A few adds of the parts of ``text`` (the odd ones kept by a callback that
    keeps words of odd length), and all the counter then says."""
    calls: list[str] = []

    def keep(word: str) -> bool:
        calls.append(word)
        return len(word) % 2 == 1

    for i, part in enumerate(text.split("\n", 4)):
        # A part with a lone surrogate: the same UnicodeEncodeError, nothing counted.
        kind(counter.add, part, keep if i % 2 else None)
    return counter_state(counter), calls


def json_agrees(data: bytes, name: str) -> None:
    """loads of the bytes as they are and of the text they stand for: every
    binding says the same (messages and positions included) and what
    json.loads says (its result, or its exception's type); what loads made,
    dumps writes back as json.dumps does."""
    for document in (data, name):
        loaded = {module.__name__: error_details(module.loads, document) for module in BINDINGS}
        kinds = {binding: kind_of(details) for binding, details in loaded.items()}
        agree(f"loads({document!r})", kinds, json_outcome(json.loads, document))
        agree(f"loads({document!r}), messages", loaded, next(iter(loaded.values())))
        try:
            value = json.loads(document)
        except Exception:  # noqa: BLE001 - every binding refused it too, as agreed above
            continue
        dumped = {
            module.__name__: kind_of(error_details(module.dumps, value, exact_str))
            for module in BINDINGS
        }
        agree(f"dumps({value!r})", dumped, dumps_outcome(json.dumps, value))


def test_one_input(data: bytes) -> None:
    """libFuzzer's entry point: one input, every binding, one outcome."""
    name = name_from(data)
    outcomes = {module.__name__: outcome(module.greet, name) for module in BINDINGS}
    agree(f"greet({name!r})", outcomes, expected_greet(name))
    split = {module.__name__: kind(module.split, name) for module in BINDINGS}
    agree(f"split({name!r})", split, expected_split(name))
    # Any int: the first bytes, as a signed number of up to 9 bytes.
    value = int.from_bytes(data[:9], "little", signed=True)
    checksums = {
        module.__name__: (module.checksum(data), module.checksum(data, value))
        for module in BINDINGS
    }
    agree(f"checksum({data!r}, {value})", checksums, (zlib.crc32(data), zlib.crc32(data, value)))
    counted = {module.__name__: count_words(module.WordCounter(), name) for module in BINDINGS}
    agree(f"WordCounter adds of {name!r}", counted, count_words(CounterOracle(), name))
    json_agrees(data, name)


def main() -> None:
    """Check the setup, then hand control to libFuzzer."""
    if len(BINDINGS) < 2:
        sys.exit(f"fuzzing compares bindings: HI_BINDINGS names {len(BINDINGS)}")
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
