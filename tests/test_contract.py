"""Every line of the Python API in docs/contract.md, on every binding under test."""

from __future__ import annotations

import importlib.metadata
import importlib.resources
from types import ModuleType
from typing import Any

import pytest

from cases import (
    EMPTY_NAME_MESSAGE,
    GOOD_NAMES,
    HELLO,
    LONE_SURROGATES,
    MIB,
    TYPE_ERROR_CALLS,
)
from routes import BY_NAME


def test_hi_returns_the_greeting(binding: ModuleType) -> None:
    result = binding.hi()
    assert type(result) is str
    assert result == HELLO


@pytest.mark.parametrize("name", GOOD_NAMES.values(), ids=GOOD_NAMES.keys())
def test_greet_round_trips_any_text(binding: ModuleType, name: str) -> None:
    result = binding.greet(name)
    assert type(result) is str
    # Compared whole: nothing cut at a NUL, nothing re-encoded.
    assert result == f"Hello, {name}!"


# Name lengths in an order that makes any buffer a binding keeps between calls
# grow, serve a shorter name, outgrow the largest size kept (the C ABI
# wrappers keep buffers of up to 32 MiB, docs/c-abi.md) and serve the call
# after an error (0: the empty name).
OUTGROWN = 33 * MIB
SIZE_ORDER = (5, 70_000, 3, 2 * MIB, 0, 100, OUTGROWN, 7, MIB + 1, 4096, 0, 2)


def test_greet_is_right_whatever_came_before(binding: ModuleType) -> None:
    # Only the C ABI wrappers keep a buffer to outgrow; the other routes get
    # 16 MiB names in test_greet_round_trips_any_text. (Through UniFFI on
    # PyPy 3.11, the 33 MiB call is most of this test's time.)
    keeps_buffers = BY_NAME[binding.__name__].c_abi
    for i, size in enumerate(SIZE_ORDER):
        if size == OUTGROWN and not keeps_buffers:
            continue
        if not size:
            with pytest.raises(ValueError, match=EMPTY_NAME_MESSAGE):
                binding.greet("")
            continue
        # A different text each call, half of it 2 bytes a character: what a
        # longer earlier greeting left in a buffer cannot pass for this one.
        name = (chr(ord("a") + i) + "é") * (size // 2) + "z" * (size % 2)
        assert binding.greet(name) == f"Hello, {name}!", f"call {i}, {size} characters"


def test_greet_takes_name_by_keyword(binding: ModuleType) -> None:
    assert binding.greet(name="world") == "Hello, world!"


def test_greet_accepts_str_subclasses(binding: ModuleType) -> None:
    class Name(str):
        pass

    assert binding.greet(Name("world")) == "Hello, world!"


def test_greet_refuses_the_empty_name(binding: ModuleType) -> None:
    with pytest.raises(ValueError) as info:  # noqa: PT011 - the message is compared whole below
        binding.greet("")
    assert type(info.value) is ValueError
    assert str(info.value) == EMPTY_NAME_MESSAGE


@pytest.mark.parametrize("name", LONE_SURROGATES.values(), ids=LONE_SURROGATES.keys())
def test_greet_refuses_lone_surrogates(binding: ModuleType, name: str) -> None:
    with pytest.raises(UnicodeEncodeError) as info:
        binding.greet(name)
    assert info.value.encoding == "utf-8"
    assert info.value.reason == "surrogates not allowed"


@pytest.mark.parametrize(
    ("function", "args", "kwargs"),
    TYPE_ERROR_CALLS.values(),
    ids=TYPE_ERROR_CALLS.keys(),
)
def test_wrong_argument_types_and_counts_raise_type_error(
    binding: ModuleType, function: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(TypeError) as info:
        getattr(binding, function)(*args, **kwargs)
    assert type(info.value) is TypeError


def test_all_names_the_api(binding: ModuleType) -> None:
    assert binding.__all__ == ["hi", "greet", "split", "checksum", "WordCounter", "loads", "dumps"]
    assert all(callable(getattr(binding, name)) for name in binding.__all__)
    assert isinstance(binding.WordCounter, type)


def test_functions_are_the_packages_own(binding: ModuleType) -> None:
    # No binding may re-export another's functions or class: each comes from
    # the package itself or its own _native module (a PyO3 class says
    # "builtins" unless told its module).
    for name in binding.__all__:
        module = getattr(binding, name).__module__
        assert module == binding.__name__ or module.startswith(f"{binding.__name__}."), module


def test_version_is_the_package_version(binding: ModuleType) -> None:
    assert binding.__version__ == importlib.metadata.version(binding.__name__)


def test_package_ships_types(binding: ModuleType) -> None:
    files = importlib.resources.files(binding.__name__)
    assert files.joinpath("py.typed").is_file()
    # The native part's stub: beside an extension module, or inside a package
    # (type checkers prefer a package over a .pyi beside it).
    stubs = (files.joinpath("_native.pyi"), files.joinpath("_native").joinpath("__init__.pyi"))
    assert any(stub.is_file() for stub in stubs)


def test_package_has_one_native_module(binding: ModuleType) -> None:
    # A stale extension left in a build directory (say a cp311 .so beside a
    # new abi3 one) would be imported instead of the fresh one.
    files = importlib.resources.files(binding.__name__)
    native = [
        entry.name
        for entry in files.iterdir()
        if entry.name.startswith("_native") and not entry.name.endswith(".pyi")
    ]
    assert len(native) == 1, native
