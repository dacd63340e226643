"""The one query function: SERVICE refused unless allowed, updates refused, union default graph, FROM honoured."""

from __future__ import annotations

import contextlib

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from mpsc_graph.errors import QueryFailed, QueryRefused
from mpsc_graph.sparql import check_query, inspect_query, run_query, run_update
from support import Listener


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
        # "<" is less-than after an operand in an expression, so the engine sees SERVICE here:
        ("SELECT * { ?s ?p ?o FILTER(?o<1)SERVICE#>\n<http://evil/> { ?a ?b ?c } }", "SELECT", ("http://evil/",)),
        ('SELECT * { ?s ?p ?o FILTER("a"@en<?o)SERVICE#>\n<http://evil/> { ?a ?b ?c } }', "SELECT", ("http://evil/",)),
        # ... and an IRI everywhere else, including expressions after an operator or DISTINCT
        ("SELECT * { ?s <http://www.w3.org/ns/sparql-service-description#endpoint> ?o }", "SELECT", ()),
        ("SELECT * { ?s ?p ?o FILTER(?o < <http://x/SERVICE#>) }", "SELECT", ()),
        ("SELECT (COUNT(DISTINCT <http://x/#>) AS ?n) { SERVICE <http://evil/> { ?a ?b ?c } }", "SELECT",
         ("http://evil/",)),
        ("SELECT * { ?s <p> (1 <http://x/#>) . SERVICE <http://evil/> { ?a ?b ?c } }", "SELECT", ("http://evil/",)),
        # a comment ends at a carriage return as well; escapes in IRIs are resolved as the engine does
        ("SELECT * { ?s ?p ?o # note\rSERVICE <http://evil/> { ?a ?b ?c } }", "SELECT", ("http://evil/",)),
        ("SELECT * { ?s <p\\u0041#> ?o . SERVICE <http://evil/> { ?a ?b ?c } }", "SELECT", ("http://evil/",)),
        ("SELECT * { SERVICE <http\\u003A//evil/> { ?a ?b ?c } }", "SELECT", ("http://evil/",)),
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "UPDATE", ()),
        ("PREFIX : <http://x/> DELETE WHERE { ?s ?p ?o }", "UPDATE", ()),
    ],
)
def test_inspect_query_finds_form_and_service_targets(query: str, form: str, services: tuple) -> None:
    shape = inspect_query(query)
    assert (shape.form, shape.services) == (form, services)


def test_service_is_refused_and_never_fetched(small_store: Store) -> None:
    with contextlib.closing(Listener()) as probe, pytest.raises(QueryRefused, match="not allowed"):
        run_query(small_store, f"SELECT * {{ SERVICE <{probe.url}> {{ ?s ?p ?o }} }}")
    assert probe.accepted == 0


def test_load_in_an_update_is_refused_and_never_fetched() -> None:
    store = Store()
    with contextlib.closing(Listener()) as probe, pytest.raises(QueryRefused, match=r"LOAD <.*> is not allowed"):
        run_update(store, f"LOAD <{probe.url}>")
    assert probe.accepted == 0 and len(store) == 0


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


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * {{ ?s ?p ?o FILTER(?o<1)SERVICE#>\n<{url}> {{ ?a ?b ?c }} }}",
        "SELECT * {{ ?s <http://p\\u0041#> ?o . SERVICE <{url}> {{ ?a ?b ?c }} }}",
        "SELECT * {{ ?s ?p ?o # note\rSERVICE <{url}> {{ ?a ?b ?c }} }}",
        # forms found by a red-team run against the scan (each of them reached the listener before):
        "SELECT * WHERE {{ SERVICESILENT<{url}> {{ ?s ?p ?o }} }}",  # keywords match without a word boundary
        "PREFIX ex: <http://e/> SELECT * WHERE {{ ?s ?p ex:a\\# . SERVICE <{url}> {{ ?a ?b ?c }} }}",  # pname escape
        "SELECT * WHERE {{ ?s ?p ?o FILTER(?o\u00b7<1)SERVICE#>\n<{url}> {{ ?a ?b ?c }} }}",  # U+00B7 in a name
        "SELECT * WHERE {{ ?s ?p (true (1 <http://x#>)) . SERVICE <{url}> {{ ?a ?b ?c }} }}",  # list after true
        "SELECT * WHERE {{ ?s ?p ?o FILTER(?o=1||<<(<http://a> <http://b> 1)>><1)SERVICE#>\n<{url}> {{ ?a ?b ?c }} }}",
    ],
)
def test_service_hidden_from_a_naive_scan_is_refused_and_never_fetched(small_store: Store, text: str) -> None:
    with contextlib.closing(Listener()) as probe, pytest.raises(QueryRefused, match="not allowed"):
        run_query(small_store, text.format(url=probe.url))
    assert probe.accepted == 0


def test_a_target_the_scan_cannot_resolve_as_the_engine_does_is_refused_even_with_an_allow_list() -> None:
    allowed = ["http://allowed.example/sparql"]
    # SILENT:sparql is SILENT and :sparql to the engine, not the prefixed name the scan would expand
    with pytest.raises(QueryRefused):
        check_query("PREFIX SILENT: <http://allowed.example/> PREFIX : <http://127.0.0.1:9/> "
                    "SELECT * { SERVICE SILENT:sparql { ?s ?p ?o } }", allowed)
    # a relative IRI is resolved by the engine against a base; a string join of the two may differ
    with pytest.raises(QueryRefused, match="relative"):
        check_query("BASE <http://allowed.example> SELECT * { SERVICE </sparql> { ?s ?p ?o } }", allowed)


def test_load_glued_to_its_source_is_refused_and_never_fetched() -> None:
    store = Store()
    with contextlib.closing(Listener()) as probe, pytest.raises(QueryRefused):
        run_update(store, f"LOADSILENT<{probe.url}>")
    assert probe.accepted == 0 and len(store) == 0
