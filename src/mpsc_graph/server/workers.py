"""Worker processes that run queries, so that a query can be stopped by force.

pyoxigraph has no query timeout or cancel. Every query of the read-only server therefore runs in
a worker process that holds its own ``Store.read_only`` handle; the server process only speaks
HTTP. A query that outlives the deadline is stopped by killing its worker (replaced when fewer
than the steady number remain beside the long-running ones), so other requests keep being
answered. Results stream back as serialized chunks over a socket pair (:mod:`.channel`), as the
messages of :mod:`.messages`. In update mode a second pool of one worker opens the store writable
and runs the updates only, one at a time; reads stay with the killable read-only workers, which
are renewed after each committed update.

When ``mpsc-graph build`` replaces the store directory while the server runs, the pool notices
before the next job and moves to the new store (:meth:`WorkerPool.switch_store`): a worker left
on the removed directory would wait on it until the timeout.

Every query goes through :func:`mpsc_graph.sparql.run_query` (updates through ``run_update``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import resource
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import QueryBoolean, QuerySolutions, QueryTriples, Store

from ..errors import MalformedQuery, MpscError, QueryFailed, QueryRefused
from ..sparql import QueryResult, inspect_query, run_query, run_update
from .channel import BlockingChannel, WorkerChannel
from .conneg import CSV, JSON, RESULT_TYPES, SPARQL_JSON, SPARQL_XML, TSV, negotiate, negotiate_rdf, negotiate_results
from .errors import QueryTimeoutError, ServiceBusyError, UnavailableError
from .messages import (
    Chunk,
    Complete,
    Failure,
    Fatal,
    Job,
    Ready,
    Rows,
    StreamEnd,
    StreamStart,
    Updated,
    WorkerMessage,
)
from .sandbox import deny_network
from .streaming import ChunkSink, Limited, write_boolean, write_solutions, write_triples

log = logging.getLogger("mpsc_graph.server")

API_TYPES = (JSON, CSV, SPARQL_JSON, SPARQL_XML, TSV)
#: A query still running after this many seconds is a long one: another worker stands in for it.
SLOW_AFTER = 0.25

__all__ = ["API_TYPES", "SLOW_AFTER", "Job", "QueryTimeoutError", "Reply", "ServiceBusyError", "StreamCutOffError",
           "WorkerPool", "steady_workers", "usable_cpus"]


# --------------------------------------------------------------------------------------------- worker side


def worker_main(sock: socket.socket, store_dir: str, writable: bool, allow_service: tuple[str, ...],
                max_memory: int | None = None) -> None:
    """Entry point of a worker process: open the store, then answer jobs until the channel closes.

    ``max_memory`` (bytes) becomes the process's ``RLIMIT_DATA`` before the store opens, so the
    store's threads and caches count against it too. ``RLIMIT_DATA`` rather than ``RLIMIT_AS``: the
    address-space limit also counts file mappings and reserved thread stacks, so far below a gigabyte
    the store would not even open. A query that needs more makes pyoxigraph abort (SIGABRT): nothing
    Python can catch, so the server reads the death from the exit status (:func:`death_reply`).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's business; it stops us
    _die_with_parent()
    if max_memory is not None:
        resource.setrlimit(resource.RLIMIT_DATA, (max_memory, max_memory))
    sandboxed = not allow_service and deny_network()  # before the store starts its threads
    conn = BlockingChannel(sock)
    try:
        store = Store(store_dir) if writable else Store.read_only(store_dir)
    except OSError as exc:
        conn.send(Fatal(f"cannot open the store {store_dir}: {exc}"))
        return
    conn.send(Ready(os.getpid(), sandboxed))
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
            conn.send(Failure(500, f"query failed: {type(exc).__name__}: {exc}"))


