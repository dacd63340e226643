"""Wikidata enrichment: find the items whose AGS (P439) or district key (P440) match the graph's bodies.

The links are not written into ``data/``: they go to a reviewable Turtle file, each entity with
``schema:sameAs wd:Q…`` and ``dct:source`` to one Source node that records the endpoint and the
retrieval date. A key that matches several items, or an item that contradicts a link already in the
data, is reported and not written: a link into Wikidata is only as good as its check.

The endpoint is asked through the project's one HTTP client (:mod:`mpsc_graph.http_client`) with
a user agent that says what the requests are for (Wikimedia's policy asks for one), a bounded
number of retries, and respect for ``Retry-After`` on 429 and 503. Keys are bound with a
multi-row ``VALUES`` block of typed literals appended to the named query ``wikidata_by_key``.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import rdflib
from pyoxigraph import Literal as OxLiteral
from pyoxigraph import NamedNode
from rdflib import RDF, RDFS, XSD, Literal, URIRef

from ..api import Graph
from ..errors import QueryFailed
from ..http_client import HttpClient, HttpSettings, user_agent
from ..namespaces import DCT, MPSC, SCHEMA, WD, entity_iri
from ..queries import NamedQuery
from ..remote import remote_select

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
_ITEM = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$")
#: Wikidata's query service is shared: a slow first retry, a wait of up to two minutes accepted,
#: and a user agent that says what the requests are for (Wikimedia asks automated clients to).
WIKIDATA_SETTINGS = HttpSettings(backoff=5.0, max_wait=120.0,
                                 user_agent=user_agent("Wikidata enrichment of German municipality keys"))


@dataclass(frozen=True)
class Body:
    """A municipality or district of the graph with its key and any Wikidata links already present."""

    iri: str
    kind: str
    key: str
    linked: frozenset[str] = frozenset()


@dataclass
class Enrichment:
    """What the endpoint said about each key: new links, confirmations, conflicts, ambiguities, misses."""

    endpoint: str
    accessed: dt.date
    links: dict[str, str] = field(default_factory=dict)  # entity IRI -> item IRI (new, to be written)
    confirmed: dict[str, str] = field(default_factory=dict)
    conflicts: dict[str, tuple[str, ...]] = field(default_factory=dict)  # entity -> items found (existing differ)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)  # entity -> several items for one key
    missing: list[str] = field(default_factory=list)

    def report(self, bodies: Sequence[Body]) -> list[str]:
        key_of = {b.iri: f"{b.kind} {b.key}" for b in bodies}
        lines = [f"{self.endpoint} ({self.accessed.isoformat()}): {len(bodies)} keys asked, "
                 f"{len(self.links)} new link(s), {len(self.confirmed)} confirmed, {len(self.conflicts)} conflict(s), "
                 f"{len(self.ambiguous)} ambiguous, {len(self.missing)} without an item"]
        lines += [f"  conflict: {key_of[e]} <{e}> is linked to another item than {', '.join(i)}"
                  for e, i in sorted(self.conflicts.items())]
        lines += [f"  ambiguous: {key_of[e]} <{e}> matches {', '.join(i)} (not written)"
                  for e, i in sorted(self.ambiguous.items())]
        lines += [f"  no item: {key_of[e]} <{e}>" for e in self.missing]
        return lines


def graph_bodies(graph: Graph) -> list[Body]:
    """The municipalities and districts of the graph (named query ``official_keys``)."""
    linked: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in graph.query("official_keys"):
        entity, kind, key, item = (row[c] for c in ("entity", "kind", "key", "item"))
        slot = linked[(entity.value, kind.value, key.value)]  # type: ignore[union-attr]
        if item is not None:
            slot.add(item.value)
    return [Body(iri, kind, key, frozenset(items)) for (iri, kind, key), items in sorted(linked.items())]


def key_term(key: str) -> OxLiteral:
    """An official key as the typed literal Wikidata stores (xsd:string); anything else is refused."""
    if not re.fullmatch(r"\d{5}|\d{8}", key):
        raise QueryFailed(f"'{key}' is neither an 8-digit AGS nor a 5-digit Kreisschlüssel")
    return OxLiteral(key)


def values_rows(variable: str, terms: Iterable[OxLiteral]) -> str:
    """A multi-row ``VALUES ?var { … }`` block from typed terms (their N-Triples form, never raw text)."""
    return f"\nVALUES ?{variable} {{\n" + "".join(f"  {term}\n" for term in terms) + "}\n"


def ask_wikidata(
    query: NamedQuery,
    bodies: Sequence[Body],
    endpoint: str,
    *,
    batch: int = 200,
    settings: HttpSettings = WIKIDATA_SETTINGS,
    sleep: Callable[[float], None] = time.sleep,
    log: Callable[[str], None] | None = None,
    accessed: dt.date | None = None,
) -> Enrichment:
    """Ask the endpoint for every body's key in batches and sort the answers into links and problems."""
    by_key: dict[str, list[Body]] = defaultdict(list)
    for body in bodies:
        by_key[body.key].append(body)
    found: dict[tuple[str, str], set[str]] = defaultdict(set)  # (key, property) -> items
    keys = sorted(by_key)
    with HttpClient(settings, sleep=sleep, log=log) as client:
        for start in range(0, len(keys), batch):
            chunk = keys[start:start + batch]
            text = query.text + values_rows("_key", (key_term(k) for k in chunk))
            for row in remote_select(endpoint, text, client=client):
                asked, matched, item = row.get("_key"), row.get("property"), row.get("item")
                if (isinstance(asked, OxLiteral) and asked.value in by_key and isinstance(matched, OxLiteral)
                        and matched.value in ("P439", "P440") and isinstance(item, NamedNode)
                        and _ITEM.match(item.value)):
                    found[(asked.value, matched.value)].add(item.value)
    result = Enrichment(endpoint, accessed or dt.date.today())
    for body in bodies:
        prop = "P439" if body.kind == "municipality" else "P440"
        items = tuple(sorted(found.get((body.key, prop), set())))
        if not items:
            result.missing.append(body.iri)
        elif len(items) > 1:
            result.ambiguous[body.iri] = items
        elif body.linked and items[0] in body.linked:
            result.confirmed[body.iri] = items[0]
        elif body.linked:
            result.conflicts[body.iri] = items
        else:
            result.links[body.iri] = items[0]
    return result


