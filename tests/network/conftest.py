"""Fixtures of the network tests: the real adoption graph and a remote endpoint serving the real data.

The remote endpoint is Oxigraph's own server (the ``oxigraph`` CLI of the dev dependencies) over a
store built by ``build_store``, on a free loopback port; it is stopped by PID at the end.
"""

from __future__ import annotations

import subprocess
import time
import urllib.request
from collections.abc import Iterator

import networkx as nx
import pytest

from mpsc_graph.api import Graph
from mpsc_graph.dataset import build_store
from mpsc_graph.network import adoption_digraph
from mpsc_graph.project import Project
from support import free_port, stop, tool


@pytest.fixture(scope="session")
def adoption(graph: Graph) -> nx.MultiDiGraph:
    return adoption_digraph(graph)


@pytest.fixture(scope="session")
def endpoint(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a SPARQL endpoint (Oxigraph server, union default graph) over the real data."""
    binary = tool("oxigraph")
    assert binary is not None, "the oxigraph CLI is a dev dependency (pyproject [dev]); run 'make install'"
    store_dir = tmp_path_factory.mktemp("remote") / "store"
    build_store(project, store_dir)
    port = free_port()
    process = subprocess.Popen(
        [str(binary), "serve-read-only", "--location", str(store_dir), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(100):  # bounded: 10 s
            try:
                with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1):
                    break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("oxigraph server exited before answering") from None
                time.sleep(0.1)
        else:
            raise RuntimeError("oxigraph server did not answer within 10 s")
        yield url
    finally:
        stop(process)
