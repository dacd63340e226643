"""The coverage report behind ``mpsc-graph stats``: every figure comes from a named query in ``queries/``.

- counts per class: ``class_counts``
- adoptions by mode and status: ``adoptions_by_mode_and_status``
- unsourced domain nodes (must be none): ``unsourced_nodes``
- municipalities and districts with and without a Wikidata link: ``wikidata_coverage``
- transfers and joint work: ``adoption_kinds`` (the one definition the networks use too)
- the data goals (how many adoptions are dated, have a known status, rest on more than one source;
  model projects with a solution node): ``adoption_edges`` and ``model_project_solutions``
- public bodies that take part in reuse, of those in the graph (the official directory): ``participants``

The goals guide the search for sources; they are not checks, so missing one does not change the exit code.
"""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from dataclasses import dataclass, field

from .api import Graph
from .namespaces import MPSC

#: the definitions the report states beside its counts (queries/adoption_kinds.rq computes them)
TRANSFER_DEFINITION = (
    "Transfer: an adoption whose adopter was not, at the adoption's start, a member of the same model project, "
    "alliance or Gemeindeverband as the origin, nor a member of the origin itself when the origin is such a group, "
    "whatever its mode.")
JOINT_WORK_DEFINITION = (
    "Joint work: an adoption between members of one model project, alliance or Gemeindeverband, or from such a "
    "group to one of its own members. A membership without dates counts for the whole period.")
KIND_LABELS = {"transfer": "transfer", "joint-work": "joint work"}


@dataclass(frozen=True)
class Goal:
    """One data goal: the measured value against its target (``at_least`` or at most)."""

    name: str
    value: float
    target: float
    at_least: bool
    unit: str = ""  # "%" for shares, "" for counts
    detail: str = ""  # e.g. "57 of 101"

    @property
    def met(self) -> bool:
        return self.value >= self.target if self.at_least else self.value <= self.target

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "value": self.value, "target": self.target,
                "comparison": ">=" if self.at_least else "<=", "unit": self.unit, "detail": self.detail,
                "met": self.met}


def _share(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


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
    kinds: dict[str, int] = field(default_factory=dict)  # "transfer" / "joint-work" -> adoptions
    goals: list[Goal] = field(default_factory=list)
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
        lines += ["", "Transfers and joint work (query adoption_kinds):",
                  *textwrap.wrap(TRANSFER_DEFINITION, 100, initial_indent="  ", subsequent_indent="    "),
                  *textwrap.wrap(JOINT_WORK_DEFINITION, 100, initial_indent="  ", subsequent_indent="    ")]
        lines += [f"  {self.kinds.get(kind, 0):>6}  {label}" for kind, label in KIND_LABELS.items()]
        lines += ["", "Goals (they guide the search for sources; not checks):"]
        width = max([len(g.name) for g in self.goals] + [4])
        for goal in self.goals:
            value = f"{goal.value:g}{goal.unit}"
            target = f"{'>=' if goal.at_least else '<='} {goal.target:g}{goal.unit}"
            detail = f" ({goal.detail})" if goal.detail else ""
            verdict = "met" if goal.met else "missed"
            lines.append(f"  {goal.name:<{width}}  {value:>7}  goal {target:<9} {verdict}{detail}")
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
            "adoption_kinds": {"counts": {kind: self.kinds.get(kind, 0) for kind in KIND_LABELS},
                               "transfer_definition": TRANSFER_DEFINITION,
                               "joint_work_definition": JOINT_WORK_DEFINITION},
            "goals": [goal.as_dict() for goal in self.goals],
            "participation": {k: {"participating": p, "in_directory": t} for k, (p, t) in self.participation.items()},
        }, ensure_ascii=False, indent=2) + "\n"


def goals(graph: Graph, kinds: dict[str, int], unsourced: int) -> list[Goal]:
    """The data goals, measured on the adoptions (``adoption_edges``) and on the model projects
    (``model_project_solutions``)."""
    edges = graph.query("adoption_edges").records()
    total = len(edges)
    dated = sum(1 for r in edges if r.get("start") is not None)
    unknown = sum(1 for r in edges if (r.get("status") or "unknown") == "unknown")
    single = sum(1 for r in edges if len((r.get("sources") or "").split()) <= 1)
    projects = graph.query("model_project_solutions").records()
    with_solution = sum(1 for r in projects if int(r["solutions"]) > 0)
    return [
        Goal("adoptions", total, 150, True),
        Goal("transfers", kinds.get("transfer", 0), 70, True),
        Goal("dated at least to the year", _share(dated, total), 70, True, "%", f"{dated} of {total}"),
        Goal("status unknown", _share(unknown, total), 30, False, "%", f"{unknown} of {total}"),
        Goal("on a single source", _share(single, total), 30, False, "%", f"{single} of {total}"),
        Goal("facts without a source", unsourced, 0, False),
        Goal("model projects with a solution node", with_solution, len(projects), True, "",
             f"{with_solution} of {len(projects)}"),
    ]


def coverage(graph: Graph) -> Coverage:
    """Run the named queries and collect their figures."""
    classes = [(str(r["class"]).removeprefix(MPSC), int(r["count"])) for r in graph.query("class_counts").records()]
    adoptions = [(_slug(r["mode"]), _slug(r["status"]), int(r["count"]))
                 for r in graph.query("adoptions_by_mode_and_status").records()]
    unsourced = [(str(r["entity"]), str(r["class"]).removeprefix(MPSC), r["label"] or "")
                 for r in graph.query("unsourced_nodes").records()]
    wikidata = {str(r["kind"]): (int(r["total"]), int(r["withWikidata"]), int(r["withoutWikidata"]))
                for r in graph.query("wikidata_coverage").records()}
    kinds: dict[str, int] = dict.fromkeys(KIND_LABELS, 0)
    for row in graph.query("adoption_kinds").records():
        kinds[str(row["kind"])] = kinds.get(str(row["kind"]), 0) + 1
    participating = Counter(str(r["kind"]).removeprefix(MPSC) for r in graph.query("participants").records())
    participation = {name: (participating[name], dict(classes).get(name, 0)) for name in PLACE_CLASSES}
    return Coverage(classes, adoptions, unsourced, wikidata, kinds, goals(graph, kinds, len(unsourced)), participation)
