"""Facts that are counted or read, not timed: the machine, and each route's glue."""

from __future__ import annotations

import ast
import dataclasses
import importlib.metadata
import io
import os
import platform
import re
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


# Glue by shape: the public names of the contract that stand for each shape
# (nested objects are one shape, both ways: what loads and dumps share, a
# route's error mapping for json say, is that shape's own).
SHAPES = {
    "hi": ("hi",),
    "greet": ("greet",),
    "split": ("split",),
    "checksum": ("checksum",),
    "WordCounter": ("WordCounter",),
    "loads/dumps": ("loads", "dumps"),
}
# Lines that serve several shapes, or none (imports, module set-up, errors).
SHARED = "shared"
# Rust keywords that name the item after them.
_NAMED = {"fn", "struct", "enum", "const", "static", "type", "trait", "union", "mod", "macro_rules"}
_QUALIFIERS = {"unsafe", "extern", "async"}
_RUST_TOKEN = re.compile(
    r"""(?P<skip>//[^\n]*|/\*.*?\*/|b?r(?P<hashes>\#*)".*?"(?P=hashes)|b?"(?:\\.|[^"\\])*"
    |b?'(?:\\.|[^'\\])'|'[A-Za-z_]\w*)|(?P<ident>[A-Za-z_]\w*)|(?P<punct>[{}()\[\];#!<>:=])""",
    re.DOTALL | re.VERBOSE,
)


@dataclass(frozen=True)
class Item:
    """One top-level item of a glue file (a Rust item inside a module
    counts on its own): the code lines it spans, the names it defines and
    the names it uses; ``owner`` is the type an ``impl`` block belongs to."""

    lines: frozenset[int]
    defines: frozenset[str]
    uses: frozenset[str]
    owner: str | None = None


def _python_defined(stmt: ast.stmt) -> set[str]:
    """The module-level names a statement binds (imports bind none here:
    they serve whoever uses them, so they count as shared)."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {stmt.name}
    if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    found: set[str] = set()
    for body in ("body", "orelse", "finalbody", "handlers"):
        for child in getattr(stmt, body, []):
            if isinstance(child, ast.stmt):
                found |= _python_defined(child)
            elif isinstance(child, ast.ExceptHandler):
                for grandchild in child.body:
                    found |= _python_defined(grandchild)
    return found


def _root(node: ast.expr) -> str | None:
    """The name an attribute chain starts from (``a`` of ``a.b.c``), if any."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def python_items(text: str) -> list[Item]:
    """The top-level statements of a Python file, decorators included. An
    attribute counts as a use of its name only on a name the module binds
    (``_flat.encode``, ``lib.hi_greet``): ``name.encode()`` on a local value
    is a method of that value, not the module's ``encode``."""
    code = _python_code_lines(text)
    body = ast.parse(text).body
    bound = set().union(*(_python_defined(stmt) for stmt in body))
    for stmt in body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            bound |= {(a.asname or a.name).split(".")[0] for a in stmt.names}
    items = []
    for stmt in body:
        first = min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", []))])
        span = range(first, (stmt.end_lineno or stmt.lineno) + 1)
        defines = set() if isinstance(stmt, (ast.Import, ast.ImportFrom)) else _python_defined(stmt)
        uses = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
        uses |= {
            n.attr
            for n in ast.walk(stmt)
            if isinstance(n, ast.Attribute) and _root(n.value) in bound
        }
        items.append(Item(frozenset(code.intersection(span)), frozenset(defines), frozenset(uses)))
    return items


def _rust_code_lines(text: str) -> set[int]:
    """The lines ``code_lines`` counts in a Rust file, by number."""
    return {
        i
        for i, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.strip().startswith("//")
    }


