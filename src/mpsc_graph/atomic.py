"""Writes that never leave a half-written file or directory: build next to the target, then rename."""

from __future__ import annotations

import glob
import os
import secrets
import shutil
from collections.abc import Sequence
from pathlib import Path

from .errors import InputError

#: infix of the name a replaced directory has while the new one moves in, before the process id
OLD = ".old-"


def write_file(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file in the same folder, then rename it.

    The file gets the permissions of any new file (``0666`` less the umask), not ``mkstemp``'s
    private ``0600``: outputs are meant to be read, by a web server among others.
    """
    if target.is_dir():
        raise InputError("is a directory; give a file name", path=target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.parent / f".{target.name}.{os.getpid()}-{secrets.token_hex(6)}.tmp"
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def new_dir(beside: Path, prefix: str) -> Path:
    """A new, empty directory named ``prefix`` and a random part in the folder ``beside``, with the
    permissions of any new directory (``0777`` less the umask), not ``mkdtemp``'s private ``0700``."""
    while True:
        candidate = beside / f"{prefix}{secrets.token_hex(6)}"
        try:
            candidate.mkdir(mode=0o777)
        except FileExistsError:
            continue
        return candidate


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


def clear_stale(target: Path, temporaries: Sequence[str]) -> list[Path]:
    """Remove what a writer of ``target`` that was killed (SIGKILL, power loss) left beside it.

    Temporary directories are named ``.<target><infix><pid>...`` with an infix of ``temporaries``
    (the build's ``.building-``, the export's ``.exporting-``), the previous ``target`` displaced by
    :func:`replace_dir` ``.<target>.old-<pid>``. Only those of processes that no longer run on this
    machine are touched, so a writer running in parallel keeps its own. A displaced ``target``
    whose process died between the two renames of :func:`replace_dir` is put back when ``target``
    is missing. Returns the directories removed.
    """
    removed: list[Path] = []
    for candidate in sorted(target.parent.glob(f".{glob.escape(target.name)}.*")):
        rest = candidate.name[len(target.name) + 1:]
        for infix in (*temporaries, OLD):
            if not rest.startswith(infix):
                continue
            pid = rest[len(infix):].split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)) and candidate.is_dir() and not candidate.is_symlink():
                if infix == OLD and not target.exists():
                    candidate.rename(target)
                else:
                    shutil.rmtree(candidate)
                    removed.append(candidate)
    return removed


def _alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (one of another user counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
