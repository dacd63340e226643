"""One real ``mpsc-graph serve`` on a free loopback port for the web application's page tests, stopped by PID,
and the browser the browser tests drive (a screenshot of a failing test's page in ``browser-failures/``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from browsing import CHROMIUM, DRIVER, chromium, screenshot_if_failed
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
    with running(REPO, store_dir=webapp_store, extra_args=["--timeout", "60", "--workers", "4"], log_file=log) as base:
        yield base


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    report: pytest.TestReport = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium asking for German pages, logging its network requests and console, one per module."""
    if not (CHROMIUM and DRIVER):
        pytest.skip("Debian's chromium and chromium-driver are not installed (CI installs both)")
    with chromium() as driver:
        yield driver


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The browser; a screenshot of the page it shows goes to ``browser-failures/`` when the test fails."""
    yield browser
    screenshot_if_failed(browser, request, Path(tmp_path_factory.getbasetemp()))
