"""tools/wheelhouse.py: the proofs that test dist/'s release files never test a stale one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import wheelhouse


def test_a_release_file_older_than_its_sources_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wheelhouse, "DIST", tmp_path)
    wheel = tmp_path / "cffi_binding-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"")
    source = wheelhouse.ROOT / "shared_rust" / "src" / "lib.rs"
    newest = max(p.stat().st_mtime for p in wheelhouse._sources("cffi_binding"))

    os.utime(wheel, (newest + 1, newest + 1))
    assert wheelhouse.release_file("cffi_binding", ".whl") == wheel

    os.utime(wheel, (source.stat().st_mtime - 1, source.stat().st_mtime - 1))
    with pytest.raises(wheelhouse.Stale, match=r"is older than .*tox -e build"):
        wheelhouse.release_file("cffi_binding", ".whl")


def test_a_missing_or_doubled_release_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wheelhouse, "DIST", tmp_path)
    with pytest.raises(wheelhouse.Stale, match="holds 0 cffi_binding"):
        wheelhouse.release_file("cffi_binding", ".whl")
    for name in ("cffi_binding-0.1.0-a.whl", "cffi_binding-0.2.0-a.whl"):
        (tmp_path / name).write_bytes(b"")
    with pytest.raises(wheelhouse.Stale, match="holds 2 cffi_binding"):
        wheelhouse.release_file("cffi_binding", ".whl")
