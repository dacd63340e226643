"""Where a web-application page links an IRI: solutions, modules and municipalities to their profiles,
every other IRI as the linked-data pages do (:meth:`PageView.href`)."""

from __future__ import annotations

from ..entity_page import PageView

#: the kinds of thing that have a profile page of the web application, by the first segment of their IRI path
PROFILE_KINDS = ("solution", "module", "municipality")


def page_href(v: PageView, iri: str) -> str | None:
    """The profile page of ``iri`` when it has one, else its linked-data page (None where it is unsafe)."""
    if iri.startswith(v.id_base):
        kind, _, key = iri[len(v.id_base):].partition("/")
        if kind in PROFILE_KINDS and key and "/" not in key:
            return v.at(f"/{kind}/{key}")
    return v.href(iri)
