"""Debian's Chromium driven through Selenium, for the tests that need a real browser.

One headless browser per test module (:func:`chromium`), the requests it sent (its own network log,
:func:`sent_requests`), and a screenshot of the page when a test fails (:func:`screenshot_on_failure`).
The browser starts with everything that would reach the network on its own (component updates, sync,
background requests) switched off, so the only requests it sends are the ones the pages ask for.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
#: why the browser tests skip on a machine without Debian's chromium and chromium-driver (CI installs both)
MISSING = None if CHROMIUM and DRIVER else "Debian's chromium and chromium-driver are not installed (CI installs both)"

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
    "/doc/solution/osca": "Open SmartCity App (OSCA)",
    "/doc/municipality/15002000?lang=en": "Halle",
    "/query": "SPARQL",
    "/search?q=Halle": "Halle",
    "/ontology": "mpsc",
    "/doc/nothing-here": "",
}


def chromium(language: str = "de") -> Any:
    """A headless Chromium with its performance (network) log on; the caller quits it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM or ""
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1600",
        f"--lang={language}",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": f"{language}-DE,{language}"})
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER or ""), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(30)
    return driver


@dataclass(frozen=True)
class SentRequest:
    method: str
    url: str


def sent_requests(driver: Any) -> list[SentRequest]:
    """Every request the browser sent since the log was last read (reading empties it)."""
    sent = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            request = message["params"]["request"]
            sent.append(SentRequest(request["method"], request["url"]))
    return sent


def screenshot_on_failure(driver: Any, request: pytest.FixtureRequest, factory: pytest.TempPathFactory) -> None:
    """After a test: if it failed, the page the browser shows goes to ``browser-failures/<test>.png``."""
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        folder = Path(factory.getbasetemp()) / "browser-failures"
        folder.mkdir(exist_ok=True)
        driver.save_screenshot(str(folder / f"{request.node.name}.png"))
