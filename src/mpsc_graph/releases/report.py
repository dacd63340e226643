"""A :class:`~.diff.Diff` as JSON, Markdown (``CHANGES.md``) and RDF (Turtle).

The RDF uses a small vocabulary under ``https://w3id.org/mpsc-graph/changes#`` (prefix ``chg:``),
described in docs/releases.md: a ``chg:ChangeSet`` (a ``prov:Entity`` derived from the two compared
datasets) has ``chg:change`` nodes, each a ``chg:EntityAdded``, ``chg:EntityRemoved`` or
``chg:EntityChanged`` about one ``chg:entity``; a changed entity has ``chg:propertyChange`` nodes
(``chg:aspect`` ``"fact"``, ``"label"`` or ``"provenance"``, ``chg:property``, ``chg:removedValue``,
``chg:addedValue``, and for provenance ``chg:fromGraph``/``chg:toGraph``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from ..namespaces import BASE, ID, PREFIXES, PROV, RDF, XSD
from .diff import KINDS, Diff, EntityChange, GraphMove, PropertyChange

CHG = BASE + "changes#"


def compact(term: str) -> str:
    """A readable short form of an N-Triples term: ``adoption/x`` for the project's entities,
    ``prefix:local`` for known namespaces, literals as written."""
    if term.startswith("<") and term.endswith(">"):
        iri = term[1:-1]
        if iri.startswith(ID):
            return iri[len(ID):]
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
            if iri.startswith(namespace) and "/" not in iri[len(namespace):]:
                return f"{prefix}:{iri[len(namespace):]}"
    if term.startswith('"') and term.endswith(">") and '"^^<' in term:
        value, datatype = term.rsplit("^^", 1)
        return f"{value}^^{compact(datatype)}"
    return term


def to_json(diff: Diff) -> str:
    def changes(items: list[PropertyChange]) -> list[dict[str, Any]]:
        return [{"property": c.predicate.strip("<>"), "removed": c.removed, "added": c.added} for c in items]

    def moves(items: list[GraphMove]) -> list[dict[str, Any]]:
        return [{"property": m.predicate.strip("<>"), "value": m.value,
                 "from_graphs": [g.strip("<>") for g in m.old_graphs],
                 "to_graphs": [g.strip("<>") for g in m.new_graphs]} for m in items]

    body = {
        "old": diff.old, "new": diff.new, "different": diff.different,
        "summary": summary(diff),
        "entities": [{"entity": e.subject.strip("<>"), "kind": e.kind, "status": e.status,
                      "facts": changes(e.facts), "labels": changes(e.labels), "provenance": moves(e.provenance)}
                     for e in diff.entities],
    }
    return json.dumps(body, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def summary(diff: Diff) -> dict[str, dict[str, int]]:
    """Counts per kind: added, removed, facts changed, labels only, provenance only."""
    counts: dict[str, dict[str, int]] = {}
    for entity in diff.entities:
        row = counts.setdefault(entity.kind, {"added": 0, "removed": 0, "changed": 0, "labels_only": 0,
                                              "provenance_only": 0})
        if entity.status != "changed":
            row[entity.status] += 1
        elif entity.facts:
            row["changed"] += 1
        elif entity.labels:
            row["labels_only"] += 1
        else:
            row["provenance_only"] += 1
    return dict(sorted(counts.items(), key=lambda item: _kind_order(item[0])))


def _kind_order(kind: str) -> tuple[int, str]:
    return (KINDS.index(kind) if kind in KINDS else len(KINDS), kind)


def _values(values: list[str]) -> str:
    return ", ".join(f"`{compact(v)}`" for v in values) if values else "–"


def to_markdown(diff: Diff, *, title: str | None = None) -> str:
    lines = [f"# {title or 'Changes'}", "", f"From `{diff.old}` to `{diff.new}`.", ""]
    if not diff.different:
        return "\n".join([*lines, "No changes.", ""])
    ordered = sorted(diff.entities, key=lambda e: (_kind_order(e.kind), e.subject))
    sections = [
        ("Added", [e for e in ordered if e.status == "added"]),
        ("Removed", [e for e in ordered if e.status == "removed"]),
        ("Changed facts", [e for e in ordered if e.status == "changed" and e.facts]),
        ("Changed labels only", [e for e in ordered if e.status == "changed" and not e.facts and e.labels]),
        ("Provenance changes (statements moved between named graphs)",
         [e for e in ordered if e.status == "changed" and e.provenance]),
    ]
    for heading, entities in sections:
        if not entities:
            continue
        lines += [f"## {heading}", ""]
        for entity in entities:
            lines.append(f"- {entity.kind} `{compact(entity.subject)}`")
            if heading.startswith("Changed facts"):
                lines += [f"  - {compact(c.predicate)}: {_values(c.removed)} → {_values(c.added)}"
                          for c in entity.facts]
                lines += [f"  - {compact(c.predicate)} (label): {_values(c.removed)} → {_values(c.added)}"
                          for c in entity.labels]
            elif heading.startswith("Changed labels"):
                lines += [f"  - {compact(c.predicate)}: {_values(c.removed)} → {_values(c.added)}"
                          for c in entity.labels]
            elif heading.startswith("Provenance"):
                lines += [f"  - {compact(m.predicate)} {_values([m.value])}: {_values(m.old_graphs)} → "
                          f"{_values(m.new_graphs)}" for m in entity.provenance]
        lines.append("")
    return "\n".join(lines)


def _term(text: str) -> NamedNode | Literal:
    """An N-Triples term string back as a term (IRIs as nodes, everything else as its N-Triples text)."""
    if text.startswith("<") and text.endswith(">"):
        return NamedNode(text[1:-1])
    return Literal(text)


def _node(*parts: str) -> NamedNode:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return NamedNode(f"{CHG}c-{digest}")


def to_quads(diff: Diff, changeset: str) -> list[Quad]:
    """The diff as RDF triples (in the default graph) about the change set ``changeset``."""
    c = lambda local: NamedNode(CHG + local)  # noqa: E731
    a = NamedNode(RDF + "type")
    root = NamedNode(changeset)
    out = [Quad(root, a, c("ChangeSet")), Quad(root, a, NamedNode(PROV + "Entity"))]
    for label in (diff.old, diff.new):
        if label.startswith(("http://", "https://")):
            out.append(Quad(root, NamedNode(PROV + "wasDerivedFrom"), NamedNode(label)))
    out.append(Quad(root, c("oldDataset"), Literal(diff.old)))
    out.append(Quad(root, c("newDataset"), Literal(diff.new)))
    status_class = {"added": "EntityAdded", "removed": "EntityRemoved", "changed": "EntityChanged"}
    for entity in diff.entities:
        node = _node(changeset, entity.subject)
        out += [Quad(root, c("change"), node), Quad(node, a, c(status_class[entity.status])),
                Quad(node, c("entity"), _term(entity.subject)), Quad(node, c("kind"), Literal(entity.kind))]
        for aspect, items in (("fact", entity.facts), ("label", entity.labels)):
            for item in items:
                pc = _node(changeset, entity.subject, aspect, item.predicate)
                out += [Quad(node, c("propertyChange"), pc), Quad(pc, c("aspect"), Literal(aspect)),
                        Quad(pc, c("property"), _term(item.predicate))]
                out += [Quad(pc, c("removedValue"), _term(v)) for v in item.removed]
                out += [Quad(pc, c("addedValue"), _term(v)) for v in item.added]
        for move in entity.provenance:
            pc = _node(changeset, entity.subject, "provenance", move.predicate, move.value)
            out += [Quad(node, c("propertyChange"), pc), Quad(pc, c("aspect"), Literal("provenance")),
                    Quad(pc, c("property"), _term(move.predicate)), Quad(pc, c("value"), _term(move.value))]
            out += [Quad(pc, c("fromGraph"), _term(g)) for g in move.old_graphs]
            out += [Quad(pc, c("toGraph"), _term(g)) for g in move.new_graphs]
    return out


def to_turtle(diff: Diff, changeset: str = CHG + "changeset") -> str:
    quads = sorted(set(to_quads(diff, changeset)), key=str)
    triples = [q.triple for q in quads]
    data = serialize(triples, format=RdfFormat.TURTLE,
                     prefixes={"chg": CHG, "prov": PROV, "xsd": XSD, **PREFIXES})
    assert data is not None
    return data.decode("utf-8")


def render(diff: Diff, fmt: str) -> str:
    if fmt == "json":
        return to_json(diff)
    if fmt == "turtle":
        return to_turtle(diff)
    return to_markdown(diff)


def entity_summary(entity: EntityChange) -> str:
    """One line for a feed entry's or a log's title."""
    return f"{entity.kind} {compact(entity.subject)} {entity.status}"
