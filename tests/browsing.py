"""What the browser tests share: whether Debian's Chromium and its driver are here, and what a page
made the browser do (the hosts it asked, the errors on its console)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium asking for German pages, logging its network requests and console; quit on exit."""
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


def screenshot_if_failed(browser: Any, request: pytest.FixtureRequest, base: Path) -> None:
    """After a failed test, the page the browser shows goes to ``browser-failures/<test name>.png``."""
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        folder = base / "browser-failures"
        folder.mkdir(exist_ok=True)
        browser.save_screenshot(str(folder / f"{request.node.name}.png"))


BROWSER_NEEDED = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="Debian's chromium and chromium-driver are not installed (CI installs both)"
)


def requested_hosts(driver: Any) -> set[str]:
    """Hosts of every request the browser sent since the log was last read."""
    hosts = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url.startswith(("http://", "https://", "ws://", "wss://")):
                hosts.add(urlparse(url).hostname or "")
    return hosts


def console_errors(driver: Any) -> list[str]:
    """Messages of level SEVERE on the browser's console since the log was last read (script errors,
    refused resources, Content-Security-Policy violations). A 503 is left out: it is the server saying it is
    busy (its worker pool refuses a second long query), and the scripts that fetch data ask again."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"
            and "status of 503" not in entry["message"]]


#: one path per page type of the server on the real data (German by default; a few in English), with a
#: text the page must show; the accessibility and keyboard tests run on each. A new page type: one more line.
PAGE_TYPES = {
    "/": "mpsc-graph",
    "/solutions": "Lösungen und Module",
    "/solutions?lang=en": "Solutions and modules",
    "/solution/osca": "Open SmartCity App (OSCA)",
    "/module/hal-plan-core": "HAL-Plan",
    "/adoptions": "Nachnutzungen",
    "/adoptions?lang=en": "Adoptions",
    "/figures": "mpsc-graph",
    "/map": "mpsc-graph",
    "/municipality/15002000": "Halle",
    "/municipality/15002000/recommendations": "Halle",
    "/contribute": "mpsc-graph",
    "/doc/solution/osca": "Open SmartCity App (OSCA)",
    "/doc/municipality/15002000?lang=en": "Halle",
    "/query": "SPARQL",
    "/search?q=Halle": "Halle",
    "/ontology": "mpsc",
    "/.well-known/void": "mpsc-graph",
    "/api/docs": "mpsc-graph",
    "/doc/nothing-here": "",
}


def sent_requests(driver: Any) -> list[tuple[str, str]]:
    """Method and URL of every request the browser sent since the log was last read (reading empties it)."""
    sent = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            request = message["params"]["request"]
            sent.append((request["method"], request["url"]))
    return sent
