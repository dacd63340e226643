"""The solution profile answers "who runs it, what does joining cost, who uses it" in that order, in one
language, with each fact pointing to its own numbered source, and says what the ``reuse`` brief says."""

from __future__ import annotations

import html
import re
from pathlib import Path

import httpx
import pytest

from mpsc_graph.api import Graph
from mpsc_graph.reuse import build_brief
from support import REPO

OSCA = "https://w3id.org/mpsc-graph/id/solution/osca"


def get(base: str, path: str, **headers: str) -> httpx.Response:
    return httpx.get(base + path, headers=headers, timeout=60)


def text_of(page: str) -> str:
    """The page's visible text in one line (tags dropped, entities decoded)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_osca_profile_answers_operator_cost_and_adopters_before_anything_else(webapp_server: str) -> None:
    page = get(webapp_server, "/solution/osca").text
    order = [page.index(f'id="{key}"') for key in ("summary", "how_to_reuse", "responsibility", "adopters",
                                                      "modules", "standards", "licence", "repositories", "references")]
    assert order == sorted(order)
    reuse_part = text_of(page[page.index('id="how_to_reuse"'):page.index('id="responsibility"')])
    assert "1.190,00 EUR" in reuse_part  # the membership fee of the development partnership
    operates = text_of(page[page.index('id="responsibility"'):page.index('id="adopters"')])
    assert "regio iT (Betrieb)" in operates
    table = page[page.index('id="adopters"'):page.index('id="modules"')]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table)
    assert len(rows) == 9
    assert any("Euskirchen" in r and "Geplant" in r and "seit 2023-09-07" in r for r in rows)


def test_every_reference_mark_points_to_one_numbered_source(webapp_server: str) -> None:
    page = get(webapp_server, "/solution/osca").text
    numbered = re.findall(r'<li id="ref-(\d+)">', page)
    assert numbered == [str(n) for n in range(1, len(numbered) + 1)]
    marks = set(re.findall(r'href="#ref-(\d+)"', page))
    assert marks and marks <= set(numbered)
    sources = re.findall(r'<li id="ref-\d+">(.*?)</li>', page)
    assert len(sources) == len(set(sources))  # each source listed once


def test_profile_says_what_the_reuse_brief_says(webapp_server: str, webapp_store: Path) -> None:
    brief = build_brief(Graph.open(REPO, store_dir=webapp_store), OSCA, lang="de")
    page = text_of(get(webapp_server, "/solution/osca").text)
    for section in brief.sections:
        for item in section.items:
            assert item.text in page, f"{section.key}: {item.text!r} is missing from the page"
        if not section.items and section.key != "adopters":
            assert section.gap in page


@pytest.mark.parametrize(("headers", "query", "own", "other"), [
    ({}, "", ["Nachnutzer", "Was kostet es?", "Quellen"], ["Adopters", "What does it cost?", "Sources"]),
    ({}, "?lang=en", ["Adopters", "What does it cost?", "Sources"], ["Nachnutzer", "Was kostet es?", "Quellen"]),
    ({"Accept-Language": "en-GB,en;q=0.8"}, "", ["Adopters", "In production"], ["Nachnutzer", "Im Einsatz"]),
])
def test_one_language_per_page(webapp_server: str, headers: dict[str, str], query: str,
                               own: list[str], other: list[str]) -> None:
    page = text_of(get(webapp_server, "/solution/osca" + query, **headers).text)
    assert all(word in page for word in own)
    assert not [word for word in other if word in page]
    assert "Open SmartCity App (OSCA)" in page  # proper names are not translated


def test_module_profile_names_its_solution_and_marks_inherited_facts(webapp_server: str) -> None:
    answer = get(webapp_server, "/module/hal-plan-core")
    assert answer.status_code == 200
    assert 'href="/solution/hal-plan"' in answer.text
    assert "aus der Lösung" in answer.text
    assert 'href="/module/hal-plan-core"' in get(webapp_server, "/solution/hal-plan").text


def test_unknown_solution_is_404(webapp_server: str) -> None:
    answer = get(webapp_server, "/solution/no-such-solution")
    assert answer.status_code == 404
    assert "no-such-solution" in answer.text


def test_the_linked_data_page_of_a_solution_links_its_profile(webapp_server: str) -> None:
    assert 'href="/solution/osca"' in get(webapp_server, "/doc/solution/osca").text
    assert 'href="/module/hal-plan-core?lang=en"' in get(webapp_server, "/doc/module/hal-plan-core?lang=en").text
