"""Where a page's rows come from, and how it becomes HTML: one page function for the server and the static site.

Each page of the web application is a function of a :class:`PageData` (the rows of named queries),
a :class:`~mpsc_graph.server.entity_page.PageView` (language, labels, where links go) and its
parameters, returning HTML. The server's route calls it with :class:`RequestData`, whose queries run in
the worker pool under the request's limits, and wraps the HTML in a response; ``export --site`` calls
the same function with the exported store's rows and writes the HTML to a file. So both show the same
facts in the same markup, and a page type cannot exist in one and be missing from the other unnoticed.
"""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from pyoxigraph import NamedNode
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ... import reuse
from ...resolve import Entity
from ...results import Table
from ..site import run_named, templates
from .poolgraph import PoolGraph


class PageData(Protocol):
    """The rows a page reads."""

    async def rows(self, name: str, limit: int, **params: str | NamedNode) -> Table:
        """The first ``limit`` rows of the named query ``name`` with its parameters bound."""
        ...

    async def brief(self, entity: Entity, lang: str) -> reuse.Brief:
        """The reuse brief of a solution or module (:func:`mpsc_graph.reuse.build_brief`)."""
        ...


class RequestData:
    """A page's rows for one request of the server: each named query runs in a worker."""

    def __init__(self, request: Request) -> None:
        self.request = request

    async def rows(self, name: str, limit: int, **params: str | NamedNode) -> Table:
        reply = await run_named(self.request, name, limit, **params)
        return Table(tuple(reply.variables), tuple(tuple(row) for row in reply.rows))

    async def brief(self, entity: Entity, lang: str) -> reuse.Brief:
        graph = PoolGraph(self.request, asyncio.get_running_loop(), entity)
        return await asyncio.to_thread(reuse.build_brief, graph, entity.iri, lang=lang)  # type: ignore[arg-type]


def render(template: str, **context: Any) -> str:
    """The HTML of ``template`` (under the server's ``templates/``) with ``context``."""
    return templates.get_template(template).render(**context)


def html_response(html: str) -> Response:
    """A page as the server sends it: it varies with the language asked for (and the format, for conneg)."""
    return HTMLResponse(html, headers={"Vary": "Accept, Accept-Language"})