def _closing(tokens: list[tuple[str, int]], i: int) -> int:
    """The index of the bracket closing the one at ``i``."""
    pairs = {"{": "}", "(": ")", "[": "]"}
    opening, depth = tokens[i][0], 0
    for j in range(i, len(tokens)):
        if tokens[j][0] == opening:
            depth += 1
        elif tokens[j][0] == pairs[opening]:
            depth -= 1
            if depth == 0:
                return j
    return len(tokens) - 1


def _rust_item(tokens: list[tuple[str, int]], lines: frozenset[int]) -> Item:
    """One Rust item from its tokens and code lines: what it names, what it uses."""
    words = [t for t, _ in tokens]
    uses = {w for w in words if w.isidentifier()}
    # Attributes first (#[...]), then the item itself.
    k = 0
    while k + 1 < len(words) and words[k] == "#":
        k = _closing(tokens, k + 1 + (words[k + 1] == "!")) + 1
    body = words[k:]
    if "use" in body[:3] or (body[:2] == ["extern", "crate"]):
        return Item(lines, frozenset(), frozenset())
    if "impl" in body and (not any(w in _NAMED for w in body[: body.index("impl")])):
        head = body[body.index("impl") + 1 : body.index("{") if "{" in body else len(body)]
        head = head[head.index("for") + 1 :] if "for" in head else head
        names = [w for w in head if w.isidentifier() and w not in ("where", "dyn", "mut")]
        if not names:
            return Item(lines, frozenset(), frozenset(uses))
        depth, owner = 0, names[0]
        for w in head:  # the type's last path segment, outside its generics
            depth += (w == "<") - (w == ">")
            if depth == 0 and w.isidentifier():
                owner = w
                if "::" not in head:
                    break
        return Item(lines, frozenset(), frozenset(uses), owner)
    for j, w in enumerate(body):
        # `const fn`, `const unsafe fn`: the keyword that names is the last.
        if w in _NAMED and not set(body[j + 1 : j + 2]) & (_NAMED | _QUALIFIERS):
            rest = [x for x in body[j + 1 :] if x != "!"]
            name = rest[0] if rest and rest[0].isidentifier() else ""
            return Item(lines, frozenset({name} - {""}), frozenset(uses - {name}))
        if w in ("{", ";", "="):
            break
    return Item(lines, frozenset(), frozenset(uses))


def rust_items(text: str) -> list[Item]:
    """The items of a Rust file (its unit tests left out, as ``code_lines``
    does), those of an inline ``mod`` one by one; the lines of a module's
    own head and closing brace are an item that defines nothing."""
    text = text.split("\n#[cfg(test)]", 1)[0]
    code = _rust_code_lines(text)
    tokens: list[tuple[str, int]] = []
    for m in _RUST_TOKEN.finditer(text):
        if m.group("skip") is None:
            tokens.append((m.group(0), text.count("\n", 0, m.start()) + 1))
    return _rust_block(tokens, code)


def _rust_block(tokens: list[tuple[str, int]], code: set[int]) -> list[Item]:
    items, i = [], 0
    while i < len(tokens):
        start, j, depth = i, i, 0
        while j < len(tokens):
            word = tokens[j][0]
            if word in ("(", "["):
                j = _closing(tokens, j)
            elif word == "{":
                j = _closing(tokens, j)
                if j + 1 < len(tokens) and tokens[j + 1][0] == ";":
                    j += 1
                break
            elif word == ";" and depth == 0:
                break
            j += 1
        part = tokens[start : j + 1]
        words = [t for t, _ in part]
        opening = words.index("{") if "{" in words else -1
        if opening > 1 and words[opening - 2] == "mod":
            head, tail = part[: opening + 1], part[-1:]
            inner = _rust_block(part[opening + 1 : -1], code)
            taken = set().union(*(item.lines for item in inner))
            edges = code & {*range(head[0][1], head[-1][1] + 1), tail[0][1]}
            items.append(_rust_item(head + tail, frozenset(edges - taken)))
            items += inner
        elif part:
            span = range(part[0][1], part[-1][1] + 1)
            items.append(_rust_item(part, frozenset(code.intersection(span))))
        i = j + 1
    return items


@dataclass(frozen=True)
class ShapeGlue:
    """Code lines of a route's glue by shape: ``own``, each line counted once
    (for the one shape that reaches it, else ``SHARED``), adding up to the
    glue; ``reached``, every line a shape reaches, shared ones included."""

    own: dict[str, int]
    reached: dict[str, int]


def by_shape(files: dict[str, str]) -> ShapeGlue:
    """Code lines of glue per shape (``SHAPES``). A shape reaches its public
    functions or class (every item defining their names, in any file), and what
    those use by name, and so on, not passing through another shape's public
    items, nor through an item that every shape reaches (it counts for each);
    an ``impl`` block goes with its type. An item's lines are a
    shape's own when it is the only shape that reaches them; the other lines
    (reached by several shapes, or by none: imports, set-up) are shared.
    Rust and Python files together, so a C ABI function counts where the
    Python function that calls it by name does."""
    items: list[Item] = []
    total = 0
    for name, text in files.items():
        found = python_items(text) if name.endswith((".py", ".pyi")) else rust_items(text)
        claimed: set[int] = set()
        for item in found:  # a line two items share counts once, for the first
            items.append(dataclasses.replace(item, lines=item.lines - claimed))
            claimed |= item.lines
        total += code_lines(name, text)
    definers: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        for name in item.defines:
            definers.setdefault(name, []).append(i)
    edges = [
        {j for name in item.uses for j in definers.get(name, []) if j != i}
        for i, item in enumerate(items)
    ]
    for i, item in enumerate(items):  # an impl block is part of its type
        for j in definers.get(item.owner or "", []):
            edges[j].add(i)
    roots = {s: {i for p in publics for i in definers.get(p, [])} for s, publics in SHAPES.items()}

    def reach(hubs: set[int]) -> dict[int, set[str]]:
        """The shapes reaching each item, not following the ``hubs``."""
        found: dict[int, set[str]] = {}
        for shape, starts in roots.items():
            others = set().union(*(r for s, r in roots.items() if s != shape))
            seen, todo = set(starts), list(starts - hubs)
            while todo:
                for j in edges[todo.pop()] - seen - others:
                    seen.add(j)
                    if j not in hubs:
                        todo.append(j)
            for j in seen:
                found.setdefault(j, set()).add(shape)
        return found

    # An item every shape reaches (a library handle declaring every C
    # function, a common error type) counts for each, but what it names is
    # reached only along a shape's own path: followed, it would hand every
    # shape the whole C ABI.
    present = {s for s, r in roots.items() if r}
    reached = reach({i for i, shapes in reach(set()).items() if shapes >= present})
    own = dict.fromkeys([*SHAPES, SHARED], 0)
    every = dict.fromkeys(SHAPES, 0)
    for i, item in enumerate(items):
        shapes = reached.get(i, set())
        own[next(iter(shapes)) if len(shapes) == 1 else SHARED] += len(item.lines)
        for shape in shapes:
            every[shape] += len(item.lines)
    own[SHARED] += total - sum(own.values())
    return ShapeGlue(own, every)


def shapes(package: Path, c_abi: bool) -> ShapeGlue:
    """``by_shape`` of a route's Rust and Python glue, with the shared C ABI
    crate's Rust for a C ABI route."""
    folders = [(package, (*GLUE_KINDS["Rust"], *GLUE_KINDS["Python"]))]
    shared = package.parent / SHARED_C_ABI
    if c_abi and shared.is_dir():
        folders.append((shared, GLUE_KINDS["Rust"]))
    files = {
        p.as_posix(): p.read_text(encoding="utf-8")
        for folder, patterns in folders
        for p in sorted({p for pattern in patterns for p in folder.glob(pattern) if p.is_file()})
    }
    return by_shape(files)
