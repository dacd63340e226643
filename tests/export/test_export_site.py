"""Ontology docs (pyLODE) and the static linked-data site, including Debian nginx over the snippet."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from pyld import jsonld
from pyoxigraph import NamedNode, Store
from rdflib.compare import isomorphic

from export.engines import Engine, nginx_binary, start_nginx
from mpsc_graph.export.site import NGINX_HTTP_SNIPPET, NGINX_SNIPPET, entity_documents
from mpsc_graph.namespaces import ID
from mpsc_graph.server.headers import SECURITY_HEADERS

HALLE = ID + "municipality/15002000"


@pytest.fixture
def nginx(out: Path, tmp_path: Path) -> Iterator[Engine]:
    """Debian nginx serving the export with its snippet on a loopback port, stopped by its PID afterwards."""
    if nginx_binary() is None:
        pytest.skip("Debian nginx is not installed (apt-get install nginx; .ci/run installs it)")
    engine = start_nginx(tmp_path, out, out / NGINX_SNIPPET, out / NGINX_HTTP_SNIPPET)
    try:
        yield engine
    finally:
        engine.stop()
    assert engine.process.returncode is not None


def test_ontology_docs_generated_by_pylode(out: Path, store: Store) -> None:
    html = (out / "docs" / "ontology.html").read_text(encoding="utf-8")
    assert "pyLODE" in html
    for term in ("Municipality", "Adoption", "ModelProject", "adoptionMode"):
        assert term in html, term


def test_one_document_triple_per_entity(out: Path, store: Store) -> None:
    documents = entity_documents(store)
    subjects = {q.subject.value for q in store.quads_for_pattern(None, None, None, None)
                if isinstance(q.subject, NamedNode) and q.subject.value.startswith(ID)}
    assert set(documents) == subjects
    for iri in subjects:
        stem = out / "doc" / iri[len(ID):]
        for suffix in (".html", ".ttl", ".jsonld"):
            assert stem.with_name(stem.name + suffix).is_file(), (iri, suffix)


def test_entity_documents_describe_the_entity(out: Path, store: Store) -> None:
    expected = rdflib.Graph()
    for q in store.quads_for_pattern(NamedNode(HALLE), None, None, None):
        expected.parse(data=f"{q.subject} {q.predicate} {q.object} .\n", format="nt")
    turtle = rdflib.Graph().parse(out / "doc/municipality/15002000.ttl", format="turtle")
    assert isomorphic(turtle, expected)
    document = json.loads((out / "doc/municipality/15002000.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads",
                                      "documentLoader": lambda url, options=None: pytest.fail(f"fetched {url}")})
    assert isomorphic(rdflib.Graph().parse(data=nquads, format="nquads"), expected)
    html = (out / "doc/municipality/15002000.html").read_text(encoding="utf-8")
    assert "<title>Halle (Saale)</title>" in html
    assert 'href="/doc/state/15"' in html
    embedded = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    nquads = jsonld.to_rdf(json.loads(embedded), {"format": "application/n-quads"})
    assert isomorphic(rdflib.Graph().parse(data=nquads, format="nquads"), expected)


@pytest.mark.integration
def test_nginx_serves_303_conneg_and_vary(nginx: Engine) -> None:
    with httpx.Client(base_url=nginx.base, timeout=10) as client:
        see_other = client.get("/id/municipality/15002000")
        assert see_other.status_code == 303
        assert see_other.headers["location"].endswith("/doc/municipality/15002000")
        assert "Accept" in see_other.headers.get("vary", "")

        turtle = client.get("/doc/municipality/15002000", headers={"Accept": "text/turtle"})
        assert turtle.status_code == 200
        assert turtle.headers["content-type"].startswith("text/turtle")
        assert "Accept" in turtle.headers["vary"]
        parsed = rdflib.Graph().parse(data=turtle.text, format="turtle")
        assert (rdflib.URIRef(HALLE), rdflib.RDFS.label, rdflib.Literal("Halle (Saale)", lang="de")) in parsed

        ld = client.get("/doc/municipality/15002000", headers={"Accept": "application/ld+json"})
        assert ld.headers["content-type"].startswith("application/ld+json")
        assert ld.json()["@context"]["mpsc"] == "https://w3id.org/mpsc-graph/ontology#"

        browser = client.get("/doc/municipality/15002000",
                             headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert browser.headers["content-type"].startswith("text/html")
        assert "Halle (Saale)" in browser.text
        for name, value in SECURITY_HEADERS:  # the same security headers as the server sends
            assert browser.headers[name] == value, name
        assert client.get("/doc/municipality/15002000").headers["content-type"].startswith("text/html")

        followed = client.get("/id/solution/hal-plan", headers={"Accept": "text/turtle"}, follow_redirects=True)
        assert followed.status_code == 200 and followed.headers["content-type"].startswith("text/turtle")
        assert "hal-plan" in followed.text

        explicit = client.get("/doc/municipality/15002000.jsonld")
        assert explicit.headers["content-type"].startswith("application/ld+json")
        assert client.get("/doc/municipality/99999999", headers={"Accept": "text/turtle"}).status_code == 404


@pytest.mark.integration
def test_nginx_serves_dumps_with_the_catalogues_media_types_and_hides_the_marker(
    out: Path, tmp_path: Path, nginx: Engine
) -> None:
    with httpx.Client(base_url=nginx.base, timeout=10) as client:
        expected = {"/mpsc-graph.ttl": "text/turtle", "/catalog.ttl": "text/turtle", "/void.ttl": "text/turtle",
                    "/mpsc-graph.trig": "application/trig", "/mpsc-graph.jsonld": "application/ld+json",
                    "/links-political-geocoding.nt": "application/n-triples",
                    "/mpsc-graph.nt.gz": "application/gzip", "/mpsc-graph.nq.gz": "application/gzip",
                    "/docs/ontology.html": "text/html"}
        for path, media_type in expected.items():
            answer = client.get(path)
            assert answer.status_code == 200, path
            assert answer.headers["content-type"].split(";")[0] == media_type, path
            assert answer.content == (out / path.lstrip("/")).read_bytes(), path
        assert client.get("/.mpsc-export").status_code == 404
        assert client.get("/" + NGINX_SNIPPET).status_code == 404
    logs = nginx.log.read_text(encoding="utf-8", errors="replace") + (tmp_path / "logs" / "error.log").read_text(
        encoding="utf-8", errors="replace")
    assert "duplicate MIME type" not in logs


def test_ontology_docs_need_no_network(out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from mpsc_graph.export.docs import write_ontology_docs

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    target = tmp_path / "ontology.html"
    write_ontology_docs(out / "ontology.ttl", target)
    assert "Municipality" in target.read_text(encoding="utf-8")
