"""Linked-data pages in HTML: one renderer for the server's ``/doc/`` pages and the static site.

An entity page is rendered from the results of three named queries about the entity
(``entity_statements``, ``incoming_links``, ``entity_adoptions``) and the labels of the
``labels`` query. The server runs them in its workers per request; ``export --site`` runs the
same queries on its store for every entity. Both hand the rows to :func:`entity_facts` and the
facts to :func:`render_entity_page`, so a page shows the same facts, labels, sources and
adoptions wherever it is read. What differs is only where links go (:class:`PageView`): the
server links to its own routes and offers a language switch, a static page links to the site's
documents and public IRIs.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pyoxigraph import BlankNode, Literal, NamedNode

from ..namespaces import MPSC, PREFIXES, RDF
from ..releases.links import FeedLink, feed_links

TEMPLATES = Path(__file__).parent / "templates"
SHORT_PREFIXES = {**PREFIXES, "id": "https://w3id.org/mpsc-graph/id/"}
RDF_TYPE = RDF + "type"
#: the representations of an entity document, by suffix
ALTERNATES = {".ttl": "text/turtle", ".jsonld": "application/ld+json", ".nt": "application/n-triples",
              ".rdf": "application/rdf+xml"}

TEXT = {
    "de": {"home": "Start", "query": "Abfrage", "search": "Suche", "api": "API", "ontology": "Ontologie",
           "type": "Typ", "properties": "Eigenschaften", "incoming": "Eingehende Verweise", "sources": "Quellen",
           "adopted": "Hat übernommen (als Nachnutzer)", "passed_on": "Wurde von anderen übernommen (als Ursprung)",
           "asset_adoptions": "Nachnutzungen dieser Lösung bzw. dieses Moduls", "from": "von", "by": "durch",
           "mode": "Art", "status": "Status", "period": "Zeitraum", "none": "keine", "results": "Treffer",
           "formats": "Als Daten", "graph": "Graph", "adopter": "Nachnutzer", "origin": "Ursprung",
           "asset": "Lösung/Modul", "run": "Ausführen", "examples": "Beispiele (benannte Abfragen)",
           "search_hint": "Name einer Kommune, Lösung, Organisation …", "not_found": "Nicht gefunden"},
    "en": {"home": "Home", "query": "Query", "search": "Search", "api": "API", "ontology": "Ontology",
           "type": "Type", "properties": "Properties", "incoming": "Incoming links", "sources": "Sources",
           "adopted": "Adopted (as adopter)", "passed_on": "Adopted by others (as origin)",
           "asset_adoptions": "Adoptions of this solution or module", "from": "from", "by": "by",
           "mode": "Mode", "status": "Status", "period": "Period", "none": "none", "results": "results",
           "formats": "As data", "graph": "Graph", "adopter": "Adopter", "origin": "Origin",
           "asset": "Solution/module", "run": "Run", "examples": "Examples (named queries)",
           "search_hint": "Name of a municipality, solution, organisation …", "not_found": "Not found"},
}


#: the schemes an IRI from the data may be linked with as it is
LINK_SCHEMES = frozenset({"http", "https"})
#: the one property whose ``mailto:`` values are links, and only on a contact point (a function mailbox)
SCHEMA_EMAIL = "http://schema.org/email"
#: the classes of a contact point: schema.org's and the ontology's subclass (the store holds no inferred types)
CONTACT_POINT_TYPES = frozenset({"http://schema.org/ContactPoint", MPSC + "ContactPoint"})
_environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


@dataclass
class Labels:
    """Labels by IRI and language, and the classes of labelled resources (for search results)."""

    names: dict[str, dict[str, str]]
    classes: dict[str, list[NamedNode]]

    @classmethod
    def of_rows(cls, rows: Iterable[Sequence[Any]]) -> Labels:
        """From the rows of the ``labels`` named query: resource, label, class."""
        names: dict[str, dict[str, str]] = {}
        classes: dict[str, list[NamedNode]] = {}
        for resource, label, cls_ in rows:
            if isinstance(resource, NamedNode) and isinstance(label, Literal):
                names.setdefault(resource.value, {}).setdefault(label.language or "", label.value)
                if isinstance(cls_, NamedNode) and cls_ not in classes.setdefault(resource.value, []):
                    classes[resource.value].append(cls_)
        return cls(names, classes)

    def search(self, text: str, limit: int = 100) -> list[tuple[str, str]]:
        """``(iri, label)`` of resources whose label contains ``text`` (case-insensitive), shortest first."""
        needle = text.casefold()
        hits: dict[str, str] = {}
        for iri, by_lang in self.names.items():
            for label in by_lang.values():
                if needle in label.casefold() and (iri not in hits or len(label) < len(hits[iri])):
                    hits[iri] = label
        return sorted(hits.items(), key=lambda item: (len(item[1]), item[1], item[0]))[:limit]


@dataclass
class PageView:
    """Label and link helpers of a page: its language, the labels, and where links go.

    ``live``: the page is served by ``mpsc-graph serve`` (navigation to its other routes, a language
    switch, ontology terms on its ``/ontology`` page); otherwise it is a file of the static site, whose
    links go to the site's documents and, for everything else, to the public IRI.
    """

    lang: str
    labels: Labels
    id_base: str
    ontology_iri: str
    live: bool = True
    #: where the Atom feeds are (``/feeds/``), None when there are no releases (then pages link no feed)
    feed_root: str | None = None

    def feeds(self, iri: str | None = None) -> list[FeedLink]:
        """The feeds the page links: the whole dataset's and, on a solution, module or municipality page, its own."""
        return feed_links(self.feed_root, self.lang, self.id_base, iri, self.label(iri) if iri else "")

    @property
    def t(self) -> dict[str, str]:
        return TEXT[self.lang]

    def short(self, iri: str) -> str:
        for prefix, namespace in SHORT_PREFIXES.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return iri

    def label(self, term: Any) -> str:
        """The best label of an IRI in the page's language, else its short form; literals as text."""
        if term is None:
            return ""
        if isinstance(term, (NamedNode, str)):
            iri = term.value if isinstance(term, NamedNode) else term
            found = self.labels.names.get(iri, {})
            other = "en" if self.lang == "de" else "de"
            return found.get(self.lang) or found.get(other) or found.get("") or next(iter(found.values()), None) \
                or self.short(iri)
        if isinstance(term, BlankNode):
            return f"_:{term.value}"
        value: str = term.value
        return value

    def href(self, iri: str, prop: str | None = None, subject_types: Iterable[Any] = ()) -> str | None:
        """Where a link to ``iri`` goes: the entity's document for IRIs under ``id_base``; on the server, its
        ontology page for ontology terms; the IRI itself if it is ``http:`` or ``https:``, or a ``mailto:``
        value of ``schema:email`` (``prop``) of a contact point (``subject_types``: the classes of the
        subject that states it). None for any other scheme: data can carry ``javascript:`` or ``data:``
        IRIs, which must never become something a reader can click, and a ``mailto:`` elsewhere would be a
        person's address offered for writing to, which the data must not hold in the first place."""
        if iri.startswith(self.id_base):
            return self.at(f"/doc/{iri[len(self.id_base):]}")
        if self.live and iri.startswith(self.ontology_iri):
            return "/ontology" + iri[len(self.ontology_iri):]
        scheme = iri.split(":", 1)[0].lower()
        if scheme in LINK_SCHEMES:
            return iri
        if scheme == "mailto" and prop == SCHEMA_EMAIL and \
                any(getattr(cls, "value", cls) in CONTACT_POINT_TYPES for cls in subject_types):
            return iri
        return None

    def switch(self, lang: str) -> str:
        """This page in ``lang`` (a served page overrides this with its own URL)."""
        return f"?lang={lang}"

    def at(self, path: str) -> str:
        """The link to the page ``path`` of this site in the page's language: on the server German is the
        default and English adds ``?lang=en``; the static site has no query strings, so its English
        pages are the files ``x.en.html``, linked as ``x.en`` (see :class:`mpsc_graph.export.site_pages.SiteView`)."""
        path, hashed, fragment = path.partition("#")  # a hash IRI's link is its document's, with the fragment
        return path + ("?lang=en" if self.live and self.lang == "en" else "") + hashed + fragment

    def action(self, path: str) -> str:
        """The ``action`` of a form that shows the page ``path`` (on the server the form's ``lang`` field
        carries the language)."""
        return path if self.live else self.at(path)

    def map_data(self, name: str, iri: str) -> str:
        """The address of the map data of the flows of ``iri`` (``name``: ``asset`` for a solution or module,
        ``place`` for a municipality), which a small map on a profile draws."""
        return "/map/data.json?" + urlencode({name: iri})

    def url(self, path: str, params: dict[str, str]) -> str:
        """The link to the list page ``path`` in the state ``params`` (facets, filters, ``page``, ``format``,
        ``lang``), as the query string the server reads."""
        return path + "?" + urlencode(params)

    def title(self, titles: dict[str, str]) -> str | None:
        """A source's title in the page's language, else in the other, else one without a language."""
        other = "en" if self.lang == "de" else "de"
        return titles.get(self.lang) or titles.get(other) or titles.get("") or next(iter(titles.values()), None)

    def literal_note(self, term: Any) -> str:
        if isinstance(term, Literal):
            if term.language:
                return f"@{term.language}"
            datatype = term.datatype.value
            if not datatype.endswith("#string"):
                return self.short(datatype)
        return ""

    def is_iri(self, term: Any) -> bool:
        return isinstance(term, NamedNode)


