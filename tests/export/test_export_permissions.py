"""Exports and written files are readable as any new file is (the umask decides), not private to their owner.

The export folder is meant to be served (nginx reads it as another user); a temporary-file helper's
private 0700 folder or 0600 file would make every page a 403.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from mpsc_graph.atomic import new_dir, write_file


def umask_now() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@pytest.fixture(params=[0o022, 0o027, 0o077])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_written_files_respect_the_umask(umask: int, tmp_path: Path) -> None:
    target = tmp_path / "import.ttl"
    write_file(target, b"<a:b> <a:c> 1 .\n")
    assert mode(target) == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["import.ttl"]


def test_new_folders_respect_the_umask(umask: int, tmp_path: Path) -> None:
    folder = new_dir(tmp_path, ".out.exporting-1-")
    assert mode(folder) == 0o777 & ~umask
    assert folder.name.startswith(".out.exporting-1-") and not any(folder.iterdir())


def test_the_export_is_world_readable_under_the_usual_umask(out: Path) -> None:
    mask = umask_now()
    assert mode(out) == 0o777 & ~mask, oct(mode(out))
    for path in out.rglob("*"):
        assert mode(path) == (0o777 if path.is_dir() else 0o666) & ~mask, (path, oct(mode(path)))
