"""Which reuse questions the data answers, per solution: one named query per question in ``queries/coverage/``.

Each query returns every solution with the number of facts that answer its question (facts on a
module count for its solution); the report marks a solution answered or not for each question. The
decision-support readiness criteria read the same queries, so each question has one answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .api import Graph
from .queries import parse_query_file

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
    folder = queries_dir / "coverage"
    return {question: folder / f"{question}.rq" for question in QUESTIONS}


def reuse_coverage(graph: Graph) -> ReuseCoverage:
    """Run every coverage query and collect its counts per solution."""
    table: dict[str, tuple[str, dict[str, int]]] = {}
    for question, path in coverage_queries(graph.project.queries_dir).items():
        for row in graph.select(parse_query_file(path).text).records():
            iri = str(row["solution"])
            _label, counts = table.setdefault(iri, (str(row.get("label") or iri), {}))
            counts[question] = int(row["answers"])
    return ReuseCoverage(sorted(((iri, label, counts) for iri, (label, counts) in table.items()),
                                key=lambda entry: entry[1].casefold()))
