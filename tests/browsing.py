"""What the browser tests share: whether Debian's Chromium and its driver are here, and what a page
made the browser do (the hosts it asked, the errors on its console)."""

from __future__ import annotations

import json
import shutil
from typing import Any
from urllib.parse import urlparse

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
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
    refused resources, Content-Security-Policy violations)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
