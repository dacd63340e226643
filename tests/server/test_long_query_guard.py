"""The guard against too many long queries at once stops a query that has not answered yet (503, try
again), but never one whose answer has begun streaming: its 200 is already on the way, and stopping it
would cut the answer off (the client sees an incomplete chunked response)."""

from __future__ import annotations

import pytest

from mpsc_graph.server.workers import WorkerHandle, WorkerPool


def pool_with_one_long_query(monkeypatch: pytest.MonkeyPatch) -> tuple[WorkerPool, WorkerHandle, list[str]]:
    """A pool of two workers, one busy with a long query, and a second whose query just went slow."""
    pool = WorkerPool("unused-store", 2)
    busy, second = WorkerHandle(None, None, 0), WorkerHandle(None, None, 0)  # no process: nothing is started
    busy.long_running = True
    pool._all = {busy, second}
    stopped: list[str] = []
    monkeypatch.setattr(pool, "replace", lambda handle, reason: stopped.append(reason))
    monkeypatch.setattr(pool, "_grow", lambda up_to: None)
    return pool, second, stopped


def test_a_long_query_beyond_the_limit_that_has_not_answered_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    pool, second, stopped = pool_with_one_long_query(monkeypatch)
    pool._went_slow(second)
    assert second.refused and stopped == ["more than 1 long queries at once"]


def test_a_query_whose_answer_is_streaming_is_never_stopped_as_too_long(monkeypatch: pytest.MonkeyPatch) -> None:
    pool, second, stopped = pool_with_one_long_query(monkeypatch)
    second.streaming = True
    pool._went_slow(second)
    assert not stopped and not second.refused and second.long_running
