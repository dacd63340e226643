"""Shared fixtures: the repository's own project (real data) and helpers for small fixture projects."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pyoxigraph import Store

from mpsc_graph.api import Graph
from mpsc_graph.dataset import load_dataset
from mpsc_graph.project import Project, shared_dir
from support import REPO, Ran, cli, project_skeleton


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


@pytest.fixture
def loaded_cli(project: Project, graph: Graph, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    """``support.cli`` whose commands open the session's ``project`` as the session's ``graph``: the dataset
    loaded and its names indexed once, instead of two or three seconds of both in every command.

    ``Graph.open`` still finds the project as every command does (a wrong ``--root`` is still an error);
    an endpoint, an on-disk store or another project opens as usual. Only for commands that query
    (paths, network, reuse, readiness, ...): a :class:`Graph` never writes to its store.
    """
    own = Graph.open

    def open_graph(root: str | os.PathLike[str] | None = None, *, store_dir: str | os.PathLike[str] | None = None,
                   endpoint: str | None = None) -> Graph:
        if store_dir is None and endpoint is None and Project.find(root).root == project.root:
            return graph
        return own(root, store_dir=store_dir, endpoint=endpoint)

    monkeypatch.setattr(Graph, "open", open_graph)
    return cli


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
