"""Measure where pyoxigraph dies (by a signal: stack overflow) on deep or long queries.

The bounds of mpsc_graph.sparql (MAX_QUERY_DEPTH, MAX_QUERY_OPERATORS, MAX_QUERY_TOKENS) are set
from these figures with a margin of at least 4x. Each probe runs in a fresh subprocess on a store
holding one triple, with the stack the calling process has (``ulimit -s``; 8 MiB by default, the
same for threads, whose default size glibc takes from that limit). For every kind the size doubles
from 500 until the process dies, then a bisection narrows the threshold to 1 %.

    python benchmarks/query_crash_thresholds.py [KIND,KIND,...] [--limit SECONDS] [--thread]

A probe that runs longer than --limit (default 60 s) ends the search for its kind: that shape costs
time long before it crashes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

KINDS: dict[str, Callable[[int], str]] = {
    # nesting
    "braces": lambda n: "SELECT * WHERE " + "{" * n + "?s ?p ?o" + "}" * n,
    "parens": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * n + "?o" + ")" * n + ") }",
    "calls": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "STR(" * n + "?o" + ")" * n + ") }",
    "brackets": lambda n: "SELECT * WHERE { ?s <p:p> " + "[ <p:p> " * n + "1" + " ]" * n + " }",
    "collection": lambda n: "SELECT * WHERE { ?s <p:p> " + "( " * n + "1" + " )" * n + " }",
    "pathparen": lambda n: "SELECT * WHERE { ?s " + "(" * n + "<p:p>" + ")" * n + " ?o }",
    "subselect": lambda n: "SELECT * WHERE " + "{ SELECT * WHERE " * n + "{?s ?p ?o}" + "}" * n,
    # flat chains
    "plus": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "+".join(["1"] * n) + " > 0) }",
    "or": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "||".join(["?o"] * n) + ") }",
    "and": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "&&".join(["?o"] * n) + ") }",
    "not": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * n + "?o) }",
    "union": lambda n: "SELECT * WHERE { " + " UNION ".join(["{?s ?p ?o}"] * n) + " }",
    "path": lambda n: "SELECT * WHERE { ?s " + "/".join(["<p:p>"] * n) + " ?o }",
    "altpath": lambda n: "SELECT * WHERE { ?s " + "|".join(["<p:p>"] * n) + " ?o }",
    "optional": lambda n: "SELECT * WHERE { ?s ?p ?o " + " OPTIONAL {?s ?p ?o}" * n + " }",
    "minus": lambda n: "SELECT * WHERE { ?s ?p ?o " + " MINUS {?s ?p ?o}" * n + " }",
    "filters": lambda n: "SELECT * WHERE { ?s ?p ?o " + " FILTER(?o)" * n + " }",
    "binds": lambda n: "SELECT * WHERE { ?s ?p ?o " + " ".join(f"BIND(1 AS ?v{i})" for i in range(n)) + " }",
    "triples": lambda n: "SELECT * WHERE { " + " ".join(f"?s <p:p> ?o{i} ." for i in range(n)) + " }",
    "groups": lambda n: "SELECT * WHERE { " + " {?s ?p ?o}" * n + " }",
    "values": lambda n: "SELECT * WHERE { ?s ?p ?o VALUES ?o { " + " 1" * n + " } }",
    "inlist": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + ",".join(["1"] * n) + ")) }",
    "objects": lambda n: "SELECT * WHERE { ?s <p:p> " + ", ".join(["1"] * n) + " }",
}


def child(kind: str, n: int, in_thread: bool) -> None:
    """Run one probe in this process (the parent watches how it ends)."""
    import threading

    from pyoxigraph import Literal, NamedNode, Quad, Store

    store = Store()
    store.add(Quad(NamedNode("s:s"), NamedNode("p:p"), Literal("1"), NamedNode("g:g")))
    text = KINDS[kind](n)

    def run() -> None:
        started = time.perf_counter()
        try:
            result = store.query(text, use_default_graph_as_union=True)
            for _ in result:  # type: ignore[union-attr]
                pass
            print(f"ok {time.perf_counter() - started:.2f} s")
        except Exception as exc:  # an engine error is an answer, not a crash
            print(f"error {type(exc).__name__}")

    if in_thread:
        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
    else:
        run()


def probe(kind: str, n: int, limit: float, in_thread: bool) -> str:
    command = [sys.executable, __file__, "--child", kind, str(n)] + (["--thread"] if in_thread else [])
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return "slow"
    return f"signal {-done.returncode}" if done.returncode < 0 else done.stdout.strip()


def threshold(kind: str, limit: float, in_thread: bool) -> str:
    from mpsc_graph.sparql import _tokens

    n, last_ok = 500, None
    while True:
        outcome = probe(kind, n, limit, in_thread)
        if outcome.startswith("signal"):
            break
        if outcome == "slow":
            return f"{kind}: slower than {limit:.0f} s at {n}, no crash below ({last_ok})"
        last_ok = (n, outcome)
        if n >= 512_000:
            return f"{kind}: no crash up to {n} ({outcome})"
        n *= 2
    low, high = (last_ok[0] if last_ok else 1), n
    while high - low > max(1, low // 100):
        middle = (low + high) // 2
        outcome = probe(kind, middle, limit, in_thread)
        if outcome.startswith("signal") or outcome == "slow":
            high = middle
        else:
            low = middle
    tokens = len(_tokens(KINDS[kind](high), limit=10**9))
    return f"{kind}: answers at {low}, dies at {high} ({tokens} tokens, {len(KINDS[kind](high))} bytes)"


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], int(sys.argv[3]), "--thread" in sys.argv)
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kinds", nargs="?", default=",".join(KINDS), help="comma-separated kinds (default: all)")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds a probe may take")
    parser.add_argument("--thread", action="store_true", help="run the query in a new thread, not the main thread")
    arguments = parser.parse_args()
    for kind in arguments.kinds.split(","):
        print(threshold(kind, arguments.limit, arguments.thread), flush=True)


if __name__ == "__main__":
    main()
