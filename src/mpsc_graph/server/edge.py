"""The outermost layer of every request: CORS and security headers, structured access logs, cut-off streams.

CORS is answered for every route (``Access-Control-Allow-Origin: *``; preflights get 204), so
browser notebooks and query editors on other origins can use the endpoint and the documents.
With ``--token-for-reads`` every other request must carry the bearer token (401 otherwise), so that
nothing of a private store is read without it. Each request leaves one JSON line on the
``mpsc_graph.server.access`` logger. A response whose stream was cut off (timeout while streaming) is
logged as such and its connection is closed without the final chunk, so the client sees an incomplete
body rather than a silently short one.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .headers import SECURITY_HEADERS
from .workers import StreamCutOffError

access_log = logging.getLogger("mpsc_graph.server.access")

CORS_HEADERS = [(b"access-control-allow-origin", b"*"),
                (b"access-control-expose-headers", b"Content-Type, Vary, Link, X-Truncated")]
#: sent with every answer: CORS, then the security headers of :mod:`.headers`
EDGE_HEADERS = [*CORS_HEADERS, *((name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS)]


def host_name(host: bytes) -> str:
    """The name in a Host header, without its port: ``example.org:8000`` -> ``example.org``, ``[::1]:80`` -> ``::1``."""
    text = host.decode("latin-1").strip().lower()
    if text.startswith("["):
        return text[1:text.find("]")] if "]" in text else text
    return text.rsplit(":", 1)[0] if ":" in text else text


def _is_cut_off(exc: BaseException) -> bool:
    if isinstance(exc, StreamCutOffError):
        return True
    if isinstance(exc, BaseExceptionGroup):
        return any(_is_cut_off(inner) for inner in exc.exceptions)
    return False


@dataclass
class Exchange:
    """What the access log records of a response as it goes out."""

    status: int = 0
    bytes: int = 0
    outcome: str = "ok"


class EdgeMiddleware:
    """Pure ASGI middleware (no buffering, so streams stay streams)."""

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...] = (), read_token: str | None = None) -> None:
        self.app = app
        #: the bearer token every request must carry (``--token-for-reads``); None: reads are open
        self.read_authorization = f"Bearer {read_token}".encode() if read_token else None
        #: Host names answered (empty: any); a request naming another host gets 400, so that no page,
        #: service description or VoID built from the Host header names a host the operator did not choose
        self.allowed_hosts = frozenset(host.lower() for host in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = dict(scope.get("headers") or [])
        state = Exchange()
        host = headers.get(b"host")
        if self.allowed_hosts and host is not None and host_name(host) not in self.allowed_hosts:
            body = (f"Error: this server does not answer for the host {host.decode('latin-1')[:100]!r} "
                    "(see --allowed-host)\n").encode()
            await send({"type": "http.response.start", "status": 400, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                *EDGE_HEADERS]})
            await send({"type": "http.response.body", "body": body})
            state.status = 400
            self._log(scope, headers, state, started)
            return
        if scope["method"] == "OPTIONS" and b"access-control-request-method" in headers:
            requested = headers.get(b"access-control-request-headers", b"Content-Type, Accept, Authorization")
            await send({"type": "http.response.start", "status": 204, "headers": [
                *CORS_HEADERS, (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
                (b"access-control-allow-headers", requested), (b"access-control-max-age", b"86400")]})
            await send({"type": "http.response.body", "body": b""})
            state.status = 204
            self._log(scope, headers, state, started)
            return
        if self.read_authorization is not None and not hmac.compare_digest(
                headers.get(b"authorization", b""), self.read_authorization):
            body = b"Error: this server answers only requests with its bearer token (Authorization: Bearer ...)\n"
            await send({"type": "http.response.start", "status": 401, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                (b"www-authenticate", b'Bearer realm="mpsc-graph"'), *EDGE_HEADERS]})
            await send({"type": "http.response.body", "body": body})
            state.status = 401
            self._log(scope, headers, state, started)
            return

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                state.status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), *EDGE_HEADERS]}
            elif message["type"] == "http.response.body":
                state.bytes += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, wrapped)
        except BaseException as exc:
            if not _is_cut_off(exc):
                state.outcome = "error"
                self._log(scope, headers, state, started)
                raise
            state.outcome = "cut-off"  # connection closes without the last chunk
        self._log(scope, headers, state, started)

    @staticmethod
    def _log(scope: Scope, headers: dict[bytes, bytes], state: Exchange, started: float) -> None:
        if not access_log.isEnabledFor(logging.INFO):  # --log-level warning: not even build the record
            return
        query = scope.get("query_string", b"").decode("latin-1")
        record = {
            "method": scope["method"],
            "path": scope.get("path", ""),
            "query": query[:300] + ("…" if len(query) > 300 else ""),
            "status": state.status,
            "bytes": state.bytes,
            "ms": round((time.perf_counter() - started) * 1000, 1),
            "client": (scope.get("client") or ("", 0))[0],
            "accept": headers.get(b"accept", b"").decode("latin-1")[:100],
            "outcome": state.outcome,
        }
        access_log.info(json.dumps(record, ensure_ascii=False))
