"""The static site's lists in a real browser (Debian's Chromium through Selenium) over Debian nginx: with
JavaScript a filter in the query string narrows the list to the rows the server's own filter keeps, the
facet counts follow, and the download links give exactly those rows. A failing test leaves a screenshot in
``browser-failures/<test name>.png`` under pytest's temporary folder."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from browsing import CHROMIUM, DRIVER, chromium, requested_hosts, screenshot_if_failed
from export.engines import Engine, nginx_binary, start_nginx
from export.test_site_pages import PAGE_TYPES
from mpsc_graph.export.site import NGINX_HTTP_SNIPPET, NGINX_SNIPPET
from mpsc_graph.server.webapp import adoptions, catalogue

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not (CHROMIUM and DRIVER), reason="Debian's chromium and chromium-driver are not installed (CI installs both)"
    ),
    pytest.mark.skipif(nginx_binary() is None, reason="Debian nginx is not installed (.ci/run installs it)"),
]
pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e .[dev])")


@pytest.fixture(scope="module")
def site(out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = start_nginx(tmp_path_factory.mktemp("nginx"), out, out / NGINX_SNIPPET, out / NGINX_HTTP_SNIPPET)
    try:
        yield engine
    finally:
        engine.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield browser
    screenshot_if_failed(browser, request, Path(tmp_path_factory.getbasetemp()))


def shown(driver: Any, url: str, table: str) -> tuple[list[str], str, str, list[str]]:
    """Open ``url``, wait for the script to show its rows: the rows' first cells, the count line, the
    filtered CSV download and the browser's console errors."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, 20).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "p.count a[download]").get_attribute("href").startswith("data:")
    )
    cells = [e.text for e in driver.find_elements(By.CSS_SELECTOR, f"#{table} tbody th")]
    count = driver.find_element(By.CSS_SELECTOR, "p.count strong").text
    csv_link = next(a for a in driver.find_elements(By.CSS_SELECTOR, "p.count a[download]") if a.text == "CSV")
    csv_text = unquote(csv_link.get_attribute("href").split(",", 1)[1])
    errors = [
        e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE" and "/favicon.ico" not in e["message"]
    ]  # the site has no icon
    return cells, count, csv_text, errors


def catalogue_assets(out: Path) -> list[catalogue.Asset]:
    rows = json.loads((out / "solutions.json").read_text(encoding="utf-8"))
    return [
        catalogue.Asset(
            r["iri"],
            r["kind"],
            r["label"],
            r["solution"],
            r["originator"],
            r["adoptions"],
            {name: set(r[f"facet_{name}"]) for name in catalogue.FACETS if r[f"facet_{name}"]},
            r["fields"],
        )
        for r in rows
    ]


def test_a_facet_in_the_query_string_filters_the_catalogue_as_the_server_does(
    page: Any, site: Engine, out: Path
) -> None:
    assets = catalogue_assets(out)
    status = next(iter(sorted({v for a in assets for v in a.facets.get("status", ())})))
    params = {"status": status, "sort": "adoptions"}
    expected = catalogue.select(assets, catalogue.CatalogueState.of(params))
    assert 0 < len(expected) < len(assets)
    cells, count, csv_text, errors = shown(page, f"{site.base}/solutions?status={status}&sort=adoptions", "catalogue")
    assert [c.removesuffix(" (Modul)") for c in cells] == [a.label for a in expected]
    assert count == f"{len(expected)} Lösungen und Module" or (len(expected) == 1 and count == "1 Lösung oder Modul")
    assert csv_text == catalogue.as_csv(expected)
    assert not errors
    from selenium.webdriver.common.by import By

    chosen = page.find_element(By.CSS_SELECTOR, "#facet-status ~ ul li.chosen strong").text
    assert chosen.endswith(f"({len(expected)})")  # the chosen value counts the rows shown
    assert page.find_element(By.CSS_SELECTOR, "nav.pager").get_attribute("hidden") is not None


@pytest.mark.parametrize(
    "query",
    ["state=Brandenburg", "status=production&mode=code-reuse", "asset=hal-plan", "origin=Halle&from=2023&to=2025"],
)
def test_adoption_filters_and_download_in_the_browser_match_the_server(
    page: Any, site: Engine, out: Path, query: str
) -> None:
    rows = [adoptions.AdoptionRow(**r) for r in json.loads((out / "adoptions.json").read_text(encoding="utf-8"))]
    params = dict(part.split("=", 1) for part in query.split("&"))
    expected = adoptions.apply_filters(rows, params)
    assert expected
    cells, count, csv_text, errors = shown(page, f"{site.base}/adoptions.en?{query}", "adoptions")
    assert len(cells) == len(expected)
    assert count.startswith(f"{len(expected)} adoption")
    assert csv_text == adoptions.as_csv(expected)
    assert not errors


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_each_page_type_renders_without_errors_and_asks_only_the_site(page: Any, site: Engine, path: str) -> None:
    from selenium.webdriver.common.by import By

    page.get_log("performance")
    page.get_log("browser")
    page.get(site.base + path)
    assert page.find_element(By.TAG_NAME, "h1").text
    if path in ("/map", "/solution/hal-plan", "/municipality/15002000"):  # map.js draws from the site's data
        from selenium.webdriver.support.ui import WebDriverWait

        # a profile's small map is drawn when the part around it (it is hidden until drawn) comes into view
        page.execute_script("document.querySelector('.small-map, .mini-map')?.parentElement.scrollIntoView()")
        WebDriverWait(page, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "svg[data-drawn-by='d3-geo']"))
    errors = [
        e["message"] for e in page.get_log("browser") if e["level"] == "SEVERE" and "/favicon.ico" not in e["message"]
    ]
    assert not errors
    assert requested_hosts(page) == {"127.0.0.1"}
