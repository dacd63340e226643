"""Linked data: ``/id/…`` → 303 → ``/doc/…``; documents, the ontology and VoID.

Thing IRIs ``{base}id/{kind}/{key}`` are answered with ``303 See Other`` to the document
``/doc/{kind}/{key}`` (httpRange-14). Documents negotiate HTML (for people), Turtle, JSON-LD,
N-Triples and RDF/XML (``Vary: Accept``; 406 when nothing fits; suffix URLs ``.ttl``, ``.jsonld``,
``.nt``, ``.rdf``, ``.html``). RDF bodies keep the public IRIs; HTML links point to this server.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ..namespaces import BASE, DCT, RDF, SCHEMA
from ..ontology_docs import ontology_html
from .config import config_of
from .conneg import HTML, RDF_TYPES, SUFFIXES, TURTLE, negotiate_rdf
from .entity_page import ALTERNATES, entity_facts, render_entity_page, render_not_found
from .errors import BadRequestError, HttpError, NotAcceptableError, NotFoundError
from .responses import rdf_bytes, rdf_response
from .site import RETRY_SECONDS, View, language, run_named, view
from .webapp import readable

VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = RDF + "type"


def _pick(request: Request, path: str) -> tuple[str, str | None, bool]:
    """``(path without suffix, media type or None, chosen by suffix)``."""
    for suffix, media in SUFFIXES.items():
        if path.endswith(suffix):
            return path[: -len(suffix)], media, True
    return path, negotiate_rdf(request.headers.get("accept"), html=True), False


def _not_acceptable(offers: tuple[str, ...]) -> NotAcceptableError:
    return NotAcceptableError("not acceptable; this document is available as " + ", ".join(offers))


def _links(local: str) -> str:
    return ", ".join(f'<{local}{suffix}>; rel="alternate"; type="{media}"' for suffix, media in ALTERNATES.items())


async def thing(request: Request) -> Response:
    """``GET /id/{kind}/{key}`` → ``303 See Other`` to the document about it."""
    path = request.path_params["path"]
    return RedirectResponse(f"/doc/{path}", 303, headers={"Vary": "Accept"})


async def document(request: Request) -> Response:
    """``GET /doc/{kind}/{key}[.suffix]``: the document about ``{base}id/{kind}/{key}``."""
    path, media, by_suffix = _pick(request, request.path_params["path"])
    if media is None:
        raise _not_acceptable((HTML, *RDF_TYPES))
    config = config_of(request)
    iri = config.id_base + path
    try:
        entity = NamedNode(iri)
    except ValueError as exc:  # e.g. a space or '<' in the path: no entity can have this IRI
        raise BadRequestError(f"/doc/{path} names no entity: <{iri}> is not a valid IRI ({exc})") from None
    headers = {"Vary": "Accept", "Link": _links(f"/doc/{path}")}
    if by_suffix:
        headers["Content-Location"] = request.url.path
    if media == HTML:
        return await _entity_page(request, entity, headers)
    reply = await run_named(request, "entity_description", config.max_rows, entity=entity)
    if not reply.rows:
        raise NotFoundError(f"nothing is known about <{iri}>")
    triples = [Triple(entity, prop, value) for _, prop, value in reply.rows]
    return rdf_response(triples, media, headers)


async def _entity_page(request: Request, entity: NamedNode, headers: dict[str, str]) -> Response:
    iri = entity.value
    statements, incoming, adoptions = await asyncio.gather(
        run_named(request, "entity_statements", entity=entity),
        run_named(request, "incoming_links", 2_000, entity=entity),
        run_named(request, "entity_adoptions", entity=entity),
    )
    v = await view(request)
    facts = entity_facts(iri, statements.rows, incoming.rows, adoptions.rows, incoming.truncated)
    if not facts.known:
        return HTMLResponse(render_not_found(v, iri), 404, headers={"Vary": "Accept, Accept-Language"})
    described = rdf_bytes([Triple(entity, e["property"], e["value"]) for e in facts.statements],
                          "application/ld+json")
    local = f"/doc/{iri[len(v.id_base):]}"
    html = render_entity_page(v, facts, described.decode("utf-8"), local)
    return HTMLResponse(html, headers={**headers, "Vary": "Accept, Accept-Language"})


async def ontology(request: Request) -> Response:
    """``/ontology`` (and ``.ttl`` etc.): the ontology as HTML (pyLODE) or RDF."""
    suffix = request.path_params.get("suffix", "")
    if suffix and suffix not in SUFFIXES:
        raise NotFoundError("not found")
    _, media, _ = _pick(request, suffix)
    if media is None:
        raise _not_acceptable((HTML, *RDF_TYPES))
    config = config_of(request)
    reply = await run_named(request, "ontology_terms", 200_000, ontology=NamedNode(config.ontology_iri))
    if not reply.rows:
        raise NotFoundError(f"this store holds no ontology <{config.ontology_iri}>")
    triples = [Triple(subject, prop, value) for _, subject, prop, value in reply.rows]
    headers = {"Vary": "Accept", "Link": _links("/ontology")}
    if media != HTML:
        return rdf_response(triples, media, headers)
    lang = language(request)
    state = request.app.state
    if getattr(state, "ontology_html", None) is None:
        state.ontology_html = {}
    cache: dict[str, str] = state.ontology_html
    if lang not in cache:
        turtle = rdf_bytes(triples, TURTLE)
        cache[lang] = await asyncio.to_thread(ontology_html, turtle, config.ontology_iri, lang)
    headers["Vary"] = "Accept, Accept-Language"
    return HTMLResponse(readable.with_site_header(cache[lang], await view(request)), headers=headers)


async def void_statistics(request: Request) -> dict[str, Any]:
    """Statistics by the VoID named queries, computed once per store."""
    state = request.app.state
    if getattr(state, "void", None) is not None:
        known: dict[str, Any] = state.void
        return known
    failed: tuple[float, HttpError] | None = getattr(state, "void_failed", None)
    if failed is not None and time.monotonic() - failed[0] < RETRY_SECONDS:
        raise failed[1]  # heavy statistics timed out recently: do not run them again on every request
    config = config_of(request)
    try:
        # one after the other: on the full directory each is a long query, and the pool keeps a worker
        # free for short ones, so running all four at once would have the last ones refused
        stats = await run_named(request, "void_statistics")
        entities = await run_named(request, "void_entities")
        classes = await run_named(request, "void_class_partitions")
        properties = await run_named(request, "void_property_partitions")
    except HttpError as exc:
        state.void_failed = (time.monotonic(), exc)
        raise
    numbers = dict(zip(["triples", "distinctSubjects", "distinctObjects", "properties", "classes"],
                       [int(t.value) for t in stats.rows[0]], strict=True)) if stats.rows else {}
    numbers["entities"] = sum(int(n.value) for space, n in entities.rows if space.value == config.id_base)
    state.void = {"numbers": numbers,
                  "classes": [(c, int(n.value), e.value if e else None) for c, n, e in classes.rows],
                  "properties": [(p, int(n.value)) for p, n in properties.rows]}
    return state.void


async def void(request: Request) -> Response:
    """``/.well-known/void`` (and ``.ttl`` etc.): a VoID description with real statistics (RDF, Turtle by
    default; a page for a browser that asks for HTML)."""
    suffix = request.path_params.get("suffix", "")
    if suffix and suffix not in SUFFIXES:
        raise NotFoundError("not found")
    accept = request.headers.get("accept")
    media = SUFFIXES[suffix] if suffix else negotiate_rdf(accept, html=readable.asks_for_html(accept))
    if media is None:
        raise _not_acceptable(RDF_TYPES)
    stats = await void_statistics(request)
    config = config_of(request)
    origin = str(request.base_url).rstrip("/")
    dataset = NamedNode(config.base_iri + "dataset")
    if media == HTML:
        response = readable.void_page(request, await view(request), stats, dataset.value)
        response.headers["Vary"] = "Accept, Accept-Language"
        return response
    xsd_integer = NamedNode("http://www.w3.org/2001/XMLSchema#integer")

    def number(value: int) -> Literal:
        return Literal(str(value), datatype=xsd_integer)

    triples = [
        Triple(dataset, NamedNode(RDF_TYPE), NamedNode(VOID + "Dataset")),
        Triple(dataset, NamedNode(DCT + "title"), Literal("mpsc-graph: Nachnutzung und Zusammenarbeit von Kommunen",
                                                          language="de")),
        Triple(dataset, NamedNode(DCT + "title"), Literal("mpsc-graph: software reuse and collaboration among "
                                                          "German municipalities", language="en")),
        Triple(dataset, NamedNode(VOID + "sparqlEndpoint"), NamedNode(origin + "/sparql")),
        Triple(dataset, NamedNode(VOID + "uriSpace"), Literal(config.id_base)),
        Triple(dataset, NamedNode(VOID + "vocabulary"), NamedNode(config.base_iri + "ontology")),
        Triple(dataset, NamedNode(SCHEMA + "url"), NamedNode(origin + "/")),
    ]
    if config.base_iri == BASE:
        triples.append(Triple(dataset, NamedNode(DCT + "license"),
                              NamedNode("https://creativecommons.org/licenses/by/4.0/")))
    for key, value in stats["numbers"].items():
        triples.append(Triple(dataset, NamedNode(VOID + key), number(value)))
    examples = [e for _, _, e in stats["classes"] if e and e.startswith(config.id_base)][:5]
    for example in examples:
        triples.append(Triple(dataset, NamedNode(VOID + "exampleResource"), NamedNode(example)))
    for cls, count, _ in stats["classes"]:
        node = BlankNode()
        triples += [Triple(dataset, NamedNode(VOID + "classPartition"), node),
                    Triple(node, NamedNode(VOID + "class"), cls), Triple(node, NamedNode(VOID + "entities"),
                                                                           number(count))]
    for prop, count in stats["properties"]:
        node = BlankNode()
        triples += [Triple(dataset, NamedNode(VOID + "propertyPartition"), node),
                    Triple(node, NamedNode(VOID + "property"), prop), Triple(node, NamedNode(VOID + "triples"),
                                                                             number(count))]
    return rdf_response(triples, media, {"Vary": "Accept"})


__all__ = ["View", "document", "ontology", "thing", "void", "void_statistics"]
