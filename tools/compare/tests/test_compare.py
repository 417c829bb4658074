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

from .. import checksum, counter, objects, split, verdict
from ..bindings import PYTHON, ROUTES
from ..builds import CORE, ROOT
from ..calls import CALLS
from ..facts import SHAPES, SHARED, TOOL_PACKAGES, by_shape, code_lines
from ..interpreters import CANDIDATES, FREE_THREADED_SHAPES, MATRIX
from ..run import ALL, BUILDS, _sections
from ..sections import fmt, fmt_time, number, ratio, times
from ..shapes import text_of
from ..shell import error_line
from ..sizes import ALPHABETS, PLANS, TUNED, name_of, size_text
from ..stats import Figure
from ..steps import MISSING, STEPS
from ..threads import scaling
from ..threads import verdict as threads_word
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
    "checksum.png",
    "split.png",
    "counter.png",
    "objects.png",
)
QUICK = {"not_measured": "quick"}
HAVE_PYPY = any(shutil.which(p) for p in CANDIDATES)
# Whether `tox -e interpreters` ran in this clone: then the section times it.
MATRIX_RAN = MATRIX.exists() and json.loads(MATRIX.read_text()).get("status") == "ran"
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
    # --build-dir: the crates the everyday envs compiled in the repository's
    # target dir (tox's CARGO_TARGET_DIR) are reused, under cargo's lock, so
    # a fresh clone's smoke builds no route from nothing; the routes' own
    # crates still build here, from the run's copy of the tree.
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "compare",
            "--quick",
            "--out",
            str(folder),
            "--build-dir",
            str(ROOT / "target"),
        ],
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
    for part in ("commands", "builds", "compiled", "artifacts", "glue", "glue_shapes"):
        assert set(results[part]) == NAMES, part
    assert set(results["sdist_alone"]) == set(results["says"]) == set(results["dev_install"])
    assert set(results["says"]) == NAMES
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
    # On an interpreter with a GIL, --quick leaves out the checksum threads:
    # one cell for each function timed there.
    skipped = sum(
        len(where["checksum_threads"])
        for where in results["sections"]["interpreters"]["found"]
        if where["calls"] and not where["free_threaded"]
    )
    assert report.count("not measured (quick)") == (untimed + 2) * len(NAMES) + skipped
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
        "Nested objects",
        "Interpreters",
        "What each route asks of you",
        "Time each part of this run took",
        "Machine",
    ):
        assert f"\n## {heading}" in report, heading
    for value in results["machine"].values():
        assert value in report


def test_charts_are_written_and_shown(out: Path, report: str) -> None:
    for chart in (*CHARTS, *(("interpreters.png",) if HAVE_PYPY or MATRIX_RAN else ())):
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
        word = threads_word(figures)
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


def test_interpreters_run_what_they_can_and_say_why_not(
    results: dict[str, Any], report: str
) -> None:
    data = results["sections"]["interpreters"]
    found = data["found"]
    if not found:
        assert not HAVE_PYPY
        assert not MATRIX_RAN
        assert data["matrix"] in report
        return
    if HAVE_PYPY:
        assert found[0]["version"].startswith("PyPy"), found[0]
    if MATRIX_RAN:
        matrix = json.loads(MATRIX.read_text())["interpreters"]
        assert [w["name"] for w in found[-len(matrix) :]] == [i["name"] for i in matrix]
    section = _section(report, "Interpreters: where each route ran")
    for where in found:
        assert set(where["ran"]) == NAMES
        row = next(line for line in section.splitlines() if line.startswith(f"| {where['name']}:"))
        passed = set()
        for name, check in where["ran"].items():
            if "ok" in check:
                assert check["detail"].strip(), name
                cell = "yes" if check["ok"] else f"no: {check['detail']}"
                passed |= {name} if check["ok"] else set()
            else:
                cell = f"not measured ({check['not_measured']})"
            assert _row(cell) in row, (where["name"], name)
        if not passed:
            assert not where["calls"], where["name"]
            continue
        for by_target in [*where["calls"].values(), where["checksum_threads"]]:
            assert set(by_target) == passed | {PYTHON}, where["name"]
        for by_count in where["checksum_threads"].values():
            skipped = all(f == QUICK for f in by_count.values())
            assert skipped is not where["free_threaded"], (where["name"], by_count)
        free = passed | {PYTHON} if where["free_threaded"] else set()
        assert set(where["greet_threads"]) == free, where["name"]
        # The shapes that serialize under a GIL: on a free-threaded build only.
        shapes = set(FREE_THREADED_SHAPES) if where["free_threaded"] else set()
        assert set(where["shape_threads"]) == shapes, where["name"]
        for by_target in where["shape_threads"].values():
            assert set(by_target) == free, where["name"]
    if MATRIX_RAN:
        wheels = _section(report, "Wheels to publish per platform")
        for name in NAMES:
            assert f"| {name} |" in wheels, name


