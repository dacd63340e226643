"""The VoID description of an export (statistics, partitions, dumps, endpoint, linksets).

Statistics come from named queries (``queries/void_*.rq``) run through the one query function,
so ``void.ttl`` says exactly what a SPARQL client would count on the same data. The links to the
DCAT-AP.de political-geocoding lists are derived here from each municipality's AGS, each
district's Kreisschlüssel and each state's key, and written as a dump of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Triple, serialize
from rdflib import RDF, XSD, Graph, Namespace, URIRef
from rdflib import Literal as RLiteral
from rdflib.namespace import DCTERMS, FOAF

from ..api import Graph as MpscGraph
from ..namespaces import DCT, ID, SCHEMA, WD
from .dumps import DIRECTORY, DUMPS
from .settings import CC_BY_4, COMBINED_RIGHTS, DATASET_IRI, DESTATIS_ATTRIBUTION, DL_DE_BY_2, Publication

VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
#: DCAT-AP.de key list per level of our political-geocoding query
GEOCODING_LISTS = {"municipality": "municipalityKey", "district": "districtKey", "state": "stateKey"}
LINK_PREDICATE = DCT + "spatial"  # CPOV's "spatial" of a public organisation: the area it is responsible for
LINKS_FILE = "links-political-geocoding.nt"
WIKIDATA_LINKSET = DATASET_IRI + "/linkset/wikidata"
GEOCODING_LINKSET = DATASET_IRI + "/linkset/dcat-ap-de-political-geocoding"
DIRECTORY_SUBSET = DATASET_IRI + "/subset/directory"
EXAMPLE_KINDS = ("municipality", "solution", "module", "adoption", "project", "alliance")
_FEATURE = {"application/n-triples": "N-Triples", "text/turtle": "Turtle", "application/ld+json": "JSON-LD",
            "application/n-quads": "N-Quads", "application/trig": "TriG"}


@dataclass(frozen=True)
class GeocodingLink:
    entity: str
    target: str


def geocoding_links(graph: MpscGraph) -> list[GeocodingLink]:
    """Links from municipalities, districts and states to their DCAT-AP.de political-geocoding IRIs."""
    links = []
    for row in graph.query("political_geocoding_keys").records():
        links.append(GeocodingLink(row["entity"], f"{GEOCODING}{GEOCODING_LISTS[row['level']]}/{row['key']}"))
    return links


def write_geocoding_links(links: list[GeocodingLink], path: Path) -> None:
    triples = [Triple(NamedNode(link.entity), NamedNode(LINK_PREDICATE), NamedNode(link.target)) for link in links]
    path.write_bytes(serialize(sorted(triples, key=str), format=RdfFormat.N_TRIPLES) or b"")


def _int(value: int) -> RLiteral:
    return RLiteral(value, datatype=XSD.integer)


def example_resources(graph: MpscGraph) -> list[str]:
    """The first entity (by IRI) of a few central kinds: stable, real examples for VoID."""
    first: dict[str, str] = {}
    for row in graph.query("entity_index").records():
        iri = row["entity"]
        kind = iri[len(ID):].split("/", 1)[0]
        if kind in EXAMPLE_KINDS and kind not in first:
            first[kind] = iri
    return [first[k] for k in EXAMPLE_KINDS if k in first]


def build_void(graph: MpscGraph, publication: Publication, links: list[GeocodingLink]) -> Graph:
    """The VoID description as an rdflib graph."""
    g = Graph()
    g.bind("void", VOID)
    g.bind("dct", DCTERMS)
    g.bind("foaf", FOAF)
    g.bind("formats", FORMATS)
    ds = URIRef(DATASET_IRI)
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, RLiteral("Wissensgraph Modellprojekte Smart Cities", lang="de")))
    g.add((ds, DCTERMS.title, RLiteral("Knowledge graph of the Smart Cities model projects", lang="en")))
    g.add((ds, DCTERMS.license, URIRef(CC_BY_4)))
    g.add((ds, DCTERMS.rights, RLiteral(COMBINED_RIGHTS)))
    directory = URIRef(DIRECTORY_SUBSET)
    g.add((ds, VOID.subset, directory))
    g.add((directory, RDF.type, VOID.Dataset))
    g.add((directory, DCTERMS.title, RLiteral("Gemeindeverzeichnis (Destatis), abgeleitet", lang="de")))
    g.add((directory, DCTERMS.title, RLiteral("Municipality directory (Destatis), derived", lang="en")))
    g.add((directory, DCTERMS.license, URIRef(DL_DE_BY_2)))
    g.add((directory, DCTERMS.rights, RLiteral(DESTATIS_ATTRIBUTION)))
    g.add((directory, VOID.dataDump, URIRef(publication.download_url(DIRECTORY.name))))
    g.add((ds, FOAF.homepage, URIRef(publication.landing_page)))
    g.add((ds, VOID.sparqlEndpoint, URIRef(publication.sparql_endpoint)))
    g.add((ds, VOID.uriSpace, RLiteral(ID)))
    g.add((ds, VOID.uriRegexPattern, RLiteral("^" + ID.replace(".", r"\.") + "[a-z]+/")))
    for dump in DUMPS:
        if dump.in_void:
            g.add((ds, VOID.dataDump, URIRef(publication.download_url(dump.name))))
            g.add((ds, VOID.feature, FORMATS[_FEATURE[dump.media_type]]))
    for vocabulary in ("https://w3id.org/mpsc-graph/ontology#", "http://schema.org/", "http://www.w3.org/ns/prov#",
                       "http://purl.org/dc/terms/", "http://www.w3.org/2004/02/skos/core#"):
        g.add((ds, VOID.vocabulary, URIRef(vocabulary)))
    for example in example_resources(graph):
        g.add((ds, VOID.exampleResource, URIRef(example)))

    stats = graph.query("void_statistics").records()[0]
    # void:entities: the distinct subject IRIs in the URI space (VoID §4.5)
    stats["entities"] = graph.query("export_entities").records()[0]["entities"]
    for key in ("triples", "entities", "classes", "properties", "distinctSubjects", "distinctObjects"):
        g.add((ds, VOID[key], _int(stats[key])))
    for row in graph.query("void_class_partitions").records():
        part = URIRef(f"{DATASET_IRI}/class-partition/{_slug(row['class'])}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(row["class"])))
        g.add((part, VOID.entities, _int(row["entities"])))
    for row in graph.query("void_property_partitions").records():
        part = URIRef(f"{DATASET_IRI}/property-partition/{_slug(row['property'])}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(row["property"])))
        g.add((part, VOID.triples, _int(row["triples"])))

    wikidata = graph.query("wikidata_links")
    if len(wikidata):
        _linkset(g, URIRef(WIKIDATA_LINKSET), SCHEMA + "sameAs", "http://www.wikidata.org/", len(wikidata),
                 "Verknüpfungen mit Wikidata", "Links to Wikidata")
        g.add((URIRef(WIKIDATA_LINKSET), VOID.uriSpace, RLiteral(WD)))
    if links:
        linkset = URIRef(GEOCODING_LINKSET)
        _linkset(g, linkset, LINK_PREDICATE, "http://dcat-ap.de/def/politicalGeocoding/", len(links),
                 "Verknüpfungen mit den Listen der politischen Geokodierung von DCAT-AP.de",
                 "Links to the DCAT-AP.de political-geocoding lists")
        g.add((linkset, VOID.dataDump, URIRef(publication.download_url(LINKS_FILE))))
        g.add((linkset, DCTERMS.description, RLiteral(
            "Abgeleitet beim Export aus AGS, Kreisschlüssel und Länderschlüssel.", lang="de")))
        g.add((linkset, DCTERMS.description, RLiteral(
            "Derived at export time from the AGS, district key and state key of each entity.", lang="en")))
    return g


def _linkset(g: Graph, linkset: URIRef, predicate: str, target: str, count: int, title_de: str, title_en: str) -> None:
    ds = URIRef(DATASET_IRI)
    target_ds = URIRef(target)
    g.add((linkset, RDF.type, VOID.Linkset))
    g.add((linkset, DCTERMS.title, RLiteral(title_de, lang="de")))
    g.add((linkset, DCTERMS.title, RLiteral(title_en, lang="en")))
    g.add((linkset, VOID.subjectsTarget, ds))
    g.add((linkset, VOID.objectsTarget, target_ds))
    g.add((linkset, VOID.target, ds))
    g.add((linkset, VOID.target, target_ds))
    g.add((linkset, VOID.linkPredicate, URIRef(predicate)))
    g.add((linkset, VOID.triples, _int(count)))
    g.add((target_ds, RDF.type, VOID.Dataset))
    g.add((target_ds, FOAF.homepage, target_ds))


def _slug(iri: str) -> str:
    """A readable, IRI-safe local name for a partition node (prefix label plus local part)."""
    for prefix, namespace in sorted(_KNOWN.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace):
            local = iri[len(namespace):]
            return f"{prefix}-{''.join(c if c.isalnum() or c in '-_' else '_' for c in local)}"
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in iri)


_KNOWN = {"mpsc": "https://w3id.org/mpsc-graph/ontology#", "rdf": str(RDF), "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
          "owl": "http://www.w3.org/2002/07/owl#", "skos": "http://www.w3.org/2004/02/skos/core#",
          "schema": SCHEMA, "dct": DCT, "prov": "http://www.w3.org/ns/prov#", "xsd": str(XSD)}

