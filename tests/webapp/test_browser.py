"""The web application's pages in a real browser (Debian's Chromium through Selenium) against a real
server on loopback: each page type renders, the catalogue's facets filter, and no page asks any host
but the server for anything (the browser's own network log). The browser and its failure screenshots
come from ``conftest.py``."""

from __future__ import annotations

import pytest

from browsing import BROWSER_NEEDED, requested_hosts

pytestmark = BROWSER_NEEDED

PAGES = {  # path → text the page must show
    "/": "mpsc-graph",
    "/solutions": "Lösungen und Module",
    "/adoptions": "Nachnutzungen",
    "/solution/osca": "Open SmartCity App (OSCA)",
    "/module/hal-plan-core": "HAL-Plan",
    "/doc/solution/osca": "Open SmartCity App (OSCA)",
    "/solutions?lang=en": "Solutions and modules",
}


@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_and_asks_only_the_server(page: object, webapp_server: str, path: str) -> None:
    from selenium.webdriver.common.by import By

    requested_hosts(page)  # empty the log
    page.get(webapp_server + path)  # type: ignore[attr-defined]
    body = page.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
    assert PAGES[path] in body, body[:500]
    assert page.find_elements(By.CSS_SELECTOR, "header nav a[href^='/solutions']")  # type: ignore[attr-defined]
    assert requested_hosts(page) <= {"127.0.0.1"}


def test_choosing_a_facet_narrows_the_catalogue(page: object, webapp_server: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    page.get(webapp_server + "/solutions")  # type: ignore[attr-defined]
    before = len(page.find_elements(By.CSS_SELECTOR, "#catalogue tbody tr"))  # type: ignore[attr-defined]
    link = page.find_element(By.LINK_TEXT, "Stadt-App")  # type: ignore[attr-defined]
    expected = int(link.find_element(By.XPATH, "..").text.rsplit("(", 1)[1].rstrip(")"))
    link.click()
    WebDriverWait(page, 30).until(lambda d: "field=" in d.current_url)  # type: ignore[arg-type]
    shown = page.find_elements(By.CSS_SELECTOR, "#catalogue tbody tr")  # type: ignore[attr-defined]
    assert len(shown) == expected < before
    assert "field=" in page.current_url  # type: ignore[attr-defined]
    assert any("Open SmartCity App" in row.text for row in shown)


def test_adoption_filter_form_and_download_agree(page: object, webapp_server: str) -> None:
    import httpx
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    page.get(webapp_server + "/adoptions")  # type: ignore[attr-defined]
    Select(page.find_element(By.ID, "f-state")).select_by_visible_text("Brandenburg")  # type: ignore[attr-defined]
    page.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()  # type: ignore[attr-defined]
    WebDriverWait(page, 30).until(lambda d: "state=Brandenburg" in d.current_url)  # type: ignore[arg-type]
    shown = int(page.find_element(By.CSS_SELECTOR, "p.count strong").text.split()[0])  # type: ignore[attr-defined]
    href = page.find_element(By.LINK_TEXT, "JSON").get_attribute("href")  # type: ignore[attr-defined]
    assert "state=Brandenburg" in href
    assert len(httpx.get(href, timeout=60).json()) == shown > 0
