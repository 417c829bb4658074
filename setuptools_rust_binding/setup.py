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

from setuptools import setup  # noqa: E402
from standalone_sdist import StandaloneSdist  # noqa: E402

setup(cmdclass={"sdist": StandaloneSdist})
