"""The ASGI application: routes, middleware, error answers, and the worker pool's life cycle.

Every route, ``/sparql`` included, is a Starlette route; every answer passes the same middleware
(CORS and access log outermost, then gzip). Handlers raise :mod:`.errors` types for what they
cannot answer, and one exception handler turns them into plain-text answers with their status.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route, request_response
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from ..releases import serving as release_feeds
from .config import ServerConfig
from .edge import EdgeMiddleware
from .errors import HttpError
from .workers import WorkerPool

log = logging.getLogger("mpsc_graph.server")
HERE = Path(__file__).parent
#: answers smaller than this are sent as they are: compressing a packet's worth saves nothing
GZIP_MINIMUM = 1400
#: level 1, as nginx's default: half the CPU of level 4 for 17 % more bytes (measured on a 140 kB Turtle answer)
GZIP_LEVEL = 1


async def error_answer(request: Request, exc: Exception) -> Response:
    """The plain-text answer to an :class:`.errors.HttpError`: ``Error: <message>`` with its status and headers."""
    if isinstance(exc, ClientDisconnect):  # nobody is left to read an answer
        return Response(status_code=400)
    assert isinstance(exc, HttpError)
    return PlainTextResponse(f"Error: {exc}\n", exc.status, headers=dict(exc.headers))


class EveryMethod:
    """A request handler as an ASGI app: its route then takes every method, and the handler answers
    those it refuses (``/sparql``: 405 from the protocol's parser, with its ``Allow`` header)."""

    def __init__(self, handler: Callable[[Request], Awaitable[Response]]) -> None:
        self.app = request_response(handler)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def create_app(config: ServerConfig) -> Starlette:
    """The server for ``config``; worker processes start with the application's lifespan."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        writer = None
        if config.allow_update:  # updates only, one at a time; started first, as it holds the store writable
            writer = WorkerPool(str(config.store_dir), 1, writable=True, allow_service=config.allow_service,
                                timeout=None, max_memory=config.max_memory)
            await writer.start()
        pool = WorkerPool(str(config.store_dir), config.workers, allow_service=config.allow_service,
                          timeout=config.timeout, max_memory=config.max_memory)
        await pool.start()
        pool.on_new_store = lambda: forget_store_facts(app)
        app.state.pool = pool
        app.state.writer = writer
        log.info("query workers ready: %s%s", pool.pids(), f"; writer: {writer.pids()}" if writer else "")
        try:
            yield
        finally:
            await pool.close()
            if writer is not None:
                await writer.close()

    from . import api, decide_api, linked_data, pages, protocol
    from .webapp import routes as webapp_routes

    routes = [
        Route("/sparql", EveryMethod(protocol.sparql), name="sparql"),
        Route("/sparql/", EveryMethod(protocol.sparql)),
        *webapp_routes.ROUTES,  # before /api/{name}: the API documentation page is /api/docs
        Route("/query", pages.query_page, name="query_page"),
        Route("/search", pages.search, name="search"),
        Route("/id/{path:path}", linked_data.thing, name="thing"),
        Route("/doc/{path:path}", linked_data.document, name="document"),
        Route("/ontology", linked_data.ontology, name="ontology"),
        Route("/ontology{suffix:path}", linked_data.ontology),
        Route("/.well-known/void", linked_data.void, name="void"),
        Route("/.well-known/void{suffix:path}", linked_data.void),
        Route("/feeds/{path:path}", release_feeds.feed, name="feeds"),
        Route("/api/openapi.json", api.openapi, name="openapi"),
        Route("/api/readiness", decide_api.readiness, name="api_readiness"),
        Route("/api/readiness/{criterion}", decide_api.readiness_criterion, name="api_readiness_criterion"),
        Route("/api/recommend/{ags}", decide_api.recommend, name="api_recommend"),
        Route("/api/{name}", api.named_query, name="api"),
        Route("/api", api.index, name="api_index"),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [Middleware(EdgeMiddleware, allowed_hosts=config.allowed_hosts,
                             read_token=config.token if config.token_for_reads else None),
                  Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM, compresslevel=GZIP_LEVEL)]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware,
                    exception_handlers={HttpError: error_answer, ClientDisconnect: error_answer})
    app.state.config = config
    return app


def forget_store_facts(app: Starlette) -> None:
    """Drop what the server computed from the store it served before (labels, statistics, ontology page,
    recommenders, the map's flows and area points)."""
    for name in ("labels", "void", "void_failed", "ontology_html", "recommender", "recommenders", "map_flows",
                 "map_areas"):
        setattr(app.state, name, None)
    log.info("cached labels and statistics dropped: they are computed again from the new store")
