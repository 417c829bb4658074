"""shared_rust's ``hi()`` and ``greet(name)``, exposed with PyO3 (built by setuptools-rust)."""

from ._native import __version__, greet, hi

__all__ = ["hi", "greet"]
