"""The static site has every page type of the web application in German and English, its links resolve
within the site, its lists' downloads hold the lists' rows, and Debian nginx picks the language from
Accept-Language (the small export project of ``conftest.py``)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from pyoxigraph import NamedNode

from export.engines import Engine, nginx_binary, start_nginx
from mpsc_graph.api import Graph
from mpsc_graph.export.site import NGINX_HTTP_SNIPPET, NGINX_SNIPPET
from mpsc_graph.export.site_pages import PER_ENTITY, CachedGraph
from mpsc_graph.server.headers import SECURITY_HEADERS

#: one page of each type: its path on the server and on the site
PAGE_TYPES = (
    "/",
    "/solutions",
    "/solutions/page/2",
    "/adoptions",
    "/adoptions/page/2",
    "/solution/hal-plan",
    "/module/hal-plan-core",
    "/municipality/15002000",
    "/municipality/15002000/recommendations",
    "/figures",
    "/map",
    "/doc/municipality/15002000",
    "/doc/solution/hal-plan",
)
LINK = re.compile(r'(?:href|src|action|data-map-data|data-map-outline)="([^"]*)"')


@cache
def pages(out: Path) -> dict[str, str]:
    """Every HTML page of the site by its path relative to ``out``."""
    return {
        str(p.relative_to(out)): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*.html"))
        if p.relative_to(out).parts[0] != "docs"
    }  # the ontology's documentation is pyLODE's


def page_file(path: str, lang: str) -> str:
    return (path.strip("/") or "index") + (".en" if lang == "en" else "") + ".html"


def target(out: Path, link: str) -> Path | None:
    """The file nginx serves for a root-absolute link (the snippet's rules, without Accept headers), or None."""
    path = unquote(link.split("#", 1)[0].split("?", 1)[0])
    if path.startswith("/id/"):
        path = "/doc/" + path[len("/id/") :]
    if path == "/":
        candidates = ["index.html"]
    elif path.endswith(".de"):
        candidates = [path[1:-3] + ".html"]
    elif path.endswith(".en"):
        candidates = [path[1:] + ".html"]
    else:
        candidates = [path[1:], path[1:] + ".html"]
    return next((out / c for c in candidates if (out / c).is_file()), None)


def count_stated(html: str) -> int:
    found = re.search(r'<p class="count" role="status"><strong>(\d+) ', html)
    assert found, "the list states how many rows it has"
    return int(found.group(1))


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_each_page_type_is_written_in_german_and_english(out: Path, path: str) -> None:
    german, english = (out / page_file(path, lang) for lang in ("de", "en"))
    assert '<html lang="de">' in german.read_text(encoding="utf-8")
    html = english.read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    nav = re.search(r"<nav>(.*?)</nav>", html, re.S)
    assert nav and ">Solutions<" in nav.group(1) and "Nachnutzungen" not in nav.group(1)


def test_every_link_resolves_within_the_site(out: Path) -> None:
    broken: dict[str, list[str]] = {}
    checked = 0
    for name, html in pages(out).items():
        for link in LINK.findall(html):
            link = link.replace("&amp;", "&")
            if link.startswith("/") and not link.startswith("//"):
                checked += 1
                if target(out, link) is None:
                    broken.setdefault(link, []).append(name)
            elif link != "data:,":  # the empty icon, so that no browser asks for /favicon.ico
                # no link relative to the page, which would depend on the URL it was reached by
                assert link.startswith(("#", "http://", "https://", "mailto:")), (name, link)
    assert checked > 10_000
    assert not broken, {link: names[:3] for link, names in list(broken.items())[:20]}


def test_english_pages_link_english_pages(out: Path) -> None:
    for name, html in pages(out).items():
        if not name.endswith(".en.html"):
            continue
        for link in LINK.findall(html):
            path = link.split("?", 1)[0].split("#", 1)[0]
            # a page link without a language suffix would open in German for a German reader's browser
            assert not path.startswith("/") or path.startswith("/id/") or re.search(r"\.[a-z]+$", path), (name, link)
            if path.startswith("/") and path.endswith(".de"):  # only the language switch leaves English
                assert f'href="{link}" lang="de" hreflang="de">de</a>' in html, (name, link)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_full_csv_and_json_have_the_catalogues_rows(out: Path, lang: str) -> None:
    suffix = ".en" if lang == "en" else ""
    first = (out / f"solutions{suffix}.html").read_text(encoding="utf-8")
    assert f'href="/solutions{suffix}.csv"' in first and f'href="/solutions{suffix}.json"' in first
    shown: list[str] = []
    number, html = 1, first
    while True:
        shown += re.findall(r'<th scope="row"><a href="([^"]+)">', html)
        nxt = re.search(r'<a href="([^"]+)" rel="next">', html)
        if not nxt:
            break
        number += 1
        assert nxt.group(1) == f"/solutions/page/{number}{suffix}"
        html = (out / page_file(f"/solutions/page/{number}", lang)).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO((out / f"solutions{suffix}.csv").read_text(encoding="utf-8"))))
    records = json.loads((out / f"solutions{suffix}.json").read_text(encoding="utf-8"))
    assert number > 1 and len(shown) == len(set(shown)) == count_stated(first)
    assert [r["path"] + suffix for r in rows] == [r["path"] + suffix for r in records] == shown
    assert {"/solution/hal-plan", "/module/hal-plan-core"} <= {r["path"] for r in rows}


