"""shared_rust's ``hi()`` and ``greet(name)``, exposed with PyO3 (built by setuptools-rust)."""

from ._native import __version__ as __version__  # re-exported, not in __all__
from ._native import greet, hi

__all__ = ["hi", "greet"]