def _die_with_parent() -> None:
    """On Linux, get SIGKILL when the parent (the fork server) goes, so no orphan keeps running a query."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def failure_status(exc: MpscError, job: Job) -> int:
    """The HTTP status a refused or failed job stands for, by the type of its error.

    An update disguised as a query is forbidden (403) on the read-only endpoint; every other refusal,
    a malformed query and a bad parameter are the client's (400); the engine failing on a well-formed
    query is the server's (500).
    """
    if job.kind == "update":
        return 400
    if isinstance(exc, QueryRefused):
        return 403 if inspect_query(job.text).is_update else 400
    if isinstance(exc, MalformedQuery):
        return 400
    if isinstance(exc, QueryFailed):
        return 500
    return 400



def _run_job(job: Job, store: Store, conn: BlockingChannel, allow_service: tuple[str, ...]) -> None:
    if job.kind == "check":
        conn.send(_check_case(job, store))
        return
    try:
        if job.kind == "update":
            run_update(store, job.text, allow_service=allow_service)
            conn.send(Updated())
            return
        result: QueryResult = run_query(store, job.text, params=job.params, allow_service=allow_service,
                                        default_graph=job.default_graph, named_graphs=job.named_graphs,
                                        base_iri=job.base_iri)
    except MpscError as exc:
        conn.send(Failure(failure_status(exc, job), str(exc)))
        return

    if job.kind == "rows":
        if not isinstance(result, QuerySolutions):
            conn.send(Failure(400, "expected a SELECT query"))
            return
        variables = [v.value for v in result.variables]
        rows = Limited(result, job.limit, job.offset)
        table = [tuple(row) for row in rows]  # terms in the order of the variables
        conn.send(Rows(variables, table, rows.truncated))
        return

    if isinstance(result, QuerySolutions):
        media = job.media_type or (negotiate(job.accept, API_TYPES) if job.kind == "api"
                                   else negotiate_results(job.accept))
        if media is None:
            offered = API_TYPES if job.kind == "api" else RESULT_TYPES
            conn.send(Failure(406, "no acceptable format for these results; accept one of " + ", ".join(offered)))
            return
        solution_media = media
        variables = [v.value for v in result.variables]
        rows = Limited(result, job.limit, job.offset)
        if job.kind == "api":  # a page (at most API_MAX_LIMIT rows) is taken first, so the first message can
            page = list(rows)  # say whether more follow, and the response can link to the next page
            _stream(conn, media, rows, lambda sink: write_solutions(sink, variables, page, solution_media),
                    rows.truncated)
        else:
            _stream(conn, media, rows, lambda sink: write_solutions(sink, variables, rows, solution_media))
    elif isinstance(result, QueryBoolean):
        media = job.media_type or negotiate_results(job.accept)
        if media is None:
            conn.send(Failure(406, "no acceptable format for a boolean result"))
            return
        boolean_media = media
        _stream(conn, media, None, lambda sink: write_boolean(sink, result, boolean_media))
    elif isinstance(result, QueryTriples):
        media = job.media_type or negotiate_rdf(job.accept)
        if media is None:
            conn.send(Failure(406, "no acceptable RDF format; offer one of text/turtle, application/n-triples, "
                                   "application/ld+json, application/rdf+xml"))
            return
        graph_media = media
        triples = Limited(result, job.limit)
        _stream(conn, media, triples, lambda sink: write_triples(sink, triples, graph_media))


def _check_case(job: Job, store: Store) -> Rows | Failure:
    """A contributed case's findings as rows (:data:`CHECK_COLUMNS`); a case that does not parse is the client's."""
    from ..contribcheck import check_case
    from ..project import Project

    assert job.check is not None
    try:
        found = check_case(store, job.text, Project.at(job.check.root).shape_files(), job.check.focus,
                           Path(job.check.root), lang=job.check.lang)
    except MpscError as exc:
        return Failure(400, str(exc))
    return Rows(list(CHECK_COLUMNS), [tuple(getattr(f, c) for c in CHECK_COLUMNS) for f in found], False)


#: the columns of a ``check`` job's rows: the fields of :class:`mpsc_graph.validation.Finding` a form shows
CHECK_COLUMNS = ("severity", "focus", "path", "value", "message", "shape")


def _stream(conn: BlockingChannel, media: str, rows: Limited | None, write: Callable[[ChunkSink], None],
            truncated: bool = False) -> None:
    """Send a result: in one :class:`Complete` message when it fits a chunk, else a stream.

    ``truncated``: rows were cut off, as known before writing (the stream's start carries it; a
    stream of rows taken as it is written learns it only at the end, after the response headers).
    """
    started = False

    def emit(data: bytes) -> None:
        nonlocal started
        conn.send(Chunk(data) if started else StreamStart(media, data, truncated))
        started = True

    sink = ChunkSink(emit)
    try:
        write(sink)
    except (BrokenPipeError, EOFError):
        raise
    except Exception as exc:
        sink.drain()
        conn.send(Failure(500, f"query failed while streaming: {exc}"))
        return
    count, cut = (rows.count, rows.truncated) if rows else (1, False)
    if not started:
        conn.send(Complete(media, sink.take(), cut))
        return
    sink.drain()
    conn.send(StreamEnd(count, cut))


# --------------------------------------------------------------------------------------------- server side


class StreamCutOffError(Exception):
    """The deadline passed (or the worker failed) while streaming; the response is cut off."""


@dataclass(frozen=True)
class Reply:
    """What a worker answered first: an error status and message, a finished table, or a result.

    ``first`` is the whole result, or the first chunk of a stream whose remaining chunks
    :meth:`WorkerPool.submit` returns beside it.
    """

    status: int
    media_type: str | None = None
    message: str = ""
    first: bytes = b""
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    #: rows were cut off at the limit, as far as known when the reply came (a stream of a SPARQL result
    #: learns it only at its end, after the response headers are sent)
    truncated: bool = False


def _reply_to(message: Complete | Failure | Rows | Updated) -> Reply:
    """The reply a finished job's one message stands for."""
    if isinstance(message, Complete):
        return Reply(200, message.media_type, first=message.body, truncated=message.truncated)
    if isinstance(message, Failure):
        return Reply(message.status, message=message.message)
    if isinstance(message, Rows):
        return Reply(200, variables=message.variables, rows=message.rows, truncated=message.truncated)
    return Reply(204)


