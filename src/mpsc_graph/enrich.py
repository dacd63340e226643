"""Wikidata enrichment: find the items whose AGS (P439) or district key (P440) match the graph's bodies.

The links are not written into ``data/``: they go to a reviewable Turtle file, each entity with
``schema:sameAs wd:Q…`` and ``dct:source`` to one Source node that records the endpoint and the
retrieval date. A key that matches several items, or an item that contradicts a link already in the
data, is reported and not written (a Wikidata link goes into the data only once verified).

The endpoint is asked through SPARQLWrapper with a descriptive User-Agent (Wikimedia's policy),
a bounded number of retries, and respect for HTTP 429/503 ``Retry-After``. Keys are bound with a
multi-row ``VALUES`` block of typed literals appended to the named query ``wikidata_by_key``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import time
import urllib.error
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import rdflib
from pyoxigraph import Literal as OxLiteral
from rdflib import RDF, RDFS, XSD, Literal, URIRef

from . import __version__
from .api import Graph
from .errors import MpscError, QueryFailed
from .namespaces import DCT, MPSC, SCHEMA, WD, entity_iri
from .queries import NamedQuery
from .sparql import check_query

DEFAULT_ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT = (f"mpsc-graph/{__version__} (Wikidata enrichment of German municipality keys; "
              "+https://w3id.org/mpsc-graph)")
_ITEM = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9][0-9]*$")
RETRY_STATUSES = (429, 503)


class EndpointUnavailable(MpscError):
    """The endpoint kept failing or asking us to wait longer than allowed: nothing was written."""


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to wait: attempts in total, default pause, longest pause accepted."""

    attempts: int = 4
    pause: float = 5.0
    max_wait: float = 120.0
    timeout: int = 60


def retry_after(value: str | None, default: float, *, now: dt.datetime | None = None) -> float:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date); ``default`` when absent or bad."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    current = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - current).total_seconds())


def select_with_retries(
    endpoint: str,
    text: str,
    *,
    policy: RetryPolicy = RetryPolicy(),
    sleep: Callable[[float], None] = time.sleep,
    log: Callable[[str], None] = lambda _message: None,
) -> dict:
    """POST a SELECT to ``endpoint`` and return the SPARQL JSON results, retrying 429/503 and network errors."""
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    check_query(text)
    last = ""
    for attempt in range(1, policy.attempts + 1):
        client = SPARQLWrapper(endpoint, agent=USER_AGENT)
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.setTimeout(policy.timeout)
        client.setQuery(text)
        wait = policy.pause * attempt
        try:
            data = client.queryAndConvert()
        except urllib.error.HTTPError as exc:
            if exc.code not in RETRY_STATUSES:
                raise QueryFailed(f"the endpoint {endpoint} answered HTTP {exc.code}: {exc.reason}") from exc
            wait = retry_after(exc.headers.get("Retry-After") if exc.headers else None, wait)
            last = f"HTTP {exc.code}"
            if wait > policy.max_wait:
                raise EndpointUnavailable(
                    f"the endpoint {endpoint} asks to wait {wait:.0f} s (more than {policy.max_wait:.0f} s); try later"
                ) from exc
        except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
            last = f"{exc.__class__.__name__}: {getattr(exc, 'reason', exc)}"
        except Exception as exc:  # SPARQLWrapper's own errors (bad query, endpoint error): not worth retrying
            raise QueryFailed(f"the endpoint {endpoint} answered with an error: {exc}") from exc
        else:
            if not isinstance(data, dict) or "results" not in data:
                raise QueryFailed(f"the endpoint {endpoint} did not return SPARQL JSON results")
            return data
        if attempt < policy.attempts:
            log(f"{last}; waiting {wait:.1f} s before attempt {attempt + 1} of {policy.attempts}")
            sleep(wait)
    raise EndpointUnavailable(f"the endpoint {endpoint} failed {policy.attempts} times (last: {last}); nothing written")


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
    policy: RetryPolicy = RetryPolicy(),
    sleep: Callable[[float], None] = time.sleep,
    log: Callable[[str], None] = lambda _message: None,
    accessed: dt.date | None = None,
) -> Enrichment:
    """Ask the endpoint for every body's key in batches and sort the answers into links and problems."""
    by_key: dict[str, list[Body]] = defaultdict(list)
    for body in bodies:
        by_key[body.key].append(body)
    found: dict[tuple[str, str], set[str]] = defaultdict(set)  # (key, property) -> items
    keys = sorted(by_key)
    for start in range(0, len(keys), batch):
        chunk = keys[start:start + batch]
        text = query.text + values_rows("_key", (key_term(k) for k in chunk))
        data = select_with_retries(endpoint, text, policy=policy, sleep=sleep, log=log)
        for binding in data["results"]["bindings"]:
            key = binding.get("_key", {}).get("value")
            prop = binding.get("property", {}).get("value")
            item = binding.get("item", {})
            if key in by_key and prop in ("P439", "P440") and item.get("type") == "uri" and _ITEM.match(item["value"]):
                found[(key, prop)].add(item["value"])
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
