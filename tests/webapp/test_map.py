"""The map of adoptions: its data route answers the filters with flows that carry the directory's centre
points, the page without JavaScript lists every flow and draws the placed ones itself, and in a real
browser the enhancement draws one arc per placed flow, follows the filter form and asks only the server."""

from __future__ import annotations

import re
from urllib.parse import quote

import httpx
import pytest

from mpsc_graph.server.webapp.map_geometry import Projection, arc_path, germany_outline, parse_point

try:  # the shared browser helpers; the browser and page fixtures then come from conftest.py
    from browsing import BROWSER_NEEDED, requested_hosts
except ImportError:  # the browser, its fixtures and helpers as test_browser defines them
    try:
        from test_browser import CHROMIUM, DRIVER, browser, page, requested_hosts  # noqa: F401
    except pytest.skip.Exception:  # selenium is not installed: the browser test skips, the others run
        CHROMIUM = DRIVER = None
    BROWSER_NEEDED = pytest.mark.skipif(
        not (CHROMIUM and DRIVER), reason="Debian's chromium and chromium-driver are not installed (CI installs both)"
    )

ID = "https://w3id.org/mpsc-graph/id/"
HAL_PLAN = ID + "solution/hal-plan"
HAL_PLAN_CORE = ID + "module/hal-plan-core"
HALLE, PADERBORN = ID + "municipality/15002000", ID + "municipality/05774032"


def data(base: str, query: str = "") -> dict:  # type: ignore[type-arg]
    answer = httpx.get(f"{base}/map/data.json{'?' + query if query else ''}", timeout=60)
    assert answer.status_code == 200, answer.text
    found: dict = answer.json()  # type: ignore[type-arg]
    return found


