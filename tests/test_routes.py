"""routes.toml is the one list of routes: everything else that must name them agrees.

tox.ini cannot read routes.toml, so it names each route's env, packaging env
and package; the Cargo workspace names each route's crate. These checks fail
as soon as a route is added to, or dropped from, one place and not the other.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest

from routes import FILE, ROUTES, load

ROOT = FILE.parent
TOX = configparser.ConfigParser(interpolation=None)
TOX.read(ROOT / "tox.ini", encoding="utf-8")


def factor_lines(section: str, key: str) -> dict[str, str]:
    """The ``factor: value`` lines of a tox.ini setting, as a dict."""
    lines = TOX[section][key].strip().splitlines()
    return dict(line.strip().split(": ", 1) for line in lines if ": " in line)


def listed(value: str) -> list[str]:
    """A comma-separated tox list."""
    return [item.strip() for item in value.split(",") if item.strip()]


def test_every_route_has_its_folder() -> None:
    for route in ROUTES:
        assert (ROOT / route.name / "pyproject.toml").is_file(), route.name
        assert (ROOT / route.name / "README.md").is_file(), route.name


def test_the_everyday_run_tests_every_route() -> None:
    # In the order tox.ini chooses for `tox p` (it says why), each route once.
    envs = {r.env for r in ROUTES}
    assert sorted(env for env in listed(TOX["tox"]["env_list"]) if env in envs) == sorted(envs)
    # The side-by-side env waits for every route's own env.
    assert sorted(listed(TOX["testenv:cross"]["depends"])) == sorted(envs)


def test_each_route_env_builds_its_own_package() -> None:
    package_envs = factor_lines("testenv", "package_env")
    bindings = factor_lines("testenv", "set_env")
    assert package_envs == {r.env: f".pkg-{r.env}" for r in ROUTES}
    assert bindings == {r.env: f"HI_BINDINGS = {r.name}" for r in ROUTES}
    roots = factor_lines("pkgenv", "package_root")
    assert roots == {r.env: f"{{tox_root}}{{/}}{r.name}" for r in ROUTES}


def test_side_by_side_envs_install_every_route() -> None:
    names = {route.name for route in ROUTES}
    set_env = TOX["testenv:cross"]["set_env"]
    (line,) = [line for line in set_env.splitlines() if "HI_BINDINGS" in line]
    assert set(listed(line.split("=", 1)[1])) == names


def expand(pattern: str) -> list[str]:
    """tox's brace expansion: ``py{39,310}-{a,b}`` -> py39-a, py39-b, py310-a, py310-b."""
    found = re.search(r"\{([^{}]*)\}", pattern)
    if found is None:
        return [pattern]
    head, tail = pattern[: found.start()], pattern[found.end() :]
    return [name for choice in listed(found.group(1)) for name in expand(head + choice + tail)]


def test_pypy_envs_are_the_routes_that_run_on_pypy_39() -> None:
    proofs = listed(TOX["tox"]["labels"].split("proofs =", 1)[1].splitlines()[0])
    pypy = {env.split("-", 1)[1] for env in proofs if env.startswith("pypy3-")}
    assert pypy == {r.env for r in ROUTES if r.oldest("pypy") <= (3, 9)}


def test_every_python_version_tests_every_route() -> None:
    (label,) = [
        line.split("=", 1)[1]
        for line in TOX["tox"]["labels"].splitlines()
        if line.strip().startswith("pythons")
    ]
    # Commas inside braces belong to the braces.
    patterns = re.findall(r"[^,\s{]*(?:\{[^}]*\}[^,\s{]*)*", label)
    envs = {env for pattern in patterns if pattern for env in expand(pattern)}
    for route in ROUTES:
        # Every version from the oldest its package supports to 3.14, no other.
        oldest = route.oldest("cpython")[1]
        versions = {env.split("-")[0] for env in envs if env.endswith(f"-{route.env}")}
        assert versions == {f"py3{minor}" for minor in range(oldest, 15)}, route.name
    assert {env.split("-", 1)[1] for env in envs} == {r.env for r in ROUTES}


def test_the_cargo_workspace_builds_every_route() -> None:
    cargo = (ROOT / "Cargo.toml").read_text(encoding="utf-8")
    members = re.search(r"members\s*=\s*\[([^\]]*)\]", cargo)
    assert members is not None
    crates = set(re.findall(r'"([^"]+)"', members.group(1)))
    assert {route.name for route in ROUTES} <= crates


def test_a_leak_claim_names_its_versions_in_a_list(tmp_path: Path) -> None:
    # "8.0" as a bare string would match no version, silently.
    text = FILE.read_text(encoding="utf-8").replace('leaks_on = ["7.3", "8.0"]', 'leaks_on = "8.0"')
    assert text != FILE.read_text(encoding="utf-8")
    (tmp_path / "routes.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="leaks_on must be a list"):
        load(tmp_path / "routes.toml")