class WorkerHandle:
    """One worker process and the server's end of its channel."""

    def __init__(self, process: Any, channel: WorkerChannel, generation: int) -> None:
        self.process = process
        self.conn = channel
        #: which store the worker opened (the pool's count of store switches when it started)
        self.generation = generation
        self.slow_timer: asyncio.TimerHandle | None = None
        self.long_running = False  # its current query outlived SLOW_AFTER
        self.refused = False  # stopped as one long query too many (see WorkerPool._went_slow)
        self.streaming = False  # its current answer has begun (a 200 is on its way to the client)

    @classmethod
    async def start(cls, ctx: Any, store_dir: str, writable: bool, allow_service: tuple[str, ...],
                    generation: int, max_memory: int | None = None) -> WorkerHandle:
        ours, theirs = socket.socketpair()
        process = ctx.Process(target=worker_main, args=(theirs, store_dir, writable, allow_service, max_memory),
                              name="mpsc-graph-worker", daemon=True)
        try:
            process.start()
        finally:
            theirs.close()
        return cls(process, await WorkerChannel.attach(ours), generation)

    @property
    def pid(self) -> int | None:
        pid: int | None = self.process.pid
        return pid

    def settle(self) -> None:
        """The current job is over: no more stand-in for it."""
        if self.slow_timer is not None:
            self.slow_timer.cancel()
            self.slow_timer = None
        self.long_running = False
        self.streaming = False

    async def recv(self, deadline: float | None) -> WorkerMessage:
        """The next message, or TimeoutError when ``deadline`` (monotonic) passes first."""
        message: WorkerMessage = await self.conn.recv(deadline)
        return message

    def exit_status(self, wait: float = 1.0) -> int | None:
        """The worker's exit code (negative: the signal that ended it), after waiting at most ``wait``
        seconds for it to end; None while it still runs."""
        self.process.join(wait)
        code: int | None = self.process.exitcode
        return code

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


