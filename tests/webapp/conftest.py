"""One real ``mpsc-graph serve`` on a free loopback port for the web application's page tests, stopped by PID."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mpsc_graph.dataset import build_store
from mpsc_graph.project import Project
from mpsc_graph.server import running
from support import REPO


@pytest.fixture(scope="session")
def webapp_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data built into an on-disk store once per session."""
    return build_store(Project.at(REPO), tmp_path_factory.mktemp("webapp") / "store").store_dir


@pytest.fixture(scope="session")
def webapp_server(webapp_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("logs") / "webapp-server.log"
    with running(REPO, store_dir=webapp_store, extra_args=["--timeout", "20", "--workers", "4"], log_file=log) as base:
        yield base


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    report: pytest.TestReport = yield
    setattr(item, f"rep_{report.when}", report)
    return report
