"""Facts that are counted or read, not timed: the machine, and each route's glue."""

from __future__ import annotations

import ast
import importlib.metadata
import io
import os
import platform
import subprocess
import tokenize
from dataclasses import dataclass
from pathlib import Path

from .bindings import maturin

# Versions of these Python packages are part of the machine's description.
TOOL_PACKAGES = (
    "pip",
    "maturin",
    "build",
    "setuptools",
    "setuptools-rust",
    "cffi",
    "pyperf",
)


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _version(argv: list[str]) -> str:
    out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    return out.strip()


def machine() -> dict[str, str]:
    """What a reader needs to compare two reports: hardware, OS and tool versions."""
    facts = {
        "CPU": _cpu_model(),
        "cores": str(os.cpu_count()),
        "OS": platform.platform(),
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "rustc": _version(["rustc", "--version"]),
        "cargo": _version(["cargo", "--version"]),
    }
    for package in TOOL_PACKAGES:
        facts[package] = (
            _version([maturin(), "--version"])
            if package == "maturin"
            else importlib.metadata.version(package)
        )
    if hasattr(os, "getloadavg"):
        facts["load average at start"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return facts


def _python_code_lines(text: str) -> set[int]:
    """Lines holding Python code: not blank, not comments, not docstrings."""
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        body = getattr(node, "body", None)
        if (
            isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and body
        ):
            first = body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                docstrings.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    skipped = {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
    }
    code: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type not in skipped:
            code.update(range(token.start[0], token.end[0] + 1))
    return code - docstrings


def code_lines(name: str, text: str) -> int:
    """Non-blank, non-comment lines of a Rust, Python or TOML file. Doc
    comments and docstrings count as comments; a Rust file's unit tests (its
    ``#[cfg(test)]`` module, last by convention) are not glue."""
    if name.endswith((".py", ".pyi")):
        return len(_python_code_lines(text))
    marker = "#"
    if name.endswith(".rs"):
        marker = "//"
        text = text.split("\n#[cfg(test)]", 1)[0]
    lines = (line.strip() for line in text.splitlines())
    return sum(1 for line in lines if line and not line.startswith(marker))


@dataclass(frozen=True)
class Glue:
    """Files and code lines of one kind that a binding carries."""

    files: list[str]
    lines: int


# The kinds of glue, and where each lives in a binding's folder.
GLUE_KINDS = {
    "Rust": ("src/**/*.rs",),
    "Python": ("python/**/*.py", "python/**/*.pyi"),
    "build config": (
        "pyproject.toml",
        "Cargo.toml",
        "cbindgen.toml",
        "setup.py",
        "setup.cfg",
        "MANIFEST.in",
    ),
}


# The crate of extern "C" functions that the C ABI routes share (routes.toml:
# c_abi = true), at the workspace root: their glue too, so it is counted for
# each of them. Where the workspace has no such folder, nothing is added.
SHARED_C_ABI = Path("c_abi")
SHARED_KIND = "shared C ABI"


def _count(folder: Path, patterns: tuple[str, ...]) -> Glue:
    files = sorted({p for pattern in patterns for p in folder.glob(pattern) if p.is_file()})
    return Glue(
        files=[p.relative_to(folder).as_posix() for p in files],
        lines=sum(code_lines(p.name, p.read_text(encoding="utf-8")) for p in files),
    )


def glue(package: Path, c_abi: bool) -> dict[str, Glue]:
    """Count what a route's folder holds beyond ``shared_rust``, by kind; and,
    for a C ABI route, the shared C ABI crate it is built from."""
    counted = {kind: _count(package, patterns) for kind, patterns in GLUE_KINDS.items()}
    shared = package.parent / SHARED_C_ABI
    if shared.is_dir():
        patterns = (*GLUE_KINDS["Rust"], *GLUE_KINDS["build config"])
        counted[SHARED_KIND] = _count(shared, patterns) if c_abi else Glue([], 0)
    return counted
