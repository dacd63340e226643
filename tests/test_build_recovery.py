"""`build` killed at any point: the previous store stays usable or comes back, and nothing stale stays beside it.

Each case really kills a build (SIGKILL, as the OOM killer or a power cut would) in a subprocess at
one step of the build: while the store is being filled, between the two renames that swap the new
store in, and after them before the displaced store is removed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mpsc_graph.dataset import BUILD_INFO, build_store, open_store
from mpsc_graph.project import Project
from support import REPO, TEST_DATA

BASE = TEST_DATA / "shapes" / "base.ttl"

# Builds the project at argv[1] into argv[2] and kills itself at the step named by argv[3].
CHILD = """
import os, signal, sys
from pathlib import Path
from mpsc_graph import dataset
from mpsc_graph.project import Project

root, store, step = sys.argv[1:4]
die = lambda: os.kill(os.getpid(), signal.SIGKILL)
if step == "filling":
    fill = dataset._fill_store
    dataset._fill_store = lambda directory, project: (fill(directory, project), die())
else:
    renames, rename = [], Path.rename
    def counting(self, target):
        moved = rename(self, target)
        renames.append(target)
        if len(renames) == {"between-renames": 1, "after-renames": 2}[step]:
            die()
        return moved
    Path.rename = counting
dataset.build_store(Project.at(Path(root)), Path(store))
"""


def fingerprint(store: Path) -> str:
    return str(json.loads((store / BUILD_INFO).read_text(encoding="utf-8"))["fingerprint"])


def leftovers(store: Path) -> list[str]:
    return sorted(p.name for p in store.parent.iterdir() if p.name.startswith(f".{store.name}."))


@pytest.fixture
def built(make_project: Callable[..., Project], tmp_path: Path) -> tuple[Project, Path, str]:
    """A project with a store built from it, and then a changed input (the next build differs)."""
    project = make_project(BASE)
    store = tmp_path / "store"
    previous = build_store(project, store).fingerprint
    (project.data_dir / "extra.ttl").write_text("<https://example.org/a> <https://example.org/b> 1 .\n", "utf-8")
    return project, store, previous


def killed_build(project: Project, store: Path, step: str) -> None:
    done = subprocess.run([sys.executable, "-c", CHILD, str(project.root), str(store), step], capture_output=True,
                          text=True, timeout=120, env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
    assert done.returncode == -9, done.stderr[-500:]


def test_killed_while_filling_keeps_the_previous_store(built: tuple[Project, Path, str]) -> None:
    project, store, previous = built
    killed_build(project, store, "filling")
    assert fingerprint(store) == previous
    assert [name.split("-")[0] for name in leftovers(store)] == [".store.building"]
    report = build_store(project, store)
    assert fingerprint(store) == report.fingerprint != previous
    assert leftovers(store) == []


def test_killed_between_the_renames_the_previous_store_comes_back_when_opened(
        built: tuple[Project, Path, str]) -> None:
    project, store, previous = built
    killed_build(project, store, "between-renames")
    assert not store.exists()
    assert sorted(name.split("-")[0] for name in leftovers(store)) == [".store.building", ".store.old"]
    open_store(store).query("ASK { ?s ?p ?o }")  # as serve opens it: the displaced store is put back
    assert fingerprint(store) == previous
    assert leftovers(store) == []


def test_killed_between_the_renames_the_next_build_restores_and_replaces(built: tuple[Project, Path, str]) -> None:
    project, store, previous = built
    killed_build(project, store, "between-renames")
    report = build_store(project, store)
    assert fingerprint(store) == report.fingerprint != previous
    assert leftovers(store) == []


def test_killed_after_the_renames_the_new_store_stays_and_the_old_one_goes(built: tuple[Project, Path, str]) -> None:
    project, store, previous = built
    killed_build(project, store, "after-renames")
    assert fingerprint(store) != previous
    assert [name.split("-")[0] for name in leftovers(store)] == [".store.old"]
    build_store(project, store)
    assert leftovers(store) == []


def test_temporary_folders_of_running_builds_are_left_alone(built: tuple[Project, Path, str]) -> None:
    project, store, _ = built
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as running:
        try:
            mine = store.parent / f".store.building-{running.pid}"
            mine.mkdir()
            build_store(project, store)
            assert mine.is_dir()
        finally:
            running.kill()
