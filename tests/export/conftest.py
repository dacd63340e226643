"""Fixtures of the export/publish tests: a small project like the repository's, exported once per session.

Exports, dumps re-parsed by rdflib, the static site (one page per entity) and publishing grow with the
data, and the official municipality directory is most of it. These tests are about the export, not
about the directory's size, so ``project``, ``store`` and ``graph`` here are the repository's ontology,
shapes, queries and curated data with an excerpt of the directory table (see ``support.small_project``).
The real data's own export checks are the few that say so (the export gate on a violation).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Store

from mpsc_graph.api import Graph
from mpsc_graph.dataset import load_dataset
from mpsc_graph.export import ExportReport, export
from mpsc_graph.project import Project
from support import small_project


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The small export project (overrides the repository's project for the tests in this folder)."""
    return Project.at(small_project(tmp_path_factory.mktemp("small") / "project"))


@pytest.fixture(scope="session")
def store(project: Project) -> Store:
    return load_dataset(project)


@pytest.fixture(scope="session")
def graph(project: Project, store: Store) -> Graph:
    return Graph(project, store=store)


@pytest.fixture(scope="session")
def exported(project: Project, store: Store, tmp_path_factory: pytest.TempPathFactory) -> ExportReport:
    """The small project exported once (dumps, VoID, DCAT, docs and the static site)."""
    return export(project, tmp_path_factory.mktemp("export") / "dist", site=True, store=store)


@pytest.fixture(scope="session")
def out(exported: ExportReport) -> Path:
    return exported.out


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """Each phase's report on the test item, so a browser test's fixture can save a screenshot on failure."""
    report: pytest.TestReport = yield
    setattr(item, f"rep_{report.when}", report)
    return report
