"""The start page: a search box, the ways in by question, and the dataset's size counted from the data."""

from __future__ import annotations

import re

import httpx


def get(base: str, path: str) -> str:
    answer = httpx.get(base + path, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.text


def test_size_line_counts_the_data(webapp_server: str) -> None:
    """The line's numbers are the data's: the adoption count is what the adoption list counts."""
    page = get(webapp_server, "/")
    size = re.search(r'<p class="size">(.*?)</p>', page)
    assert size, page[:2000]
    adoptions = re.search(r"(\d+) Nachnutzungen", size.group(1))
    listed = re.search(r'<p class="count" role="status"><strong>(\d+) ', get(webapp_server, "/adoptions"))
    assert adoptions and listed and adoptions.group(1) == listed.group(1)
    assert "73 Modellprojekte" in size.group(1)


def test_entry_points_by_question_and_search(webapp_server: str) -> None:
    page = get(webapp_server, "/")
    for href in (
        'href="/solutions"',
        'href="/adoptions"',
        'href="/map"',
        'href="/figures"',
        'href="/municipality/15002000"',
        'action="/search"',
    ):
        assert href in page, href


def test_english_start_page_is_english_only(webapp_server: str) -> None:
    page = get(webapp_server, "/?lang=en")
    assert "What can we reuse?" in page and "municipalities" in page
    for german in ("Nachnutzungen", "Was können wir", "Gemeinden", "Suche"):
        assert german not in page, german
    assert 'href="/solutions?lang=en"' in page
