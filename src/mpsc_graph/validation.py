"""SHACL validation of the whole dataset, with a report a data steward can act on.

Each result names the focus node by label and IRI, the path, the value, the message in the
chosen language, the severity, and the data file the node comes from. pySHACL is the reference
engine; it validates the union of all graphs, ontology included, so ``sh:class`` sees subclasses.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

import rdflib
from pyoxigraph import NamedNode, Store
from rdflib.namespace import RDFS, SH

from .convert import parse_turtle_files, union_graph
from .namespaces import graph_stem
from .project import Project

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True, order=True)
class Finding:
    """One validation result, reduced to what a reader needs."""

    severity: str
    focus: str
    focus_label: str
    path: str
    value: str
    message: str
    constraint: str
    shape: str
    files: tuple[str, ...] = field(default=())

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What two engines must agree on: focus node, path, constraint component, severity."""
        return (self.focus, self.path, self.constraint, self.severity)


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]

    @property
    def counts(self) -> Counter[str]:
        return Counter(f.severity for f in self.findings)

    @property
    def violations(self) -> int:
        return self.counts["Violation"]

    @property
    def warnings(self) -> int:
        return self.counts["Warning"]

    def exit_code(self, fail_on_warning: bool = False) -> int:
        if self.violations or (fail_on_warning and self.warnings):
            return 1
        return 0

    def to_text(self) -> str:
        lines: list[str] = []
        for severity in SEVERITIES:
            group = [f for f in self.findings if f.severity == severity]
            if not group:
                continue
            lines.append(f"{severity}s ({len(group)}):")
            for f in group:
                where = f" [{', '.join(f.files)}]" if f.files else ""
                value = f" = {f.value}" if f.value else ""
                path = f" {f.path}" if f.path else ""
                lines.append(f"  {f.focus_label} <{f.focus}>{where}\n    {path.strip()}{value}: {f.message}")
        lines.append(f"{self.violations} violation(s), {self.warnings} warning(s)")
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps(
            {"violations": self.violations, "warnings": self.warnings, "results": [asdict(f) for f in self.findings]},
            ensure_ascii=False,
            indent=2,
        )


def shapes_graph(project: Project) -> rdflib.Graph:
    return parse_turtle_files(project.shape_files())


def validate_store(store: Store, project: Project, *, lang: str = "de") -> tuple[Report, rdflib.Graph]:
    """Validate the store's union graph against the project's shapes with pySHACL."""
    from pyshacl import validate  # heavy import, only when validating

    data = union_graph(store)
    _conforms, results, _text = validate(
        data,
        shacl_graph=shapes_graph(project),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    assert isinstance(results, rdflib.Graph)
    return Report(tuple(sorted(_findings(results, data, store, lang)))), results


def _short(term: rdflib.term.Node | None, graph: rdflib.Graph) -> str:
    if term is None:
        return ""
    if isinstance(term, rdflib.BNode):
        inverse = graph.value(term, SH.inversePath)
        return f"^{_short(inverse, graph)}" if inverse is not None else "_:path"
    if isinstance(term, rdflib.URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:
            return str(term)
    return str(term)


def _label(node: rdflib.term.Node, data: rdflib.Graph, lang: str) -> str:
    labels = list(data.objects(node, RDFS.label))
    for wanted in (lang, "de", "en"):
        for label in labels:
            if isinstance(label, rdflib.Literal) and label.language == wanted:
                return str(label)
    return str(labels[0]) if labels else str(node)


def _message(result: rdflib.term.Node, results: rdflib.Graph, lang: str) -> str:
    messages = [m for m in results.objects(result, SH.resultMessage) if isinstance(m, rdflib.Literal)]
    for wanted in (lang, "en", None):
        for m in messages:
            if m.language == wanted:
                return str(m)
    return str(messages[0]) if messages else ""


def files_of(store: Store, iri: str) -> tuple[str, ...]:
    """The data files (graph stems) in which ``iri`` is described."""
    stems = {
        graph_stem(q.graph_name.value)
        for q in store.quads_for_pattern(NamedNode(iri), None, None, None)
        if isinstance(q.graph_name, NamedNode)
    }
    return tuple(sorted(s for s in stems if s))


def _findings(results: rdflib.Graph, data: rdflib.Graph, store: Store, lang: str) -> Iterable[Finding]:
    for graph in (data, results):
        graph.namespace_manager.bind("mpsc", "https://w3id.org/mpsc-graph/ontology#", replace=True)
        graph.namespace_manager.bind("schema", "http://schema.org/", replace=True, override=True)
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        severity = results.value(result, SH.resultSeverity)
        value = results.value(result, SH.value)
        focus_text = str(focus)
        yield Finding(
            severity=str(severity).rsplit("#", 1)[-1],
            focus=focus_text,
            focus_label=_label(focus, data, lang) if focus is not None else "",
            path=_short(results.value(result, SH.resultPath), results),
            value="" if value is None else str(value),
            message=_message(result, results, lang),
            constraint=str(results.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
            shape=str(results.value(result, SH.sourceShape)),
            files=files_of(store, focus_text) if isinstance(focus, rdflib.URIRef) else (),
        )
