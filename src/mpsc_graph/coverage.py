"""The coverage report behind ``mpsc-graph stats``: every figure comes from a named query in ``queries/``.

- counts per class: ``class_counts``
- adoptions by mode and status: ``adoptions_by_mode_and_status``
- unsourced domain nodes (must be none): ``unsourced_nodes``
- municipalities and districts with and without a Wikidata link: ``wikidata_coverage``
- public bodies that take part in reuse, of those in the graph (the official directory): ``participants``
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from .api import Graph
from .namespaces import MPSC

#: The classes of the official municipality directory, whose participation stats reports.
PLACE_CLASSES = ("Municipality", "District", "MunicipalAssociation")


def _slug(iri: str | None) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1] if iri else "(none)"


@dataclass(frozen=True)
class Coverage:
    """The figures of one dataset."""

    classes: list[tuple[str, int]]  # (class local name, instances)
    adoptions: list[tuple[str, str, int]]  # (mode slug or "(none)", status slug or "(none)", adoptions)
    unsourced: list[tuple[str, str, str]]  # (entity IRI, class local name, German label or "")
    wikidata: dict[str, tuple[int, int, int]]  # kind -> (total, with link, without link)
    participation: dict[str, tuple[int, int]] = field(default_factory=dict)  # class -> (participating, in graph)

    @property
    def adoption_total(self) -> int:
        return sum(count for _mode, _status, count in self.adoptions)

    def class_count(self, name: str) -> int:
        return dict(self.classes).get(name, 0)

    def to_text(self) -> str:
        lines = ["Instances per class (query class_counts):"]
        lines += [f"  {count:>6}  {name}" for name, count in self.classes]
        lines += ["", "Adoptions by mode and status (query adoptions_by_mode_and_status):"]
        width = max([len(m) for m, _s, _c in self.adoptions] + [4])
        lines += [f"  {count:>6}  {mode:<{width}}  {status}" for mode, status, count in self.adoptions]
        lines += [f"  {self.adoption_total:>6}  total"]
        lines += ["", f"Unsourced domain nodes (query unsourced_nodes): {len(self.unsourced)}"]
        lines += [f"  {cls}: {label or iri} <{iri}>" for iri, cls, label in self.unsourced]
        lines += ["", "Public bodies taking part in reuse (query participants), of those in the directory:"]
        lines += [f"  {name}: {taking} participating / {total} in the directory"
                  for name, (taking, total) in self.participation.items()]
        lines += ["", "Wikidata links (query wikidata_coverage):"]
        for kind, (total, linked, unlinked) in self.wikidata.items():
            lines.append(f"  {kind}: {total} in the graph, {linked} with a Wikidata link, {unlinked} without")
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps({
            "classes": dict(self.classes),
            "adoptions_by_mode_and_status": [{"mode": m, "status": s, "count": c} for m, s, c in self.adoptions],
            "adoptions_total": self.adoption_total,
            "unsourced": [{"entity": i, "class": c, "label": lab} for i, c, lab in self.unsourced],
            "wikidata": {k: {"total": t, "with": w, "without": wo} for k, (t, w, wo) in self.wikidata.items()},
            "participation": {k: {"participating": p, "in_directory": t} for k, (p, t) in self.participation.items()},
        }, ensure_ascii=False, indent=2) + "\n"


def coverage(graph: Graph) -> Coverage:
    """Run the named queries and collect their figures."""
    classes = [(str(r["class"]).removeprefix(MPSC), int(r["count"])) for r in graph.query("class_counts").records()]
    adoptions = [(_slug(r["mode"]), _slug(r["status"]), int(r["count"]))
                 for r in graph.query("adoptions_by_mode_and_status").records()]
    unsourced = [(str(r["entity"]), str(r["class"]).removeprefix(MPSC), r["label"] or "")
                 for r in graph.query("unsourced_nodes").records()]
    wikidata = {str(r["kind"]): (int(r["total"]), int(r["withWikidata"]), int(r["withoutWikidata"]))
                for r in graph.query("wikidata_coverage").records()}
    participating = Counter(str(r["kind"]).removeprefix(MPSC) for r in graph.query("participants").records())
    participation = {name: (participating[name], dict(classes).get(name, 0)) for name in PLACE_CLASSES}
    return Coverage(classes, adoptions, unsourced, wikidata, participation)