def death_reply(exit_status: int | None, max_memory: int | None) -> Reply:
    """What to answer when a worker's channel closed in the middle of a query, by how the worker ended.

    Under a memory limit, pyoxigraph aborts (SIGABRT) when an allocation fails: that is the query
    needing more than ``--max-memory`` (507, as retrying the same query cannot help). Any other
    signal is named as it is, since guessing a cause would send the reader the wrong way.
    """
    if exit_status is not None and exit_status < 0:
        number = -exit_status
        if number == signal.SIGABRT and max_memory is not None:
            return Reply(507, message=f"the query needed more than --max-memory ({max_memory // 2**20} MB per "
                                      "query worker); it was stopped")
        try:
            name = f" ({signal.Signals(number).name})"
        except ValueError:
            name = ""
        return Reply(500, message=f"the query worker died by signal {number}{name}")
    if exit_status is None:
        return Reply(500, message="the query worker closed its channel and did not end")
    return Reply(500, message=f"the query worker exited with status {exit_status}")


def store_identity(store_dir: str) -> tuple[int, int] | None:
    """Device and inode of the store directory: a rebuilt store moved into place has another."""
    try:
        status = os.stat(store_dir)
    except OSError:
        return None
    return status.st_dev, status.st_ino


class WorkerPool:
    """Worker processes, each running one query at a time: at most ``size`` queries at once.

    Only ``steady`` workers (one per CPU, at most ``size``) are kept running: more processes than
    CPUs would only take turns on them, and every extra wake-up costs a short query time. A query
    that runs longer than ``SLOW_AFTER`` seconds is no longer short: a worker is added in its place
    (up to ``size``), so long or runaway queries never leave the short ones without a worker. When
    a query finishes while there are more than ``steady`` workers, its worker is retired.
    """

    def __init__(self, store_dir: str, size: int, *, writable: bool = False, allow_service: tuple[str, ...] = (),
                 timeout: float | None = 30.0, steady: int | None = None, max_memory: int | None = None) -> None:
        self.store_dir = store_dir
        #: bytes of RLIMIT_DATA per worker (None: no limit)
        self.max_memory = max_memory
        self.size = 1 if writable else max(1, size)
        self.steady = steady_workers(self.size, steady)
        self._spawning = 0
        self.writable = writable
        self.allow_service = allow_service
        self.timeout = timeout
        self._ctx = _context()
        self._idle: asyncio.Queue[WorkerHandle] = asyncio.Queue()
        self._all: set[WorkerHandle] = set()
        self._background: set[asyncio.Task[None]] = set()
        self._unsandboxed_reported = False
        self.killed = 0
        self.generation = 0  # store switches so far
        self._identity = store_identity(store_dir)
        self._switching = asyncio.Lock()
        #: called after the pool moved to a rebuilt store (the server drops what it cached of the old one)
        self.on_new_store: Callable[[], None] | None = None

    async def start(self, ready_timeout: float = 60.0) -> None:
        handles = [await self._spawn() for _ in range(self.steady)]
        for handle in handles:
            await self._await_ready(handle, ready_timeout)

    async def _spawn(self) -> WorkerHandle:
        handle = await WorkerHandle.start(self._ctx, self.store_dir, self.writable, self.allow_service,
                                          self.generation, self.max_memory)
        self._all.add(handle)
        return handle

    async def _await_ready(self, handle: WorkerHandle, ready_timeout: float) -> None:
        try:
            message = await handle.recv(time.monotonic() + ready_timeout)
        except (TimeoutError, EOFError, OSError) as exc:
            self._forget(handle)
            raise RuntimeError(f"a query worker did not start: {exc!r}") from exc
        if not isinstance(message, Ready):
            self._forget(handle)
            raise RuntimeError(message.message if isinstance(message, Fatal) else "a query worker did not start")
        if not self.allow_service and not message.sandboxed and not self._unsandboxed_reported:
            self._unsandboxed_reported = True
            log.warning("query workers can open network connections here (no seccomp filter on this "
                        "system); the SERVICE guard alone keeps queries from fetching URLs")
        if handle.generation != self.generation:  # started on a store that was replaced meanwhile
            self._all.discard(handle)
            self._in_background(handle.stop())
            return
        self._idle.put_nowait(handle)

    def _forget(self, handle: WorkerHandle) -> None:
        handle.kill()
        self._all.discard(handle)

    def pids(self) -> list[int]:
        return [h.pid for h in self._all if h.pid is not None]

    async def switch_store(self) -> None:
        """Move every worker to the store now at ``store_dir``, if it is another one than they opened.

        ``mpsc-graph build`` writes a new store next to the old one and renames it into place; a
        worker still holding the old, removed directory would hang on its next query. So new
        workers open the new store first; then idle old workers stop at once and busy ones when
        their query ends. Jobs submitted meanwhile wait for the new workers, so every query after
        the switch sees the new store. When the new store cannot be opened, the old workers go on
        and the switch is tried again with the next job.
        """
        async with self._switching:
            identity = store_identity(self.store_dir)
            if identity is None or identity == self._identity:
                return  # no store there (between the renames of a build), or the switch is done already
            await self._fresh_workers(f"the store at {self.store_dir} was replaced by one the server cannot open")
            self._identity = identity
            log.warning("the store at %s was rebuilt: now serving the new one (workers %s)", self.store_dir,
                        self.pids())
            if self.on_new_store is not None:
                self.on_new_store()

    async def renew(self) -> None:
        """Replace every worker by one that opens the store as it is now.

        A read-only handle sees the store as it was when it opened, so in update mode the readers are
        renewed after each committed update: the next read sees it. Busy workers finish their query first.
        """
        async with self._switching:
            await self._fresh_workers(f"the store at {self.store_dir} cannot be opened again after an update")

    async def _fresh_workers(self, failure: str) -> None:
        """Start ``steady`` workers of a new generation, then retire the idle old ones (busy ones retire when
        their job ends). When the new ones cannot start, the old ones go on and UnavailableError says why."""
        self.generation += 1
        fresh = [await self._spawn() for _ in range(self.steady)]
        try:
            for handle in fresh:
                await self._await_ready(handle, 60.0)
        except RuntimeError as exc:
            self.generation -= 1
            for handle in fresh:
                self._forget(handle)
            raise UnavailableError(f"{failure}: {exc}") from None
        while True:  # the idle queue now holds the fresh workers behind the old ones
            handle = self._idle.get_nowait()
            if handle.generation == self.generation:
                self._idle.put_nowait(handle)
                break
            self._all.discard(handle)
            self._in_background(handle.stop())

    async def acquire(self) -> WorkerHandle:
        if not self._idle.empty():  # the common case: no task, no timer (wait_for makes both)
            return self._idle.get_nowait()
        try:
            return await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            raise ServiceBusyError(f"all {self.size} query workers stayed busy for {self.timeout:g} s; "
                                   "try again later") from None

    def release(self, handle: WorkerHandle) -> None:
        retire = handle.generation != self.generation or (handle.long_running and len(self._all) > self.steady)
        handle.settle()
        if retire:  # a long query ended and its stand-in stays, or the store was replaced meanwhile
            self._all.discard(handle)
            self._in_background(handle.stop())
        else:
            self._idle.put_nowait(handle)

    def _went_slow(self, handle: WorkerHandle) -> None:
        """A query outlived ``SLOW_AFTER``: add a worker for the short queries.

        At most ``size - 1`` long queries run at once, so that one worker is always left for the short
        ones: a long query beyond that is stopped at once and answered 503 (try again later), rather
        than letting a burst of runaway queries hold every worker until the timeout. A query whose
        answer has begun streaming is never stopped this way: its 200 is sent, and stopping it would
        cut the answer off; it counts as long instead.
        """
        handle.slow_timer = None
        if self.size > 1 and self._long_running() >= self.size - 1 and not handle.streaming:
            handle.refused = True
            self.replace(handle, f"more than {self.size - 1} long queries at once")
            return
        handle.long_running = True
        self._grow(self.size)

    def _long_running(self) -> int:
        """Workers whose query outlived ``SLOW_AFTER`` and still runs."""
        return sum(1 for handle in self._all if handle.long_running)

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

    def _in_background(self, coroutine: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def replace(self, handle: WorkerHandle, reason: str) -> None:
        """Kill a worker (stuck, timed out, or left mid-stream); start another if fewer than ``steady``
        remain beside the long-running ones."""
        self.killed += 1
        handle.settle()
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
        if store_identity(self.store_dir) not in (self._identity, None):
            await self.switch_store()
        handle = await self.acquire()
        deadline = None if self.timeout is None else started + self.timeout
        handle.slow_timer = asyncio.get_running_loop().call_later(SLOW_AFTER, self._went_slow, handle)
        try:
            handle.conn.send(job)
            message = await handle.recv(deadline)
        except TimeoutError:
            self.replace(handle, f"timeout after {self.timeout:g} s before the first result: {job.text[:200]!r}")
            raise QueryTimeoutError(f"query timed out after {self.timeout:g} s (the server's --timeout); "
                                    "nothing was returned") from None
        except (EOFError, OSError):
            if handle.refused:
                return Reply(503, message=f"{self.size - 1} long queries are running already; "
                                          "this one was stopped, try again later"), None
            reply = death_reply(await asyncio.to_thread(handle.exit_status), self.max_memory)
            self.replace(handle, f"{reply.message}: {job.text[:200]!r}")
            return reply, None
        except asyncio.CancelledError:
            self.replace(handle, "request cancelled while the query ran")
            raise
        if isinstance(message, StreamStart):
            handle.streaming = True
            return (Reply(200, message.media_type, first=message.body, truncated=message.truncated),
                    self._rest(handle, deadline, job))
        if isinstance(message, Complete | Failure | Rows | Updated):
            self.release(handle)
            return _reply_to(message), None
        self.replace(handle, f"unexpected message {message.kind!r}")
        return Reply(500, message="the query worker answered out of turn"), None

    async def _rest(self, handle: WorkerHandle, deadline: float | None, job: Job) -> AsyncIterator[bytes]:
        done = False
        try:
            while True:
                try:
                    message = await handle.recv(deadline)
                except TimeoutError:
                    raise StreamCutOffError(f"query timed out after {self.timeout:g} s while streaming; "
                                            f"response cut off: {job.text[:200]!r}") from None
                except (EOFError, OSError):
                    death = death_reply(await asyncio.to_thread(handle.exit_status), self.max_memory)
                    raise StreamCutOffError(f"response cut off while streaming: {death.message}") from None
                if isinstance(message, Chunk):
                    yield message.body
                elif isinstance(message, StreamEnd):
                    done = True
                    if message.truncated:
                        log.warning("result cut off at the row limit (%d rows): %r", message.rows, job.text[:200])
                    return
                else:  # an error while streaming: the worker is fine, the response is not
                    done = True
                    detail = message.message if isinstance(message, Failure) else message.kind
                    raise StreamCutOffError(f"error while streaming, response cut off: {detail}")
        finally:
            if done:
                self.release(handle)
            else:
                self.replace(handle, "stream abandoned (timeout or client gone)")
