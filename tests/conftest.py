"""Shared fixtures: the repository's own project (real data) and helpers for small fixture projects."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import Store

from mpsc_graph.api import Graph
from mpsc_graph.dataset import load_dataset
from mpsc_graph.project import Project, shared_dir
from support import REPO, project_skeleton


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.at(REPO)


@pytest.fixture(scope="session")
def store(project: Project) -> Store:
    """The real dataset, loaded once per test session."""
    return load_dataset(project)


@pytest.fixture(scope="session")
def graph(project: Project, store: Store) -> Graph:
    return Graph(project, store=store)


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_dir(REPO)
    if path is None:
        pytest.skip("../shared (conformance and reference material) is not beside the repository; set MPSC_SHARED")
    return path


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Project]:
    """A throw-away project with the real ontology, shapes and queries and the given data files."""

    def make(*data_files: Path, **texts: str) -> Project:
        root = tmp_path / "project"
        project_skeleton(root)
        for path in data_files:
            shutil.copy(path, root / "data" / path.name)
        for name, text in texts.items():
            (root / "data" / name.replace("__", ".")).write_text(text, encoding="utf-8")
        return Project.at(root)

    return make
