"""The figures page: every chart's numbers are in a table beside it, add up to what the lists count, and
name the query that computes them."""

from __future__ import annotations

import html
import re

import httpx


def get(base: str, path: str) -> str:
    answer = httpx.get(base + path, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.text


def table(page: str, name: str) -> dict[str, int]:
    """The figure's table as label → count (the total row left out)."""
    section = re.search(rf'<section class="figure" id="{name}".*?</section>', page, re.S)
    assert section, name
    body = re.search(r"<tbody>(.*?)</tbody>", section.group(0), re.S)
    assert body, name
    rows = re.findall(r'<th scope="row">(?:<a [^>]*>)?([^<]*)(?:</a>)?</th><td class="num">(\d+)</td>', body.group(1))
    return {html.unescape(label): int(n) for label, n in rows}


def listed(base: str, query: str = "") -> int:
    found = re.search(r'<p class="count" role="status"><strong>(\d+) ', get(base, "/adoptions" + query))
    assert found
    return int(found.group(1))


def test_adoptions_per_year_state_and_status_each_add_up_to_the_adoption_list(webapp_server: str) -> None:
    page = get(webapp_server, "/figures")
    every = listed(webapp_server)
    for name in ("per_year", "per_state", "per_status"):
        assert sum(table(page, name).values()) == every, name


def test_a_state_bar_is_what_the_adoption_list_filters(webapp_server: str) -> None:
    """Brandenburg's bar counts the adoptions with a Brandenburg adopter; the list's state filter also keeps
    adoptions whose origin is in Brandenburg, so it counts at least as many."""
    brandenburg = table(get(webapp_server, "/figures"), "per_state")["Brandenburg"]
    assert 0 < brandenburg <= listed(webapp_server, "?state=Brandenburg")


def test_top_origin_is_bad_belzig_with_its_adoptions(webapp_server: str) -> None:
    """Bad Belzig (Smart Village App) is the origin most adoptions name, as many as the list filtered by it."""
    origins = table(get(webapp_server, "/figures"), "top_origins")
    first = next(iter(origins))
    assert first == "Bad Belzig"
    assert origins[first] == listed(webapp_server, "?origin=Bad+Belzig")
    assert list(origins.values()) == sorted(origins.values(), reverse=True)


def test_each_chart_is_svg_with_a_text_alternative_and_its_query(webapp_server: str) -> None:
    page = get(webapp_server, "/figures")
    charts = re.findall(r'<svg class="chart" role="img" aria-labelledby="([a-z_]+)-svg-t"', page)
    assert charts == [
        "per_year",
        "per_state",
        "per_status",
        "per_route",
        "top_origins",
        "top_adopters",
        "top_operators",
    ]
    for name in charts:
        link = re.search(rf'id="{name}".*?<a href="/query\?example=(page_figure_[a-z_]+)"', page, re.S)
        assert link, name
        assert httpx.get(f"{webapp_server}/api/{link.group(1)}", timeout=60).status_code == 200
    assert "<script" not in page


def test_years_without_adoptions_are_bars_of_zero(webapp_server: str) -> None:
    years = [label for label in table(get(webapp_server, "/figures"), "per_year") if label.isdigit()]
    assert years == [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]


def test_english_figures_are_english_only(webapp_server: str) -> None:
    page = get(webapp_server, "/figures?lang=en")
    assert "Adoptions per start year" in page and "In production" in page
    for german in ("Nachnutzungen je", "Im Einsatz", "Anzahl", "ohne Angabe"):
        assert german not in page, german
