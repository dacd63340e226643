"""Pages link the Atom feeds when there are releases: every page the whole dataset's feed, the page of a
solution, module or municipality also its own, in the head (for feed readers) and as a visible link;
without releases no page links a feed. A followed entity no release changed has an empty, valid feed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import feedparser  # type: ignore[import-untyped]
import pytest
from pyoxigraph import NamedNode, Quad, Store
from starlette.testclient import TestClient

from mpsc_graph.dataset import build_store
from mpsc_graph.namespaces import ID, MPSC, ONTOLOGY_IRI, RDF
from mpsc_graph.project import Project
from mpsc_graph.releases.feeds import followed_feeds
from mpsc_graph.releases.release import write_release_feeds
from mpsc_graph.server import create_app
from mpsc_graph.server.config import ServerConfig
from mpsc_graph.server.entity_page import Labels, PageView, entity_facts, render_entity_page
from support import small_project

HALLE = "municipality/15002000"
ATOM_LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)" title="([^"]+)">')
VISIBLE_LINK = re.compile(r'<a class="feed" href="([^"]+)" type="application/atom\+xml">([^<]+)</a>')


def releases_root(tmp_path: Path) -> Path:
    """One release whose only change concerns the Open SmartCity App and Halle (Saale)."""
    folder = tmp_path / "releases" / "1.0.0"
    folder.mkdir(parents=True)
    event = {
        "id": "https://w3id.org/mpsc-graph/release/1.0.0/changes#new-adopter-1",
        "event": "new-adopter",
        "title": "Neue Nachnutzung / new adoption: X",
        "entity": ID + "adoption/x",
        "page": "https://w3id.org/mpsc-graph/doc/adoption/x",
        "sources": [],
        "release": "1.0.0",
        "concerns": [ID + "solution/osca", ID + HALLE],
        "updated": "2026-01-01",
    }
    (folder / "changes.json").write_text(json.dumps({"issued": "2026-01-01", "events": [event]}), encoding="utf-8")
    write_release_feeds(folder.parent, folder / "feeds")
    return folder.parent


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small project and its store."""
    root = small_project(tmp_path_factory.mktemp("feedlinks") / "project")
    return root, build_store(Project.at(root), root.parent / "store").store_dir


def client(small: tuple[Path, Path], releases: Path | None) -> Iterator[TestClient]:
    root, store = small
    config = ServerConfig(store_dir=store, queries_dir=root / "queries", workers=2, releases_dir=releases)
    with TestClient(create_app(config)) as running:
        yield running


@pytest.fixture(scope="module")
def with_releases(small: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from client(small, releases_root(tmp_path_factory.mktemp("feedlinks-releases")))


@pytest.fixture(scope="module")
def without_releases(small: tuple[Path, Path]) -> Iterator[TestClient]:
    yield from client(small, None)


@pytest.mark.parametrize(
    ("path", "own_feed"),
    [
        ("/solution/osca", "/feeds/solution/osca.atom"),
        ("/module/hal-plan-core", "/feeds/module/hal-plan-core.atom"),
        (f"/doc/{HALLE}", f"/feeds/{HALLE}.atom"),
        (f"/{HALLE}", f"/feeds/{HALLE}.atom"),
        ("/doc/solution/osca?lang=en", "/feeds/solution/osca.atom"),
        ("/solutions", None),
        ("/", None),
    ],
)
def test_pages_link_the_dataset_feed_and_their_entitys_own(
    with_releases: TestClient, path: str, own_feed: str | None
) -> None:
    page = with_releases.get(path).text
    head = page[: page.index("</head>")]
    expected = ["/feeds/all.atom"] + ([own_feed] if own_feed else [])
    assert [href for href, _ in ATOM_LINK.findall(head)] == expected
    assert [href for href, _ in VISIBLE_LINK.findall(page)] == expected
    titles = [title for _, title in VISIBLE_LINK.findall(page)]
    if "lang=en" in path:
        assert titles == ["All changes as a feed (Atom)", "Changes to Open SmartCity App (OSCA) as a feed (Atom)"]
    elif path == "/solution/osca":
        assert titles == ["Alle Änderungen als Feed (Atom)", "Änderungen zu Open SmartCity App (OSCA) als Feed (Atom)"]


@pytest.mark.parametrize(
    "path", ["/solution/osca", "/module/hal-plan-core", f"/doc/{HALLE}", f"/{HALLE}", "/solutions", "/"]
)
def test_without_releases_no_page_links_a_feed(without_releases: TestClient, path: str) -> None:
    page = without_releases.get(path)
    assert page.status_code == 200
    assert "application/atom+xml" not in page.text and "/feeds/" not in page.text


def test_every_linked_feed_answers_with_valid_atom(with_releases: TestClient) -> None:
    for path in ("/feeds/all.atom", "/feeds/solution/osca.atom", f"/feeds/{HALLE}.atom"):
        parsed = feedparser.parse(with_releases.get(path).content)
        assert parsed.bozo == 0 and len(parsed.entries) == 1, path
    unchanged = with_releases.get("/feeds/module/hal-plan-core.atom")  # no release changed it yet
    assert unchanged.status_code == 200 and unchanged.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(unchanged.content)
    assert parsed.bozo == 0 and parsed.entries == [] and parsed.feed.updated.startswith("2026-01-01")
    assert with_releases.get("/feeds/solution/no-such-solution.atom").status_code == 404
    assert with_releases.get("/feeds/adoption/magdeburg-hal-plan.atom").status_code == 404


def test_static_pages_link_the_feeds_the_export_writes(tmp_path: Path) -> None:
    store = Store()
    halle = ID + HALLE
    view = PageView(
        "de", Labels({halle: {"de": "Halle (Saale)"}}, {}), ID, ONTOLOGY_IRI, live=False, feed_root="/feeds/"
    )
    page = render_entity_page(view, entity_facts(halle, [], [], []), "{}", f"/doc/{HALLE}")
    assert [href for href, _ in ATOM_LINK.findall(page)] == ["/feeds/all.atom", f"/feeds/{HALLE}.atom"]
    assert (f"/feeds/{HALLE}.atom", "Änderungen zu Halle (Saale) als Feed (Atom)") in VISIBLE_LINK.findall(page)
    plain = PageView("de", Labels({}, {}), ID, ONTOLOGY_IRI, live=False)
    assert "application/atom+xml" not in render_entity_page(
        plain, entity_facts(halle, [], [], []), "{}", f"/doc/{HALLE}"
    )
    for iri, cls in ((halle, "Municipality"), (ID + "adoption/x", "Adoption")):
        store.add(Quad(NamedNode(iri), NamedNode(RDF + "type"), NamedNode(MPSC + cls)))
    assert followed_feeds(store) == [f"{HALLE}.atom"]
    written = write_release_feeds(
        releases_root(tmp_path), tmp_path / "site-feeds", [*followed_feeds(store), "module/hal-plan-core.atom"]
    )
    assert written == ["all.atom", "module/hal-plan-core.atom", f"{HALLE}.atom", "solution/osca.atom"]
    assert feedparser.parse((tmp_path / "site-feeds" / "module" / "hal-plan-core.atom").read_bytes()).bozo == 0
