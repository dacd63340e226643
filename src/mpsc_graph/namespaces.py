"""Every namespace and IRI pattern of the project, in one place.

Data and queries use ``http://schema.org/`` (never rdflib's ``https`` SDO):
schema.org's JSON-LD context and DCAT-AP.de use ``http``.
Terms are plain strings so that both pyoxigraph and rdflib code can wrap them.
"""

from __future__ import annotations

BASE = "https://w3id.org/mpsc-graph/"
ONTOLOGY_IRI = BASE + "ontology"
MPSC = BASE + "ontology#"
SHAPES = BASE + "shapes#"
ID = BASE + "id/"
DOC = BASE + "doc/"
GRAPH = BASE + "graph/"
ONTOLOGY_GRAPH = GRAPH + "ontology"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "http://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
SH = "http://www.w3.org/ns/shacl#"
WD = "http://www.wikidata.org/entity/"
GEO = "http://www.opengis.net/ont/geosparql#"
SPDX_LICENSE = "http://spdx.org/licenses/"

#: Prefixes every query may use without declaring them.
PREFIXES: dict[str, str] = {
    "mpsc": MPSC,
    "mpscsh": SHAPES,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "dct": DCT,
    "schema": SCHEMA,
    "skos": SKOS,
    "prov": PROV,
    "sh": SH,
    "wd": WD,
    "geo": GEO,
}


def entity_iri(kind: str, key: str) -> str:
    """The IRI of a thing: ``https://w3id.org/mpsc-graph/id/{kind}/{key}``."""
    return f"{ID}{kind}/{key}"


def graph_iri(stem: str) -> str:
    """The named graph that holds one source file of ``data/``."""
    return GRAPH + stem


def graph_stem(iri: str) -> str | None:
    """The file stem a named graph was built from, or None for a graph of another origin."""
    return iri[len(GRAPH) :] if iri.startswith(GRAPH) else None
