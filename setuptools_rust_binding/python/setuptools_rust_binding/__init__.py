"""shared_rust exposed with PyO3 (built by setuptools-rust).

``hi``, ``greet``, ``split``, ``checksum``, ``WordCounter``, ``loads`` and
``dumps``: docs/contract.md.
"""

from ._native import WordCounter, checksum, dumps, greet, hi, loads, split
from ._native import __version__ as __version__  # re-exported, not in __all__

__all__ = ["hi", "greet", "split", "checksum", "WordCounter", "loads", "dumps"]
