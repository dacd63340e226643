"""Fixtures of the export/publish tests: one real export (with site) per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Store

from mpsc_graph.export import ExportReport, export
from mpsc_graph.project import Project


@pytest.fixture(scope="session")
def exported(project: Project, store: Store, tmp_path_factory: pytest.TempPathFactory) -> ExportReport:
    """The real dataset exported once (dumps, VoID, DCAT, docs and the static site)."""
    return export(project, tmp_path_factory.mktemp("export") / "dist", site=True, store=store)


@pytest.fixture(scope="session")
def out(exported: ExportReport) -> Path:
    return exported.out
