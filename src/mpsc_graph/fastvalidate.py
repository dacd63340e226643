"""The fast validator: the project's SHACL shapes compiled to SPARQL and run on the Oxigraph store.

Why: pySHACL needs the whole graph in rdflib and runs a SHACL-SPARQL constraint once per focus
node; at a million triples that takes many minutes (../shared/research/perf.md). Here every constraint of
every shape becomes one SELECT over the store that returns only the violating focus nodes (and
value nodes), so the engine does set-at-a-time work with its indexes. Each query uses one simple
``FILTER NOT EXISTS`` per constraint: OR-ed ``EXISTS`` tests are two orders of magnitude slower.

The queries are generated from ``shapes/`` at run time (they are the compiled form of the shapes,
not hand-written queries) and run through :func:`mpsc_graph.sparql.run_query` on the union graph,
ontology included, so ``sh:class`` and ``sh:targetClass`` honour the ``rdfs:subClassOf`` closure
exactly as pySHACL does on the same union. Only the SHACL features the compiler knows are
accepted: any other ``sh:`` term in a shape raises :class:`UnsupportedShapeError` naming the shape and
the feature, so a new shape can never be skipped silently. pySHACL stays the reference
(``mpsc-graph validate --engine pyshacl``); tests assert both engines report identical
(focus node, path, constraint component, severity) sets.
"""

from __future__ import annotations

import multiprocessing
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, RdfFormat, Store, Triple, parse, serialize

from .errors import InputError, MpscError
from .namespaces import GEO, PREFIXES, RDF, RDFS, SH, XSD
from .project import Project
from .sparql import run_query
from .validation import Finding, Report, files_of

Term = NamedNode | BlankNode | Literal

_TYPE = NamedNode(RDF + "type")
_SUBCLASS = NamedNode(RDFS + "subClassOf")
_LABEL = NamedNode(RDFS + "label")
_FIRST, _REST, _NIL = NamedNode(RDF + "first"), NamedNode(RDF + "rest"), NamedNode(RDF + "nil")


def sh(local: str) -> NamedNode:
    return NamedNode(SH + local)


#: Predicates a shape may carry. Everything else in the sh: namespace is refused, never skipped.
_KNOWN = {sh(x) for x in (
    "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target", "property", "path", "minCount",
    "maxCount", "class", "datatype", "pattern", "flags", "nodeKind", "or", "disjoint", "uniqueLang",
    "qualifiedValueShape",
    "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint", "languageIn", "severity", "message",
    "sparql", "name", "description", "deactivated", "order", "group", "declare", "prefixes",
)}
#: sh: terms of the nodes a shape points to (SPARQL constraints, prefix declarations, inverse paths).
_AUXILIARY = {sh(x) for x in ("select", "prefix", "namespace", "inversePath")}
_NODE_KINDS = {
    "IRI": "isIRI(?value)", "BlankNode": "isBlank(?value)", "Literal": "isLiteral(?value)",
    "BlankNodeOrIRI": "(isBlank(?value) || isIRI(?value))",
    "BlankNodeOrLiteral": "(isBlank(?value) || isLiteral(?value))",
    "IRIOrLiteral": "(isIRI(?value) || isLiteral(?value))",
}


#: Datatypes whose sh:datatype test is verified to match pySHACL. pySHACL rejects a literal that
#: rdflib finds ill-typed; rdflib checks xsd:date (month and day ranges), xsd:integer and
#: xsd:decimal but not xsd:gYear, xsd:gYearMonth or GeoSPARQL's geo:wktLiteral. For the checked
#: ones the same test is a cast in the engine (an invalid lexical form does not cast). Other
#: datatypes are refused until someone verifies them against pySHACL (tests/test_fastvalidate_features.py).
_WELL_FORMED = {
    XSD + "string": "", XSD + "gYear": "", XSD + "gYearMonth": "",
    GEO + "wktLiteral": "",
    **{XSD + name: f"sameTerm(DATATYPE(COALESCE(<{XSD}{name}>(STR(?value)), \"\")), <{XSD}{name}>)"
       for name in ("date", "integer", "decimal")},
}


