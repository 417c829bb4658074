"""Files that two packages must each carry stay the same text.

Each package builds and installs alone from its sdist, which holds only its
own folder (and the crates it depends on), so a piece that two routes share
cannot live in one file that both use: each carries a copy. These tests fail
as soon as one copy changes and the other does not, as c_abi/tests/header.rs
does for the C header. They read the repository's files, so they run the same
wherever the suite runs.
"""

from __future__ import annotations

import ast
import importlib
import importlib.resources

import pytest
from conftest import C_ABI_BINDINGS

from routes import FILE

ROOT = FILE.parent

# Each group: one text, kept in every path listed.
COPIES = {
    # The PyO3 glue: the two PyO3 routes differ only in how they build it.
    "pyo3 glue": ("pyo3_binding/src/lib.rs", "setuptools_rust_binding/src/lib.rs"),
    "pyo3 stub": (
        "pyo3_binding/python/pyo3_binding/_native.pyi",
        "setuptools_rust_binding/python/setuptools_rust_binding/_native.pyi",
    ),
    # What the two C ABI packages share that knows neither cffi nor ctypes.
    "C ABI helpers": (
        "cffi_binding/python/cffi_binding/_common.py",
        "ctypes_binding/python/ctypes_binding/_common.py",
    ),
    # Python's half of loads and dumps through the flat encoding
    # (shared_rust/src/json/flat.rs): every route that crosses with it.
    "flat encoding": (
        "cffi_binding/python/cffi_binding/_flat.py",
        "ctypes_binding/python/ctypes_binding/_flat.py",
        "uniffi_binding/python/uniffi_binding/_flat.py",
    ),
}


@pytest.mark.parametrize("paths", COPIES.values(), ids=COPIES.keys())
def test_copies_are_identical(paths: tuple[str, ...]) -> None:
    first, *others = paths
    expected = (ROOT / first).read_bytes()
    for other in others:
        assert (ROOT / other).read_bytes() == expected, f"{other} differs from {first}"


def class_source(path: str, name: str) -> str:
    """The class ``name`` defined in ``path``, as a normalised syntax tree."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    (found,) = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == name]
    return ast.dump(found)


def test_every_panic_exception_is_the_same_class() -> None:
    # uniffi_binding defines its own (its package shares no file with the C
    # ABI ones); the same name, base and docstring in every route.
    shared = class_source("cffi_binding/python/cffi_binding/_common.py", "PanicException")
    assert class_source("uniffi_binding/python/uniffi_binding/__init__.py", "PanicException") == (
        shared
    )


def header_statuses(binding: str) -> dict[str, int]:
    """``enum HiStatus`` of the header an installed C ABI package ships."""
    header = importlib.resources.files(binding).joinpath("hi_c_abi.h").read_text("utf-8")
    statuses = {}
    for line in header.splitlines():
        name, equals, value = line.strip().rstrip(",").partition(" = ")
        if name.startswith("HI_STATUS_") and equals:
            statuses[name] = int(value)
    return statuses


@pytest.mark.c_abi
@pytest.mark.parametrize("name", C_ABI_BINDINGS)
def test_every_status_has_its_exception(name: str) -> None:
    # The table comes from the header (Rust's enum): every status but OK has
    # an exception, a panic is the package's PanicException, and a status
    # added in Rust cannot go unmapped.
    statuses = header_statuses(name)
    assert statuses["HI_STATUS_OK"] == 0
    module = importlib.import_module(name)
    errors = module._ERRORS
    assert set(errors) == set(statuses.values()) - {0}
    assert errors[statuses["HI_STATUS_PANIC"]] is module.PanicException
    assert issubclass(module.PanicException, BaseException)
    assert not issubclass(module.PanicException, Exception)
    assert errors[statuses["HI_STATUS_EMPTY_NAME"]] is ValueError
