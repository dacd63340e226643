"""Checking a submitted case on its own: its triples against the shapes, its references looked up in a store.

Why not validate the whole dataset with the case added, as ``add`` does: the server must not copy its
store, and validating a million triples per form submission would cost minutes. A case's findings
depend on its own statements and on what it points to (is the adopter a public body, is the mode a
concept of the right scheme, was the solution funded before the adoption began). So the check builds
a small graph: the case's triples, the statements of every node they reference and of the nodes those
reference in turn (up to :data:`HOPS` links, at most :data:`MAX_NEIGHBOURHOOD` statements), and the
class hierarchy; the shapes run on it through the fast engine, and only findings about the case's own
nodes count. An IRI no node of the store defines is explained as :func:`mpsc_graph.validation.explain`
explains it for ``validate``. It runs in a server's query worker, under the worker's time and memory limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, parse

from .errors import InputError
from .fastvalidate import Compiler, ShapesGraph, findings, run_checks, subclass_index
from .namespaces import RDFS
from .project import Project
from .validation import Finding, Report, explain

#: links followed from the case's references (adoption → module → solution → model project → round and its year)
HOPS = 4
#: statements of the neighbourhood copied at most; beyond it, deeper context is simply left out
MAX_NEIGHBOURHOOD = 20_000
_SUBCLASS = NamedNode(RDFS + "subClassOf")


def neighbourhood(store: Store, seeds: Iterable[NamedNode], known: set[NamedNode], into: Store) -> int:
    """Copy the statements of ``seeds`` and of the nodes they lead to (``HOPS`` links) from ``store``.

    ``known`` are nodes not to look up (the case's own); returns how many statements were copied.
    """
    copied = 0
    seen = set(known)
    frontier = {s for s in seeds if s not in seen}
    for _hop in range(HOPS):
        following: set[NamedNode] = set()
        for node in sorted(frontier, key=lambda n: n.value):
            seen.add(node)
            for quad in store.quads_for_pattern(node, None, None, None):
                if copied >= MAX_NEIGHBOURHOOD:
                    return copied
                into.add(Quad(quad.subject, quad.predicate, quad.object, DefaultGraph()))
                copied += 1
                if isinstance(quad.object, NamedNode) and quad.object not in seen:
                    following.add(quad.object)
        frontier = following
    return copied


def check_case(
    store: Store, turtle: str, shape_files: Sequence[Path], focus: Iterable[str], root: Path, *, lang: str = "de"
) -> list[Finding]:
    """The findings of the shapes about the nodes ``focus`` of the case ``turtle``, with ``store`` as context."""
    try:
        triples = list(parse(turtle.encode("utf-8"), format=RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise InputError(f"the case is not valid Turtle: {exc}") from None
    small = Store()
    own = {t.subject for t in triples if isinstance(t.subject, NamedNode)}
    for t in triples:
        small.add(Quad(t.subject, t.predicate, t.object, DefaultGraph()))
    references = {t.object for t in triples if isinstance(t.object, NamedNode)}
    neighbourhood(store, references, own, small)
    for quad in store.quads_for_pattern(None, _SUBCLASS, None, None):
        small.add(Quad(quad.subject, quad.predicate, quad.object, DefaultGraph()))
    checks = Compiler(ShapesGraph(shape_files), subclass_index(small)).compile()
    wanted = set(focus)
    report = Report(tuple(f for f in findings(small, run_checks(small, checks), lang) if f.focus in wanted))
    return list(explain(report, store, Project.at(root), lang=lang).findings)
