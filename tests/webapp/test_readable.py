"""VoID and the ontology open readably in a browser and stay RDF for RDF clients; the query page's examples
declare their prefixes and run; English says "1 result"."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from pyoxigraph import Store

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_void_is_a_page_for_browsers_and_turtle_for_programs(webapp_server: str) -> None:
    page = httpx.get(f"{webapp_server}/.well-known/void", headers=BROWSER, timeout=60)
    assert page.headers["content-type"].startswith("text/html")
    adoptions = re.search(r'Nachnutzung</a></th><td class="num">(\d+)</td>', page.text)
    listed = re.search(
        r'<p class="count" role="status"><strong>(\d+) ', httpx.get(f"{webapp_server}/adoptions", timeout=60).text
    )
    assert adoptions and listed and adoptions.group(1) == listed.group(1)
    assert 'href="/.well-known/void.ttl"' in page.text
    plain = httpx.get(f"{webapp_server}/.well-known/void", timeout=60)  # a program's */*
    assert plain.headers["content-type"].startswith("text/turtle") and "void:Dataset" in plain.text
    suffixed = httpx.get(f"{webapp_server}/.well-known/void.jsonld", timeout=60)
    assert suffixed.headers["content-type"].startswith("application/ld+json")
    assert httpx.get(f"{webapp_server}/.well-known/void.txt", timeout=60).status_code == 404


def test_ontology_page_has_the_site_navigation_and_rdf_stays(webapp_server: str) -> None:
    page = httpx.get(f"{webapp_server}/ontology?lang=en", headers=BROWSER, timeout=60).text
    header = re.search(r'<div class="site-header">\s*<header>(.*?)</header>', page, re.S)
    assert header and 'href="/?lang=en"' in header.group(1) and 'href="/solutions?lang=en"' in header.group(1)
    turtle = httpx.get(f"{webapp_server}/ontology", headers={"Accept": "text/turtle"}, timeout=60)
    assert turtle.headers["content-type"].startswith("text/turtle") and "site-header" not in turtle.text


def examples(base: str) -> dict[str, str]:
    page = httpx.get(f"{base}/query", timeout=60).text
    block = re.search(r'<script type="application/json" id="examples">(.*?)</script>', page, re.S)
    assert block
    found: dict[str, str] = json.loads(block.group(1))
    return found


def test_every_example_declares_its_prefixes_and_has_no_comments(webapp_server: str) -> None:
    """An empty store knows no prefixes: each example parses and runs there as it stands."""
    found = examples(webapp_server)
    assert len(found) > 50
    empty = Store()
    for name, text in found.items():
        assert not [line for line in text.splitlines() if line.lstrip().startswith("#")], name
        empty.query(text)  # raises on an undeclared prefix or any other syntax error


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("page_municipality_groups", "https://w3id.org/mpsc-graph/id/project/mpsc21-halle"),
        ("members", "Olpe"),
        ("page_figure_top_origins", "Bad Belzig"),
    ],
)
def test_examples_run_on_the_server_with_their_example_values(webapp_server: str, name: str, expected: str) -> None:
    answer = httpx.post(
        f"{webapp_server}/sparql",
        data={"query": examples(webapp_server)[name]},
        headers={"Accept": "text/csv"},
        timeout=60,
    )
    assert answer.status_code == 200 and expected in answer.text


def test_one_search_result_is_singular_in_english(webapp_server: str) -> None:
    page = httpx.get(f"{webapp_server}/search", params={"q": "Aasbüttel", "lang": "en"}, timeout=60).text
    hits = len(re.findall(r"<li>", page.split('<ul class="hits">', 1)[1]))
    assert hits == 1 and "<p>1 result</p>" in page
    assert '<a href="/municipality/01061001?lang=en"' in page  # a municipality's hit leads to its profile
    many = httpx.get(f"{webapp_server}/search", params={"q": "Flensburg", "lang": "en"}, timeout=60).text
    assert re.search(r"<p>[2-9]\d* results</p>", many)