def test_the_full_adoption_downloads_have_the_lists_rows(out: Path) -> None:
    html = (out / "adoptions.html").read_text(encoding="utf-8")
    assert 'href="/adoptions.csv"' in html and 'href="/adoptions.json"' in html
    rows = list(csv.DictReader(io.StringIO((out / "adoptions.csv").read_text(encoding="utf-8"))))
    records = json.loads((out / "adoptions.json").read_text(encoding="utf-8"))
    adopters = re.findall(r'<td class="adopter"><a href="[^"]*">([^<]*)</a>', html)
    number = 2
    while (out / f"adoptions/page/{number}.html").is_file():
        adopters += re.findall(
            r'<td class="adopter"><a href="[^"]*">([^<]*)</a>',
            (out / f"adoptions/page/{number}.html").read_text(encoding="utf-8"),
        )
        number += 1
    assert number > 2 and count_stated(html) == len(rows) == len(records) == len(adopters)
    assert [r["adoption"] for r in rows] == [r["adoption"] for r in records]
    assert [r["adopter_label"].replace("&", "&amp;") for r in rows] == adopters


def test_profiles_exist_for_every_catalogue_row_and_solution_document(out: Path) -> None:
    rows = json.loads((out / "solutions.json").read_text(encoding="utf-8"))
    for row in rows:
        for lang in ("de", "en"):
            assert (out / page_file(row["path"], lang)).is_file(), row["path"]
    documents = {p.stem for p in (out / "doc" / "solution").glob("*.ttl")}
    assert documents == {r["path"].rsplit("/", 1)[1] for r in rows if r["kind"] == "solution"}


@pytest.fixture
def nginx(out: Path, tmp_path: Path) -> Iterator[Engine]:
    """Debian nginx serving the export with both snippets on a loopback port, stopped by its PID afterwards."""
    if nginx_binary() is None:
        pytest.skip("Debian nginx is not installed (apt-get install nginx; .ci/run installs it)")
    engine = start_nginx(tmp_path, out, out / NGINX_SNIPPET, out / NGINX_HTTP_SNIPPET)
    try:
        yield engine
    finally:
        engine.stop()
    assert engine.process.returncode is not None


