"""The library's query interface on top of the server's worker pool.

:func:`mpsc_graph.reuse.build_brief` answers the reuse questions with synchronous calls
``graph.query(name, **params)``. The server must not open the store itself (every query runs in a
worker under its timeout and memory bound), so a page builds the brief in a thread with this adapter,
whose calls hand each named query to the pool on the event loop and wait for its rows. The page and
the ``reuse`` command thus give one answer to each question.
"""

from __future__ import annotations

import asyncio

from pyoxigraph import NamedNode
from starlette.requests import Request

from ...project import Project
from ...resolve import Entity
from ...results import Table
from ...sparql import Term
from ..responses import rows
from ..site import run_named

#: the most rows a profile asks of one named query; more would not fit on a page anyway
PAGE_ROWS = 2_000
#: seconds a thread waits for one query's rows (the worker's own timeout ends it first)
WAIT_SECONDS = 120.0


class PoolGraph:
    """Synchronous ``query`` and ``resolve`` as :class:`mpsc_graph.api.Graph` has them, for one request."""

    def __init__(self, request: Request, loop: asyncio.AbstractEventLoop, entity: Entity | None = None,
                 limit: int = PAGE_ROWS) -> None:
        self.request = request
        self.loop = loop
        self.entity = entity
        self.limit = limit

    @property
    def project(self) -> Project | None:
        """The project whose queries the server serves (its inputs date the readiness answers), if any."""
        queries_dir = self.request.app.state.config.queries_dir
        return Project.at(queries_dir.parent) if queries_dir is not None else None

    def query(self, name: str, **params: str | NamedNode) -> Table:
        """The rows of the named query ``name``, run by a worker (call from a thread, not the loop)."""
        future = asyncio.run_coroutine_threadsafe(run_named(self.request, name, self.limit, **params), self.loop)
        reply = future.result(WAIT_SECONDS)
        return Table(tuple(reply.variables), tuple(tuple(row) for row in reply.rows))

    def select(self, text: str, params: dict[str, Term] | None = None) -> Table:
        """The rows of a query text (a readiness criterion's file), run by a worker (call from a thread)."""
        future = asyncio.run_coroutine_threadsafe(rows(self.request, text, params, self.limit), self.loop)
        reply = future.result(WAIT_SECONDS)
        return Table(tuple(reply.variables), tuple(tuple(row) for row in reply.rows))

    def resolve(self, name: str, kinds: tuple[str, ...] = ()) -> Entity:
        """The page's entity: the route has already named it by its IRI."""
        if self.entity is None:
            raise LookupError("this page's graph resolves no names: its route names the entity by its IRI")
        return self.entity

    def label(self, iri: str) -> str:
        """The German label of ``iri`` from the server's label cache (empty when it has none)."""
        labels = getattr(self.request.app.state, "labels", None)
        found: dict[str, str] = labels.names.get(iri, {}) if labels is not None else {}
        return found.get("de") or found.get("") or next(iter(found.values()), "")
