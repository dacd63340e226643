"""The one query function: SERVICE refused unless allowed, updates refused, union default graph, FROM honoured."""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from mpsc_graph.errors import QueryFailed, QueryRefused
from mpsc_graph.sparql import check_query, inspect_query, run_query


@pytest.fixture
def small_store() -> Store:
    store = Store()
    for graph, subject in (("http://g/1", "http://a"), ("http://g/2", "http://b")):
        store.add(Quad(NamedNode(subject), NamedNode("http://p"), Literal("x"), NamedNode(graph)))
    return store


@pytest.mark.parametrize(
    ("query", "form", "services"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT", ()),
        ("PREFIX ex: <http://ex/> ASK { SERVICE ex:sparql { ?s ?p ?o } }", "ASK", ("http://ex/sparql",)),
        ("select * { service silent <http://x/sparql> { ?s ?p ?o } }", "SELECT", ("http://x/sparql",)),
        ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", "SELECT", (None,)),
        ('SELECT * { ?s ?p "SERVICE <http://x/>" } # SERVICE <http://y/>', "SELECT", ()),
        ("SELECT * { ?s <http://ex/SERVICE> ?o . ?s ex:service ?x }", "SELECT", ()),
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "UPDATE", ()),
        ("PREFIX : <http://x/> DELETE WHERE { ?s ?p ?o }", "UPDATE", ()),
    ],
)
def test_inspect_query_finds_form_and_service_targets(query: str, form: str, services: tuple) -> None:
    shape = inspect_query(query)
    assert (shape.form, shape.services) == (form, services)


def test_service_is_refused_and_never_fetched(small_store: Store) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    accepted: list[object] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            accepted.append(listener.accept())

    thread = threading.Thread(target=accept)
    thread.start()
    with pytest.raises(QueryRefused, match="not allowed"):
        run_query(small_store, f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
    thread.join()
    listener.close()
    assert accepted == []


def test_allowed_service_passes_the_guard() -> None:
    assert check_query("ASK { SERVICE <http://x/q> { } }", ["http://x/q"]).services == ("http://x/q",)


def test_update_is_refused(small_store: Store) -> None:
    with pytest.raises(QueryRefused, match="read-only"):
        run_query(small_store, "DELETE WHERE { ?s ?p ?o }")
    assert len(small_store) == 2


def test_default_graph_is_the_union(small_store: Store) -> None:
    rows = run_query(small_store, "SELECT ?s { ?s ?p ?o } ORDER BY ?s")
    assert [r["s"].value for r in rows] == ["http://a", "http://b"]


def test_from_and_default_graph_uri_override_the_union(small_store: Store) -> None:
    rows = run_query(small_store, "SELECT ?s FROM <http://g/1> { ?s ?p ?o }")
    assert [r["s"].value for r in rows] == ["http://a"]
    rows = run_query(small_store, "SELECT ?s { ?s ?p ?o }", default_graph=["http://g/2"])
    assert [r["s"].value for r in rows] == ["http://b"]


def test_malformed_query_reports_the_parser_message(small_store: Store) -> None:
    with pytest.raises(QueryFailed, match="malformed query"):
        run_query(small_store, "SELECT ?s WHERE { ?s ")
