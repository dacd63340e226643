"""What the human-facing routes share: the query catalogue, label cache, link mapping, templates.

Pages show labels instead of IRIs. Labels come from the ``labels`` named query, run once (through
a worker, like every query) and kept in memory; a store with more labels than the cache holds
simply shows the remaining IRIs in short form. Public IRIs under ``--base-iri`` are linked to this
server's ``/doc/`` and ``/ontology`` routes, so a person can click through a local copy.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from ..errors import InputError
from ..namespaces import PREFIXES
from ..queries import NamedQuery, catalogue
from .config import ServerConfig
from .errors import BadRequestError, HttpError, NotFoundError
from .responses import rows
from .workers import Reply

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
LABEL_CACHE_ROWS = 300_000
RETRY_SECONDS = 600.0  # a failed label or statistics load is not retried on every page view
SHORT_PREFIXES = {**PREFIXES, "id": "https://w3id.org/mpsc-graph/id/"}

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


def language(request: Request) -> str:
    """``?lang=`` wins, then the first of de/en in Accept-Language, else German."""
    asked = request.query_params.get("lang")
    if asked in TEXT:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in TEXT:
            return code
    return "de"


def queries(request: Request) -> dict[str, NamedQuery]:
    """The named queries of the project (empty when the server has no queries/ directory)."""
    state = request.app.state
    if getattr(state, "catalogue", None) is None:
        folder = state.config.queries_dir
        state.catalogue = catalogue(folder) if folder and folder.is_dir() else {}
    known: dict[str, NamedQuery] = state.catalogue
    return known


def named(request: Request, name: str) -> NamedQuery:
    """The named query ``name``; 404 naming the known ones when there is none."""
    known = queries(request)
    found = known.get(name)
    if found is None:
        if known:  # a name that does not exist, most likely mistyped
            raise NotFoundError(f"there is no named query '{name}'; the named queries are: {', '.join(known)} "
                                "(see /api)")
        raise NotFoundError(f"this server has no named query '{name}': it has no queries/ directory "
                            "(start it with --root DIR)")
    return found


async def run_named(request: Request, name: str, limit: int = 10_000, **values: str | NamedNode) -> Reply:
    """Run a named query with typed parameters in a worker: its solutions."""
    query = named(request, name)
    try:
        params = query.bind(dict(values))
    except InputError as exc:
        raise BadRequestError(str(exc)) from None
    return await rows(request, query.text, params, limit)


@dataclass
class Labels:
    """Labels by IRI and language, and the classes of labelled resources (for search results)."""

    names: dict[str, dict[str, str]]
    classes: dict[str, list[NamedNode]]

    def search(self, text: str, limit: int = 100) -> list[tuple[str, str]]:
        """``(iri, label)`` of resources whose label contains ``text`` (case-insensitive), shortest first."""
        needle = text.casefold()
        hits: dict[str, str] = {}
        for iri, by_lang in self.names.items():
            for label in by_lang.values():
                if needle in label.casefold() and (iri not in hits or len(label) < len(hits[iri])):
                    hits[iri] = label
        return sorted(hits.items(), key=lambda item: (len(item[1]), item[1], item[0]))[:limit]


async def labels(request: Request) -> Labels:
    """Labels from the ``labels`` named query, loaded once (through a worker, like every query)."""
    state = request.app.state
    if getattr(state, "labels", None) is None:
        lock = state.__dict__.setdefault("_labels_lock", asyncio.Lock())
        async with lock:
            if getattr(state, "labels", None) is None:
                names: dict[str, dict[str, str]] = {}
                classes: dict[str, list[NamedNode]] = {}
                try:
                    reply = await run_named(request, "labels", LABEL_CACHE_ROWS)
                except HttpError:  # e.g. timed out on a huge store: show IRIs, retry later
                    empty = Labels({}, {})
                    state.labels = empty
                    asyncio.get_running_loop().call_later(RETRY_SECONDS, _forget_labels, state, empty)
                    return empty
                for resource, label, cls in reply.rows:
                    if isinstance(resource, NamedNode) and isinstance(label, Literal):
                        names.setdefault(resource.value, {}).setdefault(label.language or "", label.value)
                        if isinstance(cls, NamedNode) and cls not in classes.setdefault(resource.value, []):
                            classes[resource.value].append(cls)
                state.labels = Labels(names, classes)
    found: Labels = state.labels
    return found


def _forget_labels(state: Any, empty: Labels) -> None:
    if getattr(state, "labels", None) is empty:
        state.labels = None


@dataclass
class View:
    """Label and link helpers for one request (language, base IRI mapping)."""

    request: Request
    lang: str
    labels: Labels

    @property
    def config(self) -> ServerConfig:
        config: ServerConfig = self.request.app.state.config
        return config

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
        return term.value

    def href(self, iri: str) -> str:
        """Where a link to ``iri`` goes: this server for public IRIs under the base, the IRI itself otherwise."""
        base = self.config.base_iri
        if iri.startswith(base + "id/"):
            return f"/doc/{iri[len(base) + 3:]}" + ("?lang=en" if self.lang == "en" else "")
        if iri.startswith(self.config.ontology_iri):
            return "/ontology" + iri[len(self.config.ontology_iri):]
        return iri

    def switch(self, lang: str) -> str:
        """This page in ``lang``: the same path and query string (a search keeps its ``q``), ``lang`` replaced."""
        return str(self.request.url.include_query_params(lang=lang).replace(scheme="", netloc=""))

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


async def view(request: Request) -> View:
    return View(request, language(request), await labels(request))


def page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    response = templates.TemplateResponse(request, template, context, status_code=status)
    response.headers["Vary"] = "Accept, Accept-Language"
    return response
