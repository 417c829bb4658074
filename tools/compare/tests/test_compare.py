"""The comparison's smoke test: one ``--quick`` run, then checks of what it wrote.

No figure is asserted: the machines are noisy. What is checked is that every
figure is a real measurement (recomputed exactly from its raw samples, which
are positive and not all equal), that sizes are those of the files, that the
report shows the figures of results.json and what is derived from them (ratios,
sums, the threads' and the verdict's words, by the rules the report states),
and that quick mode says what it did not measure instead of inventing it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..bindings import PYTHON, ROUTES
from ..builds import CORE, ROOT
from ..calls import CALLS
from ..facts import TOOL_PACKAGES, code_lines
from ..pypy import CANDIDATES
from ..run import ALL, BUILDS, _sections
from ..sections import fmt, fmt_time, number, ratio, times
from ..shell import error_line
from ..sizes import ALPHABETS, PLANS, TUNED, name_of
from ..stats import Figure
from ..steps import MISSING, STEPS
from ..threads import verdict
from ..verdict import RULES

TOOLS = ROOT / "tools"
NAMES = {r.name for r in ROUTES}
TARGETS = NAMES | {PYTHON}
CHARTS = (
    "build_time.png",
    "wheel_size.png",
    "import_time.png",
    "call_latency.png",
    "error_path.png",
    "call_steps.png",
    "size_latency.png",
    "threads.png",
)
QUICK = {"not_measured": "quick"}
HAVE_PYPY = any(shutil.which(p) for p in CANDIDATES)
# How pip wraps a failed build: the real error sits between its own lines.
PIP_BUILD_FAILURE = (
    "  error: subprocess-exited-with-error\n"
    "  │ exit code: 1\n"
    "      error: cannot update the lock file x/Cargo.lock\n"
    "error: metadata-generation-failed\n"
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of one ``python -m compare --quick`` run."""
    folder = tmp_path_factory.mktemp("results")
    core_before = _digest(ROOT / CORE)
    run = subprocess.run(
        [sys.executable, "-m", "compare", "--quick", "--out", str(folder)],
        cwd=TOOLS,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, f"{run.stdout[-6000:]}\n{run.stderr[-6000:]}"
    # The warm rebuild's one-line change happens in a copy, never here.
    assert _digest(ROOT / CORE) == core_before
    return folder


@pytest.fixture(scope="module")
def results(out: Path) -> dict[str, Any]:
    """results.json of the run."""
    loaded: dict[str, Any] = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def report(out: Path) -> str:
    """report.md of the run."""
    return (out / "report.md").read_text(encoding="utf-8")


def _figures(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every figure in results.json, with where it is."""
    if isinstance(node, dict):
        if "samples" in node:
            yield path, node
        else:
            for key, value in node.items():
                yield from _figures(value, f"{path}/{key}")


def _fig(node: dict[str, Any]) -> Figure:
    return Figure(**node)


def test_results_cover_every_route_and_section(results: dict[str, Any]) -> None:
    assert set(results["routes"]) == NAMES
    for part in ("commands", "builds", "compiled", "artifacts", "glue", "dev_install"):
        assert set(results[part]) == NAMES, part
    assert set(results["sdist_alone"]) == set(results["says"]) == NAMES
    sections = results["sections"]
    assert set(sections) == set(ALL) - {"builds", "checks"}
    assert set(results["seconds"]) >= {"builds", "venv", *sections}
    assert set(sections["imports"]) == TARGETS
    assert set(sections["calls"]) == set(CALLS)
    for by_target in sections["calls"].values():
        assert set(by_target) == TARGETS
    assert set(sections["errors"]) == TARGETS
    for fact in ("CPU", "cores", "OS", "Python", "rustc", "cargo", *TOOL_PACKAGES):
        assert results["machine"][fact].strip(), fact


def test_every_figure_is_recomputed_from_its_samples(results: dict[str, Any]) -> None:
    figures = list(_figures(results))
    assert len(figures) > 10 * len(NAMES)
    for where, figure in figures:
        samples = figure["samples"]
        # One sample only where the run plans one repetition: --quick's
        # warm rebuild (its report cell says "(1 run)", with no spread).
        one = where.startswith("/builds/") and BUILDS["quick"][where.rsplit("/", 1)[1]] == 1
        assert figure["n"] == len(samples) >= (1 if one else 2), where
        assert min(samples) > 0, where
        if not one:
            assert max(samples) > min(samples), f"{where}: every sample equal, not a measurement"
        assert figure["median"] == statistics.median(samples), where
        assert figure["mad"] == statistics.median(abs(s - figure["median"]) for s in samples), where
        assert (figure["min"], figure["max"]) == (min(samples), max(samples)), where


def test_quick_mode_reports_what_it_did_not_measure(results: dict[str, Any], report: str) -> None:
    for name, phases in results["builds"].items():
        compiled = results["compiled"][name]
        for phase, reps in BUILDS["quick"].items():
            if reps:
                assert len(compiled[phase]) == phases[phase]["n"] == reps
            else:
                assert phases[phase] == QUICK
                assert compiled[phase] == []
        # The warm rebuild really rebuilt: shared_rust and the binding crate.
        assert min(compiled["warm"]) >= 2, compiled
    for part in ("dev_install", "sdist_alone"):
        assert list(results[part].values()) == [QUICK] * len(NAMES)
    untimed = sum(not reps for reps in BUILDS["quick"].values())
    assert report.count("not measured (quick)") == (untimed + 2) * len(NAMES)
    # A phase timed once shows its one sample, and no spread.
    once = sum(reps == 1 for reps in BUILDS["quick"].values())
    for name in NAMES:
        wheel = results["commands"][name]["wheel"]
        (row,) = [line for line in report.splitlines() if line.startswith(f"| {name} | `{wheel}`")]
        assert row.count(" s (1 run)") == once, row


def test_artifact_sizes_and_tags_come_from_the_files(out: Path, results: dict[str, Any]) -> None:
    for name, found in results["artifacts"].items():
        wheel = out / "wheels" / found["wheel"]
        assert wheel.name.startswith(f"{name}-")
        assert wheel.stat().st_size == found["wheel_bytes"]
        with zipfile.ZipFile(wheel) as archive:
            assert archive.getinfo(found["native"]).file_size == found["native_bytes"] > 0
        assert found["tags"]
        assert all(wheel.stem.endswith(tag) for tag in found["tags"])
        assert (out / "sdists" / found["sdist"]).stat().st_size == found["sdist_bytes"]


def test_the_routes_said_the_same_before_being_timed(results: dict[str, Any]) -> None:
    said = list(results["says"].values())
    assert said == [said[0]] * len(NAMES)
    assert said[0][1] == "Hello, world!"


def test_report_shows_the_figures_and_their_ratios(results: dict[str, Any], report: str) -> None:
    sections = results["sections"]
    for phases in results["builds"].values():
        for f in phases.values():
            if "samples" in f:
                assert fmt(_fig(f), "s") in report
    for f in sections["imports"].values():
        assert fmt(_fig(f), "ms") in report
    for by_target in [*sections["calls"].values(), sections["errors"]]:
        base = _fig(by_target[PYTHON])
        for f in by_target.values():
            assert f"| {fmt(_fig(f), 'ns')} | {ratio(_fig(f), base)} |" in report
    for heading in (
        "Which route?",
        "Build workflow",
        "Artifacts",
        "Start-up",
        "Per call",
        "The error path",
        "Cost as the data grows",
        "Throughput",
        "Where the time goes at large sizes",
        "Threads",
        "Interpreters",
        "What each route asks of you",
        "Time each part of this run took",
        "Machine",
    ):
        assert f"\n## {heading}" in report, heading
    for value in results["machine"].values():
        assert value in report


def test_charts_are_written_and_shown(out: Path, report: str) -> None:
    for chart in (*CHARTS, *(("pypy_call_latency.png",) if HAVE_PYPY else ())):
        assert f"]({chart})" in report, chart
        assert (out / chart).read_bytes().startswith(b"\x89PNG"), chart


def test_steps_add_up_as_the_report_says(results: dict[str, Any], report: str) -> None:
    steps = results["sections"]["steps"]
    assert set(steps) == NAMES
    for route, by_func in steps.items():
        assert set(by_func) == set(CALLS)
        for func, parts in by_func.items():
            if route not in STEPS:
                assert parts == {"not_measured": MISSING}
                continue
            call = _fig(parts["call"])
            assert call == _fig(results["sections"]["calls"][func][route])
            labels = [s.label for s in STEPS[route][func]]
            assert list(parts["steps"]) == labels
            total = sum(_fig(f).median for f in parts["steps"].values())
            # Counted on this machine (valgrind is installed by the proofs'
            # system packages): the call's instructions, then each step's.
            counts = parts["instructions"]
            assert isinstance(counts, list), counts
            assert len(counts) == len(labels) + 1
            assert all(c > 0 for c in counts)
            for label, f, c in zip(labels, parts["steps"].values(), counts[1:]):
                assert f"| {label} | {fmt(_fig(f), 'ns')} | {number(c)} |" in report
            assert (
                f"| sum of the steps | {number(total * 1e9)} ns | {number(sum(counts[1:]))} |"
            ) in report
            assert (
                f"| the call / the sum | {times(call.median / total)} "
                f"| {times(counts[0] / sum(counts[1:]))} |"
            ) in report


def test_sizes_cover_every_alphabet_size_and_target(results: dict[str, Any], report: str) -> None:
    sizes = results["sections"]["sizes"]
    plan = PLANS["quick"]
    assert set(sizes["figures"]) == set(ALPHABETS)
    for alphabet, by_size in sizes["figures"].items():
        assert list(by_size) == [str(s) for s in plan.sizes]
        for size, by_target in by_size.items():
            assert sizes["nbytes"][alphabet][size] == name_of(ALPHABETS[alphabet], int(size))[1]
            assert set(by_target) == TARGETS
            base = _fig(by_target[PYTHON])
            for f in by_target.values():
                assert f"{fmt_time(_fig(f))} ({ratio(_fig(f), base)})" in report
    assert sizes["tuned_env"] == TUNED
    assert list(sizes["tuned"]) == [str(s) for s in plan.tuned]
    for by_target in sizes["tuned"].values():
        assert set(by_target) == TARGETS


def test_threads_verdicts_follow_the_stated_rule(results: dict[str, Any], report: str) -> None:
    threads = results["sections"]["threads"]["figures"]
    assert set(threads) == TARGETS
    counts = {"1", str(os.cpu_count() or 1)}
    for target, by_count in threads.items():
        assert set(by_count) == counts
        figures = {n: _fig(f) for n, f in by_count.items()}
        for f in figures.values():
            assert fmt(f, "calls/s") in report
        word = verdict(figures)
        row = (
            next(
                line
                for line in report.splitlines()
                if line.startswith(f"| {target} |") and "calls/s" in line
            )
            if target != PYTHON
            else ""
        )
        assert target == PYTHON or row.endswith(f"| {word} |"), (row, word)


def test_pypy_runs_what_it_can_and_says_why_not(results: dict[str, Any], report: str) -> None:
    pypy = results["sections"]["pypy"]
    assert set(pypy["ran"]) == NAMES
    if not HAVE_PYPY:
        assert pypy["interpreter"].startswith("not found")
        assert not pypy["calls"]
        return
    assert "PyPy" in pypy["interpreter"]
    ran = {n for n, c in pypy["ran"].items() if c["ok"]}
    for name, check in pypy["ran"].items():
        assert check["detail"].strip(), name
        assert (
            f"| {name} | yes |" if check["ok"] else f"| {name} | no: {check['detail']}"
        ) in report
    for by_target in [*pypy["calls"].values(), *pypy["sizes"].values()]:
        assert set(by_target) == ran | {PYTHON}


def test_verdict_shows_every_route_and_its_rules(results: dict[str, Any], report: str) -> None:
    top = report.split("\n## Which route?", 1)[1].split("\n## ", 1)[0]
    calls = results["sections"]["calls"]["greet"]
    threads = results["sections"]["threads"]["figures"]
    for name in NAMES:
        row = next(line for line in top.splitlines() if line.startswith(f"| {name} |"))
        assert fmt_time(_fig(calls[name])) in row
        assert verdict({n: _fig(f) for n, f in threads[name].items()}) in row
    for rule in RULES.values():
        assert rule.when in top
        assert rule.rule in top


def test_nothing_but_the_step_tables_names_a_route() -> None:
    here = Path(__file__).resolve().parents[1]
    for path in here.glob("*.py"):
        if path.name == "steps.py":
            continue
        text = path.read_text(encoding="utf-8")
        for name in NAMES:
            assert not re.search(rf"\b{name}\b", text), (path.name, name)


def test_sections_are_chosen_by_name() -> None:
    assert _sections("builds, sizes") == ["builds", "sizes"]
    with pytest.raises(argparse.ArgumentTypeError):
        _sections("builds,nope")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "lib.rs",
            "//! Doc.\n\nuse a;\n/// Doc.\nfn f() {}\n#[cfg(test)]\nmod tests {\n}\n",
            2,
        ),
        (
            "m.py",
            '"""Doc."""\n\n# why\nimport a\n\ndef f():\n'
            '    """Doc,\n    two lines."""\n    return 1  # why\n',
            3,
        ),
        ("m.pyi", "def hi() -> str: ...\n", 1),
        ("pyproject.toml", "# why\n[a]\nb = 1  # why\n\n", 2),
    ],
)
def test_code_lines_leave_out_blanks_comments_docstrings_and_tests(
    name: str, text: str, expected: int
) -> None:
    assert code_lines(name, text) == expected


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        (
            "Compiling a\nerror: failed to read `../shared_rust/Cargo.toml`\nmore\n",
            "error: failed to read `../shared_rust/Cargo.toml`",
        ),
        (PIP_BUILD_FAILURE, "error: cannot update the lock file x/Cargo.lock"),
        (
            "Traceback\n  File x\nModuleNotFoundError: No module named 'a'\n",
            "ModuleNotFoundError: No module named 'a'",
        ),
        ("all went\nsomewhere else\n", "somewhere else"),
        (
            "error: No solution found when resolving dependencies\n"
            "  cause: Because the current Python version (3.9.16) does not satisfy Python>=3.10"
            " and a==0.1.0 depends on Python>=3.10, a==0.1.0 cannot be used.\n"
            "         And because only a==0.1.0 is available, ...\n",
            "Because the current Python version (3.9.16) does not satisfy Python>=3.10"
            " and a==0.1.0 depends on Python>=3.10, a==0.1.0 cannot be used.",
        ),
    ],
)
def test_error_line_picks_the_first_error(output: str, expected: str) -> None:
    assert error_line(output) == expected


def test_a_figure_of_one_sample_shows_no_spread() -> None:
    # A full run builds each route cold once: no "± 0" may claim a spread.
    assert fmt(Figure.of([134.2]), "s") == "134 s (1 run)"
    assert fmt(Figure.of([1.0, 3.0]), "s") == "2.00 ± 1.00 s"
