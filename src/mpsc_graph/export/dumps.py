"""Full dumps of the store: N-Triples (gzip), Turtle and JSON-LD of the union graph; N-Quads (gzip)
and TriG with the named graphs; the ontology and the shapes as Turtle files of their own.

Outputs are deterministic (sorted statements, gzip without timestamps) so that an unchanged
dataset gives byte-identical files and checksums from one export to the next.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode, Quad, RdfFormat, Store, Triple, serialize

from ..convert import parse_turtle_files, rdflib_graph
from ..namespaces import ONTOLOGY_GRAPH, PREFIXES, graph_iri
from ..project import Project
from .settings import DIRECTORY_GRAPHS


@dataclass(frozen=True)
class DumpFile:
    """One file of the export that a DCAT distribution and the VoID description point to."""

    name: str
    title_de: str
    title_en: str
    media_type: str  # IANA media type of the content (gzip files: of the uncompressed content)
    file_type: str  # EU file-type authority code
    compressed: bool = False
    in_void: bool = True  # listed as void:dataDump of the dataset
    licence: str = "cc-by"  # "cc-by" (the project's data) or "dl-de-by" (the Destatis directory alone)
    combined: bool = False  # holds both the project's data and the directory: dct:rights names both licences


NT = DumpFile("mpsc-graph.nt.gz", "Gesamtabzug (N-Triples, gzip)", "Full dump (N-Triples, gzip)",
              "application/n-triples", "RDF_N_TRIPLES", compressed=True, combined=True)
TURTLE = DumpFile("mpsc-graph.ttl", "Gesamtabzug (Turtle)", "Full dump (Turtle)", "text/turtle", "RDF_TURTLE",
                  combined=True)
JSONLD = DumpFile("mpsc-graph.jsonld", "Gesamtabzug (JSON-LD, Kontext eingebettet)",
                  "Full dump (JSON-LD, context embedded)", "application/ld+json", "JSON_LD", combined=True)
NQUADS = DumpFile("mpsc-graph.nq.gz", "Gesamtabzug mit benannten Graphen (N-Quads, gzip)",
                  "Full dump with named graphs (N-Quads, gzip)", "application/n-quads", "RDF_N_QUADS", compressed=True,
                  combined=True)
TRIG = DumpFile("mpsc-graph.trig", "Gesamtabzug mit benannten Graphen (TriG)", "Full dump with named graphs (TriG)",
                "application/trig", "RDF_TRIG", combined=True)
ONTOLOGY = DumpFile("ontology.ttl", "Ontologie und Begriffsschemata (Turtle)", "Ontology and concept schemes (Turtle)",
                    "text/turtle", "RDF_TURTLE", in_void=False)
SHAPES = DumpFile("shapes.ttl", "SHACL-Formen (Turtle)", "SHACL shapes (Turtle)", "text/turtle", "RDF_TURTLE",
                  in_void=False)
DIRECTORY = DumpFile("directory.nt.gz", "Gemeindeverzeichnis: Gemeinden, Kreise und Gemeindeverbände (N-Triples, gzip)",
                     "Municipality directory: municipalities, districts and municipal associations (N-Triples, gzip)",
                     "application/n-triples", "RDF_N_TRIPLES", compressed=True, in_void=False, licence="dl-de-by")
CONTEXT_FILE = "context.jsonld"

DUMPS = (NT, TURTLE, JSONLD, NQUADS, TRIG, ONTOLOGY, SHAPES, DIRECTORY)


def union_triples(store: Store) -> list[Triple]:
    """Every distinct triple of the union of all named graphs, sorted (a triple stated in two
    graphs appears once, as in the union default graph the queries see)."""
    triples = {Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, None)}
    return sorted(triples, key=str)


def sorted_quads(store: Store) -> list[Quad]:
    return sorted(store.quads_for_pattern(None, None, None, None), key=str)


def jsonld_context() -> dict[str, str]:
    """The JSON-LD context: the project's prefixes (compact IRIs, nothing more magic)."""
    return dict(sorted(PREFIXES.items()))


def _write_gzip(path: Path, data: bytes) -> None:
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
        out.write(data)


def write_dumps(store: Store, project: Project, out: Path) -> tuple[DumpFile, ...]:
    """Write every dump into ``out`` and return their descriptions (for VoID and DCAT)."""
    triples = union_triples(store)
    quads = sorted_quads(store)
    _write_gzip(out / NT.name, serialize(triples, format=RdfFormat.N_TRIPLES) or b"")
    (out / TURTLE.name).write_bytes(serialize(triples, format=RdfFormat.TURTLE, prefixes=PREFIXES) or b"")
    _write_gzip(out / NQUADS.name, serialize(quads, format=RdfFormat.N_QUADS) or b"")
    (out / TRIG.name).write_bytes(serialize(quads, format=RdfFormat.TRIG, prefixes=PREFIXES) or b"")
    ontology = sorted(store.quads_for_pattern(None, None, None, NamedNode(ONTOLOGY_GRAPH)), key=str)
    (out / ONTOLOGY.name).write_bytes(
        serialize([Triple(q.subject, q.predicate, q.object) for q in ontology], format=RdfFormat.TURTLE,
                  prefixes=PREFIXES) or b""
    )
    directory = sorted({Triple(q.subject, q.predicate, q.object) for stem in DIRECTORY_GRAPHS
                        for q in store.quads_for_pattern(None, None, None, NamedNode(graph_iri(stem)))}, key=str)
    _write_gzip(out / DIRECTORY.name, serialize(directory, format=RdfFormat.N_TRIPLES) or b"")
    shapes = parse_turtle_files(project.shape_files())
    (out / SHAPES.name).write_text(shapes.serialize(format="turtle"), encoding="utf-8")
    _write_jsonld(triples, out)
    return DUMPS


def _write_jsonld(triples: list[Triple], out: Path) -> None:
    """JSON-LD with the context inline (so a reader never fetches it) and also as its own file."""
    (out / JSONLD.name).write_text(jsonld_text(triples) + "\n", encoding="utf-8")
    (out / CONTEXT_FILE).write_text(json.dumps({"@context": jsonld_context()}, indent=2) + "\n", encoding="utf-8")


def jsonld_text(triples: Iterable[Triple]) -> str:
    """Compact JSON-LD of ``triples`` with the project's context inline, in a stable order (see below)."""
    graph = rdflib_graph(triples)
    text = graph.serialize(format="json-ld", context=jsonld_context(), auto_compact=True, sort_keys=True, indent=1)
    return json.dumps(canonical_jsonld(json.loads(text)), ensure_ascii=False, sort_keys=True, indent=1)


def canonical_jsonld(node: Any) -> Any:
    """``node`` with every JSON array in a fixed order, so equal graphs give equal JSON-LD text.

    rdflib writes the nodes of a graph, and the values of one property, in the order of Python's
    (hash-randomised) sets, so each run ordered them differently and the checksums in catalog.ttl
    changed with every export. In JSON-LD the order of those arrays carries no meaning; only an
    ``@list`` (an RDF collection) is ordered, and it is kept as it is.
    """
    if isinstance(node, dict):
        return {key: (value if key == "@list" else canonical_jsonld(value)) for key, value in node.items()}
    if isinstance(node, list):
        items = [canonical_jsonld(item) for item in node]
        return sorted(items, key=lambda item: json.dumps(item, ensure_ascii=False, sort_keys=True))
    return node
