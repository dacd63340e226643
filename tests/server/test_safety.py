"""Safe by default: SERVICE never fetched, updates refused, runaway queries killed, the rest keeps working."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from mpsc_graph.dataset import open_store
from mpsc_graph.errors import QueryRefused
from mpsc_graph.server import running
from mpsc_graph.sparql import run_query
from support import REPO, Listener, log_lines

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture
def listener() -> Iterator[Listener]:
    probe = Listener()
    yield probe
    probe.close()


def test_listener_counts_a_real_connection(listener: Listener) -> None:  # the probe itself works
    with socket.create_connection(("127.0.0.1", listener.sock.getsockname()[1]), timeout=2):
        pass
    time.sleep(0.3)
    assert listener.accepted == 1


def test_service_is_refused_and_never_fetched_through_the_endpoint(server: str, listener: Listener) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    for response in (httpx.get(f"{server}/sparql", params={"query": query}),
                     httpx.post(f"{server}/sparql", content=query.replace("SERVICE", "SERVICE SILENT"),
                                headers={"Content-Type": "application/sparql-query"})):
        assert response.status_code == 400
        assert "SERVICE" in response.text and "not allowed" in response.text
    time.sleep(0.3)
    assert listener.accepted == 0


def test_service_hidden_behind_a_comparison_is_refused_and_never_fetched(server: str, listener: Listener) -> None:
    # the engine reads "<" after ?o as less-than, then SERVICE, then a comment up to the line break
    query = f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o<1)SERVICE#>\n<{listener.url}> {{ ?a ?b ?c }} }}"
    response = httpx.post(f"{server}/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400 and "not allowed" in response.text
    time.sleep(0.3)
    assert listener.accepted == 0


def test_service_is_refused_and_never_fetched_by_the_library(store_dir: Path, listener: Listener) -> None:
    store = open_store(store_dir)
    with pytest.raises(QueryRefused, match="not allowed"):
        run_query(store, f"ASK {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    time.sleep(0.3)
    assert listener.accepted == 0


def test_update_is_refused_and_nothing_changes(server: str) -> None:
    probe = "ASK { <urn:x:s> <urn:x:p> <urn:x:o> }"
    update = "INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
    assert httpx.post(f"{server}/sparql", data={"update": update}).status_code == 403
    assert httpx.post(f"{server}/sparql", content=update,
                      headers={"Content-Type": "application/sparql-update"}).status_code == 403
    assert httpx.post(f"{server}/sparql", data={"query": update}).status_code == 403
    assert httpx.get(f"{server}/sparql", params={"update": update}).status_code == 403
    assert httpx.get(f"{server}/sparql", params={"query": probe}).json()["boolean"] is False


def test_runaway_query_gets_503_while_another_query_is_answered(strict_server: str, strict_log: Path) -> None:
    server = strict_server
    outcome: dict[str, object] = {}

    def runaway() -> None:
        response = httpx.get(f"{server}/sparql", params={"query": RUNAWAY}, timeout=30)
        outcome.update(status=response.status_code, text=response.text, finished=time.monotonic())

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)
    quick = httpx.get(f"{server}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }"})
    answered = time.monotonic()
    thread.join(30)
    assert quick.status_code == 200 and int(quick.json()["results"]["bindings"][0]["n"]["value"]) > 100
    assert outcome["status"] == 503 and "timed out" in str(outcome["text"])
    assert answered < outcome["finished"]  # the other query did not wait for the runaway
    assert log_lines(strict_log, "killed: timeout after 1 s before the first result")  # stopped by the deadline
    assert httpx.get(f"{server}/sparql", params={"query": "ASK {}"}).status_code == 200  # worker replaced


def test_query_timing_out_while_streaming_is_cut_off(strict_server: str, strict_log: Path) -> None:
    server = strict_server
    query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"  # ~30 million rows: streams until the deadline
    received = 0
    with pytest.raises(httpx.RemoteProtocolError), httpx.stream(
            "GET", f"{server}/sparql", params={"query": query}, headers={"Accept": "text/csv"}, timeout=30) as response:
        assert response.status_code == 200
        for chunk in response.iter_raw():
            received += len(chunk)
    assert received > 0
    assert httpx.get(f"{server}/sparql", params={"query": "ASK {}"}).status_code == 200
    # the cut-off is logged with its query, and the access log records the response as cut off
    assert any("?d ?e ?f" in line for line in log_lines(strict_log, "while streaming; response cut off"))
    records = [json.loads(line) for line in log_lines(strict_log, '"outcome": "cut-off"')]
    assert any(record["path"] == "/sparql" and record["status"] == 200 for record in records)


def test_the_row_limit_cuts_results_over_http(store_dir: Path) -> None:
    with running(REPO, store_dir=store_dir, extra_args=["--workers", "1", "--max-rows", "10"]) as base:
        answer = httpx.get(f"{base}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                           headers={"Accept": "application/sparql-results+json"}).json()
        assert len(answer["results"]["bindings"]) == 10
        table = httpx.get(f"{base}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                          headers={"Accept": "text/csv"}).text
        assert len(table.splitlines()) == 11  # the header and ten rows


def test_update_mode_needs_the_bearer_token(store_dir: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(store_dir, copy)
    env = {"MPSC_TEST_TOKEN": "s3cret-token-0123456789"}
    with running(REPO, store_dir=copy, extra_args=["--allow-update", "--token-env", "MPSC_TEST_TOKEN"],
                 env={**os.environ, **env}) as base:
        update = "INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> <urn:x:o> } }"
        assert httpx.post(f"{base}/sparql", data={"update": update}).status_code == 401
        assert httpx.post(f"{base}/sparql", data={"update": update},
                          headers={"Authorization": "Bearer wrong"}).status_code == 401
        done = httpx.post(f"{base}/sparql", content=update, headers={
            "Content-Type": "application/sparql-update", "Authorization": "Bearer s3cret-token-0123456789"})
        assert done.status_code == 204
        probe = "ASK { <urn:x:s> <urn:x:p> <urn:x:o> }"
        assert httpx.get(f"{base}/sparql", params={"query": probe}).json()["boolean"] is True