@dataclass
class EntityFacts:
    """What an entity page shows, grouped from the rows of the entity's named queries."""

    iri: str
    types: list[Any]
    props: list[dict[str, Any]]
    incoming: OrderedDict[str, list[Any]]
    adoptions: dict[str, list[dict[str, Any]]]
    sources: list[dict[str, Any]]
    #: the incoming links were cut off at the query's limit
    truncated: bool = False
    statements: list[dict[str, Any]] = field(default_factory=list)

    @property
    def known(self) -> bool:
        """Anything at all is said about or points to the entity."""
        return bool(self.statements or self.incoming)


def entity_facts(iri: str, statements: Iterable[Sequence[Any]], incoming: Iterable[Sequence[Any]],
                 adoptions: Iterable[Sequence[Any]], incoming_truncated: bool = False) -> EntityFacts:
    """Group the rows of ``entity_statements``, ``incoming_links`` and ``entity_adoptions`` for a page."""
    grouped = _group_statements(statements)
    own_sources: OrderedDict[str, dict[str, Any]] = OrderedDict()
    for entry in grouped:
        own_sources.update(entry["sources"])
    incoming_by_property: OrderedDict[str, list[Any]] = OrderedDict()
    for _, subject, prop, _graph in incoming:
        bucket = incoming_by_property.setdefault(prop.value, [])
        if subject not in bucket:
            bucket.append(subject)
    return EntityFacts(
        iri=iri,
        types=[entry["value"] for entry in grouped if entry["property"].value == RDF_TYPE],
        props=[entry for entry in grouped if entry["property"].value != RDF_TYPE],
        incoming=incoming_by_property,
        adoptions=_group_adoptions(adoptions),
        sources=list(own_sources.values()),
        truncated=incoming_truncated,
        statements=grouped,
    )


