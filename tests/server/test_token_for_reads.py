"""``serve --token-for-reads``: every request, reads and pages included, needs the bearer token."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest
from click.testing import CliRunner

from mpsc_graph.cli import main
from mpsc_graph.server import free_port, running
from support import REPO

TOKEN = "read-token-0123456789abcdef"


@pytest.fixture(scope="module")
def private_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from pyoxigraph import NamedNode, Quad, Store

    folder = tmp_path_factory.mktemp("private")
    store = Store(str(folder / "store"))
    store.add(Quad(NamedNode("urn:x:s"), NamedNode("urn:x:p"), NamedNode("urn:x:o"), NamedNode("urn:x:g")))
    store.flush()
    del store
    with running(
        REPO,
        store_dir=folder / "store",
        extra_args=["--workers", "2", "--token-for-reads", "--token-env", "MPSC_READ_TOKEN"],
        env={"MPSC_READ_TOKEN": TOKEN},
        log_file=folder / "server.log",
    ) as base:
        yield base


def status_of(
    url: str, token: str | None = None, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, Message]:
    request = urllib.request.Request(
        url, method=method, headers={**({"Authorization": f"Bearer {token}"} if token else {}), **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers  # a Message: names case-insensitive


@pytest.mark.parametrize(
    "path",
    [
        "/sparql?query=ASK%7B%7D",
        "/sparql",
        "/doc/x",
        "/query",
        "/static/style.css",
        "/api/openapi.json",
        "/.well-known/void",
    ],
)
def test_without_the_token_nothing_is_answered(private_server: str, path: str) -> None:
    status, headers = status_of(private_server + path)
    assert status == 401 and headers.get("WWW-Authenticate", "").startswith("Bearer")
    assert status_of(private_server + path, "wrong-token-0123456789abcdef")[0] == 401


def test_with_the_token_reads_are_answered(private_server: str) -> None:
    assert status_of(private_server + "/sparql?query=ASK%7B%7D", TOKEN)[0] == 200
    assert status_of(private_server + "/static/style.css", TOKEN)[0] == 200


def test_a_cors_preflight_needs_no_token(private_server: str) -> None:
    """Browsers send preflights without credentials; the request that follows carries the token."""
    status, headers = status_of(
        private_server + "/sparql",
        method="OPTIONS",
        headers={
            "Origin": "http://127.0.0.1:1",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization",
        },
    )
    assert status == 204 and "Authorization" in headers.get("access-control-allow-headers", "")


def test_token_for_reads_needs_a_token(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["serve", "--root", str(REPO), "--port", str(free_port()), "--store", str(tmp_path), "--token-for-reads"]
    )
    assert result.exit_code == 2 and "--token-for-reads needs --token-env" in result.output
    assert "Traceback" not in result.output
