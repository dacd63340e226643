"""Each page type of the start page, figures, municipality profiles, recommendations, API documentation,
VoID, ontology and query page renders in a real browser with the site's navigation, without a console error
(a script error or a resource the Content-Security-Policy refused) and without asking any other host."""

from __future__ import annotations

from typing import Any

import pytest

from browsing import BROWSER_NEEDED, console_errors, requested_hosts

pytestmark = BROWSER_NEEDED

PAGES = {  # path → text the page must show
    "/": "Was können wir nachnutzen?",
    "/?lang=en": "What can we reuse?",
    "/figures": "Nachnutzungen je Startjahr",
    "/figures?lang=en": "Adoptions per start year",
    "/municipality/15002000": "HAL-Plan Core-Modul",
    "/municipality/01001000?lang=en": "Adopters nearby",
    "/municipality/01001000/recommendations": "Smart Village App",
    "/api/docs": "Web-API der benannten Abfragen",
    "/.well-known/void": "Beschreibung des Datensatzes (VoID)",
    "/ontology": "Gemeinde",
    "/query": "SPARQL",
}


@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_without_console_errors(page: Any, webapp_server: str, path: str) -> None:
    from selenium.webdriver.common.by import By

    requested_hosts(page)
    console_errors(page)  # empty both logs
    page.get(webapp_server + path)
    body = page.find_element(By.TAG_NAME, "body").text
    assert PAGES[path] in body, body[:500]
    assert page.find_elements(By.CSS_SELECTOR, "header nav a[href^='/figures']")
    assert console_errors(page) == []
    assert requested_hosts(page) <= {"127.0.0.1"}


def test_query_page_runs_an_example_without_an_error_mark(page: Any, webapp_server: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    page.get(webapp_server + "/query?lang=en")
    console_errors(page)
    Select(page.find_element(By.ID, "example")).select_by_value("page_municipality_groups")
    assert "PREFIX mpsc:" in page.find_element(By.ID, "query").get_attribute("value")
    page.find_element(By.CSS_SELECTOR, "#query-form button[type=submit]").click()
    WebDriverWait(page, 30).until(lambda d: "row" in d.find_element(By.ID, "status").text)
    assert page.find_element(By.ID, "status").text.startswith("1 row ·")  # Halle (Saale): its model project
    assert not page.find_elements(By.CSS_SELECTOR, "pre.error")
    assert "mpsc21-halle" in page.find_element(By.ID, "results").text
    assert console_errors(page) == []


def test_a_chart_has_its_table_and_a_text_alternative(page: Any, webapp_server: str) -> None:
    from selenium.webdriver.common.by import By

    page.get(webapp_server + "/figures")
    charts = page.find_elements(By.CSS_SELECTOR, "svg.chart[role=img]")
    assert len(charts) == 7
    for chart in charts:
        title = chart.find_element(By.TAG_NAME, "title").get_attribute("textContent")
        assert title and any(ch.isdigit() for ch in title)
        assert chart.size["width"] > 100
