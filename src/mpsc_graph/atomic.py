"""Writes that never leave a half-written file or directory: build next to the target, then rename."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import InputError

#: infix of the name a replaced directory has while the new one moves in, before the process id
OLD = ".old-"


def write_file(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder, then rename it."""
    if target.is_dir():
        raise InputError("is a directory; give a file name", path=target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    finally:
        Path(temporary).unlink(missing_ok=True)


def replace_dir(new: Path, target: Path) -> None:
    """Move the finished directory ``new`` to ``target``; the previous ``target`` survives a failed move."""
    old = target.parent / f".{target.name}{OLD}{os.getpid()}"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        if old.exists():
            old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
