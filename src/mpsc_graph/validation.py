"""SHACL validation of the whole dataset, with a report a data steward can act on.

Each result names the focus node by label and IRI, the path, the value, the message in the
chosen language, the severity, and the data file and line the node comes from. pySHACL is the reference
engine; it validates the union of all graphs, ontology included, so ``sh:class`` sees subclasses.

:func:`validate` is the one entry point for readers (the CLI, ``add``): it runs an engine, then
:func:`explain` says what a shape alone cannot: that a referenced IRI is defined nowhere (a typo
sends a steward looking at "exactly one adopter required" otherwise) and on which line of which
file the entity is written. A baseline (:func:`write_baseline`, :meth:`Report.without`) hides the
findings a project already knows, so a new problem stands out among the standing warnings.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import rdflib
from pyoxigraph import NamedNode, Store
from rdflib.namespace import RDFS, SH

from .convert import parse_turtle_files, union_graph
from .errors import InputError
from .namespaces import ID, RDF, graph_stem
from .project import Project

if TYPE_CHECKING:
    from .fastvalidate import ResultsGraph

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
    #: ``data/file.ttl:12`` where the focus node is written (the line where the file is known)
    locations: tuple[str, ...] = field(default=())

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What two engines must agree on: focus node, path, constraint component, severity."""
        return (self.focus, self.path, self.constraint, self.severity)

    @property
    def baseline_id(self) -> str:
        """Stable across runs and message languages: severity, focus, path, shape and value."""
        text = "\x1f".join((self.severity, self.focus, self.path, self.shape, self.value))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    @property
    def where(self) -> str:
        """``data/x.ttl:12`` (or the graph names) for a message."""
        places = self.locations or self.files
        return f" [{', '.join(places)}]" if places else ""


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    #: findings left out because a baseline lists them
    baseline_hidden: int = 0

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
                value = f" = {f.value}" if f.value else ""
                path = f" {f.path}" if f.path else ""
                lines.append(f"  {f.focus_label} <{f.focus}>{f.where}\n    {path.strip()}{value}: {f.message}")
        lines.append(self.totals())
        return "\n".join(lines)

    def totals(self) -> str:
        """The closing line: counts, and how many findings a baseline hid."""
        hidden = f"; {self.baseline_hidden} finding(s) of the baseline not shown" if self.baseline_hidden else ""
        return f"{self.violations} violation(s), {self.warnings} warning(s){hidden}"

    def to_summary(self, first: int = 3) -> str:
        """Counts per shape (most first) with the first few focus nodes, instead of every line."""
        groups: dict[tuple[str, str], list[Finding]] = {}
        for f in self.findings:
            groups.setdefault((f.severity, f.shape), []).append(f)
        order = sorted(groups, key=lambda k: (SEVERITIES.index(k[0]) if k[0] in SEVERITIES else 9,
                                              -len(groups[k]), k[1]))
        lines: list[str] = []
        for severity, shape in order:
            group = groups[(severity, shape)]
            lines.append(f"{len(group):6d}  {severity:<9} {shape.rsplit('#', 1)[-1]}: {group[0].message}")
            for f in group[:first]:
                lines.append(f"          {f.focus_label} <{f.focus}>{f.where}")
            if len(group) > first:
                lines.append(f"          … {len(group) - first} more")
        lines.append(self.totals())
        return "\n".join(lines)

    def to_baseline(self) -> str:
        """The findings as a baseline file: one entry per finding, sorted, byte-stable."""
        entries = sorted(({"id": f.baseline_id, "severity": f.severity, "shape": f.shape, "focus": f.focus,
                           "path": f.path, "value": f.value} for f in self.findings), key=lambda e: e["id"])
        return json.dumps({"mpsc-graph-validation-baseline": 1, "findings": entries}, ensure_ascii=False,
                          indent=1, sort_keys=True) + "\n"

    def without(self, baseline: frozenset[str]) -> Report:
        """The findings not in ``baseline`` (a set of :attr:`Finding.baseline_id`)."""
        kept = tuple(f for f in self.findings if f.baseline_id not in baseline)
        return Report(kept, baseline_hidden=self.baseline_hidden + len(self.findings) - len(kept))

    def to_json(self) -> str:
        return json.dumps(
            {"violations": self.violations, "warnings": self.warnings, "baseline_hidden": self.baseline_hidden,
             "results": [asdict(f) for f in self.findings]},
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


# --------------------------------------------------------------------------- for readers


def validate(store: Store, project: Project, *, engine: str = "fast", lang: str = "de",
             jobs: int = 1) -> tuple[Report, ResultsGraph | rdflib.Graph]:
    """Validate with ``engine`` (fast or pyshacl), then :func:`explain` the findings."""
    results: ResultsGraph | rdflib.Graph
    if engine == "fast":
        from .fastvalidate import validate_fast  # fastvalidate imports this module's Finding

        report, results = validate_fast(store, project, lang=lang, workers=jobs)
    else:
        report, results = validate_store(store, project, lang=lang)
    return explain(report, store, project, lang=lang), results


_UNDEFINED = {
    "de": "{iri} ist im Datenbestand nicht definiert (kein Knoten beschreibt es){hint}",
    "en": "{iri} is not defined in the dataset (no node describes it){hint}",
}
_DID_YOU_MEAN = {"de": "; meinten Sie {names}?", "en": "; did you mean {names}?"}


def explain(report: Report, store: Store, project: Project, *, lang: str = "de") -> Report:
    """Say what a shape cannot: an IRI value that no node defines, and the file line of each focus node."""
    defined = _Defined(store)
    lines = _Lines(project)
    out: list[Finding] = []
    for f in report.findings:
        message = f.message
        if f.value.startswith(("http://", "https://")) and not defined.has(f.value):
            close = defined.close_to(f.value)
            names = (" oder " if lang == "de" else " or ").join(f"<{iri}> ({defined.label(iri, lang)})"
                                                                   for iri in close)
            hint = _DID_YOU_MEAN[lang if lang in _DID_YOU_MEAN else "en"].format(names=names) if close else ""
            message = _UNDEFINED[lang if lang in _UNDEFINED else "en"].format(iri=f.value, hint=hint)
        locations = tuple(lines.locate(stem, f.focus) for stem in f.files)
        out.append(replace(f, message=message, locations=locations))
    return Report(tuple(sorted(out)), baseline_hidden=report.baseline_hidden)


class _Defined:
    """Which IRIs some node describes (is the subject of a triple), and the nearest ones of a kind."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._by_kind: dict[str, dict[str, str]] | None = None

    def has(self, iri: str) -> bool:
        return next(iter(self.store.quads_for_pattern(NamedNode(iri), None, None, None)), None) is not None

    def label(self, iri: str, lang: str) -> str:
        labels = {getattr(q.object, "language", None) or "": str(getattr(q.object, "value", q.object))
                  for q in self.store.quads_for_pattern(NamedNode(iri), NamedNode(str(RDFS.label)), None, None)}
        return next((labels[w] for w in (lang, "de", "en", "") if w in labels), iri.rsplit("/", 1)[-1])

    def close_to(self, iri: str, limit: int = 3) -> list[str]:
        """Defined IRIs of the same kind (``…/id/municipality/``) whose key or label is closest."""
        if self._by_kind is None:
            self._by_kind = {}
            for quad in self.store.quads_for_pattern(None, NamedNode(RDF + "type"), None, None):
                subject = quad.subject
                if isinstance(subject, NamedNode) and subject.value.startswith(ID):
                    kind, _, key = subject.value[len(ID):].partition("/")
                    self._by_kind.setdefault(kind, {})[key] = subject.value
        if not iri.startswith(ID):
            return []
        kind, _, key = iri[len(ID):].partition("/")
        keys = self._by_kind.get(kind, {})
        return [keys[k] for k in difflib.get_close_matches(key, list(keys), n=limit, cutoff=0.6)]


_PREFIX = re.compile(r"@prefix\s+([\w-]*):\s*<([^>]*)>", re.IGNORECASE)


class _Lines:
    """The line of a data file on which an entity is first written as a subject (else mentioned)."""

    def __init__(self, project: Project) -> None:
        self.files = {p.stem: p for p in project.data_files()}
        self.root = project.root
        self._texts: dict[str, list[str]] = {}

    def locate(self, stem: str, iri: str) -> str:
        path = self.files.get(stem)
        if path is None:
            return stem
        lines = self._texts.get(stem)
        if lines is None:
            lines = self._texts[stem] = path.read_text(encoding="utf-8", errors="replace").splitlines()
        shown = _shown(path, self.root)
        if path.suffix == ".csv":
            key = iri.rsplit("/", 1)[-1]  # a table row holds the entity's key as a field of its own
            found = next((n for n, line in enumerate(lines, 1) if key in line.split(",")[:2]), None)
            return f"{shown}:{found}" if found else shown
        names = [f"<{iri}>"] + [f"{p}:{iri[len(ns):]}" for p, ns in _prefixes(lines) if iri.startswith(ns)
                                and re.fullmatch(r"[\w.-]*", iri[len(ns):])]
        mention = None
        for number, line in enumerate(lines, 1):
            stripped = line.lstrip()
            if any(stripped.startswith(n) and stripped[len(n):len(n) + 1] in (" ", "\t", ";", "") for n in names):
                return f"{shown}:{number}"
            if mention is None and any(n in line for n in names):
                mention = number
        return f"{shown}:{mention}" if mention else shown


def _prefixes(lines: list[str]) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for line in lines[:200] if (m := _PREFIX.search(line))]


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def read_baseline(path: Path) -> frozenset[str]:
    """The finding ids of a baseline file written by ``validate --format baseline``."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the baseline: {exc}", path=path) from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"not a baseline (invalid JSON: {exc.msg})", path=path, line=exc.lineno) from exc
    if not isinstance(data, dict) or data.get("mpsc-graph-validation-baseline") != 1 or \
            not isinstance(data.get("findings"), list):
        raise InputError("not a baseline written by 'mpsc-graph validate --format baseline -o FILE'", path=path)
    ids = [e.get("id") for e in data["findings"] if isinstance(e, dict)]
    if not all(isinstance(i, str) for i in ids):
        raise InputError("baseline entries need an 'id'", path=path)
    return frozenset(str(i) for i in ids)
