"""SPARQL 1.1 Protocol at /sparql with real clients: SPARQLWrapper, rdflib's SPARQLStore, httpx."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, POST, TSV, XML, SPARQLWrapper

from mpsc_graph.server import running
from support import REPO, log_lines

HALLE = "https://w3id.org/mpsc-graph/id/municipality/15002000"
LABELS = f"SELECT ?label WHERE {{ <{HALLE}> rdfs:label ?label }} ORDER BY ?label"
SD = "http://www.w3.org/ns/sparql-service-description#"

# the curated statements, without the municipality directory: large enough to stream in many chunks,
# small enough to sort in well under a second
CURATED = ("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
           "FILTER(?g != <https://w3id.org/mpsc-graph/graph/directory>) } ORDER BY ?s ?p ?o")


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_reads_every_result_format(server: str, method: str, fmt: str) -> None:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(LABELS)
    client.setReturnFormat(fmt)
    if method == "POST":
        client.setMethod(POST)
    result = client.query().convert()
    if fmt == JSON:
        assert [b["label"]["value"] for b in result["results"]["bindings"]] == ["Halle (Saale)", "Halle (Saale)"]
        assert {b["label"]["xml:lang"] for b in result["results"]["bindings"]} == {"de", "en"}
    elif fmt == XML:
        values = [node.firstChild.data for node in result.getElementsByTagName("literal")]
        assert values == ["Halle (Saale)", "Halle (Saale)"]
    elif fmt == CSV:
        assert result.decode().splitlines() == ["label", "Halle (Saale)", "Halle (Saale)"]
    else:
        assert result.decode().splitlines() == ["?label", '"Halle (Saale)"@de', '"Halle (Saale)"@en']


def test_rdflib_sparqlstore_queries_the_endpoint(server: str) -> None:
    graph = rdflib.Graph(SPARQLStore(f"{server}/sparql", returnFormat="json"))
    rows = list(graph.query(f"SELECT ?ags WHERE {{ <{HALLE}> <https://w3id.org/mpsc-graph/ontology#ags> ?ags }}"))
    assert [str(row[0]) for row in rows] == ["15002000"]
    assert graph.query("ASK { ?s a <https://w3id.org/mpsc-graph/ontology#Adoption> }").askAnswer is True


def test_construct_is_negotiated_in_four_rdf_syntaxes(server: str) -> None:
    query = f"CONSTRUCT {{ <{HALLE}> ?p ?o }} WHERE {{ <{HALLE}> ?p ?o }}"
    for media, fmt in [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
                       ("application/rdf+xml", "xml")]:
        response = httpx.post(f"{server}/sparql", data={"query": query}, headers={"Accept": media})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media)
        graph = rdflib.Graph().parse(data=response.text, format=fmt)
        assert (rdflib.URIRef(HALLE), rdflib.URIRef("https://w3id.org/mpsc-graph/ontology#ags"),
                rdflib.Literal("15002000")) in graph


def test_defaults_and_406(server: str) -> None:
    ask = httpx.get(f"{server}/sparql", params={"query": "ASK {}"})
    assert ask.headers["content-type"] == "application/sparql-results+json" and ask.json()["boolean"] is True
    assert "accept" in ask.headers["vary"].lower()  # a cache must not hand this answer to a CSV client
    construct = httpx.get(f"{server}/sparql", params={"query": "CONSTRUCT { <a:s> <a:p> 1 } WHERE {}"},
                          headers={"Accept": "*/*"})
    assert construct.headers["content-type"].startswith("text/turtle")
    refused = httpx.get(f"{server}/sparql", params={"query": "SELECT * {}"}, headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert httpx.get(f"{server}/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                     headers={"Accept": "text/csv"}).status_code == 406


def test_protocol_errors_are_4xx_with_a_message(server: str) -> None:
    malformed = httpx.get(f"{server}/sparql", params={"query": "SELECT ?x WHERE { ?x"})
    assert malformed.status_code == 400 and "malformed query" in malformed.text and "1:" in malformed.text
    two = httpx.get(f"{server}/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert two.status_code == 400 and "2 'query' parameters" in two.text
    wrong_type = httpx.post(f"{server}/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415
    utf16 = httpx.post(f"{server}/sparql", content="ASK {}".encode("utf-16"),
                       headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert 400 <= utf16.status_code < 500
    direct = {"Content-Type": "application/sparql-query"}
    bad_bytes = httpx.post(f"{server}/sparql", content=b"ASK { \xff }", headers=direct)
    assert bad_bytes.status_code == 400 and "UTF-8" in bad_bytes.text
    bad_percent = httpx.get(f"{server}/sparql?query=ASK%7B%FF%7D")
    assert bad_percent.status_code == 400
    too_big = httpx.post(f"{server}/sparql", content=b"#" * 300_000, headers=direct)
    assert too_big.status_code == 413
    assert httpx.put(f"{server}/sparql", content=b"ASK {}").status_code == 405


def test_a_dataset_parameter_that_is_not_an_iri_is_a_400_naming_it(server: str) -> None:
    for name, value in [("default-graph-uri", "not an iri"), ("named-graph-uri", "rel"), ("named-graph-uri", "")]:
        response = httpx.get(f"{server}/sparql", params={"query": "ASK {}", name: value},
                             headers={"Origin": "https://example.org"})
        assert response.status_code == 400, (name, value)
        assert f"'{name}'" in response.text and "absolute IRI" in response.text
        assert response.headers["access-control-allow-origin"] == "*"
    posted = httpx.post(f"{server}/sparql", data={"query": "ASK {}", "default-graph-uri": "a b"})
    assert posted.status_code == 400 and "'default-graph-uri'" in posted.text


def test_bare_get_is_a_service_description(server: str) -> None:
    response = httpx.get(f"{server}/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    service = graph.value(predicate=rdflib.URIRef(SD + "endpoint"), object=rdflib.URIRef(f"{server}/sparql"))
    assert service is not None
    assert (service, rdflib.URIRef(SD + "feature"), rdflib.URIRef(SD + "UnionDefaultGraph")) in graph
    formats = set(graph.objects(service, rdflib.URIRef(SD + "resultFormat")))
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert rdflib.URIRef("http://www.w3.org/ns/formats/Turtle") in formats
    browser = httpx.get(f"{server}/sparql", headers={"Accept": "text/html"})
    assert browser.status_code == 303 and browser.headers["location"].endswith("/query")
    for answer in (response, browser, httpx.get(f"{server}/sparql", headers={"Accept": "image/png"})):
        assert "accept" in answer.headers["vary"].lower()  # negotiated: caches must key on Accept


def test_head_is_answered_like_get_without_a_body(server: str) -> None:
    get = httpx.get(f"{server}/sparql", params={"query": "ASK {}"})
    head = httpx.head(f"{server}/sparql", params={"query": "ASK {}"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == str(len(get.content))
    described = httpx.head(f"{server}/sparql", headers={"Accept": "text/turtle"})
    assert described.status_code == 200 and described.headers["content-type"].startswith("text/turtle")
    refused = httpx.put(f"{server}/sparql", content=b"ASK {}")
    assert refused.status_code == 405
    assert {method.strip() for method in refused.headers["allow"].split(",")} == {"GET", "HEAD", "POST"}


def test_union_default_graph_unless_a_dataset_is_named(server: str) -> None:
    # Halle's label comes from municipalities.csv, the HAL-Plan adoption from hal-plan.ttl: one BGP joins both.
    query = (f"ASK {{ <{HALLE}> rdfs:label ?l . ?a <https://w3id.org/mpsc-graph/ontology#origin> <{HALLE}> }}")
    assert httpx.get(f"{server}/sparql", params={"query": query}).json()["boolean"] is True
    only_ontology = httpx.get(f"{server}/sparql", params={
        "query": query, "default-graph-uri": "https://w3id.org/mpsc-graph/graph/ontology"})
    assert only_ontology.json()["boolean"] is False
    with_from = ("ASK FROM <https://w3id.org/mpsc-graph/graph/ontology> "
                 "{ ?s <https://w3id.org/mpsc-graph/ontology#ags> ?o }")
    assert httpx.get(f"{server}/sparql", params={"query": with_from}).json()["boolean"] is False


def test_cors_and_gzip(server: str) -> None:
    response = httpx.get(f"{server}/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = httpx.options(f"{server}/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 204 and "POST" in preflight.headers["access-control-allow-methods"]
    big = CURATED + " LIMIT 2000"
    with httpx.stream("GET", f"{server}/sparql", params={"query": big},
                      headers={"Accept-Encoding": "gzip", "Accept": "text/csv"}) as raw:
        assert raw.headers["content-encoding"] == "gzip"
        body = gzip.decompress(b"".join(raw.iter_raw())).decode()
    assert len(body.splitlines()) == 2001


def test_large_results_stream_in_chunks(server: str) -> None:
    query = CURATED
    with httpx.stream("GET", f"{server}/sparql", params={"query": query},
                      headers={"Accept-Encoding": "identity"}) as response:
        assert response.headers.get("transfer-encoding") == "chunked"
        chunks = list(response.iter_raw())
    assert len(chunks) > 1
    data = json.loads(b"".join(chunks))
    assert len(data["results"]["bindings"]) > 5000


def test_results_are_gzipped_when_asked_whole_or_streamed_and_decode_to_the_plain_bytes(server: str) -> None:
    queries = {  # one message from the worker (a few kB), and a stream of many chunks
        "whole": "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } ORDER BY ?s ?c LIMIT 60",
        "streamed": CURATED,
    }
    for name, query in queries.items():
        accept = "text/turtle" if name == "whole" else "text/csv"
        plain = httpx.get(f"{server}/sparql", params={"query": query},
                          headers={"Accept": accept, "Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers and len(plain.content) > 1400, name
        with httpx.stream("GET", f"{server}/sparql", params={"query": query},
                          headers={"Accept": accept, "Accept-Encoding": "gzip"}) as raw:
            assert raw.headers["content-encoding"] == "gzip" and "Accept-Encoding" in raw.headers["vary"], name
            compressed = b"".join(raw.iter_raw())
        assert gzip.decompress(compressed) == plain.content, name
        assert len(compressed) < len(plain.content) / 2, name
    small = httpx.get(f"{server}/sparql", params={"query": "ASK {}"}, headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers and small.json()["boolean"] is True


def test_every_request_is_logged_as_one_json_record(server: str, server_log: Path) -> None:
    marker = "ASK { <urn:x:logged-request> ?p ?o }"
    assert httpx.get(f"{server}/sparql", params={"query": marker}).status_code == 200
    (line,) = log_lines(server_log, "logged-request")
    record = json.loads(line)
    assert (record["method"], record["path"], record["status"], record["outcome"]) == ("GET", "/sparql", 200, "ok")
    assert {"query", "bytes", "ms", "client", "accept"} <= set(record) and record["client"] == "127.0.0.1"


def test_a_result_cut_at_max_rows_says_so_when_it_is_sent_whole(store_dir: Path) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT {n}"
    with running(REPO, store_dir=store_dir, extra_args=["--workers", "1", "--max-rows", "5"]) as base:
        cut = httpx.get(f"{base}/sparql", params={"query": query.replace("{n}", "10")})
        assert len(cut.json()["results"]["bindings"]) == 5 and cut.headers["x-truncated"] == "max-rows=5"
        whole = httpx.get(f"{base}/sparql", params={"query": query.replace("{n}", "5")})
        assert len(whole.json()["results"]["bindings"]) == 5 and "x-truncated" not in whole.headers
