"""Figures: every number in the report is a median of its samples, with a spread."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Figure:
    """A measured quantity: all its samples and their summary.

    The spread is the median absolute deviation (MAD), the robust partner of
    the median (pyperf reports it too).
    """

    unit: str
    samples: list[float]
    n: int
    median: float
    mad: float
    min: float
    max: float

    @classmethod
    def of(cls, samples: Sequence[float], unit: str = "s") -> Figure:
        """Summarise ``samples``, which must all be positive measurements."""
        values = [float(v) for v in samples]
        if not values or min(values) <= 0:
            raise ValueError(f"a figure needs positive samples, got {values!r}")
        median = statistics.median(values)
        return cls(
            unit=unit,
            samples=values,
            n=len(values),
            median=median,
            mad=statistics.median(abs(v - median) for v in values),
            min=min(values),
            max=max(values),
        )


@dataclass(frozen=True)
class NotMeasured:
    """Stands where a figure or a check was not taken, saying why."""

    not_measured: str


@dataclass(frozen=True)
class Check:
    """A yes/no finding, with what was seen (the error line when it is no)."""

    ok: bool
    detail: str


# Union, not "|": these aliases are evaluated at run time, and Python 3.9
# (the oldest this project supports) has no "|" between classes.
Measure = Union[Figure, NotMeasured]
Finding = Union[Check, NotMeasured]
