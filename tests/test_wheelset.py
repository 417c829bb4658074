"""The wheels each route publishes: routes.toml's set (``wheel_tag`` and each
``runs_on`` entry's ``wheels``) against the wheels that passed the matrix
(``tox -e interpreters``, results/interpreters.json), compared by
tools/matrix/wheelset.py. The comparison with a real run is the matrix's own,
at its end: this suite runs inside the matrix, so it cannot read that run's
results."""

from __future__ import annotations

from typing import Any

import pytest
from matrix import wheelset

from routes import ROUTES

DECLARED = {route.name: wheelset.declared(route.wheel_tag, route.runs_on) for route in ROUTES}


def report_of(passed: dict[str, dict[str, str]]) -> dict[str, Any]:
    """A matrix summary in which each interpreter (name: {route: wheel file})
    passed those routes from those wheels."""
    return {
        "interpreters": [
            {"name": name, "routes": {r: {"outcome": "passed", "wheel": w} for r, w in ran.items()}}
            for name, ran in passed.items()
        ]
    }


def test_a_wheel_file_name_gives_its_python_and_abi_tags() -> None:
    assert wheelset.tag("p-0.1.0-cp315-abi3.abi3t-manylinux_2_34_x86_64.whl") == "cp315-abi3.abi3t"
    assert wheelset.tag("p-0.1.0-py3-none-manylinux_2_34_x86_64.whl") == "py3-none"
    assert wheelset.tag("p-0.1.0-pp311-pypy311_pp80-linux_x86_64.whl") == "pp311-pypy311_pp80"
    with pytest.raises(ValueError, match="not a wheel"):
        wheelset.tag("p-0.1.0.tar.gz")


def test_the_pyo3_routes_publish_abi3_free_threaded_and_pypy_wheels() -> None:
    # PyO3's guide: abi3 for the oldest version, cp314t, abi3t from 3.15, PyPy.
    assert DECLARED["pyo3_binding"] == [
        "cp311-abi3",
        "cp314-cp314t",
        "cp315-abi3.abi3t",
        "pp311-pypy311_pp80",
    ]
    # setuptools-rust's abi3t wheel would be tagged cp311-abi3.abi3t: it
    # publishes a version-specific wheel per free-threaded Python instead.
    assert DECLARED["setuptools_rust_binding"] == [
        "cp311-abi3",
        "cp314-cp314t",
        "cp315-cp315t",
        "pp311-pypy311_pp80",
    ]
    for name in ("cffi_binding", "ctypes_binding", "uniffi_binding"):
        assert DECLARED[name] == ["py3-none"], name


def test_the_check_catches_a_wheel_routes_toml_does_not_list_and_one_that_never_passed() -> None:
    declared = {"r": ["cp311-abi3", "cp314-cp314t"]}
    agrees = report_of(
        {
            "python3.14": {"r": "r-0.1.0-cp311-abi3-linux_x86_64.whl"},
            "python3.14t": {"r": "r-0.1.0-cp314-cp314t-linux_x86_64.whl"},
        }
    )
    assert wheelset.disagreements(agrees, declared, complete=True) == []
    extra = report_of({"python3.15": {"r": "r-0.1.0-cp315-abi3.abi3t-linux_x86_64.whl"}})
    wrong = wheelset.disagreements(extra, declared, complete=True)
    assert wrong[0] == (
        "r: the wheel cp315-abi3.abi3t passed on python3.15, but routes.toml does not list it"
    )
    assert wrong[1:] == [
        "r: routes.toml lists the wheel cp311-abi3, which passed nowhere",
        "r: routes.toml lists the wheel cp314-cp314t, which passed nowhere",
    ]
    # A run that left an interpreter out cannot show every wheel passing.
    assert wheelset.disagreements(extra, declared, complete=False) == wrong[:1]
