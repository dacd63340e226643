"""Compare two datasets entity by entity: what was added, removed, and for each changed entity which
properties changed from what to what.

Both datasets are first written as sorted canonical quad files (:mod:`.canon`); the comparison then
walks both files once, one subject at a time, so memory holds one subject's statements and the
changes found, never either dataset. Three aspects are told apart for each statement:

- a *fact* (subject, predicate, object) present on one side only;
- a *label* change: the same for naming and describing properties (labels, titles, comments), so that
  rewording never looks like a change of fact;
- a *provenance* change: the same fact, stated in other named graphs (moved from one source file to
  another).

Statements about blank nodes are compared by the nodes' canonical labels, i.e. by content; a blank
node's own statements are part of the entity that points to it, never an entity of their own.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from ..namespaces import DCT, MPSC, RDF, RDFS, SCHEMA, SKOS
from .canon import sorted_canonical_file

TYPE = f"<{RDF}type>"
LABEL_PREDICATES = frozenset(f"<{iri}>" for iri in (
    RDFS + "label", RDFS + "comment", SKOS + "prefLabel", SKOS + "altLabel", SKOS + "definition",
    SKOS + "scopeNote", SCHEMA + "name", SCHEMA + "description", DCT + "title", DCT + "description",
    "http://xmlns.com/foaf/0.1/name"))
ROLE_TYPE = f"<{MPSC}roleType>"
#: The kinds of entity the report names first, in this order; others follow under their class name.
KINDS = ("Adoption", "Role", "Membership", "Offer", "Cost", "Solution", "Module", "Source")


@dataclass
class PropertyChange:
    """One property of one entity: the values it lost and the values it gained."""

    predicate: str
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)


@dataclass
class GraphMove:
    """A statement that stayed true but is now stated in other named graphs."""

    predicate: str
    value: str
    old_graphs: list[str]
    new_graphs: list[str]


@dataclass
class EntityChange:
    """What happened to one subject between the two datasets."""

    subject: str
    kind: str
    status: str  # "added", "removed" or "changed"
    facts: list[PropertyChange] = field(default_factory=list)
    labels: list[PropertyChange] = field(default_factory=list)
    provenance: list[GraphMove] = field(default_factory=list)
    #: the entity's properties on the newer side (the older side when removed), for feeds and readers
    properties: dict[str, list[str]] = field(default_factory=dict)

    def values(self, predicate_iri: str) -> list[str]:
        return self.properties.get(f"<{predicate_iri}>", [])


@dataclass
class Diff:
    """Every entity that differs, in subject order; ``old`` and ``new`` say what was compared."""

    old: str
    new: str
    entities: list[EntityChange]

    @property
    def different(self) -> bool:
        return bool(self.entities)

    def of_status(self, status: str) -> list[EntityChange]:
        return [entity for entity in self.entities if entity.status == status]


Statement = tuple[str, str, str]  # predicate, object, graph


def _subjects(path: Path) -> Iterator[tuple[str, list[Statement]]]:
    """(subject, its statements) from a sorted canonical file, one subject at a time."""
    current: str | None = None
    statements: list[Statement] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            s, p, o, g = line.rstrip("\n").split("\t")
            if s != current:
                if current is not None:
                    yield current, statements
                current, statements = s, []
            statements.append((p, o, g))
    if current is not None:
        yield current, statements


def _kind(statements: list[Statement]) -> str:
    types = sorted(o for p, o, _ in statements if p == TYPE)
    names = [t.rstrip(">").rsplit("#", 1)[-1].rsplit("/", 1)[-1] for t in types]
    if "Role" in names and any(p == ROLE_TYPE and "member" in o for p, o, _ in statements):
        return "Membership"
    for kind in KINDS:
        if kind in names:
            return kind
    return names[0] if names else "Resource"


def _properties(statements: list[Statement]) -> dict[str, list[str]]:
    props: dict[str, set[str]] = {}
    for p, o, _ in statements:
        props.setdefault(p, set()).add(o)
    return {p: sorted(values) for p, values in sorted(props.items())}


def _facts(statements: list[Statement]) -> dict[tuple[str, str], set[str]]:
    facts: dict[tuple[str, str], set[str]] = {}
    for p, o, g in statements:
        facts.setdefault((p, o), set()).add(g)
    return facts


def compare_subject(subject: str, old: list[Statement], new: list[Statement]) -> EntityChange | None:
    """The change of one subject, or None when its statements (and their graphs) are the same."""
    if not old:
        return EntityChange(subject, _kind(new), "added", properties=_properties(new))
    if not new:
        return EntityChange(subject, _kind(old), "removed", properties=_properties(old))
    if old == new:
        return None
    old_facts, new_facts = _facts(old), _facts(new)
    change = EntityChange(subject, _kind(new), "changed", properties=_properties(new))
    by_predicate: dict[str, PropertyChange] = {}
    for (p, o) in sorted(old_facts.keys() | new_facts.keys()):
        before, after = old_facts.get((p, o)), new_facts.get((p, o))
        if before is not None and after is not None:
            if before != after:
                change.provenance.append(GraphMove(p, o, sorted(before), sorted(after)))
            continue
        entry = by_predicate.setdefault(p, PropertyChange(p))
        (entry.removed if after is None else entry.added).append(o)
    for p, entry in by_predicate.items():
        (change.labels if p in LABEL_PREDICATES else change.facts).append(entry)
    return change


def diff_files(old_file: Path, new_file: Path, old_name: str = "old", new_name: str = "new") -> Diff:
    """Walk two sorted canonical files in step and collect every entity that differs."""
    entities: list[EntityChange] = []
    olds, news = _subjects(old_file), _subjects(new_file)
    old_item, new_item = next(olds, None), next(news, None)
    while old_item is not None or new_item is not None:
        if new_item is None or (old_item is not None and old_item[0] < new_item[0]):
            assert old_item is not None
            subject, before, after = old_item[0], old_item[1], []
            old_item = next(olds, None)
        elif old_item is None or new_item[0] < old_item[0]:
            subject, before, after = new_item[0], [], new_item[1]
            new_item = next(news, None)
        else:
            subject, before, after = old_item[0], old_item[1], new_item[1]
            old_item, new_item = next(olds, None), next(news, None)
        if subject.startswith("_:"):
            continue  # a blank node's content is part of the value that names it
        change = compare_subject(subject, before, after)
        if change is not None:
            entities.append(change)
    return Diff(old_name, new_name, entities)


#: inputs larger than this together (bytes on disk, compressed counted ten times) are canonicalised in two
#: processes at once; below it starting them costs more than it saves
PARALLEL_BYTES = 32 * 2**20


def _bytes_on_disk(spec: str) -> int:
    path = Path(spec)
    if spec.startswith("git:") or not path.exists():
        return 0
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size * (10 if p.suffix == ".gz" else 1) for p in files)


def diff_datasets(old: str, new: str, *, workdir: Path | None = None) -> Diff:
    """Compare what ``old`` and ``new`` name (see :func:`.canon.dataset_quads`)."""
    with tempfile.TemporaryDirectory(prefix="mpsc-diff-", dir=workdir) as tmp:
        folder = Path(tmp)
        if _bytes_on_disk(old) + _bytes_on_disk(new) < PARALLEL_BYTES:
            old_file = sorted_canonical_file(old, folder, "old.lines")
            new_file = sorted_canonical_file(new, folder, "new.lines")
        else:  # parsing is most of the time and each side is independent: one process per side
            with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
                old_job = pool.submit(sorted_canonical_file, old, folder, "old.lines")
                new_job = pool.submit(sorted_canonical_file, new, folder, "new.lines")
                old_file, new_file = old_job.result(), new_job.result()
        return diff_files(old_file, new_file, old, new)
