"""The ASGI application: routes, middleware, and the worker pool's life cycle."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .config import ServerConfig
from .edge import EdgeMiddleware
from .endpoint import GZIP_LEVEL, GZIP_MINIMUM, SparqlEndpoint
from .workers import WorkerPool

log = logging.getLogger("mpsc_graph.server")
HERE = Path(__file__).parent


def create_app(config: ServerConfig) -> Starlette:
    """The server for ``config``; worker processes start with the application's lifespan."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool = WorkerPool(str(config.store_dir), config.workers, writable=config.allow_update,
                          allow_service=config.allow_service, timeout=config.query_timeout)
        await pool.start()
        app.state.pool = pool
        log.info("query workers ready: %s", pool.pids())
        try:
            yield
        finally:
            await pool.close()

    from . import api, linked_data, pages

    routes = [
        Route("/", pages.landing, name="landing"),
        Route("/query", pages.query_page, name="query_page"),
        Route("/search", pages.search, name="search"),
        Route("/id/{path:path}", linked_data.thing, name="thing"),
        Route("/doc/{path:path}", linked_data.document, name="document"),
        Route("/ontology", linked_data.ontology, name="ontology"),
        Route("/ontology{suffix:path}", linked_data.ontology),
        Route("/.well-known/void", linked_data.void, name="void"),
        Route("/api/openapi.json", api.openapi, name="openapi"),
        Route("/api/{name}", api.named_query, name="api"),
        Route("/api", api.index, name="api_index"),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    # /sparql is answered by SparqlEndpoint before the routes (it gzips its own answers; see endpoint.py).
    # gzip only when asked, at level 1 like nginx: half the CPU of level 4 for 17 % more bytes (140 kB Turtle)
    middleware = [Middleware(EdgeMiddleware), Middleware(SparqlEndpoint),
                  Middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM, compresslevel=GZIP_LEVEL)]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.config = config
    return app
