"""Network analysis at scale: ``python -m benchmarks.bench_network [--adoptions N] [--k K] [--sparql-triples T]``.

Why synthetic *query results* rather than a synthetic store: the network module starts from the
rows of ``queries/adoption_edges.rq``; producing 1M such rows through Turtle, a store and SPARQL
would measure the loader and the engine (``benchmarks/run.py`` does that), not networkx. The rows
are pyoxigraph terms exactly as the query returns them (IRIs, labels, xsd:date / gYearMonth /
gYear starts), drawn like ``benchmarks/generate.py`` draws adoptions: Zipf-skewed solutions and
adopters, 20 % module adoptions, 30 % onward adoptions from an earlier adopter (chains), 90 %
dated with mixed precision. ``--sparql-triples`` additionally times the whole path (generate →
load → query → graph) on a smaller generated graph.

Steps (each timed; the target is the whole set under 60 s): build the MultiDiGraph from the
rows; time-respecting reach from one origin; the cascade of the largest solution; approximate
betweenness with ``k`` sampled sources. Peak RSS is reported at the end. Not a test: run it by
hand or through ``make bench``.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from pyoxigraph import Literal, NamedNode  # noqa: E402

from benchmarks.common import peak_rss_mb  # noqa: E402
from benchmarks.generate import FIRST_YEAR, LAST_YEAR, MODES, STATUSES, ZipfPicker  # noqa: E402
from mpsc_graph import analysis  # noqa: E402
from mpsc_graph.network import adoption_graph_from_hops, hops_from_table, time_respecting_reach  # noqa: E402
from mpsc_graph.results import Table  # noqa: E402

ID = "https://w3id.org/mpsc-graph/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
COLUMNS = ("adoption", "origin", "originLabel", "adopter", "adopterLabel", "asset", "assetLabel", "solution",
           "solutionLabel", "mode", "status", "start", "end", "sources")


def synthetic_rows(adoptions: int, seed: int = 1) -> Table:
    """``adoptions`` rows shaped like the result of ``queries/adoption_edges.rq``."""
    rng = random.Random(seed)
    n_municipalities = max(50, adoptions // 70)
    n_solutions = max(10, adoptions // 700)
    n_modules = n_solutions * 5
    municipalities = [(NamedNode(f"{ID}municipality/{99_000_000 + i:08d}"), Literal(f"Synthetische Gemeinde {i}",
                       language="de")) for i in range(n_municipalities)]
    solutions = [(NamedNode(f"{ID}solution/syn-{i:06d}"), Literal(f"Synthetische Lösung {i}", language="de"))
                 for i in range(n_solutions)]
    modules = [(NamedNode(f"{ID}module/syn-{i:06d}"), Literal(f"Synthetisches Modul {i}", language="de"))
               for i in range(n_modules)]
    origin_of = [rng.randrange(n_municipalities) for _ in range(n_solutions)]
    year_of = [rng.randint(FIRST_YEAR, LAST_YEAR) for _ in range(n_solutions)]
    modes = [Literal(m) for m in MODES]
    statuses = [Literal(s) for s in STATUSES]
    sources = [Literal(f"{ID}source/syn-{i:05d}") for i in range(1000)]
    pick_solution = ZipfPicker(n_solutions, 1.1, rng)
    pick_municipality = ZipfPicker(n_municipalities, 0.6, rng)
    earlier: dict[int, list[tuple[int, int]]] = {}
    dates: dict[str, Literal] = {}

    def date_term(year: int) -> Literal:
        roll, month = rng.random(), rng.randint(1, 12)
        if roll < 0.60:
            text, kind = f"{year}-{month:02d}-{rng.randint(1, 28):02d}", "date"
        elif roll < 0.85:
            text, kind = f"{year}-{month:02d}", "gYearMonth"
        else:
            text, kind = str(year), "gYear"
        if text not in dates:
            dates[text] = Literal(text, datatype=NamedNode(XSD + kind))
        return dates[text]

    rows = []
    for a in range(adoptions):
        s = pick_solution()
        solution, solution_label = solutions[s]
        if rng.random() < 0.2:
            asset, asset_label = modules[s * 5 + rng.randrange(5)]
        else:
            asset, asset_label = solution, solution_label
        low = year_of[s]
        chain = earlier.setdefault(s, [])
        if chain and rng.random() < 0.3:
            origin, origin_year = chain[rng.randrange(len(chain))]
            low = max(low, origin_year)
        else:
            origin = origin_of[s]
        adopter = pick_municipality()
        if adopter == origin:
            adopter = (adopter + 1) % n_municipalities
        year = rng.randint(low, max(low, LAST_YEAR))
        start = None
        if rng.random() < 0.9:
            start = date_term(year)
            chain.append((adopter, year))
        rows.append((
            NamedNode(f"{ID}adoption/syn-{a:08d}"), *municipalities[origin], *municipalities[adopter], asset,
            asset_label, solution, solution_label, modes[rng.randrange(len(modes))],
            statuses[rng.randrange(len(statuses))], start, None, sources[rng.randrange(len(sources))],
        ))
    return Table(COLUMNS, tuple(rows))


def timed(results: dict[str, Any], name: str, step: Any) -> Any:
    started, cpu = time.perf_counter(), time.process_time()
    value = step()
    results[name] = round(time.perf_counter() - started, 2)
    results[name + " (cpu)"] = round(time.process_time() - cpu, 2)
    print(f"{name:<48} {results[name]:>7.2f} s wall {results[name + ' (cpu)']:>7.2f} s cpu   "
          f"(peak RSS so far {peak_rss_mb():,.0f} MiB)", flush=True)
    return value


def sparql_path(triples: int, results: dict[str, Any]) -> None:
    """Generate → load → adoption_edges query → graph on a generated graph of ``triples`` triples."""
    from pyoxigraph import RdfFormat, Store

    from benchmarks.generate import generate
    from mpsc_graph.api import Graph
    from mpsc_graph.network import adoption_digraph
    from mpsc_graph.project import Project

    buffer = io.StringIO()
    timed(results, f"sparql: generate {triples:,} triples", lambda: generate(triples, 7, buffer))
    store = Store()
    timed(results, "sparql: load into memory", lambda: store.bulk_load(buffer.getvalue().encode(), RdfFormat.TURTLE))
    graph = Graph(Project.at(REPO), store=store)
    g = timed(results, "sparql: adoption_edges + network_nodes → graph", lambda: adoption_digraph(graph))
    results["sparql_graph"] = {"nodes": g.number_of_nodes(), "adoptions": g.number_of_edges()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--adoptions", type=int, default=1_000_000)
    parser.add_argument("--k", type=int, default=8, help="Sampled sources of the approximate betweenness.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sparql-triples", type=int, default=0,
                        help="Also time generate → load → query → graph on this many triples (0: skip).")
    parser.add_argument("--json", type=Path, default=None, help="Write the figures as JSON here.")
    args = parser.parse_args(argv)

    results: dict[str, Any] = {"adoptions": args.adoptions, "k": args.k, "seed": args.seed}
    rows_table = timed(results, "synthesise query results (not in target)",
                       lambda: synthetic_rows(args.adoptions, args.seed))
    total_start, total_cpu = time.perf_counter(), time.process_time()
    g = timed(results, "build MultiDiGraph from query results",
              lambda: adoption_graph_from_hops(hops_from_table(rows_table)))
    rows_table = None  # free the rows before the analyses
    results["graph"] = {"nodes": g.number_of_nodes(), "adoptions": g.number_of_edges()}
    largest = Counter(d for _, _, d in g.edges(data="solution")).most_common(1)[0][0]
    origin = max(g.nodes, key=g.out_degree)
    arrivals = timed(results, "time-respecting reach from one origin", lambda: time_respecting_reach(g, origin))
    results["reach"] = {"origin": origin, "reached": len(arrivals),
                        "via_undated": sum(1 for a in arrivals.values() if a.undated),
                        "max_hops": max((a.hops for a in arrivals.values()), default=0)}
    cascade = timed(results, "cascade of the largest solution", lambda: analysis.cascade(g, largest))
    results["cascade"] = {"solution": largest, "adoptions": len(cascade.steps), "adopters": len(cascade.adopters),
                          "depth": cascade.depth, "breadth": cascade.breadth}
    rows = timed(results, f"approximate betweenness (k={args.k})", lambda: analysis.brokers(g, k=args.k))
    results["top_broker"] = {"node": rows[0].node, "betweenness": rows[0].betweenness}
    results["total_s"] = round(time.perf_counter() - total_start, 2)
    results["total_cpu_s"] = round(time.process_time() - total_cpu, 2)
    results["peak_rss_mb"] = round(peak_rss_mb(), 1)
    print(f"{'total (target < 60 s)':<48} {results['total_s']:>7.2f} s wall {results['total_cpu_s']:>7.2f} s cpu   "
          f"peak RSS {results['peak_rss_mb']:,.0f} MiB")
    if args.sparql_triples:
        del g
        sparql_path(args.sparql_triples, results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