class UnsupportedShapeError(MpscError):
    """A shape uses a SHACL feature the fast engine does not compile; use --engine pyshacl."""

    HINT = "run 'mpsc-graph validate --engine pyshacl'"

    def __init__(self, message: str) -> None:
        super().__init__(message if self.HINT in message else f"{message}; {self.HINT}")


# --------------------------------------------------------------------------- the shapes graph


class ShapesGraph:
    """The shapes files as a small in-memory index (subject, predicate) → objects, in file order."""

    def __init__(self, files: Sequence[Path]) -> None:
        self.index: dict[tuple[Term, NamedNode], list[Term]] = defaultdict(list)
        self.subjects: dict[Term, None] = {}
        for path in files:
            try:
                triples = list(parse(path=str(path), format=RdfFormat.TURTLE))
            except SyntaxError as exc:
                raise InputError(f"malformed Turtle: {exc}", path=path) from exc
            for t in triples:
                self.index[(t.subject, t.predicate)].append(t.object)
                self.subjects.setdefault(t.subject, None)

    def objects(self, s: Term, p: NamedNode) -> list[Term]:
        return self.index.get((s, p), [])

    def value(self, s: Term, p: NamedNode) -> Term | None:
        values = self.objects(s, p)
        return values[0] if values else None

    def predicates(self, s: Term) -> list[NamedNode]:
        return [p for (subject, p) in self.index if subject == s]

    def items(self, head: Term) -> list[Term]:
        """The members of an RDF list."""
        out: list[Term] = []
        seen = set()
        while head != _NIL:
            if head in seen:
                raise UnsupportedShapeError(f"cyclic RDF list at {head}")
            seen.add(head)
            first = self.value(head, _FIRST)
            if first is None:
                raise UnsupportedShapeError(f"malformed RDF list at {head}")
            out.append(first)
            head = self.value(head, _REST) or _NIL
        return out


# --------------------------------------------------------------------------- compiled checks


@dataclass(frozen=True)
class Check:
    """One constraint of one shape on one set of targets, as a SELECT returning the violations."""

    shape: Term
    component: str
    severity: str
    path: Term | None  # a predicate IRI, or a blank node [ sh:inversePath P ] of the shapes graph
    inverse_of: NamedNode | None  # set when path is an inverse path
    messages: tuple[tuple[str, str], ...]  # (language or "", text)
    query: str
    value_is_focus: bool = False  # node-level constraints: the value node is the focus node


