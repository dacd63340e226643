"""The /sparql layer on the ASGI messages: the same URL, gzip and routing decisions as the framework's.

These run the layer in-process with a stubbed worker pool; the protocol itself is tested against
the real server in ``test_protocol.py`` and ``test_w3c_protocol.py``.
"""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path
from types import SimpleNamespace

import pytest
from starlette.requests import Request

from mpsc_graph.server.config import ServerConfig
from mpsc_graph.server.endpoint import GZIP_LEVEL, GZIP_MINIMUM, SparqlEndpoint, gzip_whole, send_whole
from mpsc_graph.server.protocol import endpoint_url_of
from mpsc_graph.server.workers import Reply


def scope_of(path: str = "/sparql", method: str = "GET", headers: list[tuple[bytes, bytes]] | None = None,
             server: tuple[str, int] | None = ("127.0.0.1", 8000), query: bytes = b"", app: object = None) -> dict:
    return {"type": "http", "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
            "query_string": query, "root_path": "", "headers": headers if headers is not None else [],
            "server": server, "client": ("127.0.0.1", 5000), "app": app}


@pytest.mark.parametrize(("headers", "server", "path"), [
    ([(b"host", b"127.0.0.1:8000")], ("127.0.0.1", 8000), "/sparql"),
    ([(b"host", b"example.org")], ("10.0.0.1", 80), "/sparql/"),
    ([], ("::1", 8080), "/sparql"),  # no Host header: the server's address, IPv6 in brackets
    ([], ("192.0.2.1", 80), "/sparql"),  # the default port is left out
    ([(b"host", b"bad host:x")], ("127.0.0.1", 8000), "/sparql"),  # an invalid Host falls back to the server
])
def test_endpoint_url_is_what_starlette_makes_of_the_request(headers, server, path) -> None:
    scope = scope_of(path, headers=headers, server=server, query=b"query=ASK%7B%7D")
    expected = str(Request(scope).url.replace(query="", fragment="")).rstrip("?")
    host = next((value for key, value in headers if key == b"host"), None)
    assert endpoint_url_of("http", host, server, path) == expected


def sent_by(coroutine_function) -> list[dict]:
    messages: list[dict] = []

    async def send(message: dict) -> None:
        messages.append(message)

    asyncio.run(coroutine_function(send))
    return messages


def test_a_small_answer_is_sent_as_it_is() -> None:
    messages = sent_by(lambda send: send_whole(send, 200, [(b"vary", b"Accept")], b"x" * 10, True))
    headers = dict(messages[0]["headers"])
    assert messages[1]["body"] == b"x" * 10 and b"content-encoding" not in headers
    assert headers[b"vary"] == b"Accept" and headers[b"content-length"] == b"10"


def test_a_large_answer_is_gzipped_when_asked_and_varies_on_accept_encoding_either_way() -> None:
    body = b"<https://w3id.org/mpsc-graph/id/x> a <https://w3id.org/mpsc-graph/ontology#Thing> .\n" * 100
    assert len(body) >= GZIP_MINIMUM
    zipped = sent_by(lambda send: send_whole(send, 200, [(b"vary", b"Accept")], body, True))
    headers = dict(zipped[0]["headers"])
    assert headers[b"content-encoding"] == b"gzip" and headers[b"vary"] == b"Accept, Accept-Encoding"
    assert gzip.decompress(zipped[1]["body"]) == body
    assert int(headers[b"content-length"]) == len(zipped[1]["body"]) < len(body)
    plain = sent_by(lambda send: send_whole(send, 200, [], body, False))
    headers = dict(plain[0]["headers"])
    assert plain[1]["body"] == body and b"content-encoding" not in headers and headers[b"vary"] == b"Accept-Encoding"


@pytest.mark.parametrize("size", [GZIP_MINIMUM, 2048, 2049, 5600, 16_384, 16_385, 32_768, 70_000])
def test_an_answer_gzipped_by_a_compressor_sized_to_it_decodes_to_itself_and_is_as_small(size: int) -> None:
    turtle = b"".join(path.read_bytes() for path in sorted((Path(__file__).parents[2] / "data").glob("*.ttl")))
    body = turtle[1000: 1000 + size]
    assert len(body) == size
    zipped = gzip_whole(body)
    assert gzip.decompress(zipped) == body
    assert len(zipped) <= len(gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)) * 1.01 + 8


def test_other_paths_pass_on_untouched() -> None:
    seen: list[str] = []

    async def inner(scope, receive, send) -> None:
        seen.append(scope["path"])

    async def never(*_args) -> None:
        raise AssertionError("the layer must not read or answer a request that is not for /sparql")

    asyncio.run(SparqlEndpoint(inner)(scope_of("/doc/municipality/15002000"), never, never))
    assert seen == ["/doc/municipality/15002000"]


class StubPool:
    """Answers every job with one fixed SPARQL JSON body and records the jobs."""

    def __init__(self) -> None:
        self.jobs: list = []

    async def submit(self, job):
        self.jobs.append(job)
        return Reply(200, "application/sparql-results+json", first=b'{"head":{},"boolean":true}', finished=True), None


def app_with(pool: StubPool) -> SimpleNamespace:
    return SimpleNamespace(state=SimpleNamespace(config=ServerConfig(store_dir=Path(".")), pool=pool))


def run_endpoint(scope: dict, body: bytes = b"") -> list[dict]:
    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def passed_on(*_args) -> None:
        raise AssertionError("/sparql must be answered by the layer")

    return sent_by(lambda send: SparqlEndpoint(passed_on)(scope, receive, send))


def test_a_query_goes_to_a_worker_with_its_accept_header_and_the_endpoint_as_base() -> None:
    pool = StubPool()
    headers = [(b"host", b"127.0.0.1:8000"), (b"content-type", b"application/sparql-query"),
               (b"accept", b"application/sparql-results+json")]
    messages = run_endpoint(scope_of(method="POST", headers=headers, app=app_with(pool)), b"ASK {}")
    assert messages[0]["status"] == 200 and dict(messages[0]["headers"])[b"vary"] == b"Accept"
    (job,) = pool.jobs
    assert (job.kind, job.text, job.accept) == ("sparql", "ASK {}", "application/sparql-results+json")
    assert job.base_iri == "http://127.0.0.1:8000/sparql"


def test_a_method_the_protocol_does_not_know_is_405_with_allow() -> None:
    pool = StubPool()
    messages = run_endpoint(scope_of(method="PUT", app=app_with(pool)), b"ASK {}")
    headers = dict(messages[0]["headers"])
    assert messages[0]["status"] == 405 and headers[b"allow"] == b"GET, HEAD, POST" and not pool.jobs
    assert b"method PUT not allowed" in messages[1]["body"]


def test_a_body_over_the_limit_is_413_before_any_worker_is_asked() -> None:
    pool = StubPool()
    app = app_with(pool)
    limit = app.state.config.max_body
    headers = [(b"content-type", b"application/sparql-query"), (b"content-length", str(limit + 1).encode())]
    messages = run_endpoint(scope_of(method="POST", headers=headers, app=app), b"")
    assert messages[0]["status"] == 413 and not pool.jobs


def test_an_answer_without_content_says_no_length() -> None:
    messages = sent_by(lambda send: send_whole(send, 204, [], b"", True))
    assert messages[0]["status"] == 204 and b"content-length" not in dict(messages[0]["headers"])
