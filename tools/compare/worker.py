"""One fresh process of the shared per-call rounds: it times every benchmark
it is given, interleaved, and writes the values as JSON. Or, with ``count``,
it runs each benchmark between marks for valgrind to count its instructions.

Run by ``runtime.time_together`` as ``python -I worker.py SPEC OUT INDEX``,
and by ``runtime.count_instructions`` as ``python -I worker.py count SPEC
OUT`` under callgrind, with the measuring venv's interpreter; standard
library only, so nothing but what is measured is imported. SPEC holds the
benchmarks (setup, statement, teardown), the loops of each (none: calibrate
them here, as pyperf does, by doubling until a value lasts ``min_time``),
the values to keep and the warm-ups. OUT gets, per benchmark, its loops,
its warm-up and kept values in seconds per loop, or the error that stopped
it (the others go on).

Why not one pyperf ``timeit`` per benchmark: on this machine a process runs
at one of two speeds for its whole life, Python and C calls alike (about
2x apart, docs/methodology.md). Timed in processes of their own, a call and
the baseline it is divided by can land on different speeds; timed in the
same processes, every benchmark meets the same ones.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import textwrap
import time
import traceback
from typing import Any, Callable

# timeit's own template, with a teardown: the setup runs before each value, the
# statement `loops` times between two clock reads, the teardown after. The loop
# runs over itertools.repeat, as timeit's does: no int object made per pass.
TEMPLATE = """
def inner(_loops, _timer):
{setup}
    _it = _repeat(None, _loops)
    _t0 = _timer()
    for _ in _it:
{stmt}
    _t1 = _timer()
{teardown}
    return _t1 - _t0
"""


def compile_bench(bench: dict[str, str]) -> Callable[[int], float]:
    """A function of ``loops`` that returns the seconds they took."""
    source = TEMPLATE.format(
        **{k: textwrap.indent(bench[k] or "pass", " " * (8 if k == "stmt" else 4)) for k in bench}
    )
    namespace: dict[str, Any] = {"_repeat": itertools.repeat}
    exec(compile(source, "<benchmark>", "exec"), namespace)
    inner = namespace["inner"]
    return lambda loops: inner(loops, time.perf_counter)


def calibrate(timer: Callable[[int], float], min_time: float) -> int:
    """The fewest loops, a power of two, whose value lasts ``min_time``."""
    loops = 1
    while timer(loops) < min_time:
        loops *= 2
    return loops


def last_line(error: BaseException) -> str:
    """The error as one line, as a traceback ends."""
    return traceback.format_exception_only(type(error), error)[-1].strip()


def main(spec_path: str, out_path: str, index: int) -> None:
    """Time every benchmark of the spec; write what was measured."""
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    found: dict[str, dict[str, Any]] = {}
    timers: dict[str, Callable[[int], float]] = {}
    for name, bench in spec["benches"].items():
        try:
            timers[name] = compile_bench(bench)
            loops = spec["loops"].get(name) or calibrate(timers[name], spec["min_time"])
        except Exception as error:  # noqa: BLE001 (any error of a benchmark is its own)
            found[name] = {"error": last_line(error)}
            timers.pop(name, None)
            continue
        found[name] = {"loops": loops, "warmups": [], "values": []}
    names = list(timers)
    # Warm-ups, then the values: each pass over the benchmarks starts with
    # another one, and each process with another still, so that a slow patch
    # of the (shared) machine falls on every benchmark alike.
    passes = [("warmups", i) for i in range(spec["warmups"])]
    passes += [("values", i) for i in range(spec["values"])]
    for n, (kind, _) in enumerate(passes):
        k = (index * len(passes) + n) % max(len(names), 1)
        for name in names[k:] + names[:k]:
            if "error" in found[name]:
                continue
            loops = found[name]["loops"]
            try:
                found[name][kind].append(timers[name](loops) / loops)
            except Exception as error:  # noqa: BLE001 (as above)
                found[name] = {"error": last_line(error)}
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(found, f)


def count(spec_path: str, out_path: str) -> None:
    """Run each benchmark ``n`` then ``2 n`` times, between calls of
    ``os.getppid``, whose C library function callgrind is told to dump its
    counters before (``--dump-before=getppid``): the instructions of one
    statement are the second block's count less the first's, over ``n``, so
    the setup and the timing loop's own start cancel out. Three marks per benchmark, in
    the order the benchmarks are listed in OUT."""
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    mark, n = os.getppid, spec["loops"]
    found: dict[str, Any] = {"marked": [], "errors": {}}
    for name, bench in spec["benches"].items():
        try:
            timer = compile_bench(bench)
            timer(max(n // 10, 1))  # warm-up, and a failure here leaves no marks
        except Exception as error:  # noqa: BLE001 (as above)
            found["errors"][name] = last_line(error)
            continue
        found["marked"].append(name)
        mark()
        for loops in (n, 2 * n):
            try:
                timer(loops)
            except Exception as error:  # noqa: BLE001 (as above)
                found["errors"][name] = last_line(error)
            mark()
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(found, f)


if __name__ == "__main__":
    if sys.argv[1] == "count":
        count(sys.argv[2], sys.argv[3])
    else:
        main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