@dataclass
class Compiler:
    shapes: ShapesGraph
    subclasses: dict[str, set[str]]
    checks: list[Check] = field(default_factory=list)

    # -- helpers
    def closure(self, cls: Term) -> list[str]:
        """``cls`` and all its subclasses (transitively), as IRIs."""
        if not isinstance(cls, NamedNode):
            raise UnsupportedShapeError(f"sh:class/sh:targetClass must be an IRI, got {cls}")
        out, todo = {cls.value}, [cls.value]
        while todo:
            for sub in self.subclasses.get(todo.pop(), ()):
                if sub not in out:
                    out.add(sub)
                    todo.append(sub)
        return sorted(out)

    def _instance_of(self, var: str, classes: Iterable[str], tmp: str) -> str:
        classes = sorted(set(classes))
        if len(classes) == 1:
            return f"{var} a <{classes[0]}>"
        # FILTER IN measured 15 % faster than VALUES inside NOT EXISTS at 1M triples (benchmarks/RESULTS.md)
        return f"{var} a ?{tmp} FILTER(?{tmp} IN ({', '.join(f'<{c}>' for c in classes)}))"

    def targets(self, shape: Term) -> str | None:
        """A group graph pattern binding ?this to every focus node of ``shape``, or None without targets."""
        parts: list[str] = []
        for cls in self.shapes.objects(shape, sh("targetClass")):
            parts.append(self._instance_of("?this", self.closure(cls), "_tc"))
        nodes = self.shapes.objects(shape, sh("targetNode"))
        if nodes:
            parts.append(f"VALUES ?this {{ {' '.join(str(n) for n in nodes)} }}")
        for p in self.shapes.objects(shape, sh("targetSubjectsOf")):
            parts.append(f"?this {_iri(p)} ?_ts")
        for p in self.shapes.objects(shape, sh("targetObjectsOf")):
            parts.append(f"?_to {_iri(p)} ?this")
        for custom in self.shapes.objects(shape, sh("target")):
            parts.append(self._sparql_target(shape, custom))
        if not parts:
            return None
        return "{ " + " } UNION { ".join(parts) + " }"

    def _sparql_target(self, shape: Term, target: Term) -> str:
        """A SHACL-AF SPARQL-based target (``sh:target [ a sh:SPARQLTarget ; sh:select ... ]``) as a subquery.

        Its prefixes must be the project's own: the compiled checks run with those, and a
        declaration cannot be placed inside a subquery.
        """
        s = self.shapes
        select = s.value(target, sh("select"))
        allowed = {sh("select"), sh("prefixes")}
        unknown = {p for p in s.predicates(target) if p.value.startswith(SH) and p not in allowed}
        if unknown or not isinstance(select, Literal) or sh("SPARQLTarget") not in s.objects(target, _TYPE):
            raise UnsupportedShapeError(f"shape {shape}: sh:target must be a sh:SPARQLTarget with one sh:select")
        text = select.value
        if re.search(r"[$?](currentShape|shapesGraph)\b", text) or re.search(r"(?i)^\s*(PREFIX|BASE)\b", text):
            raise UnsupportedShapeError(f"SPARQL target of {shape}: $currentShape, $shapesGraph and inline PREFIX "
                                        "are not supported")
        for declaring in s.objects(target, sh("prefixes")):
            for declaration in s.objects(declaring, sh("declare")):
                prefix, namespace = s.value(declaration, sh("prefix")), s.value(declaration, sh("namespace"))
                if prefix is not None and namespace is not None and PREFIXES.get(prefix.value) != namespace.value:
                    raise UnsupportedShapeError(f"SPARQL target of {shape}: prefix {prefix.value}: must be the "
                                                "project's own")
        return "{ " + text + " }"

    # -- shapes
    def compile(self) -> list[Check]:
        for subject in self.shapes.subjects:  # every node of the shapes graph, not only the shapes found
            self._check_known(subject)
        for shape in self._shapes():
            if self._deactivated(shape) or self.shapes.value(shape, sh("path")) is not None:
                continue  # property shapes are compiled through the node shapes that use them
            target = self.targets(shape)
            if target is None:
                continue
            self._node_shape(shape, target)
        for shape in self._shapes():  # property shapes with targets of their own
            if self.shapes.value(shape, sh("path")) is not None and not self._deactivated(shape):
                target = self.targets(shape)
                if target is not None:
                    self._property_shape(shape, target)
        return self.checks

    def _shapes(self) -> list[Term]:
        found: dict[Term, None] = {}
        kinds = {sh("NodeShape"), sh("PropertyShape")}
        targets = {sh(x) for x in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")}
        for (s, p), objects in self.shapes.index.items():
            if (p == _TYPE and kinds & set(objects)) or p in targets or p == sh("path"):
                found.setdefault(s, None)
            if p == sh("property"):
                found.setdefault(s, None)
                for o in objects:
                    found.setdefault(o, None)
        return list(found)

    def _check_known(self, shape: Term) -> None:
        for p in self.shapes.predicates(shape):
            if p.value.startswith(SH) and p not in _KNOWN | _AUXILIARY:
                raise UnsupportedShapeError(f"shape {shape} uses {p.value.replace(SH, 'sh:')}, which the fast engine "
                                       "does not compile; run 'mpsc-graph validate --engine pyshacl'")
        for t in self.shapes.objects(shape, _TYPE):
            if t in (NamedNode(RDFS + "Class"), NamedNode("http://www.w3.org/2002/07/owl#Class")):
                raise UnsupportedShapeError(f"shape {shape} is also a class (implicit class target); not supported")

    def _deactivated(self, shape: Term) -> bool:
        flag = self.shapes.value(shape, sh("deactivated"))
        return isinstance(flag, Literal) and flag.value == "true"

    def _severity(self, shape: Term) -> str:
        severity = self.shapes.value(shape, sh("severity"))
        return severity.value.rsplit("#", 1)[-1] if isinstance(severity, NamedNode) else "Violation"

    def _messages(self, *nodes: Term) -> tuple[tuple[str, str], ...]:
        for node in nodes:
            found = tuple((m.language or "", m.value) for m in self.shapes.objects(node, sh("message"))
                          if isinstance(m, Literal))
            if found:
                return found
        return ()

    def _node_shape(self, shape: Term, target: str) -> None:
        for prop in self.shapes.objects(shape, sh("property")):
            if not self._deactivated(prop):
                self._property_shape(prop, target)
        self._constraints(shape, target, path=None, inverse_of=None, value="BIND(?this AS ?value)")
        for constraint in self.shapes.objects(shape, sh("sparql")):
            self._sparql(shape, constraint, target, path=None)

    def _property_shape(self, shape: Term, target: str) -> None:
        path = self.shapes.value(shape, sh("path"))
        if path is None:
            raise UnsupportedShapeError(f"property shape {shape} has no sh:path")
        inverse_of: NamedNode | None = None
        if isinstance(path, NamedNode):
            value = f"?this {_iri(path)} ?value"
        else:
            inverse = self.shapes.value(path, sh("inversePath"))
            if not isinstance(inverse, NamedNode) or len(self.shapes.predicates(path)) != 1:
                raise UnsupportedShapeError(f"property shape {shape}: only predicate and sh:inversePath paths "
                                            "are supported")
            inverse_of = inverse
            value = f"?value {_iri(inverse)} ?this"
        self._constraints(shape, target, path=path, inverse_of=inverse_of, value=value)
        for constraint in self.shapes.objects(shape, sh("sparql")):
            self._sparql(shape, constraint, target, path=path)
        if self.shapes.objects(shape, sh("property")):
            raise UnsupportedShapeError(f"property shape {shape}: nested sh:property is not supported")

    def _add(self, shape: Term, component: str, path: Term | None, inverse_of: NamedNode | None, query: str,
             *, value_is_focus: bool = False) -> None:
        self.checks.append(Check(shape, component, self._severity(shape), path, inverse_of, self._messages(shape),
                                 query, value_is_focus))

    def _constraints(self, shape: Term, target: str, *, path: Term | None, inverse_of: NamedNode | None,
                     value: str) -> None:
        """Every core constraint of ``shape``: one query each, violations only."""
        s = self.shapes
        node = path is None
        other = value.replace("?value", "?_v")

        def add(component: str, query: str) -> None:
            self._add(shape, component, path, inverse_of, query, value_is_focus=node)

        def per_value(component: str, condition: str) -> None:
            add(component, f"SELECT ?this ?value WHERE {{ {target} {value} . {condition} }}")

        for n in s.objects(shape, sh("minCount")):
            if node:
                raise UnsupportedShapeError(f"node shape {shape}: sh:minCount needs a property shape")
            count = _int(n, shape, "minCount")
            if count == 1:
                add("MinCountConstraintComponent", f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ {other} }} }}")
            elif count > 1:
                add("MinCountConstraintComponent", f"SELECT ?this WHERE {{ {target} OPTIONAL {{ {value} }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {count})")
        for n in s.objects(shape, sh("maxCount")):
            if node:
                raise UnsupportedShapeError(f"node shape {shape}: sh:maxCount needs a property shape")
            count = _int(n, shape, "maxCount")
            if count == 1:  # a self-join: 35 % faster than GROUP BY/HAVING at 1M triples
                add("MaxCountConstraintComponent", f"SELECT DISTINCT ?this WHERE {{ {target} {value} . {other} . "
                    "FILTER(!sameTerm(?value, ?_v)) }")
            else:
                add("MaxCountConstraintComponent", f"SELECT ?this WHERE {{ {target} {value} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {count})")
        for cls in s.objects(shape, sh("class")):
            per_value("ClassConstraintComponent",
                      f"FILTER NOT EXISTS {{ {self._instance_of('?value', self.closure(cls), '_c')} }}")
        for dt in s.objects(shape, sh("datatype")):
            per_value("DatatypeConstraintComponent", f"FILTER(!isLiteral(?value) || !{_has_datatype(shape, dt)})")
        for pattern in s.objects(shape, sh("pattern")):
            flags = s.value(shape, sh("flags"))
            flag_text = f", {_string(flags.value)}" if isinstance(flags, Literal) else ""
            per_value("PatternConstraintComponent",
                      f"FILTER(isBlank(?value) || !REGEX(STR(?value), {_string(pattern.value)}{flag_text}))")
        for kind in s.objects(shape, sh("nodeKind")):
            name = kind.value.rsplit("#", 1)[-1] if isinstance(kind, NamedNode) else ""
            if name not in _NODE_KINDS:
                raise UnsupportedShapeError(f"shape {shape}: unknown sh:nodeKind {kind}")
            per_value("NodeKindConstraintComponent", f"FILTER(!{_NODE_KINDS[name]})")
        for languages in s.objects(shape, sh("languageIn")):
            per_value("LanguageInConstraintComponent", f"FILTER(!{_language_in(s.items(languages), '?value')})")
        for members in s.objects(shape, sh("or")):
            per_value("OrConstraintComponent", self._or(shape, s.items(members)))
        for unique in s.objects(shape, sh("uniqueLang")):
            if node:
                raise UnsupportedShapeError(f"node shape {shape}: sh:uniqueLang needs a property shape")
            if isinstance(unique, Literal) and unique.value == "true":
                # pySHACL compares language tags case-insensitively and reports the focus node, no value
                add("UniqueLangConstraintComponent", f"SELECT DISTINCT ?this WHERE {{ {target} {value} . {other} . "
                    "FILTER(!sameTerm(?value, ?_v) && isLiteral(?value) && isLiteral(?_v) && LANG(?value) != \"\" "
                    "&& LCASE(LANG(?value)) = LCASE(LANG(?_v))) }")
        for other_path in s.objects(shape, sh("disjoint")):
            per_value("DisjointConstraintComponent", f"?this {_iri(other_path)} ?value")
        for qualified in s.objects(shape, sh("qualifiedValueShape")):
            self._qualified(shape, qualified, target, other, add)

    def _or(self, shape: Term, members: list[Term]) -> str:
        """Violation condition of sh:or over members that each test sh:class or sh:datatype only."""
        classes: set[str] = set()
        datatypes: list[Term] = []
        for member in members:
            predicates = set(self.shapes.predicates(member)) - {_TYPE}
            if not predicates or not predicates <= {sh("class"), sh("datatype")} or len(predicates) > 1:
                raise UnsupportedShapeError(f"shape {shape}: sh:or members may only use sh:class or sh:datatype")
            for cls in self.shapes.objects(member, sh("class")):
                classes.update(self.closure(cls))
            datatypes += self.shapes.objects(member, sh("datatype"))
        filters = []
        if classes:
            filters.append(f"FILTER NOT EXISTS {{ {self._instance_of('?value', classes, '_c')} }}")
        if datatypes:
            tests = " || ".join(_has_datatype(shape, dt) for dt in datatypes)
            filters.append(f"FILTER(!isLiteral(?value) || !({tests}))")
        return " ".join(filters)

    def _qualified(self, shape: Term, qualified: Term, target: str, other: str,
                   add: Callable[[str, str], None]) -> None:
        if isinstance(self.shapes.value(shape, sh("qualifiedValueShapesDisjoint")), Literal) and \
                self.shapes.value(shape, sh("qualifiedValueShapesDisjoint")).value == "true":
            raise UnsupportedShapeError(f"shape {shape}: sh:qualifiedValueShapesDisjoint is not supported")
        predicates = set(self.shapes.predicates(qualified)) - {_TYPE}
        if predicates != {sh("languageIn")}:
            raise UnsupportedShapeError(f"shape {shape}: sh:qualifiedValueShape may only use sh:languageIn")
        condition = _language_in(self.shapes.items(self.shapes.value(qualified, sh("languageIn"))), "?_v")
        for n in self.shapes.objects(shape, sh("qualifiedMinCount")):
            count = _int(n, shape, "qualifiedMinCount")
            if count == 1:
                add("QualifiedMinCountConstraintComponent",
                    f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ {other} FILTER({condition}) }} }}")
            elif count > 1:
                add("QualifiedMinCountConstraintComponent",
                    f"SELECT ?this WHERE {{ {target} OPTIONAL {{ {other} FILTER({condition}) }} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) < {count})")
        for n in self.shapes.objects(shape, sh("qualifiedMaxCount")):
            count = _int(n, shape, "qualifiedMaxCount")
            add("QualifiedMaxCountConstraintComponent",
                f"SELECT ?this WHERE {{ {target} {other} FILTER({condition}) }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) > {count})")

    def _sparql(self, shape: Term, constraint: Term, target: str, *, path: Term | None) -> None:
        """A SHACL-SPARQL constraint: its SELECT joined with the targets instead of pre-binding $this."""
        s = self.shapes
        if self._deactivated(constraint):
            return
        unknown = {p for p in s.predicates(constraint) if p.value.startswith(SH) and p not in _KNOWN | {sh("select")}}
        select = s.value(constraint, sh("select"))
        if unknown or not isinstance(select, Literal):
            raise UnsupportedShapeError(f"SPARQL constraint {constraint} of {shape}: only sh:select constraints "
                                        "are supported")
        text = select.value
        if re.search(r"[$?](currentShape|shapesGraph)\b", text) or re.search(r"(?i)^\s*(PREFIX|BASE)\b", text):
            raise UnsupportedShapeError(f"SPARQL constraint {constraint}: $currentShape, $shapesGraph and "
                                        "inline PREFIX are not supported")
        prefixes = []
        for declaring in s.objects(constraint, sh("prefixes")):
            for declaration in s.objects(declaring, sh("declare")):
                prefix, namespace = s.value(declaration, sh("prefix")), s.value(declaration, sh("namespace"))
                if prefix is not None and namespace is not None:
                    prefixes.append(f"PREFIX {prefix.value}: <{namespace.value}>")
        inner = re.sub(r"\$this\b", "?this", text)
        query = "\n".join(prefixes) + f"\nSELECT ?this ?value ?path WHERE {{ {target} {{ {inner} }} }}"
        messages = self._messages(constraint, shape)
        self.checks.append(Check(shape, "SPARQLConstraintComponent", self._severity(shape), path, None, messages,
                                 query, value_is_focus=path is None))


