"""Feeds from release events: valid Atom, one feed per solution and municipality concerned, dated by the
release that first saw the change; /feeds/ served only with --releases; end dates inside a release's window."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import feedparser  # type: ignore[import-untyped]
from pyoxigraph import Literal, NamedNode, Quad, Store
from starlette.testclient import TestClient

from mpsc_graph.namespaces import ID, MPSC, RDF
from mpsc_graph.releases.diff import Diff
from mpsc_graph.releases.events import events_of, period_end
from mpsc_graph.releases.release import write_release_feeds
from mpsc_graph.server import create_app
from mpsc_graph.server.config import ServerConfig


def event(version: str, day: str, kind: str, entity: str, concerns: list[str]) -> dict[str, object]:
    return {"id": f"https://w3id.org/mpsc-graph/release/{version}/changes#{kind}-{entity}", "event": kind,
            "title": f"{kind} {entity}", "entity": ID + entity, "page": "https://w3id.org/mpsc-graph/doc/" + entity,
            "sources": ["https://example.org/source"], "concerns": [ID + c for c in concerns], "release": version,
            "updated": day}


def releases_root(tmp_path: Path) -> Path:
    root = tmp_path / "releases"
    for version, day, events in (
        ("1.0.0", "2026-01-01", [event("1.0.0", "2026-01-01", "new-adopter", "adoption/a", ["solution/s",
                                                                                            "municipality/01001000"])]),
        ("1.2.0", "2026-03-01", [event("1.2.0", "2026-03-01", "status-change", "adoption/a", ["solution/s"])]),
    ):
        (root / version).mkdir(parents=True)
        (root / version / "changes.json").write_text(json.dumps({"issued": day, "events": events}), encoding="utf-8")
    return root


def test_feeds_of_all_releases_dated_by_the_release_that_saw_each_change(tmp_path: Path) -> None:
    out = tmp_path / "feeds"
    assert write_release_feeds(releases_root(tmp_path), out) == [
        "all.atom", "municipality/01001000.atom", "solution/s.atom"]
    solution = feedparser.parse((out / "solution" / "s.atom").read_bytes())
    assert solution.bozo == 0
    assert [(e.updated[:10], e.link) for e in solution.entries] == [
        ("2026-03-01", "https://w3id.org/mpsc-graph/doc/adoption/a"),
        ("2026-01-01", "https://w3id.org/mpsc-graph/doc/adoption/a")]
    assert solution.feed.updated.startswith("2026-03-01")
    municipality = feedparser.parse((out / "municipality" / "01001000.atom").read_bytes())
    assert municipality.bozo == 0 and [e.title for e in municipality.entries] == ["new-adopter adoption/a"]


def test_feeds_are_served_only_with_releases(tmp_path: Path) -> None:
    root = releases_root(tmp_path)
    write_release_feeds(root, root / "1.2.0" / "feeds")
    off = TestClient(create_app(ServerConfig(store_dir=tmp_path / "none")))
    answer = off.get("/feeds/all.atom")
    assert answer.status_code == 404 and "--releases" in answer.text
    on = TestClient(create_app(ServerConfig(store_dir=tmp_path / "none", releases_dir=root)))
    answer = on.get("/feeds/solution/s.atom")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/atom+xml")
    assert feedparser.parse(answer.content).bozo == 0
    assert on.get("/feeds/solution/unknown.atom").status_code == 404
    assert on.get("/feeds/..%2F1.2.0%2Fchanges.json").status_code == 404


def test_an_existing_end_date_inside_the_release_window_is_an_event() -> None:
    store = Store()
    for key, end in (("inside", "2026-02"), ("before", "2025-12-31"), ("after", "2027")):
        node = NamedNode(f"{ID}adoption/{key}")
        store.add(Quad(node, NamedNode(RDF + "type"), NamedNode(MPSC + "Adoption")))
        store.add(Quad(node, NamedNode(MPSC + "adopter"), NamedNode(f"{ID}municipality/01001000")))
        store.add(Quad(node, NamedNode(MPSC + "endDate"), Literal(end)))
    events = events_of(Diff("1.0.0", "1.1.0", []), store, "1.1.0", date(2026, 3, 1), date(2026, 1, 1))
    assert [(e["event"], e["entity"].rsplit("/", 1)[-1], e["concerns"]) for e in events] == [
        ("ended", "inside", [f"{ID}municipality/01001000"])]
    assert period_end('"2026-02"') == date(2026, 2, 28) and period_end('"2024"') == date(2024, 12, 31)
