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


def content_type(media_type: str) -> str:
    """The Content-Type header of a media type (text types say their charset)."""
    return media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")


#: headers of a 503: the query can be sent again shortly
RETRY_AFTER = {"Retry-After": "1"}


def unavailable_text(exc: QueryTimeoutError | ServiceBusyError) -> str:
    """The SPARQL error text of a 503: the query timed out before its first result, or no worker was free."""
    if isinstance(exc, QueryTimeoutError):
        return f"Error: {exc} (the server's --timeout); nothing was returned\n"
    return f"Error: {exc}; try again later\n"


async def submit(request: Request, job: Job) -> tuple[Reply, AsyncIterator[bytes] | None] | Response:
    """Run ``job`` on a worker; an error response instead when it timed out or no worker was free."""
    pool = request.app.state.pool
    try:
        return await pool.submit(job)
    except (QueryTimeoutError, ServiceBusyError) as exc:
        return PlainTextResponse(unavailable_text(exc), 503, headers=RETRY_AFTER)


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
        return Response(reply.first, media_type=content_type(reply.media_type), headers=headers)
    return StreamingResponse(stream_with_log(reply.first, rest), media_type=content_type(reply.media_type),
                             headers=headers)


async def stream_with_log(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """A worker's streamed result as a response body; a stream cut off half-way is logged as an error."""
    yield first
    try:
        async for chunk in rest:
            yield chunk
    except StreamCutOffError as exc:
        log.error("%s", exc)
        raise


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
    return Response(b"".join(parts), media_type=content_type(media_type), headers=headers)
