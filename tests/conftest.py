"""One fixture, every binding: each test runs once per binding under test.

Which bindings are under test comes from ``HI_BINDINGS`` (comma-separated
module names; tox sets it per environment). A binding named there that does
not import is an error, never a skip. Without ``HI_BINDINGS``, every binding
that is installed is tested, and finding none is an error.

Hypothesis profiles: ``default`` is quick enough for every tox run;
``thorough`` (``HYPOTHESIS_PROFILE=thorough``, set by ``tox -e thorough``)
tries at least 10,000 generated inputs per property.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from types import ModuleType

import pytest
from hypothesis import settings

from routes import BY_NAME, NAMES

# No deadline in either profile: tests assert behaviour, never timing (a 1 MiB
# example on a loaded machine is slow, not wrong). print_blob: a failure in CI
# prints the line that replays it.
settings.register_profile("default", max_examples=300, deadline=None, print_blob=True)
settings.register_profile("thorough", max_examples=10_000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Every route's package, from routes.toml (pytest puts tools/ on the path).
ALL_BINDINGS = NAMES


def _bindings_under_test() -> list[str]:
    named = os.environ.get("HI_BINDINGS")
    if named:
        return [name.strip() for name in named.split(",") if name.strip()]
    installed = [name for name in ALL_BINDINGS if importlib.util.find_spec(name)]
    if not installed:
        raise pytest.UsageError(f"none of {ALL_BINDINGS} is installed")
    return installed


BINDINGS = _bindings_under_test()
# The bindings under test that expose the shared C ABI.
C_ABI_BINDINGS = [name for name in BINDINGS if BY_NAME[name].c_abi]


@pytest.fixture(params=BINDINGS)
def binding(request: pytest.FixtureRequest) -> ModuleType:
    """The binding module under test (imported, so a broken build fails here)."""
    return importlib.import_module(request.param)


# Session-scoped: it holds only imported modules, and Hypothesis tests may not
# take function-scoped fixtures (they would not be reset between examples).
@pytest.fixture(scope="session")
def all_bindings() -> list[ModuleType]:
    """Every binding under test, imported side by side in one interpreter."""
    if len(BINDINGS) < 2:
        pytest.fail(f"cross-binding tests need two or more bindings, have {BINDINGS}")
    return [importlib.import_module(name) for name in BINDINGS]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect (not skip) C ABI tests where no C ABI route is under test.

    Only the routes with ``c_abi = true`` in routes.toml expose the C ABI; in
    the other bindings' runs those tests have nothing to test, so they are
    reported as deselected.
    """
    if C_ABI_BINDINGS:
        return
    selected = [item for item in items if item.get_closest_marker("c_abi") is None]
    deselected = [item for item in items if item.get_closest_marker("c_abi") is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected
