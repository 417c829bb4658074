"""Make a setuptools-rust package's sdist build on its own.

The sdist step that setuptools-rust leaves out (PyO3/setuptools-rust#507),
written once for both setuptools-rust packages (setuptools_rust_binding and
ctypes_binding): each one's setup.py passes ``StandaloneSdist`` to setup() as
its sdist command. The sdist carries a copy of this file next to its setup.py,
so the unpacked sdist imports it from there.

In the repository this crate is a member of the root Cargo workspace: it
inherits keys with ``workspace = true`` and depends on ``shared_rust``, a crate
outside this folder, by path. An sdist holds only this folder, so the sdist
command below turns this folder into a workspace root of its own, in the sdist
only (nothing is copied or rewritten in the repository):

- each path dependency of the workspace (``shared_rust``) is copied into the
  sdist at the path the workspace gives it, so ``path = "shared_rust"`` in
  ``[workspace.dependencies]`` stays true;
- ``Cargo.toml`` becomes this crate's manifest followed by the workspace
  root's tables, with ``members`` cut down to the copied crates, so every
  ``workspace = true`` key, the lints and the release profile resolve exactly
  as they do in the repository;
- the workspace's ``Cargo.lock`` is copied and pruned by cargo to the crates
  this sdist uses (``--locked`` refuses a lock that still lists others, see
  PyO3/maturin#2609), and checked to pin nothing the workspace's does not.

maturin does the same for its sdists, with the workspace root as the sdist's
root instead of the crate's folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import tomlkit
from setuptools.command.sdist import sdist
from tomlkit.items import Table

HEADER = """\
# This sdist's Cargo.toml, written by setup.py: the crate's own manifest, then
# the repository's workspace root with `members` cut down to the crates this
# sdist carries, so the crate builds on its own exactly as in the repository.

"""


def cargo(*args: str, manifest: Path) -> str:
    """Run a cargo command on ``manifest`` (a Cargo.toml or its folder); return its output."""
    if manifest.is_dir():
        manifest = manifest / "Cargo.toml"
    command = ["cargo", *args, "--manifest-path", str(manifest)]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def workspace_path_dependencies(root: tomlkit.TOMLDocument) -> list[str]:
    """The paths of the workspace's path dependencies, relative to its root.

    Only crates inside the workspace folder can be carried: a path that leaves
    it would leave the sdist too.
    """
    dependencies = root.get("workspace", {}).get("dependencies", {})
    paths = [
        spec["path"] for spec in dependencies.values() if isinstance(spec, dict) and "path" in spec
    ]
    for path in paths:
        if Path(path).is_absolute() or ".." in Path(path).parts:
            raise ValueError(f"path dependency {path!r} is outside the workspace")
    return [str(path) for path in paths]


def locked_packages(lock: Path) -> set[tuple[str, str, str]]:
    """Every package a Cargo.lock pins: name, version and source."""
    packages = tomlkit.parse(lock.read_text(encoding="utf-8")).unwrap()["package"]
    return {(p["name"], p["version"], p.get("source", "path")) for p in packages}


def standalone_manifest(crate_manifest: str, root: tomlkit.TOMLDocument, members: list[str]) -> str:
    """This crate's manifest followed by the workspace root's, members cut down."""
    workspace = root["workspace"]
    if not isinstance(workspace, Table):
        raise TypeError("[workspace] is not a table")
    workspace["members"] = members
    return HEADER + crate_manifest.rstrip() + "\n\n" + tomlkit.dumps(root)


class StandaloneSdist(sdist):
    """setuptools' sdist, plus the workspace pieces this crate needs (see top)."""

    def make_release_tree(self, base_dir: str, files: list[str]) -> None:
        super().make_release_tree(base_dir, files)
        release = Path(base_dir)
        # The package being packed: setuptools runs setup.py from its folder.
        here = Path.cwd()
        manifest = here / "Cargo.toml"
        # setup.py imports this file: the sdist carries it beside setup.py.
        this = Path(__file__).resolve()
        if not (release / this.name).exists():
            shutil.copy2(this, release / this.name)
        found = cargo("locate-project", "--workspace", "--message-format=plain", manifest=here)
        root_manifest = Path(found.strip())
        root_dir = root_manifest.parent
        workspace = tomlkit.parse(root_manifest.read_text(encoding="utf-8"))
        members = workspace_path_dependencies(workspace)

        for member in members:
            # The files `cargo package` would ship, less the ones it generates.
            listed = cargo("package", "--list", "--allow-dirty", manifest=root_dir / member)
            for name in listed.splitlines():
                source = root_dir / member / name
                if source.is_file():
                    (release / member / name).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, release / member / name)

        # In an unpacked sdist this folder is already the workspace root.
        if root_manifest != manifest:
            text = standalone_manifest(manifest.read_text(encoding="utf-8"), workspace, members)
            # setuptools hard-links files into the release tree where it can:
            # unlink first, or writing would change the repository's Cargo.toml.
            os.unlink(release / "Cargo.toml")
            (release / "Cargo.toml").write_text(text, encoding="utf-8")

        lock = release / "Cargo.lock"
        shutil.copy2(root_dir / "Cargo.lock", lock)
        # Resolving the sdist's own workspace makes cargo drop what it does not
        # use; it keeps every version it finds pinned.
        cargo("metadata", "--format-version", "1", manifest=release / "Cargo.toml")
        extra = locked_packages(lock) - locked_packages(root_dir / "Cargo.lock")
        if extra:
            raise RuntimeError(f"the sdist's Cargo.lock pins more than the workspace's: {extra}")
