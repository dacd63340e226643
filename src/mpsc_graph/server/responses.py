"""From a worker's reply to an HTTP response: the one way every route answers with a result.

:func:`run` hands a job to the worker pool and raises the :mod:`.errors` type of a failed reply;
:func:`respond` turns a result into a response, whole or streamed, through :func:`result_response`,
the one response builder. A stream is passed on chunk by chunk and cut off (and logged) if the
deadline passes or the worker fails half-way. Compression is the application's gzip middleware's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Iterable
from typing import TypeVar

from pyoxigraph import Triple
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive

from ..sparql import Term
from .conneg import RDF_FORMATS
from .errors import error_for
from .messages import Job
from .streaming import ChunkSink, write_triples
from .workers import Reply, StreamCutOffError, WorkerPool

log = logging.getLogger("mpsc_graph.server")
T = TypeVar("T")


def content_type(media_type: str) -> str:
    """The Content-Type header of a media type (text types say their charset)."""
    return media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")


def pool(request: Request) -> WorkerPool:
    found: WorkerPool = request.app.state.pool
    return found


async def run(request: Request, job: Job) -> tuple[Reply, AsyncIterator[bytes] | None]:
    """Run ``job`` on a worker: its reply, and for a stream the remaining chunks.

    An update goes to the writer of update mode, and the read-only workers are renewed once it is
    committed, so the next read sees it. A client that disconnects before the reply cancels the job
    (its worker is killed: a runaway query does not outlive its asker). Raises the :mod:`.errors`
    type of the reply's status when the job failed, and :class:`.errors.UnavailableError` when it
    timed out or no worker was free.
    """
    readers = pool(request)
    if job.kind == "update":
        writer: WorkerPool = request.app.state.writer
        try:
            reply, rest = await until_disconnect(request, writer.submit(job))
        finally:
            await readers.renew()  # also after a failure: the writer may have committed before it died
    else:
        reply, rest = await until_disconnect(request, readers.submit(job))
    if reply.status >= 400:
        raise error_for(reply.status, reply.message)
    return reply, rest


async def until_disconnect(request: Request, work: Awaitable[T]) -> T:
    """The result of ``work``, which is cancelled if the client disconnects first (ClientDisconnect)."""
    task = asyncio.ensure_future(work)
    watcher = asyncio.ensure_future(_disconnected(request.receive))
    try:
        await asyncio.wait((task, watcher), return_when=asyncio.FIRST_COMPLETED)
    except BaseException:  # the request itself was cancelled (shutdown): so is its job
        task.cancel()
        raise
    finally:
        watcher.cancel()
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    raise ClientDisconnect()


async def _disconnected(receive: Receive) -> None:
    """Return when the client has gone (the request's body is read before a job is made)."""
    while (await receive())["type"] != "http.disconnect":
        pass


async def respond(request: Request, job: Job, headers: dict[str, str] | None = None,
                  truncated: dict[str, str] | None = None) -> Response:
    """Run ``job`` and answer with its result (204 for an update).

    ``truncated``: further headers for a result cut off at its limit, when that is known before the
    headers go out (a complete result, or an API page); a long SPARQL stream learns it too late.
    """
    reply, rest = await run(request, job)
    if reply.status == 204:
        return Response(status_code=204)
    if reply.truncated and truncated:
        headers = {**(headers or {}), **truncated}
    assert reply.media_type is not None
    return result_response(reply.first, rest, reply.media_type, headers)


def result_response(first: bytes, rest: AsyncIterator[bytes] | None, media_type: str,
                    headers: dict[str, str] | None = None) -> Response:
    """A result as a response: whole when ``rest`` is None, else streamed (``first``, then ``rest``)."""
    if rest is None:
        return Response(first, media_type=content_type(media_type), headers=headers)
    return StreamingResponse(_stream_with_log(first, rest), media_type=content_type(media_type), headers=headers)


async def _stream_with_log(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """A worker's streamed result as a response body; a stream cut off half-way is logged as an error."""
    yield first
    try:
        async for chunk in rest:
            yield chunk
    except StreamCutOffError as exc:
        log.error("%s", exc)
        raise


async def rows(request: Request, text: str, params: dict[str, Term] | None = None, limit: int = 10_000) -> Reply:
    """The solutions of a SELECT, for pages and documents the server renders itself."""
    reply, _ = await run(request, Job("rows", text, params=params, limit=limit))
    return reply


def rdf_bytes(triples: Iterable[Triple], media_type: str) -> bytes:
    """Triples the server has in hand (service description, VoID, a document) in an RDF syntax."""
    assert media_type in RDF_FORMATS
    parts: list[bytes] = []
    sink = ChunkSink(parts.append)
    write_triples(sink, list(triples), media_type)
    sink.drain()
    return b"".join(parts)


def rdf_response(triples: Iterable[Triple], media_type: str, headers: dict[str, str] | None = None) -> Response:
    """A small RDF document built by the server itself."""
    return result_response(rdf_bytes(triples, media_type), None, media_type, headers)
