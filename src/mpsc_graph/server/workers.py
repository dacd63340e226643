"""Worker processes that run queries, so that a query can be stopped by force.

pyoxigraph has no query timeout or cancel (DESIGN §2). Every query of the read-only server
therefore runs in a worker process that holds its own ``Store.read_only`` handle; the server
process only speaks HTTP. A query that outlives the deadline is stopped by killing its worker
(replaced when fewer than the steady number remain beside the long-running ones), so other
requests keep being answered. Results stream back as serialized chunks over a socket pair
(:mod:`.channel`); a small SELECT result goes in one message, written by pyoxigraph itself
(:func:`.streaming.serialize_small`). In update mode a single worker opens the store writable
and runs queries and updates one at a time with no hard timeout (killing a writer
mid-transaction is not safe).

Every query goes through :func:`mpsc_graph.sparql.run_query` (updates through ``run_update``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import QueryBoolean, QuerySolutions, QueryTriples, Store

from ..errors import MpscError, QueryFailed, QueryRefused
from ..sparql import Term, inspect_query, run_query, run_update
from .channel import BlockingChannel, WorkerChannel
from .conneg import CSV, JSON, RESULT_TYPES, SPARQL_JSON, SPARQL_XML, TSV, negotiate, negotiate_rdf, negotiate_results
from .sandbox import deny_network
from .streaming import (
    MIN_SOLUTION_BYTES,
    ChunkSink,
    Limited,
    serialize_small,
    write_boolean,
    write_solutions,
    write_triples,
)

log = logging.getLogger("mpsc_graph.server")

API_TYPES = (JSON, CSV, SPARQL_JSON, SPARQL_XML, TSV)
#: A query still running after this many seconds continues at a lower CPU priority (nice value).
SLOW_AFTER = 0.25
SLOW_NICENESS = 10


@dataclass(frozen=True)
class Job:
    """One unit of work for a worker.

    kind: ``sparql`` (protocol request, negotiated from ``accept``), ``api`` (named query, plain JSON
    or CSV), ``rows`` (the solutions themselves, for pages and documents the server renders) or
    ``update``.
    """

    kind: str
    text: str
    params: dict[str, Term] | None = None
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    accept: str | None = None
    media_type: str | None = None
    limit: int = 100_000
    offset: int = 0
    base_iri: str | None = None


# --------------------------------------------------------------------------------------------- worker side


def worker_main(sock: socket.socket, store_dir: str, writable: bool, allow_service: tuple[str, ...]) -> None:
    """Entry point of a worker process: open the store, then answer jobs until the channel closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's business; it stops us
    _die_with_parent()
    sandboxed = not allow_service and deny_network()  # before the store starts its threads
    conn = BlockingChannel(sock)
    try:
        store = Store(store_dir) if writable else Store.read_only(store_dir)
    except OSError as exc:
        conn.send(("fatal", f"cannot open the store {store_dir}: {exc}"))
        return
    conn.send(("ready", os.getpid(), sandboxed))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            _run_job(job, store, conn, allow_service)
        except (BrokenPipeError, EOFError):
            return
        except Exception as exc:  # the engine's own failure while streaming: report, keep serving
            conn.send(("error", 500, f"query failed: {type(exc).__name__}: {exc}"))