def test_verdict_shows_every_route_and_its_rules(results: dict[str, Any], report: str) -> None:
    top = report.split("\n## Which route?", 1)[1].split("\n## ", 1)[0]
    calls = results["sections"]["calls"]["greet"]
    threads = results["sections"]["threads"]["figures"]
    for name in NAMES:
        row = next(line for line in top.splitlines() if line.startswith(f"| {name} |"))
        assert fmt_time(_fig(calls[name])) in row
        assert threads_word({n: _fig(f) for n, f in threads[name].items()}) in row
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


def _section(report: str, heading: str) -> str:
    """The part of the report under the one heading that starts with ``heading``."""
    (found,) = [part for part in report.split("\n## ")[1:] if part.startswith(heading)]
    return found


def _row(*cells: str) -> str:
    return "| " + " | ".join(c.replace("|", "\\|").replace("<", "\\<") for c in cells) + " |"


def _measured(by_target: dict[str, Any]) -> dict[str, Figure]:
    """Every target's figure of a shape, each of which must have been measured
    (every route carries every shape)."""
    assert set(by_target) == TARGETS
    for target, f in by_target.items():
        assert "samples" in f, (target, f)
    return {t: _fig(f) for t, f in by_target.items()}


def _cell(f: Figure, base: Figure) -> str:
    return f"{fmt_time(f)} ({ratio(f, base)})"


def _named(target: str, baseline: str) -> str:
    return f"{baseline} (baseline)" if target == PYTHON else target


def test_checksum_times_every_size_and_target(results: dict[str, Any], report: str) -> None:
    data = results["sections"]["checksum"]
    assert list(data["figures"]) == [str(n) for n in checksum.SIZES]
    order = [PYTHON, *(r.name for r in ROUTES)]
    times_part = _section(report, "Large buffers: time")
    rates = _section(report, "Large buffers: MB/s")
    for n, by_target in data["figures"].items():
        figures = _measured(by_target)
        base = figures[PYTHON]
        cells = [_cell(figures[t], base) for t in order]
        assert _row(size_text(int(n)), *cells) in times_part
        mbs = [number(int(n) / figures[t].median / 1e6) for t in order]
        assert _row(size_text(int(n)), *mbs) in rates
    assert data["threads_bytes"] == checksum.THREADS_AT
    threads = _section(report, "Large buffers, threads")
    counts = {"1", str(os.cpu_count() or 1)}
    for target, by_count in data["threads"].items():
        assert set(by_count) == counts
        assert all("samples" in f for f in by_count.values()), (target, by_count)
        by = {c: _fig(f) for c, f in by_count.items()}
        word = f"{times(scaling(by))}, {threads_word(by)}" if len(by) > 1 else ""
        rates_cells = [fmt(by[c], "calls/s") for c in sorted(by, key=int)]
        assert _row(_named(target, checksum.ZLIB), *rates_cells, word) in threads


def test_split_times_every_word_count_and_target(results: dict[str, Any], report: str) -> None:
    data = results["sections"]["split"]
    assert list(data["figures"]) == [str(n) for n in split.WORDS]
    order = [PYTHON, *(r.name for r in ROUTES)]
    times_part = _section(report, "Many small objects: time")
    per_word = _section(report, "Many small objects: ns per word")
    for n, by_target in data["figures"].items():
        text = text_of(f"_text({n})")
        assert len(text.split()) == int(n)
        assert data["nbytes"][n] == len(text.encode())
        figures = _measured(by_target)
        cells = [_cell(figures[t], figures[PYTHON]) for t in order]
        assert _row(f"{split.words(n)} ({len(text):,} B)", *cells) in times_part
        ns = [number(figures[t].median / int(n) * 1e9) for t in order]
        assert _row(split.words(n), *ns) in per_word


def test_counter_times_every_case_and_target(results: dict[str, Any], report: str) -> None:
    data = results["sections"]["counter"]
    assert list(data["figures"]) == list(counter.CASES)
    text = text_of(f"_sized({counter.TEXT_BYTES})")
    assert len(text) <= counter.TEXT_BYTES
    assert (data["text_bytes"], data["text_words"]) == (len(text), len(text.split()))
    part = _section(report, "State and callbacks")
    figures = {case: _measured(by) for case, by in data["figures"].items()}
    for target in TARGETS:
        cells = [_named(target, counter.BASELINE)]
        for case, by in figures.items():
            cells.append(fmt_time(by[target]))
            if case != "new":
                cells.append(number(by[target].median / data["text_words"] * 1e9))
            cells.append(ratio(by[target], by[PYTHON]))
        assert _row(*cells) in part


