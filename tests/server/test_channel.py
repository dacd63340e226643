"""The server–worker channel: whole messages both ways, deadlines, end of channel, back-pressure."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import pytest
import uvloop

from mpsc_graph.server.channel import BlockingChannel, WorkerChannel

LOOPS = {"asyncio": asyncio.new_event_loop, "uvloop": uvloop.new_event_loop}  # the server runs on uvloop


@pytest.fixture(params=sorted(LOOPS))
def run(request):
    def run_with(coroutine_function) -> None:
        with asyncio.Runner(loop_factory=LOOPS[request.param]) as runner:
            runner.run(coroutine_function())

    return run_with


async def connected() -> tuple[WorkerChannel, BlockingChannel]:
    """Both ends of a fresh channel: the server's (asyncio) and the worker's (blocking)."""
    ours, theirs = socket.socketpair()
    return await WorkerChannel.attach(ours), BlockingChannel(theirs)


def test_messages_arrive_whole_in_both_directions_even_when_larger_than_a_socket_buffer(run) -> None:
    async def scenario() -> None:
        server, worker = await connected()
        big = bytes(range(256)) * 8192  # 2 MiB, arrives in many reads
        sender = threading.Thread(target=lambda: [worker.send(("chunk", big)), worker.send(("end", 1, False))])
        sender.start()
        assert await server.recv(time.monotonic() + 10) == ("chunk", big)
        assert await server.recv(time.monotonic() + 10) == ("end", 1, False)
        sender.join(5)
        server.send(("job", "ASK {}"))
        assert await asyncio.to_thread(worker.recv) == ("job", "ASK {}")
        server.close()
        worker.close()

    run(scenario)


def test_a_reply_that_does_not_come_before_the_deadline_raises_timeout(run) -> None:
    async def scenario() -> None:
        server, worker = await connected()
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            await server.recv(started + 0.2)
        assert 0.15 < time.monotonic() - started < 5
        server.close()
        worker.close()

    run(scenario)


def test_a_worker_that_goes_away_ends_the_channel_for_the_server_and_vice_versa(run) -> None:
    async def scenario() -> None:
        server, worker = await connected()
        worker.send(("ready", 1))
        worker.close()
        assert await server.recv(time.monotonic() + 5) == ("ready", 1)  # what was sent is still read
        with pytest.raises(EOFError):
            await server.recv(time.monotonic() + 5)
        with pytest.raises(EOFError):
            server.send(("job",))

        server, worker = await connected()
        server.close()
        with pytest.raises(EOFError):
            await asyncio.to_thread(worker.recv)

    run(scenario)


def test_a_worker_faster_than_the_client_is_held_back_instead_of_filling_the_servers_memory(run) -> None:
    async def scenario() -> None:
        server, worker = await connected()
        chunk = b"x" * 65_536
        total = 200  # 12.5 MiB, far more than the socket buffers hold
        sender = threading.Thread(target=lambda: [worker.send(("chunk", chunk)) for _ in range(total)], daemon=True)
        sender.start()
        await asyncio.sleep(0.5)
        assert sender.is_alive(), "the worker wrote everything although nobody read it"
        assert server.backlog < total / 4
        received = 0
        while received < total:
            message = await server.recv(time.monotonic() + 10)
            assert message == ("chunk", chunk)
            received += 1
        sender.join(5)
        assert not sender.is_alive()
        server.close()
        worker.close()

    run(scenario)
