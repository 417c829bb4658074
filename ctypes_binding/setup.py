"""ctypes_binding's two additions to setuptools: the wheel tag and the sdist.

Everything else is configured in pyproject.toml.

- The wheel is ``py3-none-<platform>``. setuptools tags any wheel that holds a
  compiled file ``cp3XX-cp3XX-<platform>``, as if it were a CPython extension;
  this library never touches CPython's ABI (ctypes loads it), so one wheel
  serves every Python 3. ``bdist_wheel.get_tag`` is the hook setuptools and
  wheel document for a custom tag.
- The sdist builds on its own: setuptools-rust carries no path dependency
  (PyO3/setuptools-rust#507). That step is shared with
  setuptools_rust_binding: ``standalone_sdist.py`` (in the repository's
  ``tools/``; in an sdist, beside this file) says what it does.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# An unpacked sdist carries standalone_sdist.py beside this file; the
# repository keeps the one copy in tools/.
sys.path[:0] = [str(HERE), str(HERE.parent / "tools")]

from setuptools import setup  # noqa: E402
from setuptools.command.bdist_wheel import bdist_wheel  # noqa: E402
from standalone_sdist import StandaloneSdist  # noqa: E402


class PlatformWheel(bdist_wheel):
    """A wheel for any Python 3 on this platform: ``py3-none-<platform>``."""

    def get_tag(self) -> tuple[str, str, str]:
        """Keep the platform tag; any Python 3, no Python ABI."""
        _, _, platform = super().get_tag()
        return "py3", "none", platform


setup(cmdclass={"sdist": StandaloneSdist, "bdist_wheel": PlatformWheel})