def links_graph(result: Enrichment) -> rdflib.Graph:
    """The new links as Turtle-ready triples, each entity sourced to the dated endpoint query."""
    g = rdflib.Graph()
    for prefix in ("municipality", "district", "source"):
        g.bind(prefix, entity_iri(prefix, ""))
    g.bind("schema", SCHEMA, override=True, replace=True)
    g.bind("mpsc", MPSC)
    g.bind("dct", DCT)
    g.bind("wd", WD)
    source = URIRef(entity_iri("source", f"wikidata-keys-{result.accessed.isoformat()}"))
    g.add((source, RDF.type, URIRef(MPSC + "Source")))
    for lang, title in (("de", "Wikidata: Objekte mit Gemeindeschlüssel (P439) oder Kreisschlüssel (P440)"),
                        ("en", "Wikidata: items with German municipality key (P439) or district key (P440)")):
        g.add((source, URIRef(DCT + "title"), Literal(title, lang=lang)))
        g.add((source, RDFS.label, Literal(title, lang=lang)))
    g.add((source, URIRef(SCHEMA + "url"), URIRef(result.endpoint)))
    g.add((source, URIRef(DCT + "publisher"), Literal("Wikidata (Wikimedia Foundation)")))
    g.add((source, URIRef(MPSC + "accessedOn"), Literal(result.accessed.isoformat(), datatype=XSD.date)))
    for entity, item in sorted(result.links.items()):
        g.add((URIRef(entity), URIRef(SCHEMA + "sameAs"), URIRef(item)))
        g.add((URIRef(entity), URIRef(DCT + "source"), source))
    return g


def to_turtle(result: Enrichment, bodies: Sequence[Body]) -> str:
    header = ["# Written by 'mpsc-graph enrich wikidata'. Review each link before moving it into data/.",
              *("# " + line for line in result.report(bodies))]
    return "\n".join(header) + "\n\n" + links_graph(result).serialize(format="turtle")