def _iri(term: Term) -> str:
    if not isinstance(term, NamedNode):
        raise UnsupportedShapeError(f"expected an IRI, got {term}")
    return f"<{term.value}>"


def _has_datatype(shape: Term, datatype: Term) -> str:
    """Expression: the literal ?value has ``datatype`` and, where pySHACL checks it, a valid lexical form."""
    if not isinstance(datatype, NamedNode) or datatype.value not in _WELL_FORMED:
        raise UnsupportedShapeError(f"shape {shape}: sh:datatype {datatype} is not verified against pySHACL "
                                    f"(supported: {', '.join(sorted(_WELL_FORMED))})")
    check = _WELL_FORMED[datatype.value]
    return f"(DATATYPE(?value) = <{datatype.value}>{' && ' + check if check else ''})"


def _int(term: Term, shape: Term, name: str) -> int:
    try:
        return int(term.value)
    except ValueError as exc:
        raise UnsupportedShapeError(f"shape {shape}: sh:{name} must be an integer, got {term}") from exc


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def _language_in(languages: list[Term], var: str) -> str:
    tests = " || ".join(f"langMatches(LANG({var}), {_string(lang.value)})" for lang in languages)
    return f"(isLiteral({var}) && ({tests or 'false'}))"


# --------------------------------------------------------------------------- running


