"""Serving benchmark worker: every named query and the network analyses on the on-disk store.

Opens the store read-only (as ``serve`` does), runs each named query ``--repeat`` times with
parameters pointing at well-connected synthetic nodes, then builds the adoption digraph and runs
the time-respecting path search and the cascade (time-respecting reach) from the busiest origin.
The process's peak RSS is the memory needed to serve the store. Usage:
``python -m benchmarks.bench_queries queries|one:NAME|analyses STORE_DIR DATA WORK REPEAT``
(``one:NAME``: one named query, so that the driver can stop a query that runs too long).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import emit, project_for


def _params(hub: str, stem: str) -> dict[str, str]:
    from mpsc_graph.namespaces import ID, ONTOLOGY_IRI, graph_iri

    return {
        "origin": hub, "body": hub, "entity": hub, "asset": ID + "solution/syn-000000",
        "group": ID + "project/syn-0000", "graph": graph_iri(stem), "ontology": ONTOLOGY_IRI,
        "source": ID + "source/syn-000000", "text": "Gemeinde 0598", "space": ID, "year": "2020",
        # the synthetic graph has no code repositories: a lookup that finds nothing, timed all the same
        "repository": "https://github.com/smart-village-solutions/smart-village-app-app",
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(mode: str, store_dir: Path, data: Path, work: Path, repeat: int) -> None:
    from pyoxigraph import NamedNode

    from mpsc_graph.api import Graph
    from mpsc_graph.namespaces import ID, MPSC

    root = project_for(data, work)
    started = time.perf_counter()
    graph = Graph.open(root, store_dir=store_dir)
    open_seconds = time.perf_counter() - started
    originator = next(graph.store.quads_for_pattern(NamedNode(ID + "solution/syn-000000"),
                                                    NamedNode(MPSC + "originator"), None, None)).object.value
    params = _params(originator, data.stem)
    if mode == "analyses":
        emit(task="analyses", open_seconds=open_seconds, analyses=_analyses(graph, originator))
        return
    results: dict[str, Any] = {}
    only = mode.split(":", 1)[1] if mode.startswith("one:") else None
    for name, named in _catalogue(root):
        if only is not None and name != only:
            continue
        values = {p.name: params[p.name] for p in named.params if p.name in params and (p.required or p.name != "year")}
        missing = [p.name for p in named.params if p.required and p.name not in params]
        if missing:
            results[name] = {"skipped": f"no benchmark value for {missing}"}
            continue
        times, rows = [], 0
        try:
            for _ in range(repeat):
                t0 = time.perf_counter()
                rows = len(graph.query(name, **values).rows)
                times.append(time.perf_counter() - t0)
        except Exception as exc:  # a failing query is a finding of the benchmark, not a crash
            results[name] = {"error": str(exc)[:200]}
            continue
        results[name] = {"p50": statistics.median(times), "p95": _percentile(times, 0.95), "rows": rows,
                         "runs": len(times)}
    emit(task="queries", open_seconds=open_seconds, queries=results)


def _analyses(graph: Any, originator: str) -> dict[str, Any]:
    """The adoption digraph, the cascade from the busiest origin, and paths to a node two hops away."""
    from mpsc_graph import network

    analyses: dict[str, Any] = {}
    t0 = time.perf_counter()
    digraph = network.adoption_digraph(graph)
    analyses["adoption_digraph"] = {"seconds": time.perf_counter() - t0, "nodes": digraph.number_of_nodes(),
                                    "edges": digraph.number_of_edges()}
    t0 = time.perf_counter()
    reach = network.time_respecting_reach(digraph, originator)
    analyses["cascade_time_respecting_reach"] = {"seconds": time.perf_counter() - t0, "reached": len(reach),
                                                 "max_hops": max((a.hops for a in reach.values()), default=0)}
    # all simple paths explode combinatorially at hubs: a target two hops away, paths of up to three hops
    two_hops = sorted(a.node for a in reach.values() if a.hops == 2)
    if two_hops:
        t0 = time.perf_counter()
        paths = network.find_paths(digraph, originator, two_hops[0], cutoff=3)
        analyses["time_respecting_paths"] = {"seconds": time.perf_counter() - t0, "paths": len(paths),
                                             "cutoff": 3}
    return analyses


def _catalogue(root: Path) -> list[tuple[str, Any]]:
    from mpsc_graph.queries import catalogue

    return sorted(catalogue(root / "queries").items())


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), int(sys.argv[5]))
