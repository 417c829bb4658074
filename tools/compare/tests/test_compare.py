"""The comparison's smoke test: one ``--quick`` run, then checks of what it wrote.

No figure is asserted: the machines are noisy. What is checked is that every
figure is a real measurement (recomputed exactly from its raw samples, which
are positive and not all equal), that sizes are those of the files, that the
report shows the figures of results.json, and that quick mode says what it
did not measure instead of inventing it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..bindings import BINDINGS
from ..builds import CORE, ROOT
from ..facts import TOOL_PACKAGES, code_lines
from ..report import fmt
from ..runtime import CALLS, CFFI_STEPS, PYTHON
from ..shell import error_line
from ..stats import Figure

TOOLS = ROOT / "tools"
NAMES = {b.name for b in BINDINGS}
CHARTS = ("build_time.png", "wheel_size.png", "import_time.png", "call_latency.png")
QUICK = {"not_measured": "quick"}
# The API-mode steps are built with a C compiler; with one, they must be timed.
HAVE_CC = any(shutil.which(cc) for cc in ("cc", "gcc", "clang"))
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


def test_results_cover_every_binding_and_the_baseline(results: dict[str, Any]) -> None:
    assert set(results["routes"]) == NAMES
    for section in (
        "commands",
        "builds",
        "compiled",
        "artifacts",
        "glue",
        "dev_install",
        "sdist_alone",
        "says",
    ):
        assert set(results[section]) == NAMES, section
    assert set(results["imports"]) == NAMES | {PYTHON}
    assert set(results["calls"]) == set(CALLS)
    for by_target in results["calls"].values():
        assert set(by_target) == NAMES | {PYTHON}
    for phases in results["builds"].values():
        assert set(phases) == {"cold", "warm", "noop"}
    assert set(results["cffi_steps"]) == set(CFFI_STEPS)
    for step, measure in results["cffi_steps"].items():
        if HAVE_CC or not CFFI_STEPS[step].api_mode:
            assert "samples" in measure, (step, measure)
        else:
            assert measure["not_measured"].startswith("API-mode module not built"), measure
    for fact in ("CPU", "cores", "OS", "Python", "rustc", "cargo", *TOOL_PACKAGES):
        assert results["machine"][fact].strip(), fact


def test_every_figure_is_recomputed_from_its_samples(results: dict[str, Any]) -> None:
    figures = list(_figures(results))
    # warm and no-op builds, imports (bindings + baseline), calls (two
    # functions), the C ABI route's steps.
    steps = sum(HAVE_CC or not step.api_mode for step in CFFI_STEPS.values())
    assert len(figures) == 2 * len(NAMES) + (len(NAMES) + 1) * (1 + len(CALLS)) + steps
    for where, figure in figures:
        samples = figure["samples"]
        assert figure["n"] == len(samples) >= 2, where
        assert min(samples) > 0, where
        assert max(samples) > min(samples), f"{where}: every sample equal, not a measurement"
        assert figure["median"] == statistics.median(samples), where
        assert figure["mad"] == statistics.median(abs(s - figure["median"]) for s in samples), where
        assert (figure["min"], figure["max"]) == (min(samples), max(samples)), where


def test_quick_mode_reports_what_it_did_not_measure(results: dict[str, Any], report: str) -> None:
    for name, phases in results["builds"].items():
        assert phases["cold"] == QUICK
        compiled = results["compiled"][name]
        assert compiled["cold"] == []
        for phase in ("warm", "noop"):
            assert len(compiled[phase]) == phases[phase]["n"]
        # The warm rebuild really rebuilt: shared_rust and the binding crate.
        assert min(compiled["warm"]) >= 2, compiled
    for section in ("dev_install", "sdist_alone"):
        assert list(results[section].values()) == [QUICK] * len(NAMES)
    assert report.count("not measured (quick)") == 3 * len(NAMES)


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


def test_the_bindings_said_the_same_before_being_timed(results: dict[str, Any]) -> None:
    said = list(results["says"].values())
    assert said == [said[0]] * len(NAMES)
    assert said[0][1] == "Hello, world!"


def test_report_shows_the_figures_of_results_json(
    out: Path, results: dict[str, Any], report: str
) -> None:
    shown = [
        *((f, "s") for phases in results["builds"].values() for f in phases.values()),
        *((f, "ms") for f in results["imports"].values()),
        *((f, "ns") for by in results["calls"].values() for f in by.values()),
        *((f, "ns") for f in results["cffi_steps"].values()),
    ]
    for figure, unit in shown:
        if "samples" in figure:
            assert fmt(Figure(**figure), unit) in report
    for heading in (
        "Build workflow",
        "Artifacts",
        "Start-up",
        "Per call",
        "Inside the C ABI route",
        "What each route asks of you",
        "Machine",
    ):
        assert f"\n## {heading}" in report
    for value in results["machine"].values():
        assert value in report
    for chart in CHARTS:
        assert f"]({chart})" in report
        assert (out / chart).read_bytes().startswith(b"\x89PNG")


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
    ],
)
def test_error_line_picks_the_first_error(output: str, expected: str) -> None:
    assert error_line(output) == expected
