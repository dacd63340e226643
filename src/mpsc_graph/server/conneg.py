"""Content negotiation: which media type to answer with, from an ``Accept`` header.

One small parser serves the SPARQL endpoint, the linked-data documents and the API, so every
entry point negotiates the same way (RFC 9110 §12.5.1: q-values, ``type/*`` and ``*/*``; on a tie
the server's order of preference wins, so ``*/*`` gets the documented default).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pyoxigraph import QueryResultsFormat, RdfFormat

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
HTML = "text/html"
JSON = "application/json"

#: Tabular and boolean results, default first.
RESULT_TYPES: tuple[str, ...] = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
#: Aliases some clients send for results (browsers, older libraries).
RESULT_ALIASES = {JSON: SPARQL_JSON, "application/xml": SPARQL_XML, "text/xml": SPARQL_XML, "text/plain": TSV}
#: RDF graphs (CONSTRUCT, DESCRIBE, documents), default first.
RDF_TYPES: tuple[str, ...] = (TURTLE, NTRIPLES, JSONLD, RDFXML)
RDF_ALIASES = {"application/x-turtle": TURTLE, "text/plain": NTRIPLES, JSON: JSONLD, "application/xml": RDFXML,
               "text/xml": RDFXML}

RESULT_FORMATS = {SPARQL_JSON: QueryResultsFormat.JSON, SPARQL_XML: QueryResultsFormat.XML,
                  CSV: QueryResultsFormat.CSV, TSV: QueryResultsFormat.TSV}
RDF_FORMATS = {TURTLE: RdfFormat.TURTLE, NTRIPLES: RdfFormat.N_TRIPLES, JSONLD: RdfFormat.JSON_LD,
               RDFXML: RdfFormat.RDF_XML}
#: Format IRIs for sd:resultFormat (http://www.w3.org/ns/formats/).
FORMAT_IRIS = {SPARQL_JSON: "SPARQL_Results_JSON", SPARQL_XML: "SPARQL_Results_XML", CSV: "SPARQL_Results_CSV",
               TSV: "SPARQL_Results_TSV", TURTLE: "Turtle", NTRIPLES: "N-Triples", JSONLD: "JSON-LD",
               RDFXML: "RDF_XML"}
#: Suffix URLs of linked-data documents.
SUFFIXES = {".ttl": TURTLE, ".nt": NTRIPLES, ".jsonld": JSONLD, ".rdf": RDFXML, ".html": HTML}


@dataclass(frozen=True)
class Range:
    """One entry of an Accept header."""

    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return (self.type in ("*", main)) and (self.subtype in ("*", sub))

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str | None) -> list[Range]:
    """The ranges of an Accept header; an absent or empty header accepts anything."""
    if not header or not header.strip():
        return [Range("*", "*", 1.0, 0)]
    ranges = []
    for order, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        main, _, sub = media.partition("/")
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append(Range(main, sub or "*", q, order))
    return ranges


def negotiate(header: str | None, offers: Sequence[str], aliases: dict[str, str] | None = None) -> str | None:
    """The best of ``offers`` (in server preference order) for ``header``, or None (→ 406)."""
    ranges = parse_accept(header)
    best: tuple[float, int, int] | None = None
    choice = None
    for rank, offer in enumerate(offers):
        names = [offer] + [alias for alias, target in (aliases or {}).items() if target == offer]
        quality = None
        for name in names:
            matching = [r for r in ranges if r.matches(name)]
            if matching:
                most = max(matching, key=lambda r: (r.specificity, -r.order))
                quality = most.q if quality is None else max(quality, most.q)
        if quality is None or quality <= 0:
            continue
        key = (quality, -rank, 0)
        if best is None or key > best:
            best, choice = key, offer
    return choice


@lru_cache(maxsize=256)
def negotiate_results(header: str | None) -> str | None:
    return negotiate(header, RESULT_TYPES, RESULT_ALIASES)


@lru_cache(maxsize=256)
def negotiate_rdf(header: str | None, *, html: bool = False) -> str | None:
    """An RDF type (or HTML first when ``html``: a browser's */* then gets the page)."""
    offers = ((HTML,) if html else ()) + RDF_TYPES
    return negotiate(header, offers, RDF_ALIASES)
