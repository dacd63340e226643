"""The changes a follower of a solution or a municipality wants to hear about, taken from a diff:
a new adopter, a status change, an offer opened or closed, a contract or adoption that ended.

Each event names the entities it concerns (municipalities and solutions, directly or through one
module or offer), the page of the changed entity and its sources, and the release that first saw
it. Events are plain dictionaries so that a release can store them as JSON and later releases and
the feeds read them back without the dataset.
"""

from __future__ import annotations

import calendar
import hashlib
from datetime import date
from typing import Any

from pyoxigraph import Literal, NamedNode, Store

from ..namespaces import BASE, DCT, DOC, ID, MPSC, RDFS, SCHEMA
from .diff import Diff, EntityChange
from .report import compact

STATUS = f"<{MPSC}adoptionStatus>"
END_DATE = f"<{MPSC}endDate>"
#: the kinds of entity with a feed of their own (a module's changes also go to its solution's feed)
FOLLOWED = ("municipality/", "module/", "solution/")
Event = dict[str, Any]


def _iri(term: str) -> str | None:
    return term[1:-1] if term.startswith("<") and term.endswith(">") else None


def _properties(store: Store, iri: str) -> dict[str, list[str]]:
    props: dict[str, set[str]] = {}
    for quad in store.quads_for_pattern(NamedNode(iri), None, None, None):
        props.setdefault(str(quad.predicate), set()).add(str(quad.object))
    return {p: sorted(v) for p, v in props.items()}


def _concerns(properties: dict[str, list[str]], store: Store) -> list[str]:
    """Municipalities and solutions the entity links to, directly or through one linked entity."""
    found: set[str] = set()
    for values in properties.values():
        for value in values:
            iri = _iri(value)
            if iri is None or not iri.startswith(ID):
                continue
            local = iri[len(ID):]
            if local.startswith(FOLLOWED):
                found.add(iri)
            if local.startswith(("module/", "offer/")):
                for hop in _properties(store, iri).values():
                    found.update(i for i in map(_iri, hop) if i and i[len(ID):].startswith("solution/"))
    return sorted(found)


def _label(properties: dict[str, list[str]], subject: str) -> str:
    labels = properties.get(f"<{RDFS}label>", [])
    for wanted in ("@de", "@en", ""):
        for label in labels:
            if label.endswith(wanted) and label.startswith('"'):
                return label[1:label.rindex('"')]
    return compact(subject)


def _sources(properties: dict[str, list[str]], store: Store) -> list[str]:
    urls: set[str] = set()
    for value in properties.get(f"<{DCT}source>", []):
        iri = _iri(value)
        if iri:
            found = store.quads_for_pattern(NamedNode(iri), NamedNode(SCHEMA + "url"), None, None)
            urls.update(str(q.object.value) for q in found if isinstance(q.object, NamedNode))
    return sorted(urls)


def _event(kind: str, title: str, subject: str, properties: dict[str, list[str]], store: Store, version: str,
           issued: date) -> Event:
    entity = _iri(subject) or subject
    page = DOC + entity[len(ID):] if entity.startswith(ID) else entity
    digest = hashlib.sha256(f"{version}\x1f{kind}\x1f{entity}".encode()).hexdigest()[:16]
    return {"id": f"{BASE}release/{version}/changes#{kind}-{digest}", "event": kind, "title": title,
            "entity": entity, "page": page, "sources": _sources(properties, store),
            "concerns": _concerns(properties, store), "release": version, "updated": issued.isoformat()}


def period_end(literal: str) -> date | None:
    """The last day an ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` value covers."""
    text = literal[1:literal.rindex('"')] if literal.startswith('"') else literal
    try:
        parts = [int(p) for p in text[:10].split("-")]
    except ValueError:
        return None
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    return None


def events_of(diff: Diff, store: Store, version: str, issued: date, previous_issued: date | None) -> list[Event]:
    """Every event of the release ``version`` (``store`` holds its data), in entity order."""
    out: list[Event] = []
    seen_end: set[str] = set()
    for entity in diff.entities:
        props, label = entity.properties, _label(entity.properties, entity.subject)
        if entity.kind == "Adoption" and entity.status == "added":
            out.append(_event("new-adopter", f"Neue Nachnutzung / new adoption: {label}", entity.subject, props,
                              store, version, issued))
        elif entity.kind == "Offer" and entity.status in ("added", "removed"):
            word = "Angebot eröffnet / offer opened" if entity.status == "added" else \
                "Angebot beendet / offer closed"
            out.append(_event(f"offer-{'opened' if entity.status == 'added' else 'closed'}", f"{word}: {label}",
                              entity.subject, props, store, version, issued))
        if entity.status != "changed":
            continue
        out += _changed(entity, label, store, version, issued, seen_end)
    if previous_issued is not None:
        for quad in store.quads_for_pattern(None, NamedNode(MPSC + "endDate"), None, None):
            subject = str(quad.subject)
            end = period_end(str(quad.object)) if isinstance(quad.object, Literal) else None
            if subject in seen_end or end is None or not previous_issued < end <= issued:
                continue
            seen_end.add(subject)
            props = _properties(store, subject[1:-1])
            out.append(_event("ended", f"Beendet am / ended on {end.isoformat()}: {_label(props, subject)}", subject,
                              props, store, version, issued))
    return sorted(out, key=lambda e: (e["entity"], e["event"]))


def _changed(entity: EntityChange, label: str, store: Store, version: str, issued: date,
             seen_end: set[str]) -> list[Event]:
    out: list[Event] = []
    for change in entity.facts:
        if change.predicate == STATUS:
            before = ", ".join(compact(v).rsplit("/", 1)[-1] for v in change.removed) or "–"
            after = ", ".join(compact(v).rsplit("/", 1)[-1] for v in change.added) or "–"
            out.append(_event("status-change", f"Status {before} → {after}: {label}", entity.subject,
                              entity.properties, store, version, issued))
        elif change.predicate == END_DATE and change.added:
            seen_end.add(entity.subject)
            end = ", ".join(v[1:v.rindex('"')] for v in change.added)
            out.append(_event("ended", f"Beendet am / ended on {end}: {label}", entity.subject, entity.properties,
                              store, version, issued))
    return out
