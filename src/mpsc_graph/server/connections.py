"""Deadlines and a size limit for what a client sends before its request reaches the application.

uvicorn with httptools has no deadline for a connection that sends nothing, for reading headers or
for reading a body, and no limit on header size: one client could hold connections (and
descriptors) forever, or make the event loop parse a 100 MB header. :class:`GuardedProtocol` adds
them to uvicorn's httptools protocol, once for every connection: the header deadline is armed when
the connection opens and again when a further request on it begins (between requests uvicorn's
keep-alive timeout applies), the body deadline when the headers are complete; headers beyond
``max_header_bytes`` are refused with 431 and the connection closed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

#: seconds from connecting (or from the first byte of a further request) to the end of its headers
HEADER_TIMEOUT = 10.0
#: seconds from the end of the headers to the end of the body
BODY_TIMEOUT = 30.0
#: bytes of request line and headers (nginx's default large_client_header_buffers allow 4 x 8 KiB)
MAX_HEADER_BYTES = 32 * 1024

REFUSED_431 = (b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; charset=utf-8\r\n"
               b"content-length: 44\r\nconnection: close\r\n\r\nError: the request's headers are too large.\n")


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header deadline, a body deadline and a header-size limit."""

    header_timeout: float = HEADER_TIMEOUT
    body_timeout: float = BODY_TIMEOUT
    max_header_bytes: int = MAX_HEADER_BYTES

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_bytes = 0
        self._reading_headers = True
        self._deadline: asyncio.TimerHandle | None = None
        self._arm(self.header_timeout)

    def _arm(self, seconds: float) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        """Too slow: close without an answer (whatever arrived is not a request the server can answer)."""
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self.transport.is_closing():
            return
        if self._reading_headers:
            # count the header bytes only: the chunk that ends the headers may carry the start of a body
            end = data.find(b"\r\n\r\n")
            self._header_bytes += len(data) if end < 0 else end + 4
            if self._header_bytes > self.max_header_bytes:
                self._disarm()
                self.transport.write(REFUSED_431)
                self.transport.close()
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if not self._reading_headers:  # a further request on a kept-alive connection
            self._reading_headers = True
            self._header_bytes = 0
            self._arm(self.header_timeout)

    def on_headers_complete(self) -> None:
        self._reading_headers = False
        self._arm(self.body_timeout)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def guarded_protocol(header_timeout: float = HEADER_TIMEOUT, body_timeout: float = BODY_TIMEOUT,
                     max_header_bytes: int = MAX_HEADER_BYTES) -> type[GuardedProtocol]:
    """The protocol class with these limits, for ``uvicorn.Config(http=...)``."""
    limits: dict[str, Any] = {"header_timeout": header_timeout, "body_timeout": body_timeout,
                              "max_header_bytes": max_header_bytes}
    return type("GuardedProtocol", (GuardedProtocol,), limits)
