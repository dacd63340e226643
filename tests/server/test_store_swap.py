"""A store rebuilt while the server runs is served from the next request on, with nothing cached of the old one."""

from __future__ import annotations

import gc
from pathlib import Path

import httpx
from pyoxigraph import Literal, NamedNode, Quad, Store

from mpsc_graph.atomic import replace_dir
from mpsc_graph.server import running
from support import REPO, log_lines

LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
QUERY = "SELECT ?l WHERE { <urn:x:thing> ?p ?l }"


def _store(directory: Path, label: str) -> Path:
    """A store holding one labelled thing, closed again (the server's workers open it read-only)."""
    store = Store(str(directory))
    store.add(Quad(NamedNode("urn:x:thing"), LABEL, Literal(label, language="en"), NamedNode("urn:x:g")))
    store.flush()
    del store
    gc.collect()
    return directory


def _labels(base: str) -> list[str]:
    response = httpx.get(f"{base}/sparql", params={"query": QUERY}, timeout=30)
    assert response.status_code == 200, response.text
    return [row["l"]["value"] for row in response.json()["results"]["bindings"]]


def test_a_rebuilt_store_is_served_at_once_and_its_labels_are_searched(tmp_path: Path) -> None:
    served = _store(tmp_path / "store", "Alpha")
    log = tmp_path / "serve.log"
    with running(REPO, store_dir=served, extra_args=["--workers", "2", "--timeout", "20"], log_file=log) as base:
        assert _labels(base) == ["Alpha"]
        assert "Alpha" in httpx.get(f"{base}/search", params={"q": "Alpha"}).text
        # what `mpsc-graph build` does: a new store beside the old one, moved into place by the same function
        replace_dir(_store(tmp_path / ".store.building", "Beta"), served)
        assert _labels(base) == ["Beta"]  # the first query after the swap already sees the new store
        assert _labels(base) == ["Beta"]
        page = httpx.get(f"{base}/search", params={"q": "Beta"}).text
        assert "urn:x:thing" in page or "Beta" in page.split("<main", 1)[-1]
        assert "Alpha" not in page.split("<main", 1)[-1]
    assert log_lines(log, "was rebuilt: now serving the new one")
