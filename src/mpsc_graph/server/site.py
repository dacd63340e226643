"""What the human-facing routes share: the query catalogue, label cache, link mapping, templates.

Pages show labels instead of IRIs. Labels come from the ``labels`` named query, run once (through
a worker, like every query) and kept in memory; a store with more labels than the cache holds
simply shows the remaining IRIs in short form. Public IRIs under ``--base-iri`` are linked to this
server's ``/doc/`` and ``/ontology`` routes, so a person can click through a local copy.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from pyoxigraph import NamedNode
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from ..errors import InputError
from ..queries import NamedQuery, catalogue
from .config import config_of
from .entity_page import TEXT, Labels, PageView
from .errors import BadRequestError, HttpError, NotFoundError
from .responses import rows
from .workers import Reply

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
LABEL_CACHE_ROWS = 300_000
RETRY_SECONDS = 600.0  # a failed label or statistics load is not retried on every page view

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


async def labels(request: Request) -> Labels:
    """Labels from the ``labels`` named query, loaded once (through a worker, like every query)."""
    state = request.app.state
    if getattr(state, "labels", None) is None:
        lock = state.__dict__.setdefault("_labels_lock", asyncio.Lock())
        async with lock:
            if getattr(state, "labels", None) is None:
                try:
                    reply = await run_named(request, "labels", LABEL_CACHE_ROWS)
                except HttpError:  # e.g. timed out on a huge store: show IRIs, retry later
                    empty = Labels({}, {})
                    state.labels = empty
                    asyncio.get_running_loop().call_later(RETRY_SECONDS, _forget_labels, state, empty)
                    return empty
                state.labels = Labels.of_rows(reply.rows)
    found: Labels = state.labels
    return found


def _forget_labels(state: Any, empty: Labels) -> None:
    if getattr(state, "labels", None) is empty:
        state.labels = None


class View(PageView):
    """The helpers of a page the server renders for ``request`` (its language switch keeps the query string)."""

    def __init__(self, request: Request, lang: str, labels: Labels) -> None:
        config = config_of(request)
        super().__init__(lang, labels, config.id_base, config.ontology_iri, live=True,
                         feed_root="/feeds/" if config.releases_dir else None)
        self.request = request
        self.config = config

    def switch(self, lang: str) -> str:
        """This page in ``lang``: the same path and query string (a search keeps its ``q``), ``lang`` replaced."""
        return str(self.request.url.include_query_params(lang=lang).replace(scheme="", netloc=""))


async def view(request: Request) -> View:
    return View(request, language(request), await labels(request))


def page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    response = templates.TemplateResponse(request, template, context, status_code=status)
    response.headers["Vary"] = "Accept, Accept-Language"
    return response