@pytest.mark.integration
@pytest.mark.parametrize(
    ("accept_language", "lang"),
    [
        (None, "de"),
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("en-US,en;q=0.9,de;q=0.8", "en"),
        ("en", "en"),
        ("fr-FR, en-GB;q=0.7, de;q=0.5", "en"),
        ("fr, nl", "de"),
        ("EN-gb", "en"),
        ("de-AT, en", "de"),
    ],
)
def test_nginx_picks_the_language_from_accept_language(
    nginx: Engine, out: Path, accept_language: str | None, lang: str
) -> None:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    with httpx.Client(base_url=nginx.base, timeout=10, headers=headers) as client:
        for path in PAGE_TYPES:
            answer = client.get(path, headers={"Accept": "text/html,*/*;q=0.8"})
            assert answer.status_code == 200, path
            assert answer.headers["content-type"] == "text/html; charset=utf-8", path
            assert "Accept-Language" in answer.headers["vary"], path
            assert answer.content == (out / page_file(path, lang)).read_bytes(), path


@pytest.mark.integration
def test_nginx_serves_each_language_by_suffix_and_the_downloads(nginx: Engine, out: Path) -> None:
    with httpx.Client(base_url=nginx.base, timeout=10, headers={"Accept-Language": "en"}) as client:
        for path in PAGE_TYPES:
            for lang in ("de", "en"):
                answer = client.get(f"{path if path != '/' else '/index'}.{lang}")
                assert answer.status_code == 200, (path, lang)
                assert answer.content == (out / page_file(path, lang)).read_bytes(), (path, lang)
                for name, value in SECURITY_HEADERS:
                    assert answer.headers[name] == value, (path, name)
        facet = client.get("/solutions.en?status=production")
        assert facet.content == (out / "solutions.en.html").read_bytes()  # the list's script reads the query
        media = {
            "/solutions.csv": "text/csv",
            "/adoptions.json": "application/json",
            "/static/style.css": "text/css",
            "/doc/solution/hal-plan.ttl": "text/turtle",
            "/queries/page_figure_adoptions_per_year.rq": "text/plain",
            "/map/data/place/municipality/15002000.json": "application/json",
        }
        for path, media_type in media.items():
            answer = client.get(path)
            assert answer.status_code == 200 and answer.headers["content-type"].split(";")[0] == media_type, path
        assert client.get("/" + NGINX_HTTP_SNIPPET).status_code == 404
        assert client.get("/solution/no-such-solution").status_code == 404


@pytest.mark.parametrize(
    ("name", "param", "entities"),
    [
        ("adoptions_of_asset", "asset", "page_catalogue_assets"),
        ("reuse_offers", "asset", "page_catalogue_assets"),
        *((name, param, "municipality_profile") for name, param in PER_ENTITY.items()),
    ],
)
def test_a_query_run_once_for_every_entity_answers_each_as_its_own_run_does(
    graph: Graph, name: str, param: str, entities: str
) -> None:
    every, single = CachedGraph(graph, {name: param}), CachedGraph(graph)
    iris = sorted({str(row[0].value) for row in graph.query(entities).rows if row[0] is not None})
    answered = 0
    for iri in iris:
        mine = every.query(name, **{param: NamedNode(iri)})
        own = single.query(name, **{param: NamedNode(iri)})
        assert mine.columns == own.columns
        assert sorted(map(str, mine.rows)) == sorted(map(str, own.rows)), iri
        answered += bool(own.rows)
    assert answered >= 3  # entities that have rows, not only empty answers


def test_every_municipality_has_a_profile_and_its_small_maps_data(out: Path, graph: Graph) -> None:
    keys = {str(r["_municipality"]).rsplit("/", 1)[1] for r in graph.query("municipality_profile").records()}
    assert len(keys) > 100
    for key in keys:
        for lang in ("de", "en"):
            assert (out / page_file(f"/municipality/{key}", lang)).is_file(), key
        assert (
            json.loads((out / f"map/data/place/municipality/{key}.json").read_text(encoding="utf-8"))["flows"]
            is not None
        )
    halle = json.loads((out / "map/data/place/municipality/15002000.json").read_text(encoding="utf-8"))
    assert any(f["adopter"].endswith("/05774032") for f in halle["flows"])  # HAL-Plan's Core to Paderborn
