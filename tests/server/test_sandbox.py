"""Query workers without network: even a SERVICE the guard missed cannot reach anything."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import multiprocessing
import platform
import socket
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

import pytest
import uvloop

from mpsc_graph.server.sandbox import ARCHITECTURES, deny_network, seccomp_mode
from mpsc_graph.server.workers import WorkerPool
from support import Listener

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.machine() not in ARCHITECTURES,
    reason="seccomp filters are installed on Linux x86-64 and aarch64 only",
)


def _in_a_child(report: Connection, sandbox: bool, service_url: str) -> None:
    """In a fresh process: optionally sandbox, then try sockets and a SERVICE query the guard never sees."""
    from pyoxigraph import Literal, NamedNode, Quad, Store

    outcome: dict[str, object] = {"installed": deny_network() if sandbox else False}
    for name, family in (("inet", socket.AF_INET), ("inet6", socket.AF_INET6), ("unix", socket.AF_UNIX)):
        try:
            socket.socket(family, socket.SOCK_STREAM).close()
            outcome[name] = "ok"
        except OSError as exc:
            outcome[name] = errno.errorcode.get(exc.errno or 0, str(exc))
    store = Store()
    store.add(Quad(NamedNode("http://a"), NamedNode("http://p"), Literal("x")))
    try:  # straight to the engine, past the guard
        list(store.query(f"SELECT * WHERE {{ ?s ?p ?o SERVICE <{service_url}> {{ ?a ?b ?c }} }}"))
        outcome["query"] = "answered"
    except Exception as exc:  # the engine reports the failed fetch
        outcome["query"] = type(exc).__name__
    report.send(outcome)


def _run_child(sandbox: bool, service_url: str) -> dict[str, object]:
    ours, theirs = multiprocessing.Pipe()
    child = multiprocessing.get_context("fork").Process(target=_in_a_child, args=(theirs, sandbox, service_url))
    child.start()
    try:
        assert ours.poll(30), "the child did not report"
        return ours.recv()
    finally:
        child.join(10)
        if child.is_alive():
            child.kill()


def test_the_engine_fetches_a_service_unless_its_process_is_sandboxed() -> None:
    with contextlib.closing(Listener()) as control:
        unsandboxed = _run_child(False, control.url)
        time.sleep(0.3)
    assert control.accepted >= 1, "the control should show that the engine does fetch SERVICE URLs"
    with contextlib.closing(Listener()) as probe:
        sandboxed = _run_child(True, probe.url)
        time.sleep(0.3)
    assert probe.accepted == 0
    assert sandboxed["installed"] is True and sandboxed["query"] != "answered"
    assert (sandboxed["inet"], sandboxed["inet6"], sandboxed["unix"]) == ("EACCES", "EACCES", "ok")
    assert unsandboxed["inet"] == "ok"


def test_query_workers_are_sandboxed_unless_a_service_is_allowed(store_dir: Path) -> None:
    async def modes(allow_service: tuple[str, ...]) -> list[int | None]:
        pool = WorkerPool(str(store_dir), size=2, steady=1, timeout=5.0, allow_service=allow_service)
        await pool.start()
        try:
            return [seccomp_mode(pid) for pid in pool.pids()]
        finally:
            await pool.close()

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        assert runner.run(modes(())) == [2]  # 2: a seccomp filter is in force
        assert runner.run(modes(("http://allowed.example/sparql",))) == [0]
