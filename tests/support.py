"""Paths shared by tests (importable because pytest puts tests/ on sys.path, see pyproject)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = Path(__file__).resolve().parent / "data"


def project_skeleton(root: Path) -> Path:
    """A project root at ``root`` with the repository's ontology, shapes and queries and an empty data/."""
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(REPO / folder, root / folder)
    (root / "data").mkdir()
    return root


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
