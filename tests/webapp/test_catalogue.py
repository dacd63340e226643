"""The solution catalogue lists every solution and module; a facet's count is what choosing it gives,
and the facet state is in the URL."""

from __future__ import annotations

import re
from urllib.parse import unquote

import httpx

CITY_APP = "https://w3id.org/mpsc-graph/id/concept/thematic-field/city-app"


def get(base: str, path: str) -> str:
    answer = httpx.get(base + path, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.text


def count(page: str) -> int:
    found = re.search(r'<p class="count" role="status"><strong>(\d+) ', page)
    assert found
    return int(found.group(1))


def rows(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="([^"?]*)', page)


def test_every_facet_count_is_what_choosing_it_gives(webapp_server: str) -> None:
    page = get(webapp_server, "/solutions")
    links = re.findall(r'<li><a href="(/solutions\?[^"]+)">[^<]*</a> \((\d+)\)</li>', page)
    assert len(links) > 20
    for href, expected in links[:8] + links[-4:]:
        assert count(get(webapp_server, href.replace("&amp;", "&"))) == int(expected), unquote(href)


def test_city_app_facet_keeps_open_smartcity_app_and_drops_others(webapp_server: str) -> None:
    everything = count(get(webapp_server, "/solutions"))
    page = get(webapp_server, f"/solutions?field={CITY_APP}")
    assert 0 < count(page) < everything
    assert "/solution/osca" in rows(page)
    assert "/solution/hal-plan" not in rows(page)
    assert 'class="chosen"' in page  # the chosen value is marked and can be removed


def test_sort_by_adoptions_and_pages(webapp_server: str) -> None:
    page = get(webapp_server, "/solutions?sort=adoptions")
    numbers = [int(n) for n in re.findall(r"<td>(\d+)</td></tr>", page)]
    assert numbers == sorted(numbers, reverse=True) and numbers[0] > 0
    first, second = rows(page), rows(get(webapp_server, "/solutions?sort=adoptions&page=2"))
    assert first and second and not set(first) & set(second)


def test_english_catalogue_has_no_german_words(webapp_server: str) -> None:
    page = get(webapp_server, "/solutions?lang=en")
    assert "Thematic field" in page and "Handlungsfeld" not in page and "Lösungen" not in page


def test_every_page_type_has_the_same_navigation(webapp_server: str) -> None:
    for path in ("/", "/solutions", "/adoptions", "/solution/osca", "/doc/solution/osca", "/search"):
        nav = re.search(r"<nav>(.*?)</nav>", get(webapp_server, path), re.S)
        assert nav and 'href="/solutions"' in nav.group(1) and 'href="/adoptions"' in nav.group(1), path
