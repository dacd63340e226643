"""Hostile requests against a real server on loopback: each must cost the server a bounded amount and
leave it answering everyone else."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from mpsc_graph.server import running
from support import REPO

#: 70 bytes whose ORDER BY must hold the whole cross product of the store with itself
MEMORY_HOG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"
ASK = "ASK { ?s ?p ?o }"


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
          timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of one request (errors included)."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def query(base: str, text: str) -> tuple[int, dict[str, str], bytes]:
    return fetch(f"{base}/sparql?" + urllib.parse.urlencode({"query": text}),
                 headers={"Accept": "application/sparql-results+json"})


@pytest.fixture(scope="module")
def small_memory_server(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Workers limited to 256 MB each, and a timeout long enough that the memory limit is met first."""
    log = tmp_path_factory.mktemp("logs") / "memory.log"
    with running(REPO, store_dir=store_dir, log_file=log,
                 extra_args=["--max-memory", "256", "--workers", "2", "--timeout", "60"]) as base:
        yield base


def test_a_query_needing_more_than_max_memory_is_stopped_with_507_and_the_server_goes_on(
        small_memory_server: str) -> None:
    status, _, body = query(small_memory_server, MEMORY_HOG)
    assert status == 507, body
    assert b"the query needed more than --max-memory (256 MB per query worker)" in body
    status, _, body = query(small_memory_server, ASK)
    assert (status, body) == (200, b'{"head":{},"boolean":true}')


TOKEN = "update-token-0123456789"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def update_server(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """Update mode on a copy of the store; reads time out after 30 s."""
    import os
    import shutil

    copy = tmp_path_factory.mktemp("update") / "store"
    shutil.copytree(store_dir, copy)
    log = tmp_path_factory.mktemp("logs") / "update.log"
    with running(REPO, store_dir=copy, log_file=log, env={**os.environ, "MPSC_TOKEN": TOKEN},
                 extra_args=["--allow-update", "--token-env", "MPSC_TOKEN", "--workers", "3",
                             "--timeout", "30"]) as base:
        yield base, log


def _send_raw(base: str, text: str) -> socket.socket:
    """A GET of ``text`` on a raw socket, so the test decides when the client goes away."""
    host, port = base.removeprefix("http://").split(":")
    client = socket.create_connection((host, int(port)), timeout=10)
    target = "/sparql?" + urllib.parse.urlencode({"query": text})
    client.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/csv\r\n\r\n".encode())
    return client


def _wait_for_line(log: Path, needle: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if needle in log.read_text(errors="replace"):
            return True
        time.sleep(0.1)
    return False


def test_in_update_mode_a_runaway_read_blocks_neither_updates_nor_reads_and_ends_with_its_client(
        update_server: tuple[str, Path]) -> None:
    base, log = update_server
    runaway = _send_raw(base, RUNAWAY)
    try:
        time.sleep(0.5)  # the runaway is running in a read worker
        update = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:runaway-test> <urn:x:p> 1 } }"
        status, _, body = fetch(f"{base}/sparql", data=update.encode(), timeout=20, headers={
            "Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"})
        assert status == 204, body
        status, _, body = query(base, "ASK { <urn:x:runaway-test> <urn:x:p> 1 }")
        assert (status, body) == (200, b'{"head":{},"boolean":true}')  # the readers see the committed update
        runaway.settimeout(0.2)
        with pytest.raises(TimeoutError):
            runaway.recv(1)  # the runaway is still running: nothing answered yet
    finally:
        runaway.close()
    assert _wait_for_line(log, "request cancelled while the query ran", 10), "the runaway outlived its client"


def test_in_update_mode_an_update_sent_as_a_query_is_told_to_use_update(update_server: tuple[str, Path]) -> None:
    base, _ = update_server
    status, _, body = query(base, "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }")
    assert status == 400 and b"send it as update=" in body


ID = "https://w3id.org/mpsc-graph/id/"
HOSTILE_DATA = f"""
@prefix schema: <http://schema.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{ID}solution/hostile> a schema:SoftwareApplication ;
    rdfs:label "Hostile <!--<script> & friends" ;
    schema:url <javascript:alert(1)> ;
    schema:codeRepository <https://example.org/it's> ;
    schema:sameAs <data:text/html,hi> ;
    schema:email <mailto:not-a-contact-point@example.org> ;
    schema:contactPoint <{ID}contact/hostile> .
<{ID}contact/hostile> a schema:ContactPoint ;
    rdfs:label "Kontakt" ;
    schema:email <mailto:kontakt@example.org> ;
    schema:url <mailto:not-a-link@example.org> .
"""