def _die_with_parent() -> None:
    """On Linux, get SIGKILL when the parent (the fork server) goes, so no orphan keeps running a query."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


#: Protocol queries (with their dataset and format) whose result was too large for
#: :func:`serialize_small`, by hash: they are streamed at once next time, not run twice. Cleared when full.
_LARGE: set[int] = set()
_LARGE_MAX = 1024


def _remember_large(key: int) -> None:
    if len(_LARGE) >= _LARGE_MAX:
        _LARGE.clear()
    _LARGE.add(key)


def _query(store: Store, job: Job, allow_service: tuple[str, ...]) -> Any:
    """The job's query through the project's one query function."""
    return run_query(store, job.text, params=job.params, allow_service=allow_service,
                     default_graph=job.default_graph, named_graphs=job.named_graphs, base_iri=job.base_iri)


def _refusal_status(text: str) -> int:
    return 403 if inspect_query(text).is_update else 400


def _run_job(job: Job, store: Store, conn: BlockingChannel, allow_service: tuple[str, ...]) -> None:
    if job.kind == "update":
        try:
            run_update(store, job.text, allow_service=allow_service)
        except QueryRefused as exc:
            conn.send(("error", 400, str(exc)))
            return
        except QueryFailed as exc:
            conn.send(("error", 400, str(exc)))
            return
        conn.send(("updated",))
        return
    try:
        result = _query(store, job, allow_service)
    except QueryRefused as exc:
        conn.send(("error", _refusal_status(job.text), str(exc)))
        return
    except QueryFailed as exc:
        conn.send(("error", 400 if str(exc).startswith("malformed") else 500, str(exc)))
        return
    except MpscError as exc:
        conn.send(("error", 400, str(exc)))
        return

    if job.kind == "rows":
        if not isinstance(result, QuerySolutions):
            conn.send(("error", 400, "expected a SELECT query"))
            return
        variables = [v.value for v in result.variables]
        rows = Limited(result, job.limit, job.offset)
        table = [tuple(row) for row in rows]  # terms in the order of the variables
        conn.send(("rows", variables, table, rows.truncated))
        return

    if isinstance(result, QuerySolutions):
        media = job.media_type or (negotiate(job.accept, API_TYPES) if job.kind == "api"
                                   else negotiate_results(job.accept))
        if media is None:
            offered = API_TYPES if job.kind == "api" else RESULT_TYPES
            conn.send(("error", 406, "no acceptable format for these results; accept one of " + ", ".join(offered)))
            return
        if job.kind == "sparql" and media in MIN_SOLUTION_BYTES:
            key = hash((job.text, job.default_graph, job.named_graphs, media))  # texts can be long: keep hashes
            if key not in _LARGE:
                try:
                    whole = serialize_small(result, media, job.limit)
                except Exception as exc:  # the engine's own failure before anything was sent
                    conn.send(("error", 500, f"query failed: {type(exc).__name__}: {exc}"))
                    return
                if whole is not None:
                    conn.send(("complete", media, whole, None, False))
                    return
                _remember_large(key)
                result = _query(store, job, allow_service)  # its first solutions went into the abandoned attempt
        variables = [v.value for v in result.variables]
        rows = Limited(result, job.limit, job.offset)
        if job.kind == "api":  # a page (at most API_MAX_LIMIT rows) is taken first, so the first message can
            page = list(rows)  # say whether more follow, and the response can link to the next page
            _stream(conn, media, rows, lambda sink: write_solutions(sink, variables, page, media), rows.truncated)
        else:
            _stream(conn, media, rows, lambda sink: write_solutions(sink, variables, rows, media))
    elif isinstance(result, QueryBoolean):
        media = job.media_type or negotiate_results(job.accept)
        if media is None:
            conn.send(("error", 406, "no acceptable format for a boolean result"))
            return
        _stream(conn, media, None, lambda sink: write_boolean(sink, result, media))
    elif isinstance(result, QueryTriples):
        media = job.media_type or negotiate_rdf(job.accept)
        if media is None:
            conn.send(("error", 406, "no acceptable RDF format; offer one of text/turtle, application/n-triples, "
                                     "application/ld+json, application/rdf+xml"))
            return
        rows = Limited(result, job.limit)
        _stream(conn, media, rows, lambda sink: write_triples(sink, rows, media))


def _stream(conn: BlockingChannel, media: str, rows: Limited | None, write: Any, truncated: bool = False) -> None:
    """Send a result: in one ``complete`` message when it fits a chunk, else ``start``, ``chunk``…, ``end``.

    ``truncated``: rows were cut off, as known before writing (``start`` carries it; a stream of
    rows taken as it is written learns it only at the ``end``, after the response headers).
    """
    started = False

    def emit(data: bytes) -> None:
        nonlocal started
        conn.send(("chunk", data) if started else ("start", media, data, truncated))
        started = True

    sink = ChunkSink(emit)
    try:
        write(sink)
    except (BrokenPipeError, EOFError):
        raise
    except Exception as exc:
        sink.drain()
        conn.send(("error", 500, f"query failed while streaming: {exc}"))
        return
    count, truncated = (rows.count, rows.truncated) if rows else (1, False)
    if not started:
        conn.send(("complete", media, sink.take(), count, truncated))
        return
    sink.drain()
    conn.send(("end", count, truncated))


# --------------------------------------------------------------------------------------------- server side


class QueryTimeoutError(Exception):
    """The deadline passed before the first result; the worker was killed and replaced."""


class StreamCutOffError(Exception):
    """The deadline passed (or the worker failed) while streaming; the response is cut off."""


class ServiceBusyError(Exception):
    """No worker became free in time."""


@dataclass(frozen=True)
class Reply:
    """What a worker answered first: an error, a finished table, or the start of a stream."""

    status: int
    media_type: str | None = None
    message: str = ""
    first: bytes = b""
    finished: bool = False
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    #: rows were cut off at the limit, as far as known when the reply came (a stream of a SPARQL result
    #: learns it only at its end, after the response headers are sent)
    truncated: bool = False


class WorkerHandle:
    """One worker process and the server's end of its channel."""

    def __init__(self, process: Any, channel: WorkerChannel) -> None:
        self.process = process
        self.conn = channel
        self.demotion: asyncio.TimerHandle | None = None
        self.demoted = False
        self.refused = False  # stopped as one long query too many (see WorkerPool._went_slow)

    @classmethod
    async def start(cls, ctx: Any, store_dir: str, writable: bool, allow_service: tuple[str, ...]) -> WorkerHandle:
        ours, theirs = socket.socketpair()
        process = ctx.Process(target=worker_main, args=(theirs, store_dir, writable, allow_service),
                              name="mpsc-graph-worker", daemon=True)
        try:
            process.start()
        finally:
            theirs.close()
        return cls(process, await WorkerChannel.attach(ours))

    def demote(self) -> None:
        """Lower the CPU priority of a worker whose query runs long, so short queries keep their share."""
        with contextlib.suppress(OSError, AttributeError):
            if self.pid is not None:
                os.setpriority(os.PRIO_PROCESS, self.pid, SLOW_NICENESS)
                self.demoted = True

    def restore(self) -> bool:
        """Back to normal priority after a long query; False where the system does not allow raising it."""
        if self.demotion is not None:
            self.demotion.cancel()
            self.demotion = None
        if not self.demoted:
            return True
        try:
            os.setpriority(os.PRIO_PROCESS, self.pid or 0, 0)
        except (OSError, AttributeError):
            return False
        self.demoted = False
        return True

    @property
    def pid(self) -> int | None:
        return self.process.pid

    async def recv(self, deadline: float | None) -> Any:
        """The next message, or TimeoutError when ``deadline`` (monotonic) passes first."""
        return await self.conn.recv(deadline)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    async def stop(self) -> None:
        """Ask politely (a ``None`` job), then terminate, then kill."""
        with contextlib.suppress(OSError, EOFError):
            self.conn.send(None)
        await asyncio.to_thread(self._end_process)
        self.conn.close()

    def _end_process(self) -> None:
        self.process.join(2)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(2)


