"""The worker pool: one worker per CPU for short queries, a stand-in while a query runs long."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import uvloop

from mpsc_graph.server.workers import SLOW_AFTER, Job, QueryTimeoutError, WorkerPool

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SHORT = Job("sparql", "ASK { ?s a ?type }", accept="application/sparql-results+json")


async def _until(condition: Callable[[], bool], seconds: float) -> None:
    """Wait until ``condition`` holds, at most ``seconds`` (the assertion after it says what was expected)."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


def run(coroutine) -> None:
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:  # the server's loop
        runner.run(coroutine)


def test_a_long_query_gets_a_stand_in_worker_and_short_queries_keep_being_answered(store_dir: Path) -> None:
    async def scenario() -> None:
        pool = WorkerPool(str(store_dir), size=2, steady=1, timeout=3.0)
        await pool.start()
        try:
            assert len(pool.pids()) == 1
            runaway = asyncio.create_task(pool.submit(Job("sparql", RUNAWAY, accept="text/csv")))
            await _until(lambda: len(pool.pids()) == 2, SLOW_AFTER + 2.0)
            assert len(pool.pids()) == 2, "no worker was added while the only one ran a long query"
            reply, rest = await pool.submit(SHORT)
            assert (reply.status, reply.first, rest) == (200, b'{"head":{},"boolean":true}', None)
            assert not runaway.done()  # answered by the stand-in while the runaway still runs
            with pytest.raises(QueryTimeoutError):
                await runaway
            assert len(pool.pids()) == 1, "the killed worker was replaced although its stand-in is there"
            reply, _ = await pool.submit(SHORT)
            assert reply.status == 200
        finally:
            await pool.close()

    run(scenario())


def test_one_worker_stays_for_short_queries_however_many_runaways_come(store_dir: Path) -> None:
    """At most size - 1 long queries at once: a further one is stopped with 503, and the pool never
    grows beyond its size."""
    async def scenario() -> None:
        pool = WorkerPool(str(store_dir), size=2, steady=1, timeout=3.0)
        await pool.start()
        try:
            runaways = [asyncio.create_task(pool.submit(Job("sparql", RUNAWAY, accept="text/csv"))) for _ in range(3)]
            await _until(lambda: sum(r.done() for r in runaways) == 2, SLOW_AFTER * 3 + 2.0)
            assert len(pool.pids()) <= 2
            reply, _ = await pool.submit(SHORT)  # a worker is free for it while a runaway still runs
            assert reply.status == 200 and not all(r.done() for r in runaways)
            outcomes = await asyncio.gather(*runaways, return_exceptions=True)
            refused = [o for o in outcomes if not isinstance(o, Exception) and o[0].status == 503]
            timed_out = [o for o in outcomes if isinstance(o, QueryTimeoutError)]
            assert len(timed_out) == 1 and len(refused) == 2, outcomes  # one long query ran to its timeout
            assert "long queries are running already" in refused[0][0].message
            await asyncio.sleep(0.5)
            assert 1 <= len(pool.pids()) <= 2
        finally:
            await pool.close()

    run(scenario())


def test_update_mode_runs_a_single_writer_whatever_the_size(store_dir: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(store_dir, copy)  # the writer opens its store writable

    async def scenario() -> None:
        pool = WorkerPool(str(copy), size=4, writable=True, timeout=None)
        await pool.start()
        try:
            assert (pool.size, len(pool.pids())) == (1, 1)
            reply, _ = await pool.submit(Job("update", "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"))
            assert reply.status == 204
            reply, _ = await pool.submit(SHORT)
            assert reply.status == 200 and len(pool.pids()) == 1
        finally:
            await pool.close()

    run(scenario())


def test_a_worker_killed_by_a_signal_is_reported_by_that_signal(store_dir: Path) -> None:
    """A crash is named as what it is (the signal), not guessed at."""
    import os
    import signal

    async def scenario() -> None:
        pool = WorkerPool(str(store_dir), size=2, steady=1, timeout=10.0)
        await pool.start()
        try:
            (victim,) = pool.pids()
            runaway = asyncio.create_task(pool.submit(Job("sparql", RUNAWAY, accept="text/csv")))
            await asyncio.sleep(SLOW_AFTER)  # the query is running in the only worker
            os.kill(victim, signal.SIGSEGV)
            reply, rest = await runaway
            assert (reply.status, rest) == (500, None)
            assert reply.message == "the query worker died by signal 11 (SIGSEGV)"
            reply, _ = await pool.submit(SHORT)  # a new worker answers
            assert reply.status == 200 and victim not in pool.pids()
        finally:
            await pool.close()

    run(scenario())
