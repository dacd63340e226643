"""Hostile requests against a real server on loopback: each must cost the server a bounded amount and
leave it answering everyone else."""

from __future__ import annotations

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
