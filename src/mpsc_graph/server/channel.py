"""The message channel between the server process and a query worker.

A worker talks over one end of a Unix socket pair; each message is a pickled Python value behind
an 8-byte length. The worker end blocks (it has nothing else to do); the server end is an asyncio
protocol, so a reply is read by the event loop as soon as it arrives, without a poll, a reader
registration or a blocking read per message. Profiling the read-only server showed those
per-message system calls and wake-ups, not the queries, as the cost of short queries. Reading
pauses while more than a few messages wait, so a fast worker cannot pile a large result up in
the server's memory ahead of a slow HTTP client.
"""

from __future__ import annotations

import asyncio
import collections
import pickle
import socket
import struct
import time
from typing import Any

HEADER = struct.Struct("!Q")
#: Reading pauses at this many unread messages and resumes below ``RESUME_AT``.
PAUSE_AT = 8
RESUME_AT = 2


def encode(message: Any) -> bytes:
    """One frame: the pickled message behind its length."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(payload)) + payload


def _frame_at(buffer: bytearray, start: int) -> tuple[Any, int] | None:
    """The message whose frame begins at ``start`` and where the next frame begins; None while incomplete."""
    if len(buffer) - start < HEADER.size:
        return None
    (size,) = HEADER.unpack_from(buffer, start)
    body = start + HEADER.size
    if len(buffer) - body < size:
        return None
    return pickle.loads(memoryview(buffer)[body: body + size]), body + size


class BlockingChannel:
    """The worker's end: blocking ``send`` and ``recv`` of whole messages."""

    def __init__(self, sock: socket.socket) -> None:
        sock.setblocking(True)
        self._sock = sock
        self._buffer = bytearray()

    def send(self, message: Any) -> None:
        self._sock.sendall(encode(message))

    def recv(self) -> Any:
        """The next message; EOFError when the server closed its end.

        Reads what is there (usually the whole job in one system call) and keeps the rest.
        """
        buffer = self._buffer
        while (frame := _frame_at(buffer, 0)) is None:
            data = self._sock.recv(65_536)
            if not data:
                raise EOFError("the server closed the channel")
            buffer += data
        message, end = frame
        del buffer[:end]
        return message

    def close(self) -> None:
        self._sock.close()


class WorkerChannel(asyncio.Protocol):
    """The server's end: messages are decoded as they arrive and awaited with a deadline."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._messages: collections.deque[Any] = collections.deque()
        self._waiter: asyncio.Future[None] | None = None
        self._transport: asyncio.Transport | None = None
        self._paused = False
        self._closed = False

    @classmethod
    async def attach(cls, sock: socket.socket) -> WorkerChannel:
        """Wrap the server's end of a socket pair."""
        sock.setblocking(False)
        channel = cls()
        transport, _ = await asyncio.get_running_loop().connect_accepted_socket(lambda: channel, sock=sock)
        # uvloop calls connection_made a loop turn later; hold the transport now so it is not collected
        channel._transport = transport
        return channel

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        buffer += data
        start = 0
        while (frame := _frame_at(buffer, start)) is not None:
            message, start = frame
            self._messages.append(message)
        if start:
            del buffer[:start]
        if len(self._messages) >= PAUSE_AT and not self._paused and self._transport is not None:
            self._transport.pause_reading()
            self._paused = True
        self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # the server's side
    def send(self, message: Any) -> None:
        if self._closed or self._transport is None or self._transport.is_closing():
            raise EOFError("the worker's channel is closed")
        self._transport.write(encode(message))

    @property
    def backlog(self) -> int:
        """Messages received and not yet read."""
        return len(self._messages)

    async def recv(self, deadline: float | None) -> Any:
        """The next message; TimeoutError when ``deadline`` (``time.monotonic``) passes first, EOFError
        when the worker is gone."""
        while not self._messages:
            if self._closed:
                raise EOFError("the worker closed its channel")
            loop = asyncio.get_running_loop()
            waiter = loop.create_future()
            self._waiter = waiter
            timer = None
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
                timer = loop.call_later(remaining, _expire, waiter)
            try:
                await waiter
            finally:
                self._waiter = None
                if timer is not None:
                    timer.cancel()
        message = self._messages.popleft()
        if self._paused and len(self._messages) < RESUME_AT and self._transport is not None:
            self._paused = False
            self._transport.resume_reading()
        return message

    def close(self) -> None:
        self._closed = True
        if self._transport is not None:
            self._transport.abort()
        self._wake()


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(TimeoutError())