def placed(flows: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    return [f for f in flows if f["origin_point"] and f["adopter_point"]]


def test_halle_to_paderborn_is_a_placed_flow_of_hal_plan(webapp_server: str) -> None:
    flows = data(webapp_server, "asset=" + quote(HAL_PLAN))["flows"]
    core = [f for f in flows if f["asset"] == HAL_PLAN_CORE and f["adopter"] == PADERBORN]
    assert len(core) == 1 and core[0]["origin"] == HALLE  # a module's adoption counts for its solution
    lon, lat = core[0]["origin_point"]
    assert 11.8 < lon < 12.1 and 51.4 < lat < 51.6  # Halle's centre point from the directory
    assert {f["solution"] for f in flows} == {HAL_PLAN}
    exact = data(webapp_server, "asset=" + quote(HAL_PLAN_CORE))["flows"]
    assert [f["adoption"] for f in exact] == [core[0]["adoption"]]


def test_every_flow_of_a_place_has_it_as_origin_or_adopter(webapp_server: str) -> None:
    answer = data(webapp_server, "place=" + quote(HALLE))
    assert answer["flows"] and all(HALLE in (f["origin"], f["adopter"]) for f in answer["flows"])
    assert any(f["adopter"] == PADERBORN for f in answer["flows"])
    halle = next(p for p in answer["places"] if p["iri"] == HALLE)
    assert halle["adoptions"] == len(placed(answer["flows"])) and not halle["area"]


def test_year_range_and_area_points(webapp_server: str) -> None:
    every = data(webapp_server)["flows"]
    years = sorted({f["year"] for f in every if f["year"]})
    assert len(years) > 1
    middle = years[len(years) // 2]
    later = data(webapp_server, f"from={middle}")["flows"]
    assert later and all(f["year"] >= middle for f in later)
    assert len(later) == sum(1 for f in every if f["year"] and f["year"] >= middle)
    areas = [f for f in every if f["adopter_area"]]
    assert areas and all(f["adopter_point"] and "/municipality/" not in f["adopter"] for f in areas)


def test_page_without_javascript_lists_every_flow_and_draws_the_placed_ones(webapp_server: str) -> None:
    answer = data(webapp_server, "asset=" + quote(HAL_PLAN))
    html = httpx.get(f"{webapp_server}/map?asset={quote(HAL_PLAN)}", timeout=60).text
    table = html[html.index('<table class="data" id="flows">') :]
    assert table.count('<th scope="row">') == len(answer["flows"])
    assert re.search(r">Halle \(Saale\)</a></td>\s*<th scope=\"row\"><a [^>]*>Paderborn</a>", table)
    svg = html[html.index('data-drawn-by="server"') : html.index("</svg>")]
    assert svg.count('<path class="arc ') == len(placed(answer["flows"])) > 0
    assert "<title>Halle (Saale) → Paderborn: HAL-Plan Core-Modul</title>" in svg
    assert "Im Einsatz" in html and "In production" not in html
    english = httpx.get(f"{webapp_server}/map?lang=en", timeout=60).text
    assert "Map of adoptions" in english and "In production" in english and "Nachnutzungen auf" not in english


@pytest.mark.parametrize("query, word", [("from=20x", "'from'"), ("asset=https://example.org/x", "'asset'")])
def test_bad_filters_are_400_naming_the_parameter(webapp_server: str, query: str, word: str) -> None:
    answer = httpx.get(f"{webapp_server}/map/data.json?{query}", timeout=60)
    assert answer.status_code == 400 and word in answer.text


def test_projection_keeps_germany_in_the_drawing_and_north_up() -> None:
    outline = germany_outline()
    assert sum(len(ring) for ring in outline) > 500
    project = Projection(outline, 560, 720)
    berlin, cologne, munich = project((13.40, 52.52)), project((6.96, 50.94)), project((11.58, 48.14))
    assert cologne[0] < berlin[0] and berlin[1] < munich[1]
    assert all(0 <= x <= 560 and 0 <= y <= 720 for ring in outline for x, y in map(project, ring))
    assert arc_path((0, 0), (100, 0)) == "M0,0Q50.0,20.0 100,0"  # bends to the right of the way it goes
    assert parse_point("POINT(11.97 51.48)") == (11.97, 51.48)
    assert parse_point("LINESTRING(1 2, 3 4)") is None and parse_point("POINT(200 1)") is None


# ------------------------------------------------------------------------------------------ in a browser


def drawn_arcs(driver: object, box: str = "#map") -> list[object]:
    """The arcs d3-geo drew into the element ``box`` (a CSS selector), once the script says it is done."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(  # type: ignore[arg-type]
        lambda d: d.find_element(By.CSS_SELECTOR, box).get_attribute("data-map-state") in ("drawn", "failed")
    )
    element = driver.find_element(By.CSS_SELECTOR, box)  # type: ignore[attr-defined]
    assert element.get_attribute("data-map-state") == "drawn"
    found: list[object] = element.find_elements(By.CSS_SELECTOR, "svg[data-drawn-by='d3-geo'] path.arc")
    return found


@BROWSER_NEEDED
def test_browser_draws_an_arc_per_placed_flow_and_the_filter_changes_them(page: object, webapp_server: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    requested_hosts(page)  # empty the log
    page.get(webapp_server + "/map")  # type: ignore[attr-defined]
    shown = len(drawn_arcs(page))  # drawn first: the test's own request waits for the page's
    every = placed(data(webapp_server)["flows"])
    assert shown == len(every)
    Select(page.find_element(By.ID, "f-asset")).select_by_value(HAL_PLAN)  # type: ignore[attr-defined]
    page.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()  # type: ignore[attr-defined]
    WebDriverWait(page, 30).until(lambda d: "asset=" in d.current_url)  # type: ignore[arg-type]
    arcs = drawn_arcs(page)
    assert len(arcs) == len(placed(data(webapp_server, "asset=" + quote(HAL_PLAN))["flows"])) < len(every)
    core = [a for a in arcs if a.get_attribute("data-adoption").endswith("/paderborn-hal-plan-core")]  # type: ignore[attr-defined]
    assert len(core) == 1
    assert core[0].find_element(By.TAG_NAME, "title").get_attribute("textContent") == (  # type: ignore[attr-defined]
        "Halle (Saale) → Paderborn: HAL-Plan Core-Modul"
    )
    assert requested_hosts(page) <= {"127.0.0.1"}


@BROWSER_NEEDED
def test_solution_profile_has_a_small_map_of_its_flows(page: object, webapp_server: str) -> None:
    requested_hosts(page)
    page.get(webapp_server + "/solution/hal-plan")  # type: ignore[attr-defined]
    shown = len(drawn_arcs(page, ".small-map"))
    assert shown == len(placed(data(webapp_server, "asset=" + quote(HAL_PLAN))["flows"])) > 0
    assert requested_hosts(page) <= {"127.0.0.1"}