@pytest.fixture(scope="module")
def hostile_data_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store holding IRIs with dangerous schemes and a literal that would break a careless page."""
    from pyoxigraph import NamedNode, RdfFormat, Store

    folder = tmp_path_factory.mktemp("hostile")
    store = Store(str(folder / "store"))
    store.load(HOSTILE_DATA.encode(), RdfFormat.TURTLE, to_graph=NamedNode("urn:x:hostile"))
    store.flush()
    del store
    with running(REPO, store_dir=folder / "store", extra_args=["--workers", "2"],
                 log_file=folder / "server.log") as base:
        yield base


def _links(page: str) -> list[str]:
    import re

    return re.findall(r'href="([^"]*)"', page)


def test_only_http_and_https_iris_become_links_on_entity_pages(hostile_data_server: str) -> None:
    status, _, body = fetch(f"{hostile_data_server}/doc/solution/hostile")
    page = body.decode()
    assert status == 200
    links = _links(page)
    assert '<link rel="icon" href="data:,">' in page  # the empty icon: the one data: address, and no link
    links.remove("data:,")
    assert not [link for link in links if link.lower().startswith(("javascript:", "data:", "mailto:"))], links
    assert "https://example.org/it&#39;s" in links  # quoted, so it cannot end the attribute
    assert 'title="javascript:alert(1)"' in page  # still shown, as text


def test_mailto_is_a_link_only_as_the_email_of_a_contact_point(hostile_data_server: str) -> None:
    status, _, body = fetch(f"{hostile_data_server}/doc/contact/hostile")
    links = _links(body.decode())
    assert status == 200
    assert "mailto:kontakt@example.org" in links and "mailto:not-a-link@example.org" not in links


def test_a_literal_with_comment_and_script_markup_cannot_break_the_embedded_json(hostile_data_server: str) -> None:
    import json
    import re

    _, _, body = fetch(f"{hostile_data_server}/doc/solution/hostile")
    page = body.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert "<" not in block and ">" not in block and "&" not in block
    assert "Hostile <!--<script> & friends" in json.dumps(json.loads(block), ensure_ascii=False)
    assert page.count("<script") == page.count("</script>")  # nothing opened that is not closed


def test_every_answer_carries_the_security_headers_and_no_inline_script_is_allowed(server: str) -> None:
    for path in ("/", "/query", "/doc/municipality/15002000", "/sparql?query=ASK%7B%7D", "/static/query.js",
                 "/no-such-page", "/api"):
        _, headers, _ = fetch(server + path)
        policy = headers.get("content-security-policy", "")
        directives = dict([*part.split(" ", 1), ""][:2] for part in policy.split("; "))
        assert directives.get("script-src") == "'self'", (path, policy)
        assert directives.get("connect-src") == "'self'" and directives.get("frame-ancestors") == "'none'", path
        assert headers.get("x-content-type-options") == "nosniff", path
        assert headers.get("referrer-policy") == "strict-origin-when-cross-origin", path


def test_only_the_allowed_host_names_are_answered_and_an_allowed_one_is_echoed(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    status, _, body = fetch(f"{server}/sparql", headers={"Host": "evil.example", "Accept": "text/turtle"})
    assert status == 400 and b"does not answer for the host 'evil.example'" in body
    status, _, _ = fetch(f"{server}/.well-known/void", headers={"Host": f"evil.example:{port}"})
    assert status == 400
    status, _, body = fetch(f"{server}/sparql", headers={"Host": f"localhost:{port}", "Accept": "text/turtle"})
    assert status == 200 and f"<http://localhost:{port}/sparql>".encode() in body  # sd:endpoint


@pytest.mark.parametrize("offset", ["9" * 30, "9" * 5000, "1000000001", "²"])
def test_an_out_of_range_api_offset_is_a_400(server: str, offset: str) -> None:
    status, _, body = fetch(f"{server}/api/labels?" + urllib.parse.urlencode({"offset": offset}))
    assert status == 400 and b"offset" in body, body[:200]


@pytest.fixture(scope="module")
def impatient_server(store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Clients have 2 s to send their headers."""
    log = tmp_path_factory.mktemp("logs") / "impatient.log"
    with running(REPO, store_dir=store_dir, log_file=log,
                 extra_args=["--header-timeout", "2", "--workers", "2"]) as base:
        yield base


def _connect(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=30)


def test_silent_connections_are_closed_after_the_header_timeout(impatient_server: str) -> None:
    silent = [_connect(impatient_server) for _ in range(32)]
    try:
        for sock in silent:
            sock.settimeout(30)  # far beyond the 2 s the server gives; recv returns b"" when it closes
            assert sock.recv(1) == b""
        status, _, _ = query(impatient_server, ASK)
        assert status == 200
    finally:
        for sock in silent:
            sock.close()


def test_a_huge_header_is_refused_with_431_without_stalling_other_requests(impatient_server: str) -> None:
    import threading

    events: list[str] = []
    attacker = _connect(impatient_server)

    def send_huge_header() -> None:
        try:
            attacker.sendall(b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Huge: ")
            chunk = b"a" * 1_048_576
            for _ in range(100):  # 100 MB, unless the server refuses first
                attacker.sendall(chunk)
        except OSError:
            events.append("attacker cut off")

    sender = threading.Thread(target=send_huge_header)
    sender.start()
    try:
        answer = attacker.recv(200)
        events.append("431" if answer.startswith(b"HTTP/1.1 431") else repr(answer[:40]))
        status, _, _ = query(impatient_server, ASK)
        events.append(f"other request {status}")
    finally:
        sender.join(60)
        attacker.close()
    # the sender's "cut off" and the reader's "431" race each other; the 431 comes before the other request
    assert "attacker cut off" in events and "other request 200" in events, events
    assert events.index("431") < events.index("other request 200"), events
