"""VoID: statistics and partitions equal what is counted independently from the store's quads;
the named VoID/link queries give exactly those answers; linksets point where the data links."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import Literal, NamedNode, Store
from rdflib import RDF, URIRef

from mpsc_graph.api import Graph
from mpsc_graph.export.settings import DATASET_IRI
from mpsc_graph.namespaces import ID, MPSC, SCHEMA, WD

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
TYPE = NamedNode(str(RDF.type))


@pytest.fixture(scope="module")
def triples(store: Store) -> set[tuple]:
    return {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, None)}


@pytest.fixture(scope="module")
def void(out: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(out / "void.ttl", format="turtle")


def _value(void: rdflib.Graph, subject: str, prop: rdflib.URIRef) -> int:
    return int(void.value(URIRef(subject), prop))


def test_void_statistics_query_exact(graph: Graph, triples: set[tuple]) -> None:
    row = graph.query("void_statistics").records()[0]
    expected = {
        "triples": len(triples),
        "distinctSubjects": len({s for s, _, _ in triples}),
        "distinctObjects": len({o for _, _, o in triples}),
        "properties": len({p for _, p, _ in triples}),
        "classes": len({o for _, p, o in triples if p == TYPE}),
    }
    assert {k: row[k] for k in expected} == expected
    assert expected["triples"] > 4000


def test_void_description_statistics(void: rdflib.Graph, triples: set[tuple]) -> None:
    assert (URIRef(DATASET_IRI), RDF.type, VOID.Dataset) in void
    assert _value(void, DATASET_IRI, VOID.triples) == len(triples)
    assert _value(void, DATASET_IRI, VOID.properties) == len({p for _, p, _ in triples})
    assert _value(void, DATASET_IRI, VOID.classes) == len({o for _, p, o in triples if p == TYPE})
    in_space = {s for s, _, _ in triples if isinstance(s, NamedNode) and s.value.startswith(ID)}
    assert _value(void, DATASET_IRI, VOID.entities) == len(in_space)
    assert str(void.value(URIRef(DATASET_IRI), VOID.uriSpace)) == ID
    assert void.value(URIRef(DATASET_IRI), VOID.sparqlEndpoint) is not None
    dumps = {str(o).rsplit("/", 1)[1] for o in void.objects(URIRef(DATASET_IRI), VOID.dataDump)}
    assert dumps == {"mpsc-graph.nt.gz", "mpsc-graph.ttl", "mpsc-graph.jsonld", "mpsc-graph.nq.gz", "mpsc-graph.trig"}
    examples = {str(o) for o in void.objects(URIRef(DATASET_IRI), VOID.exampleResource)}
    subjects = {s.value for s, _, _ in triples if isinstance(s, NamedNode)}
    assert examples and examples <= subjects


def test_class_partitions_exact(graph: Graph, void: rdflib.Graph, triples: set[tuple]) -> None:
    instances: dict[str, set] = defaultdict(set)
    for s, p, o in triples:
        if p == TYPE:
            instances[o.value].add(s)
    expected = {cls: len(members) for cls, members in instances.items()}
    assert {r["class"]: r["entities"] for r in graph.query("void_class_partitions").records()} == expected
    described = {str(void.value(part, VOID["class"])): int(void.value(part, VOID.entities))
                 for part in void.objects(URIRef(DATASET_IRI), VOID.classPartition)}
    assert described == expected
    assert expected[MPSC + "ModelProject"] == 73


def test_property_partitions_exact(graph: Graph, void: rdflib.Graph, triples: set[tuple]) -> None:
    expected = dict(Counter(p.value for _, p, _ in triples))
    assert {r["property"]: r["triples"] for r in graph.query("void_property_partitions").records()} == expected
    described = {str(void.value(part, VOID.property)): int(void.value(part, VOID.triples))
                 for part in void.objects(URIRef(DATASET_IRI), VOID.propertyPartition)}
    assert described == expected


def test_political_geocoding_keys_exact(graph: Graph, triples: set[tuple]) -> None:
    keys = {"Municipality": ("municipality", "ags"), "District": ("district", "districtKey"),
            "State": ("state", "stateKey")}
    expected = set()
    for cls, (level, prop) in keys.items():
        members = {s for s, p, o in triples if p == TYPE and o == NamedNode(MPSC + cls)}
        expected |= {(s.value, level, o.value) for s, p, o in triples
                     if s in members and p == NamedNode(MPSC + prop) and isinstance(o, Literal)}
    rows = graph.query("political_geocoding_keys").records()
    assert {(r["entity"], r["level"], r["key"]) for r in rows} == expected
    assert ("https://w3id.org/mpsc-graph/id/municipality/15002000", "municipality", "15002000") in expected


def test_geocoding_linkset_and_links_file(out: Path, void: rdflib.Graph, graph: Graph) -> None:
    links = rdflib.Graph().parse(out / "links-political-geocoding.nt", format="nt")
    halle = URIRef("https://w3id.org/mpsc-graph/id/municipality/15002000")
    assert (halle, rdflib.URIRef("http://purl.org/dc/terms/spatial"),
            URIRef("http://dcat-ap.de/def/politicalGeocoding/municipalityKey/15002000")) in links
    for s, _, o in links:
        kind, key = str(s)[len(ID):].split("/", 1)
        assert str(o) == f"http://dcat-ap.de/def/politicalGeocoding/{kind}Key/{key}"
    assert len(links) == len(graph.query("political_geocoding_keys"))
    linkset = next(iter(void.subjects(VOID.linkPredicate, rdflib.URIRef("http://purl.org/dc/terms/spatial"))))
    assert (linkset, RDF.type, VOID.Linkset) in void
    assert int(void.value(linkset, VOID.triples)) == len(links)


def test_wikidata_links_exact(graph: Graph, void: rdflib.Graph, triples: set[tuple]) -> None:
    expected = {(s.value, o.value) for s, p, o in triples
                if p == NamedNode(SCHEMA + "sameAs") and isinstance(o, NamedNode) and o.value.startswith(WD)}
    assert {(r["entity"], r["item"]) for r in graph.query("wikidata_links").records()} == expected
    linksets = list(void.subjects(VOID.linkPredicate, rdflib.URIRef(SCHEMA + "sameAs")))
    if expected:  # the Wikidata linkset exists exactly when verified Wikidata links do
        assert int(void.value(linksets[0], VOID.triples)) == len(expected)
    else:
        assert linksets == []


def test_graph_queries_exact(graph: Graph, store: Store) -> None:
    local = {g.value for g in store.named_graphs()}
    assert {r["graph"] for r in graph.query("dataset_graphs").records()} == local
    for iri in [*sorted(local)[:3], "https://w3id.org/mpsc-graph/graph/ontology"]:
        expected = len({(q.subject, q.predicate, q.object)
                        for q in store.quads_for_pattern(None, None, None, NamedNode(iri))})
        assert graph.query("graph_triple_count", graph=iri).records() == [{"_graph": iri, "triples": expected}]


def test_export_entities_exact(graph: Graph, triples: set[tuple]) -> None:
    expected = len({s for s, _, _ in triples if isinstance(s, NamedNode) and s.value.startswith(ID)})
    assert graph.query("export_entities").records() == [{"entities": expected}]
    assert expected > 500