def subclass_index(store: Store) -> dict[str, set[str]]:
    """rdfs:subClassOf over the union of all graphs (ontology and data), super → direct subs."""
    subs: dict[str, set[str]] = defaultdict(set)
    for quad in store.quads_for_pattern(None, _SUBCLASS, None, None):
        if isinstance(quad.subject, NamedNode) and isinstance(quad.object, NamedNode):
            subs[quad.object.value].add(quad.subject.value)
    return subs


def compile_shapes(project: Project, store: Store) -> list[Check]:
    """The project's shapes as one SELECT per constraint (raises UnsupportedShapeError for unknown features)."""
    return Compiler(ShapesGraph(project.shape_files()), subclass_index(store)).compile()


@dataclass(frozen=True)
class Violation:
    """One raw result: which check, which focus node, which value (and a path a SPARQL query bound)."""

    check: Check
    focus: Term
    value: Term | None
    path: Term | None


def _run(store: Store, check: Check) -> list[Violation]:
    solutions = run_query(store, check.query)
    assert isinstance(solutions, QuerySolutions)
    names = {v.value for v in solutions.variables}
    out = []
    for row in solutions:
        focus = row["this"]
        if focus is None:
            continue
        value = row["value"] if "value" in names else None
        if value is None and check.value_is_focus:
            value = focus  # node-level constraints: the value node is the focus node
        out.append(Violation(check, focus, value, row["path"] if "path" in names else None))
    return out


