"""Which reuse questions the data answers, per solution: one named query per question in ``queries/coverage/``.

Each query returns every solution with the number of facts that answer its question (facts on a
module count for its solution); the report marks a solution answered or not for each question. A
question that is also a readiness criterion has its one query in ``queries/readiness/`` (the report
reads it there; it lists solutions and modules, the report keeps the solutions); only the funding
question, which no criterion asks, stays in ``queries/coverage/``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from .api import Graph
from .namespaces import XSD
from .queries import parse_query_file
from .sparql import Term

#: question (query file stem) → short heading, in the report's column order
QUESTIONS = {
    "offers": "offer", "operator": "operator", "maintenance": "maint./support", "costs": "costs",
    "funding": "funding", "contact": "contact", "standards": "standards", "licence": "licence",
    "repository": "repository",
}


@dataclass(frozen=True)
class ReuseCoverage:
    """Per solution (IRI, German label) the number of facts answering each question."""

    solutions: list[tuple[str, str, dict[str, int]]]

    def answered(self, question: str) -> int:
        return sum(1 for _iri, _label, counts in self.solutions if counts.get(question, 0))

    def to_text(self) -> str:
        width = max([len(label) for _i, label, _c in self.solutions] + [8])
        header = f"{'solution':<{width}}  " + "  ".join(QUESTIONS.values())
        lines = ["Reuse questions answered per solution (queries/coverage/*.rq; x = answered, - = no source):",
                 header]
        for _iri, label, counts in self.solutions:
            marks = "  ".join(f"{'x' if counts.get(q) else '-':^{len(h)}}" for q, h in QUESTIONS.items())
            lines.append(f"{label:<{width}}  {marks}")
        total = len(self.solutions)
        lines.append(f"{'answered':<{width}}  " + "  ".join(
            f"{self.answered(q):^{len(h)}}" for q, h in QUESTIONS.items()) + f"  (of {total})")
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps({
            "questions": list(QUESTIONS),
            "solutions": [{"solution": iri, "label": label, "answers": counts}
                          for iri, label, counts in self.solutions],
            "answered": {q: self.answered(q) for q in QUESTIONS},
        }, ensure_ascii=False, indent=2) + "\n"


def coverage_queries(queries_dir: Path) -> dict[str, Path]:
    """Each question's one query: the readiness criterion's file where there is one, else queries/coverage/."""
    found = {}
    for question in QUESTIONS:
        criterion = queries_dir / "readiness" / f"{question}.rq"
        found[question] = criterion if criterion.is_file() else queries_dir / "coverage" / f"{question}.rq"
    return found


def reuse_coverage(graph: Graph) -> ReuseCoverage:
    """Run every coverage query and collect its counts per solution."""
    table: dict[str, tuple[str, dict[str, int]]] = {}
    today = Literal(date.today().isoformat(), datatype=NamedNode(XSD + "date"))  # counts do not depend on it
    for question, path in coverage_queries(graph.project.queries_dir).items():
        query = parse_query_file(path)
        params: dict[str, Term] | None = {"_asOf": today} if any(p.name == "asOf" for p in query.params) else None
        for row in graph.select(query.text, params).records():
            if row.get("kind", "solution") != "solution":
                continue
            iri = str(row.get("asset") or row.get("solution"))
            _label, counts = table.setdefault(iri, (str(row.get("label") or iri), {}))
            counts[question] = int(row["answers"])
    return ReuseCoverage(sorted(((iri, label, counts) for iri, (label, counts) in table.items()),
                                key=lambda entry: entry[1].casefold()))