def _has_objects(results: dict[str, Any], name: str) -> bool:
    """Whether the route's glue defines loads or dumps (the glue count finds
    them): such a route must be measured, and one without them must not be."""
    reached: int = results["glue_shapes"][name]["reached"]["loads/dumps"]
    return reached > 0


def _base(by_target: dict[str, Any]) -> Figure:
    """json's figure (the baseline), which is always measured."""
    assert "samples" in by_target[PYTHON], by_target[PYTHON]
    return _fig(by_target[PYTHON])


def _routes_measured(by_target: dict[str, Any]) -> dict[str, Figure]:
    """The routes' figures that were measured (the test of the objects
    section says which must be)."""
    return {n: _fig(f) for n, f in by_target.items() if n in NAMES and "samples" in f}


def test_objects_times_both_documents_both_ways(results: dict[str, Any], report: str) -> None:
    data = results["sections"]["objects"]
    order = [PYTHON, *(r.name for r in ROUTES), objects.PEER]
    assert list(data["figures"]) == list(objects.DOCS)
    records, text = objects.document("records")
    assert data["nbytes"]["records"] == len(text.encode())
    assert 500_000 < len(text.encode()) < 700_000
    assert not text.isascii()
    assert isinstance(records, dict)
    floats, _ = objects.document("floats")
    assert isinstance(floats, list)
    assert len(floats) == 100_000
    assert all(isinstance(x, float) for x in floats)
    times_part = _section(report, "Nested objects: time")
    rates_part = _section(report, "Nested objects: MB/s")
    for target in order:
        cells, rates = [], []
        for doc, by_op in data["figures"].items():
            assert list(by_op) == list(objects.OPS)
            for op, by_target in by_op.items():
                assert list(by_target) == order
                found = by_target[target]
                must = target not in NAMES or _has_objects(results, target)
                if must:
                    assert "samples" in found, (target, doc, op, found)
                    f = _fig(found)
                    against = [f"{ratio(f, _base(by_target))} json"] if target != PYTHON else []
                    if target in NAMES:
                        against.append(f"{ratio(f, _fig(by_target[objects.PEER]))} orjson")
                    shown = fmt_time(f) + (f" ({', '.join(against)})" if against else "")
                    cells.append(shown)
                    rates.append(number(data["nbytes"][doc] / f.median / 1e6))
                else:
                    # A route without the functions is not timed, and says why.
                    assert "AttributeError" in found["not_measured"], (target, found)
                    cells.append(f"not measured ({found['not_measured']})")
                    rates.append("not measured")
        name = _named(target, objects.BASELINE)
        assert _row(name, *cells) in times_part, target
        assert _row(name, *rates) in rates_part, target
    # Every function slower than json's is named, with its ratio, and no other.
    slower: dict[str, list[str]] = {}
    for doc, by_op in data["figures"].items():
        for op, by_target in by_op.items():
            for target, f in by_target.items():
                if target != PYTHON and "samples" in f:
                    x = _fig(f).median / _base(by_target).median
                    if x > 1:
                        cases = slower.setdefault(target, [])
                        cases.append(f"{op} of {objects.TITLES[doc]} {times(x)}")
    said = "; ".join(f"{t}: {', '.join(cases)}" for t, cases in slower.items())
    note = times_part.split("\n\n")[2]
    assert note.endswith(
        f"(median over json's median, above 1): {said}."
        if slower
        else "No function measured here is slower than json's."
    ), note
    threads = _section(report, "Nested objects, threads")
    counts = {"1", str(os.cpu_count() or 1)}
    assert data["threads_doc"] == objects.THREADS_DOC
    for target in order:
        cells = []
        for op in objects.OPS:
            by_count = data["threads"][op][target]
            assert set(by_count) == counts
            if target in NAMES and not _has_objects(results, target):
                assert all("AttributeError" in f["not_measured"] for f in by_count.values())
                cells += [f"not measured ({f['not_measured']})" for f in by_count.values()]
                cells.append("")
                continue
            by = {c: _fig(f) for c, f in by_count.items()}
            cells += [fmt(by[c], "calls/s") for c in sorted(by, key=int)]
            cells.append(f"{times(scaling(by))}, {threads_word(by)}" if len(by) > 1 else "")
        assert _row(_named(target, objects.BASELINE), *cells) in threads, target


