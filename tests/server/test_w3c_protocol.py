"""The W3C SPARQL 1.1 Protocol tests (../shared/conformance/w3c-sparql11-protocol) against the real server.

The fixtures data1-3.nt are loaded as named graphs named by their rdfs:label, as the manifest says;
all 13 ``query_*`` and the 7 bad-query tests are replayed request by request (paths rewritten from
``/sparql/`` to the endpoint), plus the three service-description checks.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from xml.dom import minidom

import httpx
import pytest
import rdflib
from pyoxigraph import NamedNode, RdfFormat, Store
from rdflib.collection import Collection

from mpsc_graph.project import shared_dir
from mpsc_graph.server import running
from support import REPO

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")

SHARED = shared_dir(REPO)
SUITE = SHARED / "conformance" / "w3c-sparql11-protocol" if SHARED else None
pytestmark = pytest.mark.skipif(SUITE is None or not SUITE.is_dir(),
                                reason="../shared/conformance is not beside the repository (set MPSC_SHARED)")


def _manifest() -> tuple[rdflib.Graph, list[rdflib.URIRef]]:
    graph = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")  # type: ignore[operator]
    entries: list[rdflib.URIRef] = []
    for manifest in graph.subjects(MF.entries, None):
        entries += list(Collection(graph, graph.value(manifest, MF.entries)))
    return graph, entries


def _selected() -> list[str]:
    if SUITE is None or not SUITE.is_dir():
        return []
    _, entries = _manifest()
    names = [str(e).rsplit("#", 1)[1] for e in entries]
    return [n for n in names if n.startswith(("query_", "bad_query_")) or n == "bad_multiple_queries"]


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    graph, _ = _manifest()
    folder = tmp_path_factory.mktemp("w3c") / "store"
    store = Store(str(folder))
    loaded = set()
    for data in graph.objects(None, UT.graphData):
        path, name = graph.value(data, UT.graph), str(graph.value(data, rdflib.RDFS.label))
        if name not in loaded:
            store.load(path=str(SUITE / Path(str(path)).name), format=RdfFormat.N_TRIPLES, to_graph=NamedNode(name))
            loaded.add(name)
    store.flush()
    del store
    assert len(loaded) == 3
    with running(REPO, store_dir=folder, extra_args=["--workers", "2"]) as base:
        yield base


def _check_format(response: httpx.Response, expected: str, boolean: bool | None) -> None:
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if expected in ("boolean", "tabular"):
        if media == "application/sparql-results+json":
            data = json.loads(response.text)
            value = data.get("boolean")
            assert (value is not None) == (expected == "boolean")
        elif media == "application/sparql-results+xml":
            doc = minidom.parseString(response.content)
            nodes = doc.getElementsByTagName("boolean")
            assert bool(nodes) == (expected == "boolean")
            value = nodes[0].firstChild.data == "true" if nodes else None
        else:
            raise AssertionError(f"not a SPARQL results type: {media}")
        if boolean is not None:
            assert value is boolean
    elif expected == "RDF":
        fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
               "application/ld+json": "json-ld"}[media]
        rdflib.Graph().parse(data=response.text, format=fmt)


@pytest.mark.parametrize("name", _selected())
def test_w3c_protocol(name: str, w3c_server: str) -> None:
    graph, _ = _manifest()
    test = next(s for s in graph.subjects(MF.action, None) if str(s).endswith("#" + name))
    requests = Collection(graph, graph.value(graph.value(test, MF.action), HT.requests))
    for request in requests:
        path = str(graph.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
        headers = {}
        header_list = graph.value(request, HT.headers)
        for header in Collection(graph, header_list) if header_list else []:
            headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
        body = graph.value(request, HT.body)
        content = None
        if body is not None:
            encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
            content = str(graph.value(body, CNT.chars)).encode(encoding.lower())
        method = str(graph.value(request, HT.methodName))
        response = httpx.request(method, w3c_server + path, headers=headers, content=content, timeout=30)
        resp = graph.value(request, HT.resp)
        classes = {str(s).replace(HTS, "")[0] for s in graph.objects(resp, MF.expectedStatus)}
        assert str(response.status_code)[0] in classes, f"{name}: {response.status_code} {response.text[:300]}"
        expected = graph.value(resp, MF.expectedFormat)
        if expected is not None:
            boolean = graph.value(resp, MF.expectedBoolean)
            _check_format(response, str(expected), None if boolean is None else bool(boolean.toPython()))


def test_all_twenty_protocol_query_tests_are_selected() -> None:
    selected = _selected()
    assert len([n for n in selected if n.startswith("query_")]) == 13
    assert len([n for n in selected if not n.startswith("query_")]) == 7


@pytest.mark.parametrize("check", ["returns-rdf", "has-endpoint-triple", "conforms-to-schema"])
def test_w3c_service_description(check: str, w3c_server: str) -> None:
    manifest = rdflib.Graph().parse(SUITE / "service-description-manifest.ttl", format="turtle")  # type: ignore[operator]
    assert any(str(s).endswith("#" + check) for s in manifest.subjects(rdflib.RDF.type, MF.ServiceDescriptionTest))
    endpoint = f"{w3c_server}/sparql"
    response = httpx.get(endpoint)
    sd = rdflib.Graph().parse(data=response.text, format="turtle")
    services = list(sd.subjects(rdflib.RDF.type, SD.Service))
    if check == "returns-rdf":
        assert response.status_code == 200 and len(sd) > 5
    elif check == "has-endpoint-triple":
        assert (services[0], SD.endpoint, rdflib.URIRef(endpoint)) in sd
    else:  # the ranges the SD vocabulary gives its properties
        assert len(services) == 1
        service = services[0]
        assert all(isinstance(o, rdflib.URIRef) for o in sd.objects(service, SD.endpoint))
        assert set(sd.objects(service, SD.supportedLanguage)) <= {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
        assert all(isinstance(o, rdflib.URIRef) for o in sd.objects(service, SD.resultFormat))
        assert all(isinstance(o, rdflib.URIRef) for o in sd.objects(service, SD.feature))
        dataset = sd.value(service, SD.defaultDataset)
        assert (dataset, rdflib.RDF.type, SD.Dataset) in sd
        assert (sd.value(dataset, SD.defaultGraph), rdflib.RDF.type, SD.Graph) in sd
