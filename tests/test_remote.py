"""Queries at ``--endpoint``: the SPARQL Protocol request remote_select sends and how it reads the answer.

Answers are scripted (httpx.MockTransport); the same code path against a real Oxigraph server on
loopback is tested with the network queries (tests/network/test_network_queries_frames.py).
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import httpx
import pytest
from pyoxigraph import BlankNode, Literal, NamedNode

from mpsc_graph.errors import QueryFailed, QueryRefused
from mpsc_graph.http_client import HttpClient, HttpSettings
from mpsc_graph.remote import remote_select

ENDPOINT = "http://sparql.test/query"
XSD = "http://www.w3.org/2001/XMLSchema#"
ANSWER = {"head": {"vars": ["s", "label", "n", "b", "unbound"]}, "results": {"bindings": [
    {"s": {"type": "uri", "value": "https://example.org/a"},
     "label": {"type": "literal", "value": "Halle (Saale)", "xml:lang": "de"},
     "n": {"type": "literal", "value": "3", "datatype": XSD + "integer"},
     "b": {"type": "bnode", "value": "b0"}}]}}


def client_answering(*answers: httpx.Response) -> tuple[HttpClient, list[httpx.Request], list[float]]:
    requests: list[httpx.Request] = []
    pauses: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return answers[min(len(requests), len(answers)) - 1]

    return HttpClient(HttpSettings(retries=2), sleep=pauses.append, transport=httpx.MockTransport(handler)), \
        requests, pauses


def test_posts_the_query_with_bound_values_and_reads_every_kind_of_term() -> None:
    client, requests, _ = client_answering(httpx.Response(200, json=ANSWER))
    table = remote_select(ENDPOINT, "SELECT ?s ?label ?n ?b ?unbound WHERE { ?s rdfs:label ?label }",
                          {"_x": NamedNode("https://example.org/a")}, client=client)
    request = requests[0]
    assert request.method == "POST" and request.headers["accept"].startswith("application/sparql-results+json")
    query = parse_qs(request.content.decode())["query"][0]
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in query  # the project's prefixes travel along
    # bound as a term first in WHERE, never formatted into the text
    assert "WHERE { VALUES (?_x) { (<https://example.org/a>) }" in " ".join(query.split())
    assert table.columns == ("s", "label", "n", "b", "unbound")
    assert table.rows == ((NamedNode("https://example.org/a"), Literal("Halle (Saale)", language="de"),
                           Literal("3", datatype=NamedNode(XSD + "integer")), BlankNode("b0"), None),)


def test_a_busy_endpoint_is_asked_again() -> None:
    client, requests, pauses = client_answering(httpx.Response(503), httpx.Response(200, json=ANSWER))
    assert len(remote_select(ENDPOINT, "SELECT * WHERE { ?s ?p ?o }", client=client)) == 1
    assert len(requests) == 2 and pauses == [0.5]


@pytest.mark.parametrize("body", [b"<html>not results</html>", json.dumps({"boolean": True}).encode()])
def test_an_answer_that_is_not_select_results_names_the_endpoint(body: bytes) -> None:
    client, _, _ = client_answering(httpx.Response(200, content=body))
    with pytest.raises(QueryFailed, match=f"{ENDPOINT}: the answer .*is not SPARQL JSON results"):
        remote_select(ENDPOINT, "SELECT * WHERE { ?s ?p ?o }", client=client)


def test_updates_are_refused_before_anything_is_sent() -> None:
    client, requests, _ = client_answering(httpx.Response(200, json=ANSWER))
    with pytest.raises(QueryRefused):
        remote_select(ENDPOINT, "DROP ALL", client=client)
    assert requests == []
