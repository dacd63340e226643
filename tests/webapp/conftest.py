"""One real ``mpsc-graph serve`` on a free loopback port for the web application's page tests, stopped by PID,
and the browser the browser tests drive (a screenshot of a failing test's page in ``browser-failures/``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from browsing import CHROMIUM, DRIVER
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
    with running(REPO, store_dir=webapp_store, extra_args=["--timeout", "20", "--workers", "2"], log_file=log) as base:
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
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e .[dev])")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1600", "--lang=de", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "de-DE,de"})
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER or ""), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The browser; a screenshot of the page it shows goes to ``browser-failures/`` when the test fails."""
    yield browser
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        folder = Path(tmp_path_factory.getbasetemp()) / "browser-failures"
        folder.mkdir(exist_ok=True)
        browser.save_screenshot(str(folder / f"{request.node.name}.png"))  # type: ignore[attr-defined]