_FORKED: tuple[Store, Sequence[Check]] | None = None  # what forked workers inherit (copy-on-write)


def _run_forked(index: int) -> tuple[int, list[tuple[Term, Term | None, Term | None]]]:
    assert _FORKED is not None
    store, checks = _FORKED
    return index, [(v.focus, v.value, v.path) for v in _run(store, checks[index])]


def run_checks(store: Store, checks: Sequence[Check], *, workers: int = 1) -> list[Violation]:
    """Run every compiled check; with ``workers`` > 1 the checks are shared out among forked processes.

    Threads do not help (measured: the GIL is held while results are read), so partitioning uses
    ``fork``: each worker inherits the loaded store copy-on-write and takes the next check when
    it is done with one (the costs of checks differ a hundredfold). Where ``fork`` is unavailable
    the checks run in this process.
    """
    global _FORKED
    if workers <= 1 or len(checks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [v for check in checks for v in _run(store, check)]
    _FORKED = (store, checks)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            done = dict(pool.imap_unordered(_run_forked, range(len(checks))))
    finally:
        _FORKED = None
    return [Violation(checks[i], focus, value, path) for i in range(len(checks)) for focus, value, path in done[i]]


# --------------------------------------------------------------------------- the report


_SHORT = sorted(((ns, p) for p, ns in PREFIXES.items()), key=lambda item: -len(item[0]))


def short_iri(iri: str) -> str:
    """``prefix:local`` with the project's prefixes (as the pySHACL report shows paths), else the IRI."""
    for namespace, prefix in _SHORT:
        if iri.startswith(namespace) and re.fullmatch(r"[A-Za-z_][\w.-]*", iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _path_text(check: Check, bound: Term | None) -> str:
    if bound is not None:
        return short_iri(bound.value) if isinstance(bound, NamedNode) else str(bound)
    if check.inverse_of is not None:
        return f"^{short_iri(check.inverse_of.value)}"
    if isinstance(check.path, NamedNode):
        return short_iri(check.path.value)
    return ""


def _message(check: Check, violation: Violation, lang: str, row_values: dict[str, str]) -> str:
    text = ""
    for wanted in (lang, "en", ""):
        text = next((m for language, m in check.messages if language == wanted), "")
        if text:
            break
    if not text and check.messages:
        text = check.messages[0][1]
    if not text:
        text = f"{check.component.removesuffix('ConstraintComponent')} constraint not met"
    for name, value in row_values.items():
        text = text.replace("{?" + name + "}", value).replace("{$" + name + "}", value)
    return text


class Labels:
    """Label and files of focus nodes, looked up once per node."""

    def __init__(self, store: Store, lang: str) -> None:
        self.store = store
        self.lang = lang
        self._cache: dict[Term, tuple[str, tuple[str, ...]]] = {}

    def __call__(self, node: Term) -> tuple[str, tuple[str, ...]]:
        found = self._cache.get(node)
        if found is None:
            if isinstance(node, Literal):
                found = (node.value, ())
            else:
                labels = [q.object for q in self.store.quads_for_pattern(node, _LABEL, None, None)
                          if isinstance(q.object, Literal)]
                label = next((lb.value for wanted in (self.lang, "de", "en") for lb in labels if lb.language == wanted),
                             labels[0].value if labels else _text(node))
                found = (label, files_of(self.store, node.value) if isinstance(node, NamedNode) else ())
            self._cache[node] = found
        return found


def _text(term: Term) -> str:
    return term.value if isinstance(term, NamedNode | Literal) else str(term)


def findings(store: Store, violations: Iterable[Violation], lang: str) -> list[Finding]:
    labels = Labels(store, lang)
    out: set[Finding] = set()
    for v in violations:
        label, files = labels(v.focus)
        values = {"this": _text(v.focus)}
        if v.value is not None:
            values["value"] = _text(v.value)
        out.add(Finding(
            severity=v.check.severity,
            focus=_text(v.focus),
            focus_label=label,
            path=_path_text(v.check, v.path),
            value="" if v.value is None else _text(v.value),
            message=_message(v.check, v, lang, values),
            constraint=v.check.component,
            shape=_text(v.check.shape),
            files=files,
        ))
    return sorted(out)


@dataclass(frozen=True)
class ResultsGraph:
    """The report as SHACL validation-report triples; ``serialize(format="turtle")`` like an rdflib Graph."""

    violations: tuple[Violation, ...]
    lang: str

    def triples(self) -> Iterator[Triple]:
        report = BlankNode()
        yield Triple(report, _TYPE, sh("ValidationReport"))
        conforms = not any(v.check.severity == "Violation" for v in self.violations)
        yield Triple(report, sh("conforms"), Literal(str(conforms).lower(), datatype=NamedNode(XSD + "boolean")))
        for v in self.violations:
            result = BlankNode()
            yield Triple(report, sh("result"), result)
            yield Triple(result, _TYPE, sh("ValidationResult"))
            yield Triple(result, sh("focusNode"), v.focus)
            if v.path is None and v.check.inverse_of is not None:
                inverse = BlankNode()
                yield Triple(result, sh("resultPath"), inverse)
                yield Triple(inverse, sh("inversePath"), v.check.inverse_of)
            elif isinstance(v.path or v.check.path, NamedNode):
                yield Triple(result, sh("resultPath"), v.path or v.check.path)
            if v.value is not None:
                yield Triple(result, sh("value"), v.value)
            yield Triple(result, sh("resultSeverity"), sh(v.check.severity))
            yield Triple(result, sh("sourceConstraintComponent"), sh(v.check.component))
            if isinstance(v.check.shape, NamedNode):
                yield Triple(result, sh("sourceShape"), v.check.shape)
            for language, text in v.check.messages:
                message = Literal(text, language=language) if language else Literal(text)
                yield Triple(result, sh("resultMessage"), message)

    def serialize(self, format: str = "turtle") -> str:  # mirrors rdflib.Graph.serialize
        if format != "turtle":
            raise ValueError("only Turtle is supported")
        data = serialize(self.triples(), format=RdfFormat.TURTLE, prefixes={"sh": SH, **PREFIXES}) or b""
        return data.decode("utf-8")


def validate_fast(store: Store, project: Project, *, lang: str = "de", workers: int = 1) -> tuple[Report, ResultsGraph]:
    """Validate the store's union graph against the project's shapes, compiled to SPARQL."""
    checks = compile_shapes(project, store)
    violations = run_checks(store, checks, workers=workers)
    return Report(tuple(findings(store, violations, lang))), ResultsGraph(tuple(violations), lang)
