"""All bindings imported together, in one interpreter, behave as one."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TypeVar

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cases import GOOD_NAMES, HELLO, LONE_SURROGATES, MIB, expected_greet, outcome

pytestmark = pytest.mark.cross

# Hypothesis's default text is valid Unicode only: it almost never yields a
# lone surrogate, and neither does text() over an alphabet that merely
# includes category Cs (it weighs the 2,048 surrogates against the whole
# code space). So the names come from st.text() (with its NUL, whitespace
# and edge-case heuristics), from text over every code point, and from
# strings built character by character, each one a surrogate about half
# the time.
ANY_CHARACTER = st.characters(codec=None)
SURROGATE = st.characters(categories=["Cs"])
NAMES = st.one_of(
    st.text(),
    st.text(alphabet=ANY_CHARACTER),
    st.lists(st.one_of(ANY_CHARACTER, SURROGATE)).map("".join),
)

# Tried in every run before any generated name: the empty name and the
# contract's own cases up to the 1 MiB scale (the 16 MiB ones are tested per
# binding in test_contract.py).
EXPLICIT_NAMES = [
    "",
    *(name for name in GOOD_NAMES.values() if len(name) <= MIB),
    *LONE_SURROGATES.values(),
]

F = TypeVar("F", bound=Callable[..., None])


def with_explicit_names(test: F) -> F:
    """Add every name of EXPLICIT_NAMES to ``test`` as a Hypothesis example."""
    for name in EXPLICIT_NAMES:
        test = example(name=name)(test)
    return test


def test_all_bindings_say_hi_alike(all_bindings: list[ModuleType]) -> None:
    assert {module.hi() for module in all_bindings} == {HELLO}


@given(name=NAMES)
@with_explicit_names
def test_greet_agrees_on_any_str(all_bindings: list[ModuleType], name: str) -> None:
    outcomes = {module.__name__: outcome(module.greet, name) for module in all_bindings}
    # Differential: the same result, or the same exception type and message.
    assert len(set(outcomes.values())) == 1, outcomes
    # And what they agree on is what the contract says.
    assert next(iter(outcomes.values())) == expected_greet(name)
