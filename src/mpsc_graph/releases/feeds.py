"""Atom feeds (RFC 4287) of the release events: one for the whole dataset, one per solution and one
per municipality that an event concerns. Entries are dated by the release that first saw the
change, never by the clock, so writing the feeds again gives the same bytes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from pyoxigraph import NamedNode, Store

from ..namespaces import BASE, ID, RDF
from .events import Event
from .links import entity_feed

RDF_TYPE = NamedNode(RDF + "type")

ATOM = "http://www.w3.org/2005/Atom"
FEEDS = BASE + "feeds/"


def feed_paths(event: Event) -> list[str]:
    """The feeds an event belongs in, as paths below feeds/ (``all.atom`` always)."""
    paths = ["all.atom"]
    for iri in event["concerns"]:
        if iri.startswith(ID):
            paths.append(iri[len(ID):] + ".atom")
    return paths


def _stamp(day: str) -> str:
    return f"{day}T00:00:00Z"


def atom_feed(path: str, title: str, events: list[Event], updated: str) -> bytes:
    """One Atom document; ``events`` newest first."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "de"})

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    sub(feed, "id", FEEDS + path)
    sub(feed, "title", title)
    sub(feed, "updated", _stamp(updated))
    author = sub(feed, "author")
    sub(author, "name", "mpsc-graph")
    sub(feed, "link", rel="self", href=FEEDS + path, type="application/atom+xml")
    for event in events:
        entry = sub(feed, "entry")
        sub(entry, "id", event["id"])
        sub(entry, "title", event["title"])
        sub(entry, "updated", _stamp(event["updated"]))
        sub(entry, "link", rel="alternate", href=event["page"], type="text/html")
        for source in event["sources"]:
            sub(entry, "link", rel="related", href=source)
        sub(entry, "summary", f"Release {event['release']}: {event['event']} – {event['entity']}")
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8") + b"\n"


def feed_title(path: str) -> str:
    if path == "all.atom":
        return "mpsc-graph: alle Änderungen / all changes"
    return f"mpsc-graph: Änderungen zu / changes about {path.removesuffix('.atom')}"


def followed_feeds(store: Store) -> list[str]:
    """The feed path of every solution, module and municipality in ``store`` (the pages that link one)."""
    paths = {entity_feed(quad.subject.value, ID) for quad in store.quads_for_pattern(None, RDF_TYPE, None, None)
             if isinstance(quad.subject, NamedNode)}
    return sorted(path for path in paths if path is not None)


def write_feeds(events: Iterable[Event], out: Path, updated: str, followed: Iterable[str] = ()) -> list[str]:
    """Write every feed the events fill into ``out`` (all.atom even when empty), and an empty feed for each
    of the ``followed`` paths no event fills, so that a page's feed link never leads nowhere; return their paths."""
    by_feed: dict[str, list[Event]] = {"all.atom": []}
    by_feed.update((path, []) for path in followed)
    for event in events:
        for path in feed_paths(event):
            by_feed.setdefault(path, []).append(event)
    for path, items in sorted(by_feed.items()):
        items.sort(key=lambda e: (e["updated"], e["id"]), reverse=True)
        newest = items[0]["updated"] if items else updated
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(atom_feed(path, feed_title(path), items, max(newest, updated)))
    return sorted(by_feed)
