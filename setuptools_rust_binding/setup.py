"""Make setuptools_rust_binding's sdist build on its own.

Everything else is configured in pyproject.toml; this file only adds the sdist
step that setuptools-rust leaves out (PyO3/setuptools-rust#507). That step is
shared with ctypes_binding: ``standalone_sdist.py`` (in the repository's
``tools/``; in an sdist, beside this file) says what it does.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# An unpacked sdist carries standalone_sdist.py beside this file; the
# repository keeps the one copy in tools/.
sys.path[:0] = [str(HERE), str(HERE.parent / "tools")]

import os  # noqa: E402
import sysconfig  # noqa: E402

from setuptools import setup  # noqa: E402
from setuptools.command.bdist_wheel import bdist_wheel  # noqa: E402
from standalone_sdist import StandaloneSdist  # noqa: E402

# setuptools-rust hands cargo PYO3_PYTHON = the running interpreter, which in
# an isolated build (pip, `python -m build`) is a fresh venv's at a new path
# each time: pyo3's build script reruns on that change, and pyo3 recompiles on
# every build, even with nothing changed. This documented switch
# passes the venv's base interpreter instead: the same Python, at a path that
# stays put, so cargo reuses pyo3. A builder's own value wins.
os.environ.setdefault("SETUPTOOLS_RUST_PEP517_USE_BASE_PYTHON", "1")


class BdistWheel(bdist_wheel):
    """pyproject.toml asks for one abi3 wheel (``py-limited-api = "cp311"``),
    which setuptools-rust follows (``py-limited-api = "auto"``). A
    free-threaded build gets a version-specific wheel (``cp314t``,
    ``cp315t``) instead: before 3.15 setuptools refuses abi3 there, and from
    3.15 it tags the abi3t wheel ``cp311-abi3.abi3t``, which pip installs on
    CPython 3.11, where its ``.abi3t.so`` module cannot be imported (3.11
    knows no such suffix). A wheel that a maintainer publishes must not
    carry that tag."""

    def finalize_options(self) -> None:
        if sysconfig.get_config_var("Py_GIL_DISABLED"):
            self.py_limited_api = False
        super().finalize_options()


setup(cmdclass={"sdist": StandaloneSdist, "bdist_wheel": BdistWheel})
