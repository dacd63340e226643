"""``/sparql`` answered on the ASGI messages themselves, without the framework's layers.

Why: nearly every request the server gets is a query here, and most answers are small. Measured
on the 2-core machine with the worker pool stubbed out, Starlette's routing, request and response
objects and its gzip middleware cost about 140 µs of Python per query; bare uvicorn answers a
request in about 150 µs in all. This layer does the same work directly: it parses the request by
the protocol's rules (:mod:`.protocol`), hands the query to a worker and sends the reply, gzipped
when asked as :class:`starlette.middleware.gzip.GZipMiddleware` would. Streams (large results)
and the rare operations (service description, update) still use Starlette's responses, which
also notice a client that goes away mid-stream.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from .protocol import (
    ALLOW,
    TRUNCATED,
    BadRequestError,
    ClientGoneError,
    endpoint_url,
    parse_operation,
    read_body,
    service_description,
    update,
)
from .runner import RETRY_AFTER, content_type, stream_with_log, unavailable_text
from .workers import Job, QueryTimeoutError, ServiceBusyError

PATHS = frozenset({"/sparql", "/sparql/"})
#: smaller answers are sent as they are (as the site's gzip middleware does: ``minimum_size``)
GZIP_MINIMUM = 1400
GZIP_LEVEL = 1


class SparqlEndpoint:
    """Pure ASGI middleware: requests to ``/sparql`` are answered here, all others pass on to ``app``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in PATHS:
            await self.app(scope, receive, send)
            return
        headers: dict[bytes, bytes] = {}
        for key, value in reversed(scope["headers"]):  # the first of repeated headers wins, as in Starlette
            headers[key] = value
        method = scope["method"]
        config = scope["app"].state.config
        gzip = b"gzip" in headers.get(b"accept-encoding", b"")
        try:
            declared = headers.get(b"content-length", b"").decode("latin-1")
            body = await read_body(receive, declared, config.max_body) if method == "POST" else b""
            operation, text, graphs, named = parse_operation(
                method, scope.get("query_string", b""), headers.get(b"content-type", b"").decode("latin-1"), body,
                config.allow_update)
        except ClientGoneError:
            return
        except BadRequestError as exc:
            extra = [(b"allow", ALLOW.encode())] if exc.status == 405 else []
            await send_whole(send, exc.status, _text_headers(extra), f"Error: {exc}\n".encode(), gzip)
            return
        if operation != "query":
            await self._other(scope, body, operation, text, graphs, named, gzip, send)
            return
        job = Job("sparql", text, default_graph=tuple(graphs) or None, named_graphs=tuple(named) or None,
                  accept=headers[b"accept"].decode("latin-1") if b"accept" in headers else None,
                  limit=config.max_rows,
                  base_iri=endpoint_url(scope))
        try:
            reply, rest = await scope["app"].state.pool.submit(job)
        except (QueryTimeoutError, ServiceBusyError) as exc:
            retry = [(key.lower().encode(), value.encode()) for key, value in RETRY_AFTER.items()]
            await send_whole(send, 503, _text_headers(retry), unavailable_text(exc).encode(), gzip)
            return
        if reply.status >= 400:
            await send_whole(send, reply.status, _text_headers([]), f"Error: {reply.message}\n".encode(), gzip)
            return
        assert reply.media_type is not None
        media = content_type(reply.media_type)
        truncated = {TRUNCATED: f"max-rows={config.max_rows}"} if reply.truncated else {}
        if rest is None:
            answer = [(b"content-type", media.encode()), (b"vary", b"Accept"),
                      *((key.lower().encode(), value.encode()) for key, value in truncated.items())]
            await send_whole(send, 200, answer, reply.first, gzip)
            return
        chunks = stream_with_log(reply.first, rest)
        stream_headers = {"Vary": "Accept, Accept-Encoding", **truncated}
        if gzip:
            chunks = _gzipped(chunks)
            stream_headers["Content-Encoding"] = "gzip"
        await StreamingResponse(chunks, media_type=media, headers=stream_headers)(scope, receive, send)

    @staticmethod
    async def _other(scope: Scope, body: bytes, operation: str, text: str, graphs: list[str], named: list[str],
                     gzip: bool, send: Send) -> None:
        """The service description (a bare GET) and updates: rare, so built with Starlette's objects."""
        sent = False

        async def replay() -> dict[str, Any]:  # the body was read already; hand it over once more
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        request = Request(scope, replay)
        response: Response = (service_description(request) if operation == "describe"
                              else await update(request, text, graphs, named))
        await send_whole(send, response.status_code, response.raw_headers, response.body, gzip)


def _text_headers(extra: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return [(b"content-type", b"text/plain; charset=utf-8"), *extra]


async def send_whole(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, gzip: bool) -> None:
    """Send a complete answer; gzipped when the client accepts it and it is large enough to be worth it."""
    headers = [(key, value) for key, value in headers if key != b"content-length"]
    if len(body) >= GZIP_MINIMUM:
        headers = _add_vary(headers, b"Accept-Encoding")
        if gzip:
            body = gzip_whole(body)
            headers.append((b"content-encoding", b"gzip"))
    if status >= 200 and status not in (204, 304):  # those carry no body, and say no length (RFC 9110)
        headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def gzip_whole(body: bytes) -> bytes:
    """``body`` as one gzip member, by a compressor whose window and hash table fit its size.

    Why: zlib's defaults (a 32 KiB window, a 64 KiB hash table) are made for streams. For a
    1.5 KB answer most of the time goes into setting them up: 27-33 µs at the defaults against
    7-10 µs sized to the answer, with the same bytes out (5.6 KB: 39-47 against 23-25 µs, 1 byte
    longer; above 16 KiB both are the defaults). A window at least as long as the answer loses
    no match, and a hash table of about that many entries is what level 1 needs.
    """
    window_bits = max(9, min(15, (len(body) - 1).bit_length()))  # zlib's range: 512 B to 32 KiB
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + window_bits,  # 16+: a gzip member
                                  max(1, min(8, window_bits - 7)))
    return compressor.compress(body) + compressor.flush()


def _add_vary(headers: list[tuple[bytes, bytes]], value: bytes) -> list[tuple[bytes, bytes]]:
    for index, (key, existing) in enumerate(headers):
        if key == b"vary":
            headers[index] = (key, existing + b", " + value)
            return headers
    return [*headers, (b"vary", value)]


async def _gzipped(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """A stream gzipped chunk by chunk; each chunk is flushed, so the client can decode it as it arrives."""
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)
    async for chunk in chunks:
        yield compressor.compress(chunk) + compressor.flush(zlib.Z_SYNC_FLUSH)
    yield compressor.flush()
