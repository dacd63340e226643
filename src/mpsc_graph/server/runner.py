"""Turning a worker's reply into an HTTP response, the same way for every route.

Errors before the first byte get their status and a plain-text SPARQL error message (503 for a
timeout); a started stream is passed on chunk by chunk, and cut off (and logged) if the deadline
passes or the worker fails half-way.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable

from pyoxigraph import Triple
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse

from .conneg import RDF_FORMATS
from .streaming import ChunkSink, write_triples
from .workers import Job, QueryTimeoutError, Reply, ServiceBusyError, StreamCutOffError

log = logging.getLogger("mpsc_graph.server")


def _content_type(media_type: str) -> str:
    return media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")


async def submit(request: Request, job: Job) -> tuple[Reply, AsyncIterator[bytes] | None] | Response:
    """Run ``job`` on a worker; an error response instead when it timed out or no worker was free."""
    pool = request.app.state.pool
    try:
        return await pool.submit(job)
    except QueryTimeoutError as exc:
        return PlainTextResponse(f"Error: {exc} (the server's --timeout); nothing was returned\n", 503,
                                 headers={"Retry-After": "1"})
    except ServiceBusyError as exc:
        return PlainTextResponse(f"Error: {exc}; try again later\n", 503, headers={"Retry-After": "1"})


async def respond_with_job(request: Request, job: Job, headers: dict[str, str] | None = None,
                           truncated: dict[str, str] | None = None) -> Response:
    """Run ``job`` and answer with its (streamed) result or its error.

    ``truncated``: further headers for a result cut off at its limit, when that is known before the
    headers go out (a complete result, or an API page); a long SPARQL stream learns it too late.
    """
    outcome = await submit(request, job)
    if isinstance(outcome, Response):
        return outcome
    reply, rest = outcome
    if reply.truncated and truncated:
        headers = {**(headers or {}), **truncated}
    if reply.status >= 400:
        return PlainTextResponse(f"Error: {reply.message}\n", reply.status)
    if reply.status == 204:
        return Response(status_code=204)
    assert reply.media_type is not None
    if rest is None:
        return Response(reply.first, media_type=_content_type(reply.media_type), headers=headers)

    async def body() -> AsyncIterator[bytes]:
        yield reply.first
        try:
            async for chunk in rest:
                yield chunk
        except StreamCutOffError as exc:
            log.error("%s", exc)
            raise

    return StreamingResponse(body(), media_type=_content_type(reply.media_type), headers=headers)


async def rows(request: Request, text: str, params: dict | None = None, limit: int = 10_000) -> Reply | Response:
    """The solutions of a SELECT (for pages the server renders itself), or an error response."""
    outcome = await submit(request, Job("rows", text, params=params, limit=limit))
    if isinstance(outcome, Response):
        return outcome
    reply, _ = outcome
    if reply.status >= 400:
        return PlainTextResponse(f"Error: {reply.message}\n", reply.status)
    return reply


def run_rdf(triples: Iterable[Triple], media_type: str, headers: dict[str, str] | None = None) -> Response:
    """A small RDF document built by the server itself (service description, VoID)."""
    assert media_type in RDF_FORMATS
    parts: list[bytes] = []
    sink = ChunkSink(parts.append)
    write_triples(sink, list(triples), media_type)
    sink.drain()
    return Response(b"".join(parts), media_type=_content_type(media_type), headers=headers)
