"""A page's query that outlasts every timeout of the worker pool becomes the 503 of a timed-out query
(an :class:`~mpsc_graph.server.errors.HttpError` the server maps), never an unhandled exception that
drops the connection."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from mpsc_graph.server.errors import QueryTimeoutError
from mpsc_graph.server.webapp import poolgraph


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """An event loop running in a thread of its own, as the server's loop runs beside a page's thread."""
    running = asyncio.new_event_loop()
    thread = threading.Thread(target=running.run_forever, daemon=True)
    thread.start()
    yield running
    running.call_soon_threadsafe(running.stop)
    thread.join(timeout=10)
    running.close()


def test_a_query_that_never_answers_is_a_query_timeout(
    loop: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    never = asyncio.Event()  # nobody sets it: the worker's answer never comes

    async def stuck(*args: Any, **kwargs: Any) -> None:
        await never.wait()

    monkeypatch.setattr(poolgraph, "run_named", stuck)
    monkeypatch.setattr(poolgraph, "WAIT_MARGIN", 0.0)
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(config=SimpleNamespace(timeout=0.05))))
    graph = poolgraph.PoolGraph(request, loop)  # type: ignore[arg-type]
    with pytest.raises(QueryTimeoutError) as raised:
        graph.query("page_adoptions")
    assert raised.value.status == 503 and "--timeout" in str(raised.value)
