"""The static site: the web application's pages and one HTML, Turtle and JSON-LD document per entity.

Documents live under ``doc/{kind}/{key}.{html,en.html,ttl,jsonld}``. The HTML pages are rendered by
the same renderer as the server's ``/doc/`` pages (:mod:`mpsc_graph.server.entity_page`), from the
same named queries run on the exported store, in German and English; the web application's pages
(catalogue, profiles, adoptions) come from :mod:`.site_pages`. The nginx snippets
(:mod:`.site_nginx`) answer ``/id/…`` with 303 See Other to ``/doc/…``, negotiate ``/doc/…`` on
``Accept`` and every page on ``Accept-Language``, so the site can be hosted without Python.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyoxigraph import NamedNode, RdfFormat, Store, Triple, serialize

from ..namespaces import ID, PREFIXES
from ..server.entity_page import Labels, entity_facts, render_entity_page
from .dumps import jsonld_text
from .site_nginx import NGINX_HTTP_SNIPPET, NGINX_SNIPPET, nginx_http_snippet, nginx_snippet
from .site_pages import LANGS, SiteView, page_file, write_site_pages

__all__ = ["NGINX_HTTP_SNIPPET", "NGINX_SNIPPET", "SITE_ALTERNATES", "entity_documents", "write_site"]

if TYPE_CHECKING:
    from ..api import Graph

#: the representations the static site writes of each entity, by suffix
SITE_ALTERNATES = {".ttl": "text/turtle", ".jsonld": "application/ld+json"}


def entity_documents(store: Store) -> dict[str, list[Triple]]:
    """The triples describing each entity IRI under ``/id/`` (union of all graphs, deduplicated)."""
    described: dict[str, set[Triple]] = defaultdict(set)
    for quad in store.quads_for_pattern(None, None, None, None):
        subject = quad.subject
        if isinstance(subject, NamedNode) and subject.value.startswith(ID):
            described[subject.value].add(Triple(quad.subject, quad.predicate, quad.object))
    return {iri: sorted(triples, key=str) for iri, triples in sorted(described.items())}


def doc_path(iri: str) -> str:
    """``doc/{kind}/{key}`` for an entity IRI."""
    return "doc/" + iri[len(ID):]


def _rows_by_entity(graph: Graph, name: str) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of the named query ``name`` about every entity at once, by entity.

    The page queries take the entity as their parameter ``?_entity``; left unbound it is one more
    column, so one run answers for all entities (run per entity, they took a minute for the site).
    """
    table = graph.select(graph.named_query(name).text)
    column = table.columns.index("_entity")
    by_entity: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for row in table.rows:
        entity = row[column]
        if isinstance(entity, NamedNode):
            by_entity[entity.value].append(tuple(row))
    return by_entity


def write_site(graph: Graph, out: Path, *, feeds: bool = False) -> int:
    """Write the site: one document triple per entity (its page in both languages), the web application's
    pages and the nginx snippets; return the number of entities.

    ``graph``: the exported project's store and named queries (the pages run the server's queries);
    ``feeds``: the site has the releases' Atom feeds under ``/feeds/``, which the pages link.
    """
    store = graph.store
    labels = Labels.of_rows(graph.query("labels").rows)
    feed_root = "/feeds/" if feeds else None
    statements, incoming, adoptions = (_rows_by_entity(graph, name)
                                       for name in ("entity_statements", "incoming_links", "entity_adoptions"))
    documents = entity_documents(store)
    for iri, triples in documents.items():
        stem = out / doc_path(iri)
        stem.parent.mkdir(parents=True, exist_ok=True)
        stem.with_name(stem.name + ".ttl").write_bytes(
            serialize(triples, format=RdfFormat.TURTLE, prefixes=PREFIXES) or b"")
        jsonld = jsonld_text(triples)
        stem.with_name(stem.name + ".jsonld").write_text(jsonld, encoding="utf-8")
        facts = entity_facts(iri, statements.get(iri, []), incoming.get(iri, []), adoptions.get(iri, []))
        local = "/" + doc_path(iri)
        address = local.replace("#", "%23")  # a hash IRI's own document (its fragment is part of the file name)
        for lang in LANGS:
            v = SiteView(lang, labels, address, feed_root)
            page = render_entity_page(v, facts, jsonld, address, SITE_ALTERNATES)
            (out / page_file(local, lang)).write_text(page, encoding="utf-8")
    write_site_pages(graph, out, labels, feed_root)
    (out / NGINX_SNIPPET).write_text(nginx_snippet(), encoding="utf-8")
    (out / NGINX_HTTP_SNIPPET).write_text(nginx_http_snippet(), encoding="utf-8")
    return len(documents)
