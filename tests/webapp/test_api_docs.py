"""The API documentation page: every operation of the OpenAPI document, drawn on the server (no script,
no other host), with a ready request that runs."""

from __future__ import annotations

import re

import httpx


def test_every_operation_of_the_openapi_document_is_documented(webapp_server: str) -> None:
    document = httpx.get(f"{webapp_server}/api/openapi.json", timeout=60).json()
    page = httpx.get(f"{webapp_server}/api/docs", timeout=60).text
    documented = re.findall(r'<h3 id="op-[^"]+-h"><code>GET (/api/[^<]+)</code></h3>', page)
    assert sorted(documented) == sorted(document["paths"])
    assert "<script" not in page and "swagger" not in page.lower()


def test_example_requests_run_and_return_their_rows(webapp_server: str) -> None:
    """The ready request of members names the Südwestfalen model project (its header's example); it answers
    with the five towns of 5 für Südwestfalen among the rows."""
    page = httpx.get(f"{webapp_server}/api/docs", timeout=60).text
    example = re.search(r'<a href="(/api/members\?[^"]+)">', page)
    assert example
    rows = httpx.get(webapp_server + example.group(1).replace("&amp;", "&"), timeout=60).json()
    assert {"Arnsberg", "Bad Berleburg", "Menden (Sauerland)", "Olpe", "Soest"} <= {r["memberLabel"] for r in rows}


def test_english_api_page_is_english_only(webapp_server: str) -> None:
    page = httpx.get(f"{webapp_server}/api/docs?lang=en", timeout=60).text
    assert "Web API of the named queries" in page and "Required" in page
    for german in ("Pflicht", "Beispiel", "Antworten", "benannten"):
        assert german not in page, german