def _within(figures: dict[str, Figure], limit: float, reference: Figure | None = None) -> set[str]:
    """The rule the report states: against a baseline timed in the same
    processes, the median of the route's values over the baseline's, value
    by value, plus their MAD; else the route's median plus its MAD over the
    lowest route median; at most ``limit``; never from one sample."""
    if reference is None:
        lowest = min(f.median for f in figures.values())
        top = {n: (f.median + f.mad) / lowest for n, f in figures.items()}
    else:
        top = {}
        for n, f in figures.items():
            ratios = [a / b for a, b in zip(f.samples, reference.samples, strict=False)]
            median = statistics.median(ratios)
            top[n] = median + statistics.median(abs(r - median) for r in ratios)
    return {n for n, f in figures.items() if f.n > 1 and top[n] <= limit}


def test_verdict_grants_the_shape_clauses_by_its_rules(
    results: dict[str, Any], report: str
) -> None:
    top = _section(report, "Which route?")
    sections = results["sections"]

    def routes_of(by_target: dict[str, Any]) -> dict[str, Figure]:
        return {n: f for n, f in _measured(by_target).items() if n != PYTHON}

    def against_baseline(by_target: dict[str, Any], limit: float) -> set[str]:
        return _within(routes_of(by_target), limit, _fig(by_target[PYTHON]))

    counted = sections["counter"]["figures"]
    nested = sections["objects"]["figures"][objects.THREADS_DOC]
    granted = {
        "objects": _within(
            _routes_measured(nested["loads"]), verdict.OBJECTS, _base(nested["loads"])
        )
        & _within(_routes_measured(nested["dumps"]), verdict.OBJECTS, _base(nested["dumps"])),
        "checksum": against_baseline(
            sections["checksum"]["figures"][str(checksum.THREADS_AT)], verdict.CHECKSUM
        ),
        "split": against_baseline(
            sections["split"]["figures"][str(max(split.WORDS))], verdict.SPLIT
        ),
        "keep": against_baseline(counted["keep"], verdict.KEEP),
        "state": against_baseline(counted["add"], verdict.STATE)
        & against_baseline(counted["new"], verdict.STATE),
        "calls": against_baseline(sections["calls"]["greet"], verdict.CALLS),
        "builds": _within(
            {n: _fig(b["warm"]) for n, b in results["builds"].items() if "samples" in b["warm"]},
            verdict.BUILDS,
        ),
    }
    sums = _measured(sections["checksum"]["figures"][str(checksum.THREADS_AT)])
    splits = _measured(sections["split"]["figures"][str(max(split.WORDS))])
    counts = {case: _measured(by) for case, by in counted.items()}
    for name in NAMES:
        row = next(line for line in top.splitlines() if line.startswith(f"| {name} |"))
        mbs = number(checksum.THREADS_AT / sums[name].median / 1e6)
        assert f"| {mbs} MB/s ({times(sums[name].median / sums[PYTHON].median)}) |" in row
        assert f"| {_cell(splits[name], splits[PYTHON])} |" in row
        against = [f"{case} {ratio(by[name], by[PYTHON])}" for case, by in counts.items()]
        assert f"| {'; '.join(against)} |" in row
        if any("samples" in by[name] for by in nested.values()):
            ops = [f"{op} {ratio(_fig(by[name]), _base(by))}" for op, by in nested.items()]
            assert f"| {'; '.join(ops)} |" in row
        else:
            assert f"| {'; '.join(against)} | not measured |" in row
        picks = row.rsplit(" | ", 1)[1].rstrip(" |")
        for rule, routes in granted.items():
            assert (RULES[rule].when in picks) == (name in routes), (name, rule, picks)


def test_summary_is_short_and_agrees_with_the_verdict(out: Path, report: str) -> None:
    top = _section(report, "Which route?")
    lines = (out / "summary.md").read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line.startswith("| ")]
    assert len(rows) == len(NAMES) + 1
    assert rows[0].count(" | ") + 1 <= 6
    for name in NAMES:
        (row,) = [line for line in rows if line.startswith(f"| {name} |")]
        assert len(row) <= verdict.ROW_LIMIT, row
        full = next(line for line in top.splitlines() if line.startswith(f"| {name} |"))
        picks = row.rsplit(" | ", 1)[1].rstrip(" |")
        if picks != "no rule picks it":
            clauses = picks.split("; ")
            assert len(clauses) <= verdict.STRONGEST
            # Each of them is one the full table grants.
            assert all(c in full.rsplit(" | ", 1)[1] for c in clauses), (row, full)


