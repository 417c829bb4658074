"""What the two C ABI packages share: written once, carried by each.

``cffi_binding`` and ``ctypes_binding`` call the same C ABI (``hi_c_abi.h``)
and raise what the PyO3 bindings raise, so the parts that do not depend on
cffi or ctypes are the same text in both: this file. Each package carries its
own copy, because each must build and install alone from its sdist, which
holds only its own folder; ``tests/test_copies.py`` fails when the two copies
differ. Nothing here imports cffi or ctypes.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Iterable, Mapping

__all__ = [
    "KEEP",
    "SMALL",
    "PanicException",
    "errors",
    "mask",
    "not_callable",
    "not_str",
    "utf8",
]


class PanicException(BaseException):
    """Rust panicked inside the library; the message is the panic's.

    Like PyO3's ``pyo3_runtime.PanicException``, a ``BaseException``: a panic
    is a bug, not an error that ``except Exception`` should swallow.
    """


# The statuses whose exception is not ValueError, by their name in the header.
# Every other status but OK is an argument Rust refused, which PyO3 raises as
# ValueError with Rust's message. HI_STATUS_STOPPED never reaches Python: the
# packages pass no HiKeep, so nothing stops. The json statuses raise what
# json raises; the two whose exception takes more than a message
# (JSONDecodeError, UnicodeDecodeError) are made by _flat.load_error, and
# HI_STATUS_FLAT_UNSUPPORTED makes dumps flatten again before it raises.
_NOT_VALUE_ERRORS: dict[str, type[BaseException]] = {
    "HI_STATUS_PANIC": PanicException,
    "HI_STATUS_STOPPED": RuntimeError,
    "HI_STATUS_JSON_SYNTAX": json.JSONDecodeError,
    "HI_STATUS_JSON_DECODE": UnicodeDecodeError,
    "HI_STATUS_JSON_TOO_DEEP": RecursionError,
    "HI_STATUS_JSON_TYPE": TypeError,
    "HI_STATUS_TOO_LARGE": OverflowError,
}


def errors(statuses: Mapping[str, int]) -> dict[int, type[BaseException]]:
    """The exception for every status but OK, from the header's ``enum HiStatus``.

    ``statuses`` maps each ``HI_STATUS_*`` name to its value, as the package
    reads them from the library's header; the table follows it, so a status
    added in Rust is mapped here without an edit.
    """
    missing = (_NOT_VALUE_ERRORS.keys() | {"HI_STATUS_OK"}) - statuses.keys()
    if missing:
        raise ImportError(f"hi_c_abi.h lacks the statuses {sorted(missing)}")
    return {
        value: _NOT_VALUE_ERRORS.get(name, ValueError)
        for name, value in statuses.items()
        if name != "HI_STATUS_OK"
    }


# Buffers that Rust writes into (greetings, word spans) are kept between calls
# in a list, each with the C struct that describes it to Rust (set once): a
# fresh buffer costs as much as the call itself, and at 1 MiB and more a fresh
# one on every call is what makes glibc map, fault in and unmap pages each
# time (docs/c-abi.md). A call takes a buffer off the list, so it owns it alone
# (the library may run with the GIL released, and a signal handler may call in
# the middle of another call), and puts it back when done: the list holds at
# most one buffer per call that ran at the same time. A buffer that is too
# small is replaced by one of the size needed; one larger than KEEP bytes is
# used once and freed. Below SMALL bytes a call's text is copied out whole,
# above it read in place.
SMALL = 4096
# glibc's malloc keeps freed blocks of up to 32 MiB in its heap (the ceiling of
# its dynamic mmap threshold on 64-bit): the same bound for what is kept here.
KEEP = 32 << 20

_encode = str.encode
_truth = operator.truth


def not_str(function: str, argument: str, value: object) -> TypeError:
    """The TypeError PyO3 raises for a non-str argument, with its message."""
    return TypeError(f"{function}() argument '{argument}' must be str, not {type(value).__name__}")


def utf8(text: str, function: str, argument: str) -> bytes:
    """``text`` as UTF-8, or the TypeError (or UnicodeEncodeError) PyO3 raises."""
    try:
        # str.encode rather than text.encode: it refuses non-str with a
        # TypeError, and a lone surrogate with UnicodeEncodeError, as PyO3 does.
        return _encode(text)
    except TypeError:
        raise not_str(function, argument, text) from None


def not_callable(keep: object) -> TypeError:
    """The TypeError of ``WordCounter.add`` for a ``keep`` that is neither None nor callable."""
    return TypeError(f"keep must be None or callable, not {type(keep).__name__}")


def mask(keep: Callable[[str], object], words: Iterable[str]) -> bytes:
    """One byte a word, in order: 1 where ``keep(word)`` is true, else 0.

    ``keep`` is called here, in Python, once per word: an exception it (or its
    result's truth value) raises leaves as it is, before Rust counts anything
    (``hi_counter_add_mask`` then counts the kept words all at once).
    """
    # A comprehension, not map(): a StopIteration from keep must leave add as
    # raised, not end the iteration.
    return bytes([_truth(keep(word)) for word in words])
