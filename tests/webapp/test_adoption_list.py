"""The adoption list filters by the query string and downloads exactly the filtered rows."""

from __future__ import annotations

import csv
import io
import re

import httpx
import pytest


def get(base: str, path: str) -> httpx.Response:
    return httpx.get(base + path, timeout=60)


def shown_count(page: str) -> int:
    found = re.search(r'<p class="count" role="status"><strong>(\d+) ', page)
    assert found, "the list states how many adoptions it shows"
    return int(found.group(1))


def test_unfiltered_list_counts_every_adoption_and_pages_them(webapp_server: str) -> None:
    rows = list(csv.DictReader(io.StringIO(get(webapp_server, "/adoptions?format=csv").text)))
    page = get(webapp_server, "/adoptions").text
    assert shown_count(page) == len(rows) > 50
    assert page.count("<th scope=\"row\">") == 50  # one page
    assert 'rel="next"' in page


@pytest.mark.parametrize("query", ["state=Brandenburg", "kind=joint-work", "status=production&mode=code-reuse",
                                   "asset=hal-plan", "origin=Halle&from=2023&to=2025", "adopter=lemgo"])
def test_download_matches_the_filtered_rows(webapp_server: str, query: str) -> None:
    page = get(webapp_server, f"/adoptions?{query}").text
    csv_rows = list(csv.DictReader(io.StringIO(get(webapp_server, f"/adoptions?{query}&format=csv").text)))
    json_rows = get(webapp_server, f"/adoptions?{query}&format=json").json()
    assert 0 < len(csv_rows) == len(json_rows) == shown_count(page)
    assert [r["adoption"] for r in csv_rows] == [r["adoption"] for r in json_rows]
    if len(csv_rows) <= 50:  # the page shows the same adopters in the same order
        shown = re.findall(r'<td class="adopter"><a href="[^"]*">([^<]*)</a>', page)
        assert shown == [r["adopter_label"] for r in csv_rows]


def test_each_filter_holds_for_every_downloaded_row(webapp_server: str) -> None:
    rows = get(webapp_server, "/adoptions?state=Brandenburg&kind=transfer&from=2021&format=json").json()
    assert rows
    assert all("Brandenburg" in (r["adopter_state"], r["origin_state"]) for r in rows)
    assert all(r["kind"] == "transfer" and int(r["start"][:4]) >= 2021 for r in rows)
    hal = get(webapp_server, "/adoptions?asset=HAL-Plan&format=json").json()
    assert any(r["asset"].endswith("/module/hal-plan-core") for r in hal)  # a module counts for its solution


def test_english_says_one_adoption(webapp_server: str) -> None:
    rows = get(webapp_server, "/adoptions?format=json").json()
    labels = [r["adopter_label"] for r in rows]
    once = next(label for label in labels if labels.count(label) == 1 and
                sum(label.casefold() in other.casefold() for other in labels) == 1)
    page = get(webapp_server, f"/adoptions?adopter={once}&lang=en").text
    assert "<strong>1 adoption</strong>" in page
    assert "Nachnutzung" not in page


def test_bad_filters_are_400_naming_the_parameter(webapp_server: str) -> None:
    for query, word in (("from=20x", "'from'"), ("format=xml", "format"), ("page=x", "page")):
        answer = get(webapp_server, f"/adoptions?{query}")
        assert answer.status_code == 400 and word in answer.text