def test_glue_by_shape_adds_up_to_the_glue(results: dict[str, Any], report: str) -> None:
    part = _section(report, "What each route asks of you: glue lines by shape")
    for name, shapes in results["glue_shapes"].items():
        own, reached = shapes["own"], shapes["reached"]
        assert list(own) == [*SHAPES, SHARED]
        assert list(reached) == list(SHAPES)
        # Every shape has glue in every route, and reaches at least its own;
        # loads/dumps as far as the route has them (the objects test holds a
        # route's timing to its having them).
        assert all(reached[s] >= own[s] >= 0 for s in SHAPES), (name, shapes)
        assert all(reached[s] > 0 for s in SHAPES if s != "loads/dumps"), (name, shapes)
        total = sum(g["lines"] for g in results["glue"][name].values())
        rest = total - sum(own.values())
        assert rest >= 0
        cells = [f"{own[s]} ({reached[s]})" for s in SHAPES]
        assert _row(name, *cells, str(own[SHARED]), str(rest), str(total)) in part


def test_glue_counts_for_the_one_shape_that_reaches_it() -> None:
    files = {
        "a.py": (
            "import os\n"
            "def _helper():\n    return os.sep\n"
            "def _common():\n    return 1\n"
            "def split(text):\n    return _helper() + _common()\n"
            "def greet(name):\n    return _common()\n"
        ),
        "lib.rs": (
            "//! Doc.\nuse a;\nmod m {\n"
            "    pub struct WordCounter;\n"
            "    impl WordCounter {\n        fn new() -> Self { Self }\n    }\n"
            "    const fn only_mine() -> u8 { 1 }\n"
            "    pub fn hi() -> u8 { only_mine() }\n"
            "}\n#[cfg(test)]\nmod tests {\n}\n"
        ),
    }
    found = by_shape(files)
    assert found.own["split"] == 4  # split and _helper
    assert found.own["greet"] == 2
    assert found.own["WordCounter"] == 4  # the struct and its impl block
    assert found.own["hi"] == 2  # hi and the const fn only it calls
    assert found.own["checksum"] == 0
    assert found.own[SHARED] == 2 + 2 + 2  # imports, _common, the module's head and brace
    assert sum(found.own.values()) == sum(code_lines(n, t) for n, t in files.items())
    # _common serves both split and greet: theirs too, but neither's own.
    assert found.reached == {
        "hi": 2,
        "greet": 4,
        "split": 6,
        "checksum": 0,
        "WordCounter": 4,
        "loads/dumps": 0,
    }


def test_glue_reached_by_every_shape_is_not_followed() -> None:
    # _hub is every shape's (here hi's and greet's); what it names is
    # reached along no shape's own path, so it is shared, not theirs.
    files = {
        "a.py": "def _deep():\n    return 2\n_hub = [_deep]\n"
        "def hi():\n    return _hub\ndef greet():\n    return _hub\n"
    }
    found = by_shape(files)
    none = {"split": 0, "checksum": 0, "WordCounter": 0, "loads/dumps": 0}
    assert found.own == {"hi": 2, "greet": 2, **none, SHARED: 3}
    assert found.reached == {"hi": 3, "greet": 3, **none}


def test_loads_and_dumps_are_one_shape() -> None:
    # What both use (an error mapping) is the shape's own, not shared; the
    # C function a Python function calls by name counts with it.
    files = {
        "a.py": (
            "from ._native import lib\n"
            "def _error(e):\n    return ValueError(e)\n"
            "def loads(s):\n    return _error(lib.hi_json_loads(s))\n"
            "def dumps(o):\n    return _error(o)\n"
            "def greet(n):\n    return n\n"
        ),
        "lib.rs": 'pub extern "C" fn hi_json_loads() -> u8 {\n    1\n}\n',
    }
    found = by_shape(files)
    assert found.own["loads/dumps"] == 6 + 3
    assert found.reached["loads/dumps"] == 9
    assert found.own[SHARED] == 1


def test_a_method_of_a_local_value_is_not_the_modules_function() -> None:
    # greet's name.encode() is str's method, not the encode that loads/dumps
    # reach through _flat.encode; lib.hi_greet is the C function's name.
    files = {
        "a.py": (
            "from . import _flat\n"
            "from ._native import lib\n"
            "def greet(name):\n    return lib.hi_greet(name.encode())\n"
            "def dumps(o):\n    return _flat.encode(o)\n"
        ),
        "_flat.py": "def encode(o):\n    return o\n",
        "lib.rs": 'pub extern "C" fn hi_greet() -> u8 {\n    1\n}\n',
    }
    found = by_shape(files)
    assert found.own["greet"] == 2 + 3
    assert found.own["loads/dumps"] == 2 + 2
    assert found.own[SHARED] == 2
