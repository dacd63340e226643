"""Wikidata enrichment (``enrich wikidata``) against a local Oxigraph server (Wikidata-shaped fixture)
and a 429 stub server."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest
import rdflib
from click.testing import CliRunner

from loopback import LoopbackServer, Received, respond
from mpsc_graph.api import Graph
from mpsc_graph.cli import main
from mpsc_graph.errors import QueryFailed
from mpsc_graph.http_client import HttpSettings, HttpStatusError, Unreachable, WaitTooLong
from mpsc_graph.importers.wikidata import WIKIDATA_SETTINGS, ask_wikidata, graph_bodies, key_term
from mpsc_graph.namespaces import entity_iri
from support import TEST_DATA, free_port, stop, tool

WD = "http://www.wikidata.org/entity/"
COVERAGE = TEST_DATA / "coverage-project"


@pytest.fixture(scope="module")
def wikidata_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on a free loopback port, loaded with tests/data/wikidata-fixture.ttl."""
    binary = tool("oxigraph")
    if binary is None:
        pytest.skip("the oxigraph CLI (dev dependency 'oxigraph') is not installed")
    location = tmp_path_factory.mktemp("wikidata-store")
    fixture = TEST_DATA / "wikidata-fixture.ttl"
    subprocess.run([str(binary), "load", "--location", str(location), "--file", str(fixture)],
                   check=True, capture_output=True, timeout=60)
    port = free_port()
    process = subprocess.Popen([str(binary), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(endpoint, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("oxigraph serve did not come up within 30 s")
            time.sleep(0.2)
        yield endpoint
    finally:
        stop(process)


@pytest.fixture
def coverage_graph(make_project) -> Graph:  # type: ignore[no-untyped-def]
    return Graph(make_project(*sorted(COVERAGE.iterdir())))


def m(ags: str) -> str:
    return entity_iri("municipality", ags)


def test_graph_bodies_lists_keys_and_existing_links(coverage_graph: Graph) -> None:
    bodies = {b.key: b for b in graph_bodies(coverage_graph)}
    assert sorted(bodies) == ["01002000", "05766020", "12053000", "12063", "12069020", "12069454", "12073",
                              "13076060"]
    assert bodies["12069454"].linked == frozenset({WD + "Q9000000009"})
    assert bodies["12063"].kind == "district" and bodies["12063"].linked == frozenset()


@pytest.mark.parametrize("batch", [200, 3])
def test_enrich_against_local_oxigraph(coverage_graph: Graph, wikidata_endpoint: str, batch: int) -> None:
    bodies = graph_bodies(coverage_graph)
    result = ask_wikidata(coverage_graph.named_query("wikidata_by_key"), bodies, wikidata_endpoint, batch=batch,
                          accessed=dt.date(2026, 11, 24))
    assert result.links == {
        m("01002000"): WD + "Q9000000002",
        m("12069020"): WD + "Q9000000001",
        entity_iri("district", "12063"): WD + "Q9000000003",  # through P440
    }
    assert result.confirmed == {m("12069454"): WD + "Q9000000009"}  # the non-IRI value for this key is ignored
    assert result.conflicts == {m("05766020"): (WD + "Q9000000006",)}
    assert result.ambiguous == {m("12053000"): (WD + "Q9000000004", WD + "Q9000000005")}
    # Hagenow's key is only under P440 in the fixture: the wrong property for a municipality
    assert sorted(result.missing) == [entity_iri("district", "12073"), m("13076060")]


def test_enrich_command_writes_reviewable_dated_links(coverage_graph: Graph, wikidata_endpoint: str,
                                                      tmp_path: Path) -> None:
    out = tmp_path / "links" / "wikidata-links.ttl"
    result = CliRunner().invoke(main, ["enrich", "wikidata", "--root", str(coverage_graph.project.root),
                                       "--endpoint", wikidata_endpoint, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 new link(s), 1 confirmed, 1 conflict(s), 1 ambiguous, 2 without an item" in result.stderr
    g = rdflib.Graph().parse(out, format="turtle")
    same_as = rdflib.URIRef("http://schema.org/sameAs")
    assert sorted((str(s), str(o)) for s, o in g.subject_objects(same_as)) == [
        (entity_iri("district", "12063"), WD + "Q9000000003"),
        (m("01002000"), WD + "Q9000000002"),
        (m("12069020"), WD + "Q9000000001"),
    ]
    source = rdflib.URIRef(entity_iri("source", f"wikidata-keys-{dt.date.today().isoformat()}"))
    accessed = set(g.objects(source, rdflib.URIRef("https://w3id.org/mpsc-graph/ontology#accessedOn")))
    assert accessed == {rdflib.Literal(dt.date.today().isoformat(), datatype=rdflib.XSD.date)}
    assert set(g.objects(source, rdflib.URIRef("http://schema.org/url"))) == {rdflib.URIRef(wikidata_endpoint)}
    for entity in g.subjects(same_as, None):
        assert (entity, rdflib.URIRef("http://purl.org/dc/terms/source"), source) in g
    assert "ambiguous: municipality 12053000" in out.read_text(encoding="utf-8")


def test_keys_are_typed_terms_never_raw_text() -> None:
    assert str(key_term("12069020")) == '"12069020"'
    with pytest.raises(QueryFailed):
        key_term('1" } } ; DROP ALL #')


# ---- a tiny loopback stub that answers 429 first ------------------------------------------------------

RESULTS = {"head": {"vars": ["_key", "property", "item"]}, "results": {"bindings": [
    {"_key": {"type": "literal", "value": "12069020"}, "property": {"type": "literal", "value": "P439"},
     "item": {"type": "uri", "value": WD + "Q9000000001"}}]}}


class Stub(LoopbackServer):
    """Answers the first ``busy`` requests with 429 and ``Retry-After``, then SPARQL JSON results."""

    def __init__(self, busy: int, retry_after: str | None = "1") -> None:
        def answer(handler: BaseHTTPRequestHandler, _request: Received) -> None:
            if len(self.received) <= busy:
                respond(handler, 429, headers={"Retry-After": retry_after} if retry_after is not None else {})
            else:
                respond(handler, 200, json.dumps(RESULTS).encode(),
                        {"Content-Type": "application/sparql-results+json"})

        super().__init__(answer)
        self.endpoint = self.base + "/sparql"

    @property
    def requests(self) -> list[dict[str, str]]:
        return [r.headers for r in self.received]


def test_429_is_retried_after_the_announced_pause(coverage_graph: Graph) -> None:
    waits: list[float] = []
    settings = replace(WIKIDATA_SETTINGS, retries=3, max_wait=10.0, timeout=5)
    with Stub(busy=2, retry_after="1") as stub:
        result = ask_wikidata(coverage_graph.named_query("wikidata_by_key"), graph_bodies(coverage_graph),
                              stub.endpoint, settings=settings, sleep=waits.append)
    assert waits == [1.0, 1.0]  # Retry-After honoured, not the default pause
    assert len(stub.requests) == 3
    assert result.links == {m("12069020"): WD + "Q9000000001"}
    agents = {r.get("User-Agent", "") for r in stub.requests}
    assert len(agents) == 1 and "Wikidata enrichment" in agents.pop()  # Wikimedia asks bots to say what they do


def test_retries_are_bounded(coverage_graph: Graph) -> None:
    waits: list[float] = []
    settings = replace(WIKIDATA_SETTINGS, retries=2, backoff=0.1, timeout=5)
    with Stub(busy=100) as stub, pytest.raises(HttpStatusError, match=r"HTTP 429.*\(3 attempts\)"):
        ask_wikidata(coverage_graph.named_query("wikidata_by_key"), graph_bodies(coverage_graph), stub.endpoint,
                     settings=settings, sleep=waits.append)
    assert len(stub.requests) == 3 and len(waits) == 2


def test_command_exits_2_and_writes_nothing_when_the_endpoint_stays_busy(coverage_graph: Graph, tmp_path: Path) -> None:
    out = tmp_path / "links.ttl"
    with Stub(busy=100, retry_after="30") as stub:
        result = CliRunner().invoke(main, ["enrich", "wikidata", "--root", str(coverage_graph.project.root),
                                           "--endpoint", stub.endpoint, "--max-wait", "1", "-o", str(out)])
    assert result.exit_code == 2
    assert "asks to wait 30 s" in result.stderr and stub.endpoint in result.stderr
    assert "Traceback" not in result.output and len(stub.requests) == 1
    assert not out.exists()


def test_unreachable_endpoint_is_retried_then_reported(coverage_graph: Graph) -> None:
    waits: list[float] = []
    endpoint = f"http://127.0.0.1:{free_port()}/sparql"
    with pytest.raises(Unreachable, match=r"cannot connect.*\(2 attempts\)") as raised:
        ask_wikidata(coverage_graph.named_query("wikidata_by_key"), graph_bodies(coverage_graph), endpoint,
                     settings=HttpSettings(retries=1, backoff=0.1, timeout=2), sleep=waits.append)
    assert waits == [0.1] and raised.value.url == endpoint


def test_a_wait_longer_than_accepted_is_its_own_error(coverage_graph: Graph) -> None:
    with Stub(busy=100, retry_after="3600") as stub, pytest.raises(WaitTooLong, match="asks to wait 3600 s"):
        ask_wikidata(coverage_graph.named_query("wikidata_by_key"), graph_bodies(coverage_graph), stub.endpoint,
                     settings=replace(WIKIDATA_SETTINGS, max_wait=60.0, timeout=5), sleep=lambda _s: None)
    assert len(stub.requests) == 1
