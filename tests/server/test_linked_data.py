"""Linked data, VoID, pages and the named-query API of the real server on the real data."""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import httpx
import rdflib
from pyoxigraph import NamedNode

from mpsc_graph.api import Graph
from mpsc_graph.dataset import open_store
from mpsc_graph.queries import catalogue
from mpsc_graph.sparql import run_query
from support import REPO

HALLE = "https://w3id.org/mpsc-graph/id/municipality/15002000"
AGS = rdflib.URIRef("https://w3id.org/mpsc-graph/ontology#ags")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")


def test_thing_iri_answers_303_to_its_document(server: str) -> None:
    response = httpx.get(f"{server}/id/municipality/15002000")
    assert response.status_code == 303
    assert response.headers["location"] == "/doc/municipality/15002000"


def test_document_is_negotiated_with_public_iris(server: str) -> None:
    url = f"{server}/doc/municipality/15002000"
    for media, fmt in [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                       ("application/n-triples", "nt"), ("application/rdf+xml", "xml")]:
        response = httpx.get(url, headers={"Accept": media})
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
        assert "Accept" in response.headers["vary"]
        graph = rdflib.Graph().parse(data=response.text, format=fmt)
        assert (rdflib.URIRef(HALLE), AGS, rdflib.Literal("15002000")) in graph
        assert server not in response.text  # RDF keeps the public IRIs
    assert httpx.get(url, headers={"Accept": "image/png"}).status_code == 406
    html = httpx.get(url, headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html")
    suffixes = [(".ttl", "text/turtle"), (".jsonld", "application/ld+json"), (".nt", "application/n-triples")]
    for suffix, media in suffixes:
        response = httpx.get(url + suffix)
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert httpx.get(f"{server}/doc/municipality/99999999.ttl").status_code == 404
    assert httpx.get(url, headers={"Origin": "https://example.org"}).headers["access-control-allow-origin"] == "*"


def test_a_document_path_that_makes_no_iri_is_a_400_not_a_server_error(server: str) -> None:
    for path in ["municipality/a%20b", "municipality/%3Cscript%3E", "municipality/a%20b.ttl",
                 "municipality/%3Cscript%3E.ttl"]:
        response = httpx.get(f"{server}/doc/{path}", headers={"Origin": "https://example.org"})
        assert response.status_code == 400, path
        assert "not a valid IRI" in response.text
        assert response.headers["content-type"].startswith("text/plain")
        assert response.headers["access-control-allow-origin"] == "*"


def test_halle_page_shows_labels_adoptions_both_ways_and_source_titles(server: str, store_dir: Path) -> None:
    page = httpx.get(f"{server}/doc/municipality/15002000").text
    assert "<h1>Halle (Saale)</h1>" in page
    assert "HAL-Plan" in page and "Paderborn" in page
    store = open_store(store_dir)
    titles = [row["title"].value for row in run_query(store, (
        "SELECT ?title WHERE { <https://w3id.org/mpsc-graph/id/adoption/paderborn-hal-plan-core> dct:source ?s . "
        "?s dct:title ?title } ORDER BY ?title"))]
    assert titles and all(title in page.replace("&#34;", '"') for title in titles)
    assert 'href="/doc/municipality/' in page  # links stay on this server
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert embedded is not None
    graph = rdflib.Graph().parse(data=embedded.group(1), format="json-ld")
    assert (rdflib.URIRef(HALLE), AGS, rdflib.Literal("15002000")) in graph
    # Paderborn's page shows the same adoption from the adopter's side
    paderborn = httpx.get(f"{server}/doc/municipality/05774032?lang=en").text
    assert "Adopted (as adopter)" in paderborn and "Halle (Saale)" in paderborn


def test_ontology_as_html_and_turtle(server: str) -> None:
    turtle = httpx.get(f"{server}/ontology", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/mpsc-graph/ontology#Adoption"), rdflib.RDF.type, rdflib.OWL.Class) in graph
    assert httpx.get(f"{server}/ontology.ttl").text == turtle.text
    html = httpx.get(f"{server}/ontology", headers={"Accept": "text/html"})
    assert html.status_code == 200 and "Adoption" in html.text


ONTOLOGY = "https://w3id.org/mpsc-graph/ontology"


def test_ontology_page_has_the_ontology_title_not_those_of_the_concept_schemes(server: str, store_dir: Path) -> None:
    titles = {row["t"].language: row["t"].value for row in run_query(
        open_store(store_dir), "SELECT ?_o ?t WHERE { ?_o dct:title ?t }", params={"_o": NamedNode(ONTOLOGY)})}
    for lang in ("de", "en"):
        page = httpx.get(f"{server}/ontology", params={"lang": lang}, headers={"Accept": "text/html"}).text
        assert re.search(r"<title>(.*?)</title>", page).group(1) == titles[lang]
        assert re.search(r"<h1>(.*?)</h1>", page).group(1) == titles[lang]
        assert page.count('<a href="https://creativecommons.org/licenses/by/4.0/">') == 1  # once, not per scheme


def test_term_links_of_entity_pages_land_on_anchors_of_the_ontology_page(server: str, store_dir: Path) -> None:
    anchors = set(re.findall(r'id="([^"]*)"', httpx.get(f"{server}/ontology", headers={"Accept": "text/html"}).text))
    defined = "SELECT ?_o ?t WHERE { ?t rdfs:isDefinedBy ?_o }"
    terms = {row["t"].value for row in run_query(open_store(store_dir), defined, params={"_o": NamedNode(ONTOLOGY)})}
    local_names = {term.removeprefix(ONTOLOGY + "#") for term in terms if term.startswith(ONTOLOGY + "#")}
    assert len(local_names) > 50 and local_names <= anchors
    linked = set()
    for path in ["municipality/15002000", "adoption/paderborn-hal-plan-core", "project/mpsc19-suedwestfalen",
                 "solution/hal-plan", "source/scd-nachnutzen-2026", "concept/adoption-mode/shared-operation"]:
        linked |= set(re.findall(r'href="/ontology#([^"]*)"', httpx.get(f"{server}/doc/{path}").text))
    assert {"Municipality", "Adoption", "Solution", "Source", "adoptionMode", "ags"} <= linked
    assert linked <= anchors


def test_void_statistics_are_real(server: str, store_dir: Path) -> None:
    response = httpx.get(f"{server}/.well-known/void")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    dataset = graph.value(predicate=rdflib.RDF.type, object=VOID.Dataset)
    store = open_store(store_dir)
    distinct = {(q.subject, q.predicate, q.object) for q in store}  # counted here, independently of the server
    assert int(graph.value(dataset, VOID.triples)) == len(distinct)
    assert int(graph.value(dataset, VOID.distinctSubjects)) == len({t[0] for t in distinct})
    assert graph.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef(f"{server}/sparql")
    assert str(graph.value(dataset, VOID.uriSpace)) == "https://w3id.org/mpsc-graph/id/"
    municipalities = [p for p in graph.objects(dataset, VOID.classPartition)
                      if graph.value(p, VOID["class"]) == rdflib.URIRef("https://w3id.org/mpsc-graph/ontology#Municipality")]
    expected = len({t[0] for t in distinct if t[1].value.endswith("#type") and t[2].value.endswith("#Municipality")})
    assert int(graph.value(municipalities[0], VOID.entities)) == expected
    assert len(list(graph.objects(dataset, VOID.exampleResource))) >= 1


def test_landing_query_and_search_pages(server: str) -> None:
    landing = httpx.get(f"{server}/")
    assert landing.status_code == 200 and "/sparql" in landing.text and "/search" in landing.text
    query_page = httpx.get(f"{server}/query").text
    for name in catalogue(REPO / "queries"):
        assert f'value="{name}"' in query_page
    hits = httpx.get(f"{server}/search", params={"q": "halle"}).text
    assert 'href="/municipality/15002000"' in hits and "Halle (Saale)" in hits  # a municipality's profile


def test_named_query_api_matches_the_library(server: str) -> None:
    group = "https://w3id.org/mpsc-graph/id/project/mpsc19-suedwestfalen"
    expected = Graph.open(REPO).query("members", group=group)
    rows = httpx.get(f"{server}/api/members", params={"group": group}).json()
    assert [r["member"] for r in rows] == [str(m) for m in expected.column("member")]
    as_csv = httpx.get(f"{server}/api/members", params={"group": group}, headers={"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert [r["member"] for r in csv.DictReader(io.StringIO(as_csv.text))] == [r["member"] for r in rows]
    page = httpx.get(f"{server}/api/members", params={"group": group, "limit": 2, "offset": 1}).json()
    assert page == rows[1:3]


def test_named_query_api_errors_name_the_parameter(server: str) -> None:
    missing = httpx.get(f"{server}/api/members")
    assert missing.status_code == 400 and "group" in missing.text and "IRI" in missing.text
    wrong = httpx.get(f"{server}/api/model_projects", params={"year": "soon"})
    assert wrong.status_code == 400 and "'year'" in wrong.text and "YYYY" in wrong.text
    assert httpx.get(f"{server}/api/model_projects", params={"limit": "20000"}).status_code == 400
    unknown = httpx.get(f"{server}/api/no_such_query")
    assert unknown.status_code == 404 and "no named query 'no_such_query'" in unknown.text
    assert "members" in unknown.text and "adoptions_of_asset" in unknown.text  # the valid names
    example = catalogue(REPO / "queries")["adoptions_of_asset"].param("asset").example
    not_an_iri = httpx.get(f"{server}/api/adoptions_of_asset", params={"asset": "hal-plan"})
    assert not_an_iri.status_code == 400 and f"an IRI such as {example}" in not_an_iri.text
    assert "municipality" not in not_an_iri.text  # the example fits the parameter, not a generic one
    refused = httpx.get(f"{server}/api/members", params={"group": "https://w3id.org/mpsc-graph/id/project/x"},
                        headers={"Accept": "image/png"})
    assert refused.status_code == 406 and "application/json" in refused.text and "text/csv" in refused.text


def test_openapi_lists_every_named_query(server: str) -> None:
    spec = httpx.get(f"{server}/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {f"/api/{name}" for name in catalogue(REPO / "queries")}
    members = spec["paths"]["/api/members"]["get"]
    assert {p["name"] for p in members["parameters"]} == {"group", "limit", "offset"}
    for name, query in catalogue(REPO / "queries").items():
        documented = {p["name"]: p.get("example") for p in spec["paths"][f"/api/{name}"]["get"]["parameters"]}
        assert all(documented[p.name] == p.example for p in query.params if p.example), name
    assert members["parameters"][0]["example"] == "https://w3id.org/mpsc-graph/id/project/mpsc19-suedwestfalen"
    assert re.search(r"at most \d+", members["parameters"][1]["description"])


def _cited(page: str) -> set[str]:
    """The IRIs of the sources a page cites (its ``class="source"`` links)."""
    return set(re.findall(r'<a class="source" href="[^"]*" title="([^"]*)"', page))


def test_pages_of_sources_and_concepts_cite_only_their_own_sources(server: str, store_dir: Path) -> None:
    store = open_store(store_dir)
    own_query = "SELECT ?_e ?s WHERE { ?_e dct:source ?s }"
    adoptions_query = ("SELECT ?_e ?s WHERE { ?a a mpsc:Adoption ; dct:source ?s . { ?a mpsc:adopter ?_e } UNION "
                       "{ ?a mpsc:origin ?_e } UNION { ?a mpsc:adoptedAsset ?_e } UNION "
                       "{ ?a mpsc:adoptedAsset/mpsc:moduleOf ?_e } }")
    for path in ["source/scd-nachnutzen-2026", "concept/adoption-mode/shared-operation", "municipality/15002000"]:
        iri = f"https://w3id.org/mpsc-graph/id/{path}"
        bound = {"_e": NamedNode(iri)}
        own = {row["s"].value for row in run_query(store, own_query, params=bound)}
        via_adoptions = {row["s"].value for row in run_query(store, adoptions_query, params=bound)}
        assert _cited(httpx.get(f"{server}/doc/{path}").text) == own | via_adoptions, path
        rows = httpx.get(f"{server}/api/entity_statements", params={"entity": iri}).json()
        assert {row["source"] for row in rows if "source" in row} == own, path
        expected = {(row["p"].value, row["o"].value)
                    for row in run_query(store, "SELECT ?_e ?p ?o WHERE { ?_e ?p ?o }", params=bound)}
        assert {(row["property"], row["value"]) for row in rows} == expected, path
    # the known answer: a source document cites no other source, a concept none either
    assert not _cited(httpx.get(f"{server}/doc/source/scd-nachnutzen-2026").text)
    assert not _cited(httpx.get(f"{server}/doc/concept/adoption-mode/shared-operation").text)


def test_a_full_api_page_links_to_the_next_one_until_the_rows_run_out(server: str, store_dir: Path) -> None:
    total = len(Graph.open(REPO, store_dir=store_dir).query("labels"))
    assert total > 1000  # more labels than the default page of 1,000
    url: str | None = f"{server}/api/labels"
    rows: list[dict] = []
    pages = 0
    while url is not None:
        response = httpx.get(url)
        assert response.status_code == 200, (url, response.status_code, response.text[:200])
        rows += response.json()
        pages += 1
        url = response.links.get("next", {}).get("url")
    assert len(rows) == total and pages == math.ceil(total / 1000)
    last = (pages - 1) * 1000  # the offset of the last page
    exact = httpx.get(f"{server}/api/labels", params={"limit": total - last, "offset": last})
    assert len(exact.json()) == total - last and "link" not in exact.headers  # nothing follows a page that fits
    small = httpx.get(f"{server}/api/labels", params={"limit": 3}, headers={"Accept": "text/csv"})
    assert small.links["next"]["url"].endswith("limit=3&offset=3")


#: what Firefox sends with a form post (Chrome's adds image types and the same application/xml;q=0.9)
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_the_no_script_note_says_what_a_browser_form_post_gets(server: str) -> None:
    note = re.search(r'<p id="noscript-note">(.*?)</p>', httpx.get(f"{server}/query?lang=en").text, re.S).group(1)
    assert "SPARQL XML" in note and "RDF/XML" in note and "SPARQL JSON" not in note
    select = httpx.post(f"{server}/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
                        headers={"Accept": BROWSER_ACCEPT})
    assert select.headers["content-type"].startswith("application/sparql-results+xml")
    construct = httpx.post(f"{server}/sparql", data={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"},
                           headers={"Accept": BROWSER_ACCEPT})
    assert construct.headers["content-type"].startswith("application/rdf+xml")
    assert "SPARQL-XML" in httpx.get(f"{server}/query?lang=de").text


def test_pages_cite_sources_by_their_title_in_the_page_language(server: str, store_dir: Path) -> None:
    source = NamedNode("https://w3id.org/mpsc-graph/id/source/hamburg-bsw-dipas-community-2023")
    titles = {row["t"].language: row["t"].value
              for row in run_query(open_store(store_dir), "SELECT ?_s ?t WHERE { ?_s dct:title ?t }",
                                   params={"_s": source})}
    assert set(titles) == {"de", "en"}
    for lang, other in [("de", "en"), ("en", "de")]:
        page = httpx.get(f"{server}/doc/adoption/kiel-dipas", params={"lang": lang}).text.replace("&#34;", '"')
        cited = re.search(rf'<a class="source" href="[^"]*" title="{source.value}">(.*?)</a>', page).group(1)
        assert cited == titles[lang] and titles[other] not in page


def test_the_language_switch_keeps_the_query_string(server: str) -> None:
    page = httpx.get(f"{server}/search", params={"q": "Halle"}).text
    switches = re.search(r'<span class="lang">(.*?)</span>', page, re.S).group(1)
    assert 'href="/search?q=Halle&amp;lang=de"' in switches and 'href="/search?q=Halle&amp;lang=en"' in switches
    english = httpx.get(f"{server}/search", params={"q": "Halle", "lang": "de"}).text
    assert 'href="/search?q=Halle&amp;lang=en"' in english and "lang=de&amp;lang" not in english
