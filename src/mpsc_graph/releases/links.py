"""The Atom feeds a page points to: the whole dataset's on every page and, on the page of a solution,
module or municipality, that entity's own, so that a reader (or a feed reader finding the page's
``<link rel="alternate">``) can follow it. Pages link feeds only when there are some: when the server
runs with ``--releases`` or the static site is exported with it."""

from __future__ import annotations

from dataclasses import dataclass

from ..server.webapp.words import words
from .events import FOLLOWED

ALL = "all.atom"


@dataclass(frozen=True)
class FeedLink:
    """One feed as a page shows it: where it is and what it is called in the page's language."""

    href: str
    title: str


def entity_feed(iri: str, id_base: str) -> str | None:
    """The feed path (below the feeds folder) of a followed entity's IRI, else None."""
    if not iri.startswith(id_base):
        return None
    local = iri[len(id_base) :]
    kind, _, key = local.partition("/")
    if not local.startswith(FOLLOWED) or not key or "/" in key:
        return None
    return f"{kind}/{key}.atom"


def feed_links(root: str | None, lang: str, id_base: str, iri: str | None = None, label: str = "") -> list[FeedLink]:
    """The feeds a page links to: none without ``root`` (no releases), else the whole dataset's and,
    for ``iri`` a followed entity, its own (named by ``label``)."""
    if root is None:
        return []
    w = words(lang)
    links = [FeedLink(root + ALL, w["feed_all"])]
    path = entity_feed(iri, id_base) if iri else None
    if path is not None:
        links.append(FeedLink(root + path, w["feed_of"].format(label=label)))
    return links