def _context() -> Any:
    """Workers start from a fork server that has pyoxigraph and this module loaded already.

    Replacing a killed worker then costs a fork (milliseconds) rather than a fresh interpreter
    (most of a second of CPU), which matters while a flood of runaway queries is being killed.
    The fork server itself is a clean single-threaded process, so forking it is safe.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pyoxigraph", "mpsc_graph.server.workers"])
    return context


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system tells it)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def steady_workers(size: int, cpus: int | None = None) -> int:
    """How many of at most ``size`` workers a read-only pool keeps running: one per CPU."""
    return min(size, cpus if cpus is not None else usable_cpus())


class WorkerPool:
    """Worker processes, each running one query at a time: at most ``size`` queries at once.

    Only ``steady`` workers (one per CPU, at most ``size``) are kept running: more processes than
    CPUs would only take turns on them, and every extra wake-up costs a short query time. A query
    that runs longer than ``SLOW_AFTER`` seconds is no longer short; its worker is demoted and a
    worker is added in its place (up to ``size``), so long or runaway queries never leave the short
    ones without a worker. When a query finishes while there are more than ``steady`` workers, its
    worker is retired.
    """

    def __init__(self, store_dir: str, size: int, *, writable: bool = False, allow_service: tuple[str, ...] = (),
                 timeout: float | None = 30.0, steady: int | None = None) -> None:
        self.store_dir = store_dir
        self.size = 1 if writable else max(1, size)
        self.steady = steady_workers(self.size, steady)
        self._spawning = 0
        self.writable = writable
        self.allow_service = allow_service
        self.timeout = timeout
        self._ctx = _context()
        self._idle: asyncio.Queue[WorkerHandle] = asyncio.Queue()
        self._all: set[WorkerHandle] = set()
        self._background: set[asyncio.Task] = set()
        self._unsandboxed_reported = False
        self.killed = 0

    async def start(self, ready_timeout: float = 60.0) -> None:
        handles = [await self._spawn() for _ in range(self.steady)]
        for handle in handles:
            await self._await_ready(handle, ready_timeout)

    async def _spawn(self) -> WorkerHandle:
        handle = await WorkerHandle.start(self._ctx, self.store_dir, self.writable, self.allow_service)
        self._all.add(handle)
        return handle

    async def _await_ready(self, handle: WorkerHandle, ready_timeout: float) -> None:
        try:
            message = await handle.recv(time.monotonic() + ready_timeout)
        except (TimeoutError, EOFError, OSError) as exc:
            self._forget(handle)
            raise RuntimeError(f"a query worker did not start: {exc!r}") from exc
        if message[0] != "ready":
            self._forget(handle)
            raise RuntimeError(message[1] if len(message) > 1 else "a query worker did not start")
        if not self.allow_service and not message[2] and not self._unsandboxed_reported:
            self._unsandboxed_reported = True
            log.warning("query workers can open network connections here (no seccomp filter on this "
                        "system); the SERVICE guard alone keeps queries from fetching URLs")
        self._idle.put_nowait(handle)

    def _forget(self, handle: WorkerHandle) -> None:
        handle.kill()
        self._all.discard(handle)

    def pids(self) -> list[int]:
        return [h.pid for h in self._all if h.pid is not None]

    async def acquire(self) -> WorkerHandle:
        if not self._idle.empty():  # the common case: no task, no timer (wait_for makes both)
            return self._idle.get_nowait()
        try:
            return await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            raise ServiceBusyError(f"all {self.size} query workers stayed busy for {self.timeout:g} s") from None

    def release(self, handle: WorkerHandle) -> None:
        if handle.demoted and len(self._all) > self.steady:  # a long query ended; its stand-in stays
            self._all.discard(handle)
            self._in_background(self._retire(handle))
        elif handle.restore():
            self._idle.put_nowait(handle)
        else:  # unprivileged: a demoted worker cannot get its priority back; a fresh fork is cheap
            self.replace(handle, "finished a long query at lowered priority")

    def _went_slow(self, handle: WorkerHandle) -> None:
        """A query outlived ``SLOW_AFTER``: lower its priority and add a worker for the short queries.

        At most ``size - 1`` long queries run at once, so that one worker is always left for the short
        ones: a long query beyond that is stopped at once and answered 503 (try again later), rather
        than letting a burst of runaway queries hold every worker until the timeout.
        """
        handle.demotion = None
        if self.size > 1 and self._long_running() >= self.size - 1:
            handle.refused = True
            self.replace(handle, f"more than {self.size - 1} long queries at once")
            return
        handle.demote()
        self._grow(self.size)

    def _long_running(self) -> int:
        """Workers whose query outlived ``SLOW_AFTER`` (demoted) and still runs."""
        return sum(1 for handle in self._all if handle.demoted)

    def _grow(self, up_to: int) -> None:
        """Start a worker unless ``up_to`` are running or starting already."""
        if len(self._all) + self._spawning < up_to:
            self._spawning += 1
            self._in_background(self._add_worker())

    async def _add_worker(self) -> None:
        try:
            handle = await self._spawn()  # counted in ``_all`` from here on
        except OSError as exc:
            log.error("could not start a query worker: %s", exc)
            return
        finally:
            self._spawning -= 1
        try:
            await self._await_ready(handle, 60.0)
        except RuntimeError as exc:
            log.error("could not start a query worker: %s", exc)

    async def _retire(self, handle: WorkerHandle) -> None:
        handle.restore()
        await handle.stop()

    def _in_background(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def replace(self, handle: WorkerHandle, reason: str) -> None:
        """Kill a worker (stuck, timed out, or left mid-stream); start another if fewer than ``steady``
        remain beside the long-running ones."""
        self.killed += 1
        handle.restore()
        log.warning("worker %s killed: %s", handle.pid, reason)
        self._forget(handle)
        self._grow(min(self.size, self.steady + self._long_running()))  # stand-ins are no spares

    async def close(self) -> None:
        for task in list(self._background):
            task.cancel()
        for handle in list(self._all):
            await handle.stop()
        self._all.clear()

    async def submit(self, job: Job) -> tuple[Reply, AsyncIterator[bytes] | None]:
        """Run ``job``; the reply, and for a stream the iterator of the remaining chunks.

        Raises :class:`QueryTimeoutError` when the deadline passes before the first result and
        :class:`ServiceBusyError` when no worker became free in time.
        """
        started = time.monotonic()
        handle = await self.acquire()
        deadline = None if self.timeout is None else started + self.timeout
        handle.demotion = asyncio.get_running_loop().call_later(SLOW_AFTER, self._went_slow, handle)
        try:
            handle.conn.send(job)
            message = await handle.recv(deadline)
            if message[0] == "complete":
                self.release(handle)
                return Reply(200, message[1], first=message[2], finished=True, truncated=message[4]), None
            if message[0] == "start":
                return Reply(200, message[1], first=message[2], truncated=message[3]), self._rest(handle, deadline, job)
            if message[0] == "error":
                self.release(handle)
                return Reply(message[1], message=message[2]), None
            if message[0] == "rows":
                self.release(handle)
                return Reply(200, finished=True, variables=message[1], rows=message[2], truncated=message[3]), None
            if message[0] == "updated":
                self.release(handle)
                return Reply(204, finished=True), None
            self.replace(handle, f"unexpected message {message[0]!r}")
            return Reply(500, message="the query worker answered out of turn"), None
        except TimeoutError:
            self.replace(handle, f"timeout after {self.timeout:g} s before the first result: {job.text[:200]!r}")
            raise QueryTimeoutError(f"query timed out after {self.timeout:g} s") from None
        except (EOFError, OSError) as exc:
            if handle.refused:
                return Reply(503, message=f"{self.size - 1} long queries are running already; "
                                          "this one was stopped, try again later"), None
            self.replace(handle, f"worker died: {exc!r}")
            return Reply(500, message="the query worker died (out of memory?)"), None
        except asyncio.CancelledError:
            self.replace(handle, "request cancelled while the query ran")
            raise

    async def _rest(self, handle: WorkerHandle, deadline: float | None, job: Job) -> AsyncIterator[bytes]:
        done = False
        try:
            while True:
                try:
                    message = await handle.recv(deadline)
                except TimeoutError:
                    raise StreamCutOffError(f"query timed out after {self.timeout:g} s while streaming; "
                                       f"response cut off: {job.text[:200]!r}") from None
                except (EOFError, OSError) as exc:
                    raise StreamCutOffError(f"worker died while streaming: {exc!r}") from None
                if message[0] == "chunk":
                    yield message[1]
                elif message[0] == "end":
                    done = True
                    if message[2]:
                        log.warning("result cut off at the row limit (%d rows): %r", message[1], job.text[:200])
                    return
                else:  # an error while streaming: the worker is fine, the response is not
                    done = True
                    detail = message[2] if len(message) > 2 else message
                    raise StreamCutOffError(f"error while streaming, response cut off: {detail}")
        finally:
            if done:
                self.release(handle)
            else:
                self.replace(handle, "stream abandoned (timeout or client gone)")
