"""Query size and shape bounds: a query pyoxigraph would die on (SIGSEGV, stack overflow) is refused first.

Every case runs the one query function in a fresh subprocess, which must end by itself, never by a
signal: just under a bound the query runs and answers, just over it is refused with QueryRefused
naming the bound. The shapes are those that crash or stall the engine when unbounded (nesting and
flat chains; the crash thresholds are in the docstring of mpsc_graph.sparql).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest

from mpsc_graph.sparql import MAX_QUERY_DEPTH, MAX_QUERY_OPERATORS, MAX_QUERY_TOKENS, inspect_query
from support import REPO

CHILD = """
import sys
from pyoxigraph import Literal, NamedNode, Quad, Store
from mpsc_graph.errors import QueryRefused
from mpsc_graph.sparql import run_query
store = Store()
store.add(Quad(NamedNode("s:s"), NamedNode("p:p"), Literal("1"), NamedNode("g:g")))
for text in sys.stdin.read().split("\\0"):
    try:
        print("answered", len(list(run_query(store, text))), flush=True)
    except QueryRefused as exc:
        print("refused:", exc, flush=True)
"""

Shape = Callable[[int], str]
NESTED: dict[str, Shape] = {
    "braces": lambda n: "SELECT * WHERE " + "{" * n + "?s ?p ?o" + "}" * n,
    "parentheses": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER" + "(" * n + "?o" + ")" * n + " }",
    "function calls": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "STR(" * n + "?o" + ")" * n + ") }",
}
CHAINS: dict[str, Shape] = {
    "plus": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "+".join(["1"] * n) + " > 0) }",
    "or": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "||".join(["?o"] * n) + ") }",
    "union": lambda n: "SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * n) + " }",
    "path steps": lambda n: "SELECT * WHERE { ?s " + "/".join(["<p:p>"] * n) + " ?o }",
    "optional": lambda n: "SELECT * WHERE { ?s ?p ?o " + " OPTIONAL {?s ?p ?o}" * n + " }",
    "minus": lambda n: "SELECT * WHERE { ?s ?p ?o " + " MINUS {?s ?p ?o}" * n + " }",
}
LONG: dict[str, Shape] = {  # few operators, many tokens
    "not": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * n + "?o) }",
    "values": lambda n: "SELECT * WHERE { ?s ?p ?o VALUES ?o { " + " 1" * n + " } }",
}


def run(*texts: str) -> list[str]:
    """Each query's outcome ("answered N" or "refused: why"), from one subprocess that must not die by a signal."""
    done = subprocess.run([sys.executable, "-c", CHILD], input="\0".join(texts), capture_output=True, text=True,
                          timeout=120, env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, f"the query process ended with {done.returncode}: {done.stderr[-300:]}"
    return done.stdout.splitlines()


def boundary(shape: Shape, measure: str, bound: int) -> int:
    """The largest n whose query is at the bound (the next one is over it)."""
    low, high = 1, 4 * bound  # at the bound at low, over it at high (each n adds at least one)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if getattr(inspect_query(shape(middle)), measure) <= bound else (low, middle)
    return low


CASES = ([(name, shape, "depth", MAX_QUERY_DEPTH, "query depth") for name, shape in NESTED.items()]
         + [(name, shape, "operators", MAX_QUERY_OPERATORS, "query operators") for name, shape in CHAINS.items()]
         + [(name, shape, "tokens", MAX_QUERY_TOKENS, "query size") for name, shape in LONG.items()])


@pytest.mark.parametrize(("name", "shape", "measure", "bound", "named"), CASES, ids=[c[0] for c in CASES])
def test_just_under_the_bound_answers_and_just_over_is_refused(name: str, shape: Shape, measure: str,
                                                                bound: int, named: str) -> None:
    n = boundary(shape, measure, bound)
    assert getattr(inspect_query(shape(n)), measure) == bound or (measure == "depth" and name == "function calls")
    under, over = run(shape(n), shape(n + 1))
    assert under.startswith("answered"), f"{name} x{n}: {under}"
    assert over.startswith("refused: the query"), f"{name} x{n + 1}: {over}"
    assert f"the bound on {named}" in over and str(bound) in over


@pytest.mark.parametrize(("name", "text"), [
    ("2,500 nested groups (5 KB, as reported)", NESTED["braces"](2_500)),
    ("10,000 plus", CHAINS["plus"](10_000)),
    ("10,000 UNION (100 KB)", CHAINS["union"](10_000)),
    ("10,000 negations", LONG["not"](10_000)),
    ("a megabyte of braces", "SELECT * WHERE " + "{" * 1_000_000),
])
def test_queries_that_crash_the_engine_are_refused(name: str, text: str) -> None:
    [outcome] = run(text)
    assert outcome.startswith("refused: the query"), f"{name}: {outcome}"
