"""All bindings imported together, in one interpreter, behave as one."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest

from cases import GOOD_NAMES, HELLO, LONE_SURROGATES, NOT_STR

pytestmark = pytest.mark.cross


def outcome(func: Any, *args: Any) -> tuple[str, str]:
    """What a call did: ("ok", result) or (exception type, message)."""
    try:
        return ("ok", func(*args))
    except Exception as exc:  # noqa: BLE001 - the exception is the outcome
        return (type(exc).__name__, str(exc))


def test_all_bindings_say_hi_alike(all_bindings: list[ModuleType]) -> None:
    assert {module.hi() for module in all_bindings} == {HELLO}


def test_bindings_are_distinct_builds(all_bindings: list[ModuleType]) -> None:
    # Guard against one binding re-exporting another: each has its own file.
    files = {module.__file__ for module in all_bindings}
    assert len(files) == len(all_bindings)


@pytest.mark.parametrize(
    "name",
    [name for name in GOOD_NAMES.values() if len(name) < 1000] + [""],
    ids=[key for key, name in GOOD_NAMES.items() if len(name) < 1000] + ["empty"],
)
def test_greet_results_and_errors_agree(all_bindings: list[ModuleType], name: str) -> None:
    outcomes = {outcome(module.greet, name) for module in all_bindings}
    assert len(outcomes) == 1, outcomes


@pytest.mark.parametrize(
    "name",
    [*NOT_STR.values(), *LONE_SURROGATES.values()],
    ids=[*NOT_STR.keys(), *LONE_SURROGATES.keys()],
)
def test_bad_input_raises_the_same_type(all_bindings: list[ModuleType], name: Any) -> None:
    # Messages of TypeError and UnicodeEncodeError come from Python, not Rust,
    # and may be worded differently; the type must agree.
    types = {outcome(module.greet, name)[0] for module in all_bindings}
    assert len(types) == 1, types
    assert types != {"ok"}, types
