"""The one HTTP client: user agent, retries with Retry-After (bounded), size limits, error types naming the URL.

A real server on a free loopback port where the socket matters (user agent, refused connection,
answers without a declared length); scripted answers (httpx.MockTransport) elsewhere. No pause is
real: ``sleep`` records the pauses instead.
"""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from loopback import LoopbackServer, Received, respond, respond_without_length
from mpsc_graph import __version__
from mpsc_graph.errors import MpscError
from mpsc_graph.http_client import (
    AccessDenied,
    HttpClient,
    HttpSettings,
    HttpStatusError,
    NotHttpUrl,
    ResponseTooLarge,
    TimedOut,
    TooManyRedirects,
    Unreachable,
    WaitTooLong,
    retry_after,
)

URL = "http://store.test/sparql"


def scripted(answers: list[httpx.Response | Exception], settings: HttpSettings | None = None
             ) -> tuple[HttpClient, list[httpx.Request], list[float]]:
    """A client whose n-th request gets ``answers[n]`` (an exception is raised as the transport's)."""
    requests: list[httpx.Request] = []
    pauses: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        answer = answers[min(len(requests), len(answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    client = HttpClient(settings, sleep=pauses.append, transport=httpx.MockTransport(handler))
    return client, requests, pauses


@pytest.fixture
def free_port() -> Iterator[int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        yield probe.getsockname()[1]


def test_every_request_names_the_project_and_its_version() -> None:
    with LoopbackServer(lambda handler, _request: respond(handler, 200, b"ok")) as server, HttpClient() as client:
        reply = client.get(server.base + "/file")
    assert reply.content == b"ok" and reply.status == 200
    agent = server.received[0].headers["User-Agent"]
    assert agent.startswith(f"mpsc-graph/{__version__} ") and "https://w3id.org/mpsc-graph" in agent


def test_retry_after_in_seconds_is_honoured_and_the_count_is_bounded() -> None:
    busy = httpx.Response(429, headers={"Retry-After": "7"})
    client, requests, pauses = scripted([busy], HttpSettings(retries=2, backoff=0.5, max_wait=10))
    with pytest.raises(HttpStatusError, match=r"HTTP 429 Too Many Requests \(3 attempts\)") as raised:
        client.get(URL)
    assert len(requests) == 3 and pauses == [7.0, 7.0]
    assert raised.value.status == 429 and raised.value.url == URL and URL in str(raised.value)


def test_without_retry_after_the_pause_doubles_then_the_answer_comes() -> None:
    answers: list[httpx.Response | Exception] = [httpx.Response(503), httpx.Response(502),
                                                 httpx.Response(200, content=b"{}")]
    client, requests, pauses = scripted(answers, HttpSettings(retries=3, backoff=0.5))
    assert client.get(URL).content == b"{}"
    assert pauses == [0.5, 1.0] and len(requests) == 3


def test_retry_after_as_an_http_date() -> None:
    now = dt.datetime(2026, 11, 24, 12, 0, 0, tzinfo=dt.UTC)
    assert retry_after("Tue, 24 Nov 2026 12:00:30 GMT", now=now) == 30.0
    assert retry_after("Tue, 24 Nov 2026 11:00:00 GMT", now=now) == 0.0  # already past: no pause
    assert retry_after("soon") is None and retry_after(None) is None and retry_after("12") == 12.0


def test_a_longer_wait_than_accepted_stops_at_once() -> None:
    client, requests, pauses = scripted([httpx.Response(503, headers={"Retry-After": "3600"})],
                                        HttpSettings(retries=3, max_wait=60))
    with pytest.raises(WaitTooLong, match="asks to wait 3600 s") as raised:
        client.get(URL)
    assert len(requests) == 1 and pauses == [] and raised.value.seconds == 3600


def test_a_client_error_is_not_retried_and_quotes_the_server() -> None:
    client, requests, _ = scripted([httpx.Response(404, text="no such\n graph")])
    with pytest.raises(HttpStatusError, match=r"HTTP 404 Not Found; the server said: no such graph") as raised:
        client.get(URL, what="GET graph <g>")
    assert len(requests) == 1 and raised.value.status == 404
    assert str(raised.value).startswith(f"GET graph <g> at {URL}: ")


def test_access_denied_has_its_own_type_and_the_hint() -> None:
    client, requests, _ = scripted([httpx.Response(401)], HttpSettings(hints={401: "check --user"}))
    with pytest.raises(AccessDenied, match=r"HTTP 401 Unauthorized \(check --user\)"):
        client.get(URL)
    assert len(requests) == 1


def test_timeouts_are_retried_then_reported() -> None:
    client, requests, pauses = scripted([httpx.ReadTimeout("slow")], HttpSettings(timeout=5, retries=1, backoff=0.25))
    with pytest.raises(TimedOut, match=rf"{URL}: timed out after 5 s \(2 attempts\)"):
        client.get(URL)
    assert len(requests) == 2 and pauses == [0.25]


def test_a_refused_connection_is_retried_then_reported(free_port: int) -> None:
    url = f"http://127.0.0.1:{free_port}/sparql"  # nothing listens there
    pauses: list[float] = []
    with HttpClient(HttpSettings(retries=2, timeout=2, backoff=0.1), sleep=pauses.append) as client, \
            pytest.raises(Unreachable, match=r"cannot connect .*\(3 attempts\)") as raised:
        client.get(url)
    assert pauses == [0.1, 0.2] and raised.value.url == url


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    client, _, _ = scripted([httpx.Response(200, content=b"x" * 101)], HttpSettings(max_bytes=100))
    with pytest.raises(ResponseTooLarge, match="101 bytes, more than the limit of 100"):
        client.get(URL)


def test_an_undeclared_length_over_the_limit_is_cut_off_while_reading() -> None:
    def endless(handler: BaseHTTPRequestHandler, _request: Received) -> None:
        respond_without_length(handler, b"y" * 1024, 64)

    with LoopbackServer(endless) as server, HttpClient(HttpSettings(max_bytes=10_000, retries=0)) as client, \
            pytest.raises(ResponseTooLarge, match="larger than the limit of 10,000 bytes"):
        client.get(server.base + "/file")


def test_only_http_urls_are_asked() -> None:
    client, requests, _ = scripted([httpx.Response(200)])
    for url in ("file:///etc/passwd", "ftp://example.org/x", "localhost:7878/store", "http://"):
        with pytest.raises(NotHttpUrl, match="not an http"):
            client.get(url)
    assert requests == []


def test_a_redirect_to_another_scheme_is_refused() -> None:
    client, requests, _ = scripted([httpx.Response(302, headers={"Location": "file:///etc/passwd"})])
    with pytest.raises(NotHttpUrl, match=r"redirected to file://.*not an http"):
        client.get(URL)
    assert len(requests) == 1


def test_redirects_are_bounded() -> None:
    client, requests, _ = scripted([httpx.Response(302, headers={"Location": URL})], HttpSettings(max_redirects=3))
    with pytest.raises(TooManyRedirects, match=f"{URL}: more than 3 redirects"):
        client.get(URL)
    assert len(requests) == 4


def test_every_failure_is_an_mpsc_error_with_exit_code_2() -> None:
    for kind in (NotHttpUrl, Unreachable, TimedOut, WaitTooLong, ResponseTooLarge, HttpStatusError, AccessDenied,
                 TooManyRedirects):
        assert issubclass(kind, MpscError)
    client, _, _ = scripted([httpx.Response(500)], HttpSettings(retries=0))
    with pytest.raises(MpscError) as raised:
        client.get(URL)
    assert raised.value.exit_code == 2