def _group_statements(rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    """One entry per (property, value) with its graphs and the sources cited for the entity there."""
    grouped: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
    for _, prop, value, graph, source, title, url in rows:
        entry = grouped.setdefault((str(prop), str(value)), {"property": prop, "value": value, "graphs": [],
                                                             "sources": OrderedDict()})
        if graph is not None and graph.value not in entry["graphs"]:
            entry["graphs"].append(graph.value)
        _cite(entry["sources"], source, title, url)
    return list(grouped.values())


def _group_adoptions(rows: Iterable[Sequence[Any]]) -> dict[str, list[dict[str, Any]]]:
    by_direction: dict[str, OrderedDict[str, dict[str, Any]]] = {"adopter": OrderedDict(), "origin": OrderedDict(),
                                                                 "asset": OrderedDict()}
    for _, direction, adoption, adopter, origin, asset, mode, status, start, end, source, title, url in rows:
        entries = by_direction[direction.value]
        entry = entries.setdefault(adoption.value, {
            "adoption": adoption, "adopter": adopter, "origin": origin, "asset": asset, "mode": mode,
            "status": status, "start": start, "end": end, "sources": OrderedDict()})
        _cite(entry["sources"], source, title, url)
    return {key: list(value.values()) for key, value in by_direction.items()}


def _cite(sources: OrderedDict[str, dict[str, Any]], source: Any, title: Any, url: Any) -> None:
    """Add a cited source with its titles by language (a row per title); the page picks its language's."""
    if source is None:
        return
    entry = sources.setdefault(source.value, {"iri": source.value, "titles": {}, "url": None})
    if isinstance(title, Literal):
        entry["titles"].setdefault(title.language or "", title.value)
    if url is not None and entry["url"] is None:
        entry["url"] = url.value


def embedded_json(text: str) -> Markup:
    """JSON to put inside ``<script>``: ``<``, ``>`` and ``&`` as ``\\u`` escapes (the same JSON), so that no
    ``</script>``, ``<!--`` or ``<script`` in a literal changes how the browser parses the page."""
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def render_entity_page(view: PageView, facts: EntityFacts, jsonld: str, local: str,
                       alternates: dict[str, str] = ALTERNATES) -> str:
    """The HTML page of an entity; ``jsonld``: its statements as JSON-LD, embedded for machines;
    ``local``: the document's path without suffix (``/doc/{kind}/{key}``), offered with each of
    ``alternates`` (suffix: media type)."""
    template = _environment.get_template("entity.html")
    return template.render(v=view, iri=facts.iri, title=view.label(facts.iri), types=facts.types,
                           props=facts.props, incoming=facts.incoming, adoptions=facts.adoptions, local=local,
                           sources=facts.sources, alternates=alternates, truncated=facts.truncated,
                           jsonld=embedded_json(jsonld))


def render_not_found(view: PageView, iri: str) -> str:
    """The page for an IRI nothing is known about."""
    return _environment.get_template("not_found.html").render(v=view, iri=iri)
