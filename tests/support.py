"""Paths shared by tests (importable because pytest puts tests/ on sys.path, see pyproject)."""

from __future__ import annotations

import contextlib
import csv
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from mpsc_graph.namespaces import SHAPES

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).resolve().parent / "data"
#: valid data for the shape tests, and one fixture per rule that adds one broken node to it
SHAPE_BASE = TEST_DATA / "shapes" / "base.ttl"
SHAPE_FIXTURES = sorted((TEST_DATA / "shapes" / "invalid").glob("*.ttl"))


def expected_shape(fixture: Path) -> str:
    """The IRI of the shape a rule fixture must trip, named in its first line (``# expect: mpscsh:<Shape>``)."""
    first = fixture.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: mpscsh:"), f"{fixture.name} must start with '# expect: mpscsh:<Shape>'"
    return SHAPES + first.split("mpscsh:", 1)[1].strip()


def project_skeleton(root: Path) -> Path:
    """A project root at ``root`` with the repository's ontology, shapes and queries and an empty data/."""
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "data").mkdir()
    return root


def project_copy(root: Path) -> Path:
    """A copy of the repository's project (ontology, shapes, queries and the real data) at ``root``, to write to."""
    for folder in ("ontology", "shapes", "queries", "data"):
        shutil.copytree(REPO / folder, root / folder)
    return root


#: the official municipality directory table, most of the real data's quads
DIRECTORY_TABLE = "directory.csv"


def small_project(root: Path, *, states: tuple[str, ...] = ()) -> Path:
    """A project at ``root`` like the repository's, with an excerpt of the directory table instead of all of it.

    The curated data files are copied whole; of the directory only the rows of the bodies the curated files
    name (an AGS, Kreisschlüssel or association key anywhere in them), the district and association rows
    those rows name, and every row of the given ``states`` (two-digit keys) stay. Tests whose subject is
    not the directory's size (exports, dumps, the static site, pySHACL's reference run) use it: the real
    directory makes each of them take minutes, the excerpt keeps every kind of row and every reference.
    """
    project_skeleton(root)
    named: set[str] = set()
    for path in sorted((REPO / "data").iterdir()):
        if path.is_file() and path.name != DIRECTORY_TABLE:
            shutil.copy(path, root / "data" / path.name)
            named.update(re.findall(r"(?<!\d)(\d{5}|\d{8,9})(?!\d)", path.read_text(encoding="utf-8")))
    with (REPO / "data" / DIRECTORY_TABLE).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames or [], list(reader)
    by_key = {row["key"]: row for row in rows}
    keep = {key for key in named if key in by_key} | {row["key"] for row in rows if row["state"] in states}
    keep |= {by_key[key][column] for key in keep for column in ("district", "association")
             if by_key[key][column] in by_key}
    with (root / "data" / DIRECTORY_TABLE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(row for row in rows if row["key"] in keep)
    return root


def tool(name: str) -> str | None:
    """An executable of the environment running the tests (beside its interpreter), else the one on PATH."""
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.is_file() else shutil.which(name)


@dataclass(frozen=True)
class Ran:
    """What a command run by :func:`cli` gave: its exit code and its two output streams."""

    returncode: int
    stdout: str
    stderr: str


def cli(*args: str, cwd: Path = REPO) -> Ran:
    """``mpsc-graph ARGS`` run in this process from ``cwd``, as the entry point would run it.

    A command in a subprocess pays for a new interpreter and its imports (seconds each); in-process it
    does not. Exit codes and both streams are what the entry point gives; an exception that escapes
    the command lands in ``stderr`` as the traceback a user would see, with exit code 1. Tests whose
    subject is the installed entry point itself (finding the bundled project, signals) keep a subprocess.
    """
    from mpsc_graph.cli import main  # the whole command line, imported by the tests that run it

    with contextlib.chdir(cwd):
        result = CliRunner().invoke(main, list(args), prog_name="mpsc-graph")
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return Ran(result.exit_code, result.stdout, stderr)


def free_port() -> int:
    """A loopback port nobody listens on now (the OS picks it; never a fixed number)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    """Stop a process a test started, by its PID: terminate, wait, then kill if it lingers."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


class Listener:
    """A TCP listener on loopback that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


def log_lines(log: Path, wanted: str, seconds: float = 5.0) -> list[str]:
    """The lines of a server's log that contain ``wanted``, waiting (boundedly) for the server to write them."""
    deadline = time.monotonic() + seconds
    while True:
        lines = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if wanted in line]
        if lines or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)
